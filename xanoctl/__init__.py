"""xanoctl: manage a Xano workspace as code."""

__version__ = "0.1.0"
