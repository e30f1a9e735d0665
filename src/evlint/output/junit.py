"""`junit`: JUnit XML, a test suite per file and a failed test case per finding, as CI
systems without a code-quality format show test results."""

from __future__ import annotations

from typing import TextIO
from xml.etree import ElementTree

from evlint.model import CheckResult


def write_junit(result: CheckResult, stream: TextIO) -> None:
    diagnostics = result.diagnostics
    root = ElementTree.Element("testsuites", name="evlint", tests=str(len(diagnostics)))
    root.set("failures", str(len(diagnostics)))
    root.set("errors", "0")
    by_path: dict[str, list[int]] = {}
    for index, diagnostic in enumerate(diagnostics):
        by_path.setdefault(diagnostic.path, []).append(index)
    for path, indexes in by_path.items():
        suite = ElementTree.SubElement(root, "testsuite", name=path, tests=str(len(indexes)))
        suite.set("failures", str(len(indexes)))
        suite.set("errors", "0")
        for index in indexes:
            d = diagnostics[index]
            where = f"{d.location.row}:{d.location.column}"
            case = ElementTree.SubElement(suite, "testcase", name=f"{d.code} at {where}", classname=path)
            case.set("line", str(d.location.row))
            failure = ElementTree.SubElement(case, "failure", message=d.message, type=d.code)
            failure.text = f"{path}:{where}: {d.code} {d.message}"
    ElementTree.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ElementTree.tostring(root, encoding="unicode") + "\n")
