"""Moscow 1941: interactive fiction about the Soviet-Japanese Neutrality Pact, 1941-1945."""

__version__ = "0.1.0"
