"""The `nkmap` command: validate, export, timeline, state, place, sources."""

from nkmap.cli.commands import main

__all__ = ["main"]
