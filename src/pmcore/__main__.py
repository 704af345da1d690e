"""``python -m pmcore`` runs the command line."""

import sys

from pmcore.cli import main

sys.exit(main())
