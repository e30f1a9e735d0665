from unittest import mock

import eventlet

from minimasakari.engine import manager


class TestManager:
    @mock.patch('eventlet.spawn')
    def test_recover_host(self, mock_spawn):
        manager.EngineManager().recover_host('host-1')

    def test_sleep(self):
        with mock.patch.object(eventlet.greenthread, 'sleep'):
            pass
