"""gRPC between services: the `UserDirectory` server adapter and client (generated code in
`generated/`, from `agora/contracts/proto/`; regenerate with `make proto`)."""
