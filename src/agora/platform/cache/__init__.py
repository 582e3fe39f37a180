"""The cache port: bytes by key with a TTL, in process (LRU) or in Redis. A cache may lose anything
at any time; it never owns data (counts, feeds and lists are always rebuildable from a database)."""

from agora.platform.cache.base import Cache, get_json, set_json

__all__ = ["Cache", "get_json", "set_json"]
