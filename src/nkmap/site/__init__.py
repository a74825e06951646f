"""The static website (`nkmap site --output DIR`): the explorer, a page per place, the places' list and the
dataset for download, written from a validated `geo/` as plain files that any web host serves and that work
from file:// (no server code, nothing from a CDN, relative links only)."""
