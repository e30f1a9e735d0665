"""evlint: a linter that finds, polices and helps remove eventlet usage."""

__version__ = "0.2.0"
