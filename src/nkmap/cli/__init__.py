"""The `nkmap` command: validate, export, timeline, state, place, sources."""

import sys

from nkmap.data.process_memory import without_pyarrow


def run() -> None:
    """The `nkmap` program (console script and `python -m nkmap`): a process of its own, so it can leave pyarrow
    out (pandas imports it when installed, as Streamlit needs it; nkmap never uses it: ~50 MB of a PNG export's
    ~240 MB peak, measured with /usr/bin/time -v)."""
    without_pyarrow()
    from nkmap.cli.commands import main

    sys.exit(main())


def main(argv: list[str] | None = None) -> int:
    """The command in this process (tests, scripts): pyarrow is left as it is."""
    from nkmap.cli.commands import main as command

    return command(argv)


__all__ = ["main", "run"]
