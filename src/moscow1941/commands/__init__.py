"""One module per subcommand: `HELP`, `configure(parser)`, `run(args) -> int`.

Keep module top levels light: import what a command needs inside its `run`.
"""
