"""`python -m casebook ...`: the same command line as the `casebook` script."""

import sys

from casebook.cli.main import main

sys.exit(main())
