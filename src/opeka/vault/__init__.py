"""Encrypted personal data: per-subject keys, field ciphertexts, blind indexes, crypto-shredding."""
