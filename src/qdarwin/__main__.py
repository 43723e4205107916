"""``python -m qdarwin ...``: the same as the ``qdarwin`` command."""

import sys

from .cli.main import main

sys.exit(main())
