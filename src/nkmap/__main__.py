"""`python -m nkmap` is the `nkmap` command."""

from nkmap.cli import run

run()
