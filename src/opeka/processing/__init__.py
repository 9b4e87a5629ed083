"""The spine: every operation on personal data is authorized, applied and journaled here."""

from opeka.processing.actor import Actor
from opeka.processing.service import ConsentEvidence, DestructionResult, Processing

__all__ = ["Actor", "ConsentEvidence", "DestructionResult", "Processing"]
