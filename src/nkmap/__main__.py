"""`python -m nkmap` is the `nkmap` command."""

import sys

from nkmap.cli.commands import main

sys.exit(main())
