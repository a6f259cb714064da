"""One module per screen; dialogs (small `ModalScreen`s that return a value) are in
`dialogs.py`."""
