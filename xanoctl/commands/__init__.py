"""One module per command; each defines a click command registered in :mod:`xanoctl.cli`."""
