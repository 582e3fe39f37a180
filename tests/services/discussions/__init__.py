"""Tests of the discussions service."""
