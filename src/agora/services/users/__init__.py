"""The users service: accounts, tokens, profiles, roles, follows and notification preferences."""
