"""Tests of how the gateway serves the web UI's files."""
