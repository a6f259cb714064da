"""Widgets of the play screen: the scene header, the scene text, the choices, the status panel."""
