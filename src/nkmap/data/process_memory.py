"""What a process of nkmap's own (the `nkmap` program, an export worker) leaves out to stay small.

Imports nothing heavy: it must run before pandas is first imported.
"""

from __future__ import annotations

import sys


def without_pyarrow() -> None:
    """Keep pyarrow out of this process (no effect once pandas is imported). pandas imports it whenever it is
    installed (Streamlit needs it) and it costs ~50 MB of RSS, a fifth of a PNG export's peak (measured with
    /usr/bin/time -v); nkmap reads and writes nothing through it, and pandas goes on without it.
    Not for the Streamlit process, which uses it."""
    if "pandas" not in sys.modules:
        sys.modules.setdefault("pyarrow", None)  # type: ignore[arg-type]  # `import pyarrow` then fails
