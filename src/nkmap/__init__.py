"""nkmap: how territory changed hands in and after the 2020 Nagorno-Karabakh war, as data, maps and exports."""

__version__ = "0.1.0"
