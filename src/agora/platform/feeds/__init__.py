"""The feed store port: per-feed sorted sets of item ids, newest first, capped (home timelines).
In process, or in Redis shared by every replica. A feed is a cache: it may vanish at any time and is
rebuilt from a database."""

from agora.platform.feeds.base import FeedStore, FeedStoreUnavailable
from agora.platform.feeds.memory import MemoryFeedStore

__all__ = ["FeedStore", "FeedStoreUnavailable", "MemoryFeedStore"]
