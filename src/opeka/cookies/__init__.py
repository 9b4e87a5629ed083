"""Cookies: the consent banner, consent events, GPC, first-party analytics."""
