"""Tables of data-subject requests, their events and the destruction acts."""
