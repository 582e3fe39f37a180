"""`python -m agora.entrypoints` is the `agora` command."""

from agora.entrypoints.cli import main

main()
