"""A refresh that stops for good inside its transaction, after the whole merge and before the
commit: run by test_interrupted.py as a child process, which kills it there with SIGKILL.

    python -m tests.services.warehouse.interrupted_refresh MARKER_FILE

Settings come from the environment, as for `agora warehouse refresh`.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from agora.entrypoints.operations import refresh_warehouse
from agora.platform.config import Settings
from agora.services.warehouse import repository


def main(marker: Path) -> None:
    def stop_before_commit(*args: Any, **kwargs: Any) -> int:
        marker.write_text("loaded")
        while True:
            time.sleep(1)

    repository.record_run = stop_before_commit
    asyncio.run(refresh_warehouse(Settings()))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
