"""The project index: which names of a project's own modules are eventlet's (see `build`)."""
