"""A progress bar on stderr while projects are collected, only when stderr is a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO


@contextmanager
def project_progress(stream: TextIO, total: int) -> Iterator[Callable[[str], None] | None]:
    """Yields a callback to call after each project, or None when `stream` is not a terminal."""
    if not stream.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(file=stream, force_terminal=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("collecting", total=total)

        def advance(name: str) -> None:
            progress.update(task, advance=1, description=f"collected {name}")

        yield advance
