"""Agora: one platform for book clubs, writing competitions, music reviews, timelines and live
sports."""

__version__ = "0.1.0"
