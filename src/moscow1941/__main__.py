"""`python -m moscow1941` runs the command line."""

from moscow1941.cli import main

raise SystemExit(main())
