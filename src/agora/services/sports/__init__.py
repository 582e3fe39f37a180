"""The sports service: categories, games and their live events, analytics, team follows, and a
demo feed that plays games in real time."""
