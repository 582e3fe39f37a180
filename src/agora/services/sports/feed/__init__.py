"""The demo feed: plays football, basketball, tennis and ice hockey games in real time (scaled by
`sports_feed_speed`) so a newcomer sees scores move. `plans` says how each sport's games go,
`runner` plays them through the service; `jobs.make_feed` builds the production feed."""

from agora.services.sports.feed.plans import SPORTS, Planned, Sport
from agora.services.sports.feed.runner import FEED, SportsFeed

__all__ = ["FEED", "SPORTS", "Planned", "Sport", "SportsFeed"]
