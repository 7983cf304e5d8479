"""``python -m roi_model``: see :mod:`roi_model.cli`."""

import sys

from roi_model.cli import main

sys.exit(main())
