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
from agora.platform.realtime.channel import Channel, CloseSocket, position_from_query, serve_channel
from agora.platform.realtime.recovery import Recovery, subscribe_from

__all__ = [
    "Channel",
    "CloseSocket",
    "HistoryPage",
    "Hub",
    "Publication",
    "Recovery",
    "StreamPosition",
    "Subscription",
    "position_from_query",
    "serve_channel",
    "subscribe_from",
]
