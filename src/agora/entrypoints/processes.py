"""What every launcher does with the processes it starts (cluster children, collectors, HA
engines): run one with its output in a log file, tell whether it lives, signal it, and stop it,
killing it when it does not stop in time."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path
from typing import IO, Any


class Supervised:
    """A process a launcher started. Subclasses are dataclasses that declare `log_path`, `proc`
    and `_log` and start the process with `_spawn`."""

    log_path: Path
    proc: subprocess.Popen[bytes] | None
    _log: IO[bytes] | None

    def _spawn(self, argv: list[str], **popen: Any) -> None:
        self._log = self.log_path.open("ab")
        # Its own session: a Ctrl-C reaches the launcher, which stops its processes in order.
        self.proc = subprocess.Popen(  # noqa: S603 - programs and arguments the launchers built
            argv, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True, **popen
        )

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal(self, signum: int) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signum)

    def wait(self, grace: float) -> None:
        """Wait for the process to end, kill it after `grace` seconds, and close its log."""
        if self.proc is not None:
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def stop(self, grace: float = 10.0) -> None:
        self.signal(signal.SIGTERM)
        self.wait(grace)
