"""Browser tests: the web UI in headless Chromium, two people in two browser contexts."""
