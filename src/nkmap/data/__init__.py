"""The record as read from disk: the dataset (`geo/`), its validation, the sources catalogue and its audit,
the classroom stories. Imports nothing else from nkmap."""
