"""Where an object-flow finding's eventlet object was made, carried as data in every output:
JSON `origin`, SARIF `relatedLocations`, the report's `origin_path`/`origin_url` (and its
Markdown and HTML links), LSP `relatedInformation`; in the finding's own file or another."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from evlint.report.json import report_schema
from tests.conftest import run_cli, write_files
from tests.test_sarif import assert_valid_sarif

# masakari 22.0.0's shape: a green thread returned by the project's spawn() in another module.
UTILS = "import eventlet\n\n\ndef spawn(func, *args):\n    return eventlet.spawn(func, *args)\n"
SERVER = """\
import eventlet

from app import utils


class Server:
    def start(self):
        self._pool = eventlet.GreenPool(4)
        self._thread = utils.spawn(self.run)

    def stop(self):
        self._pool.waitall()
        self._thread.kill()
"""
FILES = {"app/__init__.py": "", "app/utils.py": UTILS, "app/server.py": SERVER}
LOCAL = (12, 8, 22)  # self._pool.waitall(): (row, origin row, origin column)
REMOTE = (13, 5)  # self._thread.kill(): (row, the line of utils.spawn's return)
LINK = "https://example.org/src/{path}#n{line}"


def _check(project: Path, output_format: str) -> str:
    write_files(project, FILES)
    result = run_cli(["check", ".", "--select", "EVL8", "--output-format", output_format])
    assert result.exit_code == 1, result.output
    return result.stdout


def test_json_gives_the_constructor_of_each_method_site_in_its_file_or_another(project: Path) -> None:
    items = json.loads(_check(project, "json"))
    found = {(i["location"]["row"], i["code"]): i["origin"] for i in items}
    server, utils = str((project / "app/server.py").resolve()), str((project / "app/utils.py").resolve())
    assert found == {
        (LOCAL[0], "EVL802"): {"filename": server, "row": LOCAL[1], "column": LOCAL[2]},
        (REMOTE[0], "EVL801"): {"filename": utils, "row": REMOTE[1], "column": None},
    }
    lines = [json.loads(line) for line in _check(project, "json-lines").splitlines()]
    assert [line["origin"] for line in lines] == [i["origin"] for i in items]


def test_findings_without_an_object_have_a_null_origin(project: Path) -> None:
    write_files(project, {"mod.py": "import eventlet\n\neventlet.sleep(0)\n"})
    result = run_cli(["check", "mod.py", "--select", "EVL", "--output-format", "json"])
    items = json.loads(result.stdout)
    assert items and all(i["origin"] is None for i in items)


def test_sarif_relates_each_method_site_to_its_constructor(project: Path) -> None:
    document = json.loads(_check(project, "sarif"))
    assert_valid_sarif(document)
    related = {
        r["locations"][0]["physicalLocation"]["region"]["startLine"]: r["relatedLocations"]
        for r in document["runs"][0]["results"]
    }
    assert related == {
        LOCAL[0]: [_sarif_location("app/server.py", {"startLine": LOCAL[1], "startColumn": LOCAL[2]})],
        REMOTE[0]: [_sarif_location("app/utils.py", {"startLine": REMOTE[1]})],
    }


def _sarif_location(uri: str, region: dict[str, int]) -> dict[str, Any]:
    return {
        "id": 1,
        "physicalLocation": {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}, "region": region},
        "message": {"text": "the eventlet object is made here"},
    }


def test_the_report_links_each_method_site_to_its_constructor_in_another_file_too(project: Path) -> None:
    write_files(project, FILES)
    result = run_cli(["report", ".", "--output-format", "json", "--link-template", LINK])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    jsonschema.validate(document, report_schema(), cls=jsonschema.Draft202012Validator)
    [inventory] = document["projects"]
    sites = {
        o["line"]: (o["origin_path"], o["origin_line"], o["origin_url"])
        for o in inventory["occurrences"]
        if o["rule"] in ("EVL801", "EVL802")
    }
    assert sites == {
        LOCAL[0]: ("app/server.py", LOCAL[1], f"https://example.org/src/app/server.py#n{LOCAL[1]}"),
        REMOTE[0]: ("app/utils.py", REMOTE[1], f"https://example.org/src/app/utils.py#n{REMOTE[1]}"),
    }
    spawn = next(o for o in inventory["occurrences"] if o["rule"] == "EVL101")
    assert (spawn["origin_path"], spawn["origin_line"], spawn["origin_url"]) == (None, None, None)

    markdown = run_cli(["report", ".", "--link-template", LINK]).stdout
    assert (
        f"self._pool.waitall() (object made at [line {LOCAL[1]}]"
        f"(https://example.org/src/app/server.py#n{LOCAL[1]}))"
    ) in markdown
    assert (
        f"self._thread.kill() (object made at [app/utils.py:{REMOTE[1]}]"
        f"(https://example.org/src/app/utils.py#n{REMOTE[1]}))"
    ) in markdown
    plain = run_cli(["report", "."]).stdout
    assert f"self._thread.kill() (object made at app/utils.py:{REMOTE[1]})" in plain

    html = run_cli(["report", ".", "--output-format", "html", "--link-template", LINK]).stdout
    assert (
        f"(object made at <a href='https://example.org/src/app/utils.py#n{REMOTE[1]}'>"
        f"app/utils.py:{REMOTE[1]}</a>)"
    ) in html


def test_a_saved_report_keeps_the_constructor_of_each_site(project: Path) -> None:
    write_files(project, FILES)
    saved = project / "before.json"
    result = run_cli(["report", ".", "--output-format", "json", "-o", str(saved)])
    assert result.exit_code == 0, result.output
    (project / "app/server.py").write_text(SERVER.replace("self._thread.kill()", "pass"), encoding="utf-8")
    compared = run_cli(["report", ".", "--output-format", "json", "--compare", str(saved)])
    assert compared.exit_code == 0, compared.output
    [removed] = [o for o in json.loads(compared.stdout)["comparison"]["removed"] if o["rule"] == "EVL801"]
    assert (removed["origin_path"], removed["origin_line"]) == ("app/utils.py", REMOTE[1])
