"""benchmarks/parse_floor.py: it lists the files evlint parses, and parses them (no timing asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "parse_floor.py"

FILES = {
    "pkg/__init__.py": "",
    "pkg/hub.py": "import eventlet\n\nspawn = eventlet.spawn\n",
    "pkg/plain.py": "import os\n\nHOME = os.environ.get('HOME')\n",
    "pkg/worker.py": "from eventlet import greenthread\n\ngreenthread.spawn(print)\n",
    # Parsed by evlint (it names eventlet), and reported as EVL000: parsed here all the same.
    "pkg/broken.py": "import eventlet\n\ndef broken(:\n",
}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False)


def test_it_lists_the_files_evlint_parses_and_parses_them(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for name, text in FILES.items():
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text(text)
    listed = _run("list", str(corpus))
    assert listed.returncode == 0, listed.stderr
    names = sorted(Path(line).relative_to(corpus.resolve()).as_posix() for line in listed.stdout.splitlines())
    assert names == ["pkg/broken.py", "pkg/hub.py", "pkg/worker.py"]
    files = tmp_path / "files.txt"
    files.write_text(listed.stdout)
    for processes in ("1", "2"):
        parsed = _run("parse", str(files), "--processes", processes)
        assert parsed.returncode == 0, parsed.stderr
        assert parsed.stdout == ""
