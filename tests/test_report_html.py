"""The HTML report: self-contained, escaped, and rendered by a real headless Chromium."""

from __future__ import annotations

import json
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
    # the team's patterns, the projects compared, one per project
    assert page.count("<svg class='chart'") == 4
    assert "<svg class='chart' id='chart-projects'" in page
    assert page.count("<details>") == 2
    assert "<tr class='file'><th colspan='5'>alpha/server.py (7)</th></tr>" in page  # grouped by file
    assert "<a href='https://example.org/alpha/src/alpha/server.py#n8'>8</a>" in page
    assert "<td><code>EVL102</code> eventlet-green-pool</td>" in page  # rule names beside codes
    assert "<p class='provenance'>Made by evlint " in page


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


# Measures the report's layout in a frame of a page that may run a script (the report has none).
MEASURE = """<!DOCTYPE html><html><body style='margin:0'>
<iframe id='f' src='REPORT' style='width:1280px;height:900px;border:0'></iframe>
<pre id='result'>pending</pre>
<script>
document.getElementById('f').onload = function () {
  var doc = this.contentDocument;
  doc.querySelectorAll('details').forEach(function (d) { d.open = true; });
  var body = doc.body.getBoundingClientRect();
  var widest = 0;
  doc.querySelectorAll('table, svg').forEach(function (t) {
    widest = Math.max(widest, t.getBoundingClientRect().right);
  });
  document.getElementById('result').textContent = JSON.stringify({
    page: doc.documentElement.scrollWidth, body: Math.round(body.right), widest: Math.round(widest)});
};
</script></body></html>"""


@pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (CI installs Debian's chromium package)"
)
def test_html_fits_the_page_even_with_long_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, FILES)
    long_call = "eventlet.spawn(" + ", ".join(f"argument_number_{i}" for i in range(40)) + ")"
    deep = "/".join(f"package_with_a_long_name_{i}" for i in range(6))
    write_files(tmp_path, {f"alpha/alpha/{deep}/module.py": f"import eventlet\n{long_call}\n"})
    target = tmp_path / "report.html"
    result = run_cli(
        ["report", "alpha", "beta-1.0", "--link-template", LINK, "--output-format", "html", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    wrapper = tmp_path / "measure.html"
    wrapper.write_text(MEASURE.replace("REPORT", target.as_uri()), encoding="utf-8")
    dom = _chromium(
        tmp_path / "profile-measure",
        "--allow-file-access-from-files",
        "--virtual-time-budget=10000",
        "--dump-dom",
        wrapper.as_uri(),
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    measured = json.loads(dom.stdout.split('<pre id="result">', 1)[1].split("</pre>", 1)[0])
    assert measured["page"] <= 1280  # no horizontal scrolling
    assert measured["widest"] <= measured["body"] + 1  # every table and chart inside the text column
