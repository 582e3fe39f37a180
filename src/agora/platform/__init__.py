"""The platform kit: everything a service needs that is not about its domain."""
