"""Pure data shared between services: event payloads and the UserDirectory interface."""
