"""The project's wrapper: the one place allowed to call eventlet.spawn (M322 exempts it)."""

import eventlet


def spawn(func, *args, **kwargs):
    """Passthrough for eventlet.spawn, so callers do not depend on eventlet directly."""
    return eventlet.spawn(func, *args, **kwargs)


def spawn_n(func, *args, **kwargs):
    eventlet.spawn_n(func, *args, **kwargs)
