"""Import management for fixes: libcst's codemod helpers on the import statements only."""

from __future__ import annotations

import pytest

from evlint.fix.imports import manage_imports
from evlint.model import ImportRef


@pytest.mark.parametrize(
    ("text", "add", "remove", "expected"),
    [
        pytest.param(
            "#!/usr/bin/env python3\n# Licence\n\n# about f\ndef f():\n    utils.spawn(x)\n",
            [ImportRef("masakari", "utils")],
            [],
            "#!/usr/bin/env python3\n# Licence\n\nfrom masakari import utils\n# about f\ndef f():\n    utils.spawn(x)\n",
            id="after-opening-comments",
        ),
        pytest.param(
            '"""Doc."""\nfrom __future__ import annotations\nimport eventlet\nx = 1\n',
            [ImportRef("time")],
            [ImportRef("eventlet")],
            '"""Doc."""\nfrom __future__ import annotations\nimport time\nx = 1\n',
            id="after-docstring-and-future",
        ),
        pytest.param(
            "import os\r\nimport eventlet\r\n\r\nx = os\r\n",
            [ImportRef("masakari", "utils")],
            [ImportRef("eventlet")],
            "import os\r\nfrom masakari import utils\r\n\r\nx = os\r\n",
            id="crlf",
        ),
        pytest.param(
            "from masakari import objects\nx = objects\n",
            [ImportRef("masakari", "utils")],
            [],
            "from masakari import utils, objects\nx = objects\n",
            id="merged-into-existing-from-import",
        ),
        pytest.param(
            "from eventlet import (spawn,  # c\n    sleep)\nsleep(1)\n",
            [],
            [ImportRef("eventlet", "spawn")],
            "from eventlet import (  # c\n    sleep)\nsleep(1)\n",
            id="one-name-of-several",
        ),
        pytest.param(
            "def f():\n    import eventlet\n",
            [],
            [ImportRef("eventlet")],
            "def f():\n    pass\n",
            id="lone-in-block",
        ),
        pytest.param(
            "import eventlet; x = 1\n",
            [],
            [ImportRef("eventlet")],
            "import eventlet; x = 1\n",
            id="shared-line",
        ),
        pytest.param(
            "import eventlet\n__all__ = ['eventlet']\n",
            [],
            [ImportRef("eventlet")],
            "import eventlet\n__all__ = ['eventlet']\n",
            id="named-in-a-string",
        ),
        pytest.param(
            "import eventlet\nimport eventlet.greenthread\neventlet.sleep()\n",
            [],
            [ImportRef("eventlet.greenthread")],
            "import eventlet\nimport eventlet.greenthread\neventlet.sleep()\n",
            id="dotted-import-still-used-through-its-root",
        ),
        pytest.param("x = 1", [ImportRef("time")], [], "import time\nx = 1", id="no-final-newline"),
        pytest.param("", [ImportRef("time")], [], "import time\n", id="empty-file"),
    ],
)
def test_manage_imports(text: str, add: list[ImportRef], remove: list[ImportRef], expected: str) -> None:
    assert manage_imports(text, add=add, remove=remove) == expected
