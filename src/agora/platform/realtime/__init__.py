"""Real-time fan-out: channels with bounded history, offsets and an epoch; live subscriptions;
presence; recovery of what a reconnecting client missed. In process, or over Redis for many
instances."""

from agora.platform.realtime.base import (
    HistoryPage,
    Hub,
    Publication,
    StreamPosition,
    Subscription,
)
from agora.platform.realtime.recovery import Recovery, subscribe_from

__all__ = [
    "HistoryPage",
    "Hub",
    "Publication",
    "Recovery",
    "StreamPosition",
    "Subscription",
    "subscribe_from",
]
