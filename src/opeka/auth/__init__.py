"""Authentication: staff (console), API clients (REST), and subjects' portal accounts.

Modules: ``passwords`` (argon2id, policy), ``keys`` (keys derived from the master key),
``ratelimit`` (database counters shared by every process), ``cookie`` (the encrypted auth
cookie of policy 6.3), ``sessions`` (server-side sessions), ``attempts`` (one sign-in: limits,
lockout), ``staff``, ``apikeys``, ``accounts``, ``reset``, ``maintenance`` (purging), ``errors``.
``context.Auth`` wires them; build it once with ``Auth.from_opeka(opeka)``.
"""
