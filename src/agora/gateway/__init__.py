"""The API gateway: one route table, dispatching to the owning service."""
