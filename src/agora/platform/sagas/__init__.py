"""Sagas: durable, checkpointed workflows behind a port (DBOS Transact underneath)."""

from agora.platform.sagas.engine import (
    SagaEngine,
    SagaEngineBusy,
    SagaInfo,
    sleep,
    step,
    wait_message,
)

__all__ = [
    "SagaEngine",
    "SagaEngineBusy",
    "SagaInfo",
    "sleep",
    "step",
    "wait_message",
]
