"""The served process's heap once it has started.

Everything a process builds while starting (the apps and their routes, SQLAlchemy's mappers and
compiled statements, pydantic's validators, the demo content) lives as long as the process: about
300,000 objects the cyclic garbage collector tracks. Each full collection walks all of them, about
a quarter of a second of CPU on this project's machines, during which the event loop answers
nothing. Freezing them once startup is done (`gc.freeze`, the standard library's answer for
long-lived heaps) takes them out of every later collection; what requests allocate is collected
as before (docs/decisions/0043).
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    """Collect what startup left behind, then exempt every surviving object from later
    collections. Call once, when the process is ready to serve."""
    gc.collect()
    gc.freeze()
