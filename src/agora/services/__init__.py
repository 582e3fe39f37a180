"""The domain services. They never import each other; they meet through `agora.contracts`."""
