"""Strings that name eventlet: mock targets reached through the project's own modules, and
the strings that are no mock target (environ keys, logger names, annotations, getattr)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import run_cli, write_files


def _found(*args: str) -> list[tuple[str, int, str, str]]:
    result = run_cli(["check", ".", "--output-format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return sorted(
        (
            Path(i["filename"]).relative_to(Path.cwd()).as_posix(),
            i["location"]["row"],
            i["code"],
            i["message"],
        )
        for i in items
    )


@pytest.mark.parametrize("select", [(), ("--select", "EVL601")])
def test_a_mock_target_through_a_project_module_names_the_eventlet_object(
    project: Path, select: tuple[str, ...]
) -> None:
    write_files(
        project,
        {
            "heat/__init__.py": "",
            "heat/common/__init__.py": "",
            "heat/common/wsgi.py": "import eventlet\n\ndef run():\n    eventlet.listen(('', 80))\n",
            "heat/utils.py": "from eventlet import tpool\n\ndef tpool_wrap(obj):\n    return obj\n",
            "heat/tests/__init__.py": "",
            "heat/tests/test_wsgi.py": """\
                from unittest import mock

                @mock.patch('heat.common.wsgi.eventlet.listen')
                @mock.patch('heat.utils.tpool.Proxy')
                @mock.patch('heat.utils.tpool_wrap')
                @mock.patch('heat.common.wsgi.run')
                def test_run(self, *mocks):
                    pass
                """,
        },
    )
    found = [f for f in _found(*select) if f[0] == "heat/tests/test_wsgi.py"]
    assert [(row, code) for _, row, code, _ in found] == [(3, "EVL601"), (4, "EVL601")]
    assert "eventlet.listen" in found[0][3] and found[0][3].endswith("(via heat.common.wsgi)")
    assert "eventlet.tpool.Proxy" in found[1][3] and found[1][3].endswith("(via heat.utils)")


def test_keys_and_logger_names_are_no_mock_targets(project: Path) -> None:
    write_files(
        project,
        {
            "app.py": """\
                import logging
                from unittest import mock
                LOG = logging.getLogger('eventlet.wsgi.server')

                def app(environ, start_response):
                    body = environ['eventlet.input']
                    hooks = environ.get('eventlet.posthooks', [])
                    extra = {'eventlet.set_idle': None}
                    if environ.pop('eventlet.minimum_write_chunk_size', None) == 'eventlet.x':
                        pass
                    return mock.patch('eventlet.wsgi.server')
                """,
        },
    )
    assert [(row, code) for _, row, code, _ in _found()] == [(11, "EVL601")]


def test_annotations_and_getattr_are_references_with_their_rule(project: Path) -> None:
    write_files(
        project,
        {
            "pools.py": """\
                import eventlet
                from eventlet import greenthread as gt

                spawner = getattr(eventlet, 'spawn')
                if hasattr(gt, 'sleep'):
                    pass

                def run(pool: 'eventlet.GreenPool', threads: 'list[gt.GreenThread]') -> 'eventlet.Event':
                    done: 'eventlet.Event' = make()
                """,
        },
    )
    found = [(row, code) for _, row, code, _ in _found("--ignore", "EVL501")]
    assert found == [(4, "EVL101"), (5, "EVL201"), (8, "EVL102"), (8, "EVL103"), (8, "EVL301"), (9, "EVL301")]
