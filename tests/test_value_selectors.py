"""Values that select eventlet by name: oslo.messaging's executor (EVL701) followed through
positions, variables, conditionals and defaults; and settings and options (EVL703)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .conftest import run_cli, write_files

Findings = list[tuple[int, int, str]]


def test_executor_is_matched_on_oslo_messaging_calls_only_and_followed(
    findings: Callable[..., Findings],
) -> None:
    code = """\
import oslo_messaging as messaging
from oslo_messaging.rpc import server as rpc_server
from oslo_messaging import get_notification_listener

def start(transport, target, endpoints, green, executor='eventlet'):
    messaging.get_rpc_server(transport, target, endpoints, executor='eventlet')
    messaging.get_rpc_server(transport, target, endpoints, 'eventlet')
    mode = 'eventlet' if green else 'threading'
    messaging.get_rpc_server(transport, target, endpoints, executor=mode)
    get_notification_listener(transport, [target], endpoints, executor=executor)
    rpc_server.RPCServer(transport, target, None, executor)
    messaging.MessageHandlingServer(transport, None, 'eventlet')
    other(executor='eventlet')
    messaging.get_rpc_server(transport, target, endpoints, executor='threading')
    messaging.get_rpc_server('eventlet', target, endpoints)
    messaging.get_rpc_server(transport, target, endpoints, executor=CONF.executor)

def rebound(transport, target, endpoints, executor='threading', unknown='eventlet'):
    executor = 'threading'
    messaging.get_rpc_server(transport, target, endpoints, executor=executor)

def parameter(transport, target, endpoints, executor):
    messaging.get_rpc_server(transport, target, endpoints, executor=executor)

def test_get_server(self, mock_get):
    mock_get.assert_called_once_with(transport, target, ends, executor='eventlet')
    mock_get.configure(executor='eventlet')
"""
    assert findings(code, "EVL701") == [
        (6, 60, "EVL701"),
        (7, 60, "EVL701"),
        (9, 60, "EVL701"),
        (10, 63, "EVL701"),
        (11, 51, "EVL701"),
        (12, 54, "EVL701"),
        (26, 63, "EVL701"),
    ]


def test_settings_that_select_eventlet(findings: Callable[..., Findings]) -> None:
    code = """\
import os
import socketio
from oslo_config import cfg

sio = socketio.Server(async_mode='eventlet')
HUB_TYPE = os.getenv('OSKEN_HUB_TYPE', 'native')
if HUB_TYPE == 'eventlet':
    pass

def patch(backend='eventlet'):
    should_patch = (backend == 'eventlet')

opt = cfg.StrOpt('concurrency_backend', default='auto', choices=['auto', 'threading', 'eventlet'])
safe = cfg.StrOpt('executor', default='threading', choices=['threading'])
mode = 'eventlet'
other(default='eventlet')
LOG.info('eventlet')
"""
    assert findings(code, "EVL703") == [
        (5, 23, "EVL703"),
        (7, 4, "EVL703"),
        (10, 11, "EVL703"),
        (11, 21, "EVL703"),
        (13, 57, "EVL703"),
    ]


def test_a_gunicorn_config_file_choosing_the_eventlet_worker(project: Path) -> None:
    write_files(
        project, {"gunicorn.conf.py": "bind = '0.0.0.0:8000'\nworker_class = 'eventlet'\nworkers = 4\n"}
    )
    result = run_cli(["check", ".", "--output-format", "concise"])
    assert result.exit_code == 0  # a warning: it does not fail the run
    assert (
        "gunicorn.conf.py:2:1: EVL703 worker_class='eventlet' selects eventlet at run time" in result.output
    )
