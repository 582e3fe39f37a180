"""The CLI and the composition roots that decide where each piece runs."""
