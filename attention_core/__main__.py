"""``python -m attention_core ...``: see attention_core.cli."""

import sys

from attention_core.cli import main

sys.exit(main())
