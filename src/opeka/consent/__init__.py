"""Consents: the legal basis of the consent-based purposes, given and withdrawn per purpose."""
