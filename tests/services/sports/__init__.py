"""Tests of the sports service."""
