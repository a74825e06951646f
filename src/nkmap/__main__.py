"""`python -m nkmap` is the `nkmap` command."""

import sys

from .cli import main

sys.exit(main())
