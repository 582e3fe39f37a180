"""The competitions service: literary competitions, entries, likes, threaded comments,
subscriptions and results."""
