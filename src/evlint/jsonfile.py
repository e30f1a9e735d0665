"""Reading the JSON files users hand evlint (baselines, earlier reports): one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evlint.model import EvlintError


def read_json(path: Path, what: str) -> Any:
    """The document in `path`; an unreadable or malformed file is an error naming file and line."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise EvlintError(f"{path}: cannot read {what}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise EvlintError(f"{path}: cannot read {what}: not UTF-8 ({error.reason})") from None
    except json.JSONDecodeError as error:
        raise EvlintError(f"{path}:{error.lineno}: invalid {what} JSON: {error.msg}") from None
    except RecursionError:
        raise EvlintError(f"{path}:1: invalid {what} JSON: nested too deeply") from None
    except ValueError as error:  # an integer of more digits than Python converts (4300)
        raise EvlintError(f"{path}:1: invalid {what} JSON: {str(error).split(';')[0]}") from None
