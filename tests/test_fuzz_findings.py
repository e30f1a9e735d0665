"""Regression tests for what the fuzz suite (tests/test_fuzz.py) and the hostile tree found."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import MASAKARI_WRAPPER, run_cli, write_files


def test_a_fix_never_spells_a_name_through_an_import_below_module_level_code(project: Path) -> None:
    """Found by the soak: `utils.spawn(work)` at module level above `from masakari import
    utils` raised NameError on import. Module-level code gets its own import; a function
    body, which runs later, may use the one below."""
    write_files(
        project,
        {
            "mod.py": "import eventlet\neventlet.spawn(work)\n\n\ndef later():\n    eventlet.spawn(work)\n"
            "\n\nfrom masakari import utils\n",
            **MASAKARI_WRAPPER,
        },
    )
    result = run_cli(["check", "--select", "M322", "--fix", "mod.py"])
    assert result.exit_code == 0, result.output
    assert (project / "mod.py").read_text() == (
        "import masakari.utils\nmasakari.utils.spawn(work)\n\n\ndef later():\n    utils.spawn(work)\n"
        "\n\nfrom masakari import utils\n"
    )


def test_an_unsafe_fix_does_not_reuse_a_green_import_rewritten_below(project: Path) -> None:
    """Found by the fuzz grammar: `threading.Semaphore` above the line where
    `from eventlet.green import threading` became `import threading`."""
    write_files(
        project,
        {
            "mod.py": "from eventlet import semaphore as sem\nsem.Semaphore(1)\nfrom eventlet.green import threading\n"
        },
    )
    run_cli(["check", "--fix", "--unsafe-fixes", "mod.py"])
    assert (project / "mod.py").read_text() == (
        "from eventlet import semaphore as sem\nsem.Semaphore(1)\nimport threading\n"
    )


def test_a_symlink_loop_in_a_walked_directory_is_one_finding_not_a_crash(project: Path) -> None:
    """Found by the hostile tree: os.DirEntry.is_dir() raised ELOOP out of discovery."""
    write_files(project, {"a.py": "import eventlet\n"})
    (project / "loop.py").symlink_to("loop.py")
    result = run_cli(["check", "--select", "EVL501", "--output-format", "concise"])
    assert result.stdout.splitlines()[:2] == [
        "a.py:1:1: EVL501 Import of eventlet",
        "loop.py:1:1: EVL002 Cannot read file: Too many levels of symbolic links",
    ]


def test_a_fifo_named_py_is_reported_not_read_forever(project: Path) -> None:
    """Found by the hostile tree: reading a FIFO blocked the run."""
    import os

    os.mkfifo(project / "pipe.py")
    result = run_cli(["check", "--output-format", "concise"])
    assert result.stdout.splitlines()[0] == "pipe.py:1:1: EVL002 Cannot read file: not a regular file"
    assert result.exit_code == 1
