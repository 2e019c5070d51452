"""`python -m casebook ...`: the same command line as the `casebook` script."""

import sys

from .cli import main

sys.exit(main())
