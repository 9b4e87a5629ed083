"""Errors of the processing spine (policy refusals are in :mod:`opeka.policy.errors`).

ProcessingError
└── SubjectNotFound     no subject with this id
"""

from __future__ import annotations


class ProcessingError(Exception):
    """Base of the spine's own errors."""


class SubjectNotFound(ProcessingError):
    """No subject has this id."""
