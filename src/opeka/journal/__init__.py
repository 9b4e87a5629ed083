"""The journal: an append-only, hash-chained event log with RFC 9162 Merkle checkpoints."""
