"""What holds on a date: the timeline (control, layers, events, areas), control as fixed pieces, the comparison of
two dates, the area series, the gazetteer (names, search, a place's history). Imports only nkmap.data."""
