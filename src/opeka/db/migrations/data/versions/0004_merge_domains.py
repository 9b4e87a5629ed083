"""Merge the domain branches (auth, consent, cookies, requests) into one history.

Revision ID: 0004_merge
Revises: 0003_auth, 0003_consent, 0003_cookies, 0003_requests
Create Date: 2026-11-24 23:50:00
"""

from __future__ import annotations

revision = "0004_merge"
down_revision = ("0003_auth", "0003_consent", "0003_cookies", "0003_requests")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the branches touch different tables."""


def downgrade() -> None:
    """Nothing to change."""
