"""CPU per access line as `agora up` writes it: ECS JSON to stdout (here /dev/null) and to the
rotating log file in the data directory, the platform's logging set up as the process sets it up.

    .venv/bin/python bench/access_log.py [--lines 20000]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import structlog

from agora.platform.logging import configure_logging


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=20000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="agora-bench-log-"))
    report = sys.stdout
    try:
        with open(os.devnull, "w") as devnull:
            sys.stdout = devnull
            configure_logging("INFO", json=True, service="platform", file=workdir / "platform.log")
            log = structlog.get_logger("agora.access")
            started = time.process_time()
            for _ in range(args.lines):
                log.log(
                    logging.INFO,
                    "GET /api/users/profile/3 200",
                    method="GET",
                    path="/api/users/profile/3",
                    route="/api/users/profile/{userId}",
                    status=200,
                    client="127.0.0.1",
                    user_id=None,
                    **{"event.duration": 1234567, "event.outcome": "success"},
                )
            spent = time.process_time() - started
    finally:
        sys.stdout = report
        logging.getLogger().handlers[:] = []
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{spent / args.lines * 1e6:.1f} us of CPU per access line ({args.lines} lines)")


if __name__ == "__main__":
    main()
