"""Merge the API (idempotency) and documents (acts, downloads) branches.

Revision ID: 0007_merge
Revises: 0005_api, 0006_documents
Create Date: 2026-11-25 01:00:00
"""

from __future__ import annotations

revision = "0007_merge"
down_revision = ("0005_api", "0006_documents")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the branches touch different tables."""


def downgrade() -> None:
    """Nothing to change."""
