"""The HTML report: self-contained, escaped, and rendered by a real headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files
from tests.test_report import FILES, LINK

CHROMIUM = shutil.which("chromium")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


@pytest.fixture
def html_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, FILES)
    # A line whose text is HTML: the page must show it, not run it.
    write_files(
        tmp_path,
        {"beta-1.0/beta/page.py": 'import eventlet\neventlet.sleep("</code><script>x()</script>")\n'},
    )
    target = tmp_path / "report.html"
    result = run_cli(
        [
            "report",
            "alpha",
            "beta-1.0",
            "--team",
            "<Ops & Co>",
            "--link-template",
            LINK,
            "--output-format",
            "html",
            "-o",
            str(target),
        ]
    )
    assert result.exit_code == 0, result.output
    return target


def test_html_is_self_contained_and_escaped(html_report: Path) -> None:
    page = html_report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Analysis for Team: &lt;Ops &amp; Co&gt;</title>" in page
    assert "<script" not in page
    assert "&lt;/code&gt;&lt;script&gt;x()&lt;/script&gt;" in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")  # no external resources
    assert "<link" not in page and "src=" not in page
    assert page.count("<svg class='chart'") == 3  # the team's and one per project
    assert page.count("<details>") == 2
    assert "<a href='https://example.org/alpha/src/alpha/server.py#n8'>alpha/server.py:8</a>" in page


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


@pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (CI installs Debian's chromium package)"
)
def test_html_renders_in_headless_chromium(html_report: Path, tmp_path: Path) -> None:
    url = html_report.as_uri()
    dom = _chromium(tmp_path / "profile-dom", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert '<svg class="chart" id="chart-team"' in dom.stdout
    assert dom.stdout.count('<rect class="production"') >= 5
    assert '<table class="patterns">' in dom.stdout and '<table class="occurrences">' in dom.stdout
    assert "<script" not in dom.stdout
    assert "Analysis for Team: &lt;Ops &amp; Co&gt;" in dom.stdout
    screenshot = tmp_path / "report.png"
    shot = _chromium(tmp_path / "profile-shot", f"--screenshot={screenshot}", "--window-size=1280,2400", url)
    assert shot.returncode == 0, shot.stderr[-2000:]
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
