"""Data-subject requests: deadlines on the Russian production calendar."""
