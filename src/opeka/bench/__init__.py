"""``make bench``: the figures the issues name, measured side by side in one run."""
