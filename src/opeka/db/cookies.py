"""Tables of cookie-consent events and first-party analytics."""
