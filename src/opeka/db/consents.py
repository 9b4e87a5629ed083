"""Tables of consent documents, consent records and receipts."""
