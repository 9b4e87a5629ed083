"""Tables of authentication: staff users, API clients, portal accounts, sessions, rate limits."""
