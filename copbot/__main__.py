"""``python -m copbot``: the same as the ``copbot`` command."""

import sys

from copbot.cli import main

sys.exit(main())
