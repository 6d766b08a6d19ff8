"""`python -m trafficking_triage` runs the same command as `trafficking-triage`."""

from .cli import main

raise SystemExit(main())
