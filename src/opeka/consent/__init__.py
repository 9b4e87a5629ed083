"""Consents: documents, records, receipts and withdrawal — the basis of consent-based purposes.

- :mod:`~opeka.consent.documents` renders one consent document per consent-based purpose and
  subject category (156-FZ: separate from any other document), :mod:`~opeka.consent.registry`
  publishes their versions and says who must consent again after a material change;
- :mod:`~opeka.consent.records` gives consent and :mod:`~opeka.consent.withdrawal` withdraws it:
  an append-only record (:mod:`~opeka.consent.store`), the grant the spine authorizes with
  (:mod:`~opeka.consent.grants`) and a journal entry, in one transaction;
- :mod:`~opeka.consent.receipts` issues and verifies Ed25519-signed receipts (ISO/IEC TS 27560
  fields) with the key of :mod:`~opeka.consent.signing`.
"""
