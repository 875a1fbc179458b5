"""``python -m crisis_sim`` runs the ``crisis-sim`` command."""

import sys

from .cli import main

sys.exit(main())
