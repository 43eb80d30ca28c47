"""``python -m attention_core.train ...``: see attention_core.train.cli.

Guarded, so that importing this module (tools that import every module of the package do) never starts
a training run.
"""

import sys

from attention_core.train.cli import entry

if __name__ == "__main__":
    sys.exit(entry())
