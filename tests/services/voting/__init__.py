"""Tests of the voting service, through the gateway, on SQLite and PostgreSQL."""
