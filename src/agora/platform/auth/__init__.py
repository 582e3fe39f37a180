"""Passwords, tokens and the request's principal."""
