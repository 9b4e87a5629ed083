"""Opeka: the personal-data system that keeps a Russian operator's privacy-policy promises.

The public entry point for code is :class:`opeka.app.Opeka`, the composition root that wires the
policy, the vault, the journal and the database, and opens processing contexts::

    from opeka.app import Opeka
    from opeka.processing import Actor

    opeka = Opeka.from_settings(settings)
    with opeka.processing(Actor.staff("ivanova"), purpose="2.2.7") as p:
        subject_id = p.collect(category="client", values={...}, source="contract 12/2026")
"""

__version__ = "0.1.0"
