"""Code in masakari's style that the regex hacking check M322 half-sees."""

import eventlet as ev
from eventlet import greenthread as gt
from eventlet import spawn_n

from minimasakari import utils


class EngineManager:
    def __init__(self, greenthread=None):
        # A parameter named like the module is not the module: never a finding.
        self.greenthread = greenthread

    def process_notification(self, notification):
        # Allowed: the project's wrapper.
        utils.spawn(self._process, notification)

    def recover_host(self, host):
        # The regex check misses all three of these (aliases and a bare name).
        ev.spawn(self._recover, host)
        gt.spawn_after(30, self._recover, host)
        spawn_n(self._notify, host)

    def recover_instance(self, instance):
        # The regex check fires on this unrelated attribute; evlint does not.
        self.greenthread.spawn(self._recover, instance)
        launcher = ev.spawn  # a reference without a call is still a use
        return launcher

    def _process(self, notification):
        """Docstrings that say eventlet.spawn(...) are never findings."""

    def _recover(self, target):
        pass

    def _notify(self, host):
        pass
