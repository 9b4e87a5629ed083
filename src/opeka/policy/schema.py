"""The shape of a policy file (``policies/*.yaml``), validated with pydantic.

A policy declares what the operator promises: which fields each subject category has, which
purposes may use which fields on which legal basis, to whom data may go, which cookies are set,
and how fast the operator acts on the subject's rights. Everything else in Opeka asks this model.

Cross-references (a purpose naming an undeclared field, say) are not checked here but by
:mod:`opeka.policy.lint`, which reports every problem with its line in the file; the schema only
checks each object's own shape.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=48)]
PurposeId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.]*$", max_length=48)]
Clause = Annotated[str, StringConstraints(min_length=1, max_length=120)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class Model(BaseModel):
    """Base for policy objects: immutable, unknown keys refused (a typo is an error)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(Model):
    """A text shown to people: Russian first, English second."""

    ru: str = Field(min_length=1)
    en: str = Field(min_length=1)


class FieldKind(StrEnum):
    """How a field's value is validated and normalised."""

    TEXT = "text"
    PERSON_NAME = "person_name"
    EMAIL = "email"
    PHONE = "phone"
    DATE = "date"
    ADDRESS = "address"
    COUNTRY = "country"
    CARD_TOKEN = "card_token"  # noqa: S105  (a field kind, not a secret)
    CARD_LAST4 = "card_last4"
    DOCUMENT_NUMBER = "document_number"


class BlindIndexKind(StrEnum):
    """Lookup indexes a field feeds (normalised value → truncated HMAC)."""

    EMAIL = "email"
    PHONE = "phone"


class FieldSpec(Model):
    """One kind of personal data the operator holds (e.g. ``email``)."""

    title: Text
    data_category: str = Field(pattern=r"^[a-z_]+(\.[a-z_]+)*$")
    kind: FieldKind
    clause: Clause
    index: BlindIndexKind | None = None
    max_length: int = Field(default=200, ge=1, le=4000)
    note: Text | None = None


class CategoryField(Model):
    """A field as it belongs to one subject category, with its mandatory mark (policy 1.1.1)."""

    field: Code
    mandatory: bool = False


class SubjectCategory(Model):
    """A category of data subjects (policy 1.1.2–1.1.4) and exactly its fields."""

    title: Text
    clause: Clause
    fideslang_subject: str
    fields: list[CategoryField] = Field(min_length=1)


class LegalBasis(Model):
    """A legal ground for processing (152-FZ art. 6 p. 1)."""

    title: Text
    article: str = Field(min_length=1)
    requires_consent: bool = False


class Retention(Model):
    """How long data used for a purpose is kept, and what happens after."""

    rule: Text
    destroy_within_days: int = Field(ge=0, le=30)


class Purpose(Model):
    """A purpose of processing (policy 2.2.x, or a statutory duty of the operator)."""

    title: Text
    clause: Clause
    basis: Code
    fields: list[Code] = Field(min_length=1)
    subject_categories: list[Code] = Field(min_length=1)
    data_use: str
    statutory: bool = False
    allowed_when_blocked: bool = False
    transfer_to: list[Code] = Field(default_factory=list)
    retention: Retention


class RecipientClass(Model):
    """A class of third parties data may be transferred to (policy 3.2.1)."""

    title: Text
    clause: Clause
    purpose: PurposeId
    countries: list[CountryCode] = Field(min_length=1)
    requires_consent: bool = True


class CrossBorder(Model):
    """Cross-border transfer (policy 3.3): forbidden means only ``allowed_countries`` receive."""

    allowed: bool
    allowed_countries: list[CountryCode] = Field(min_length=1)
    clause: Clause


class Processors(Model):
    """Processors acting on the operator's instruction (policy 1.3)."""

    used: bool
    clause: Clause
    names: list[str] = Field(default_factory=list)


class AutomatedDecisions(Model):
    """Decisions based solely on automated processing (policy 1.2)."""

    used: bool
    clause: Clause


class CookieKind(Model):
    """A kind of cookie the sites set (policy 6.2–6.5)."""

    title: Text
    clause: Clause
    description: Text
    always_on: bool = False
    expiry_days: int = Field(ge=0, le=396)


class Deadline(Model):
    """The operator's term for one duty; the law's maximum is in :mod:`opeka.policy.law`."""

    days: int = Field(ge=0)
    unit: str = Field(pattern=r"^(working|calendar)$")
    clause: Clause


class Permission(StrEnum):
    """What a staff role may do in the console and the API, besides processing for a purpose."""

    SUBJECTS_SEARCH = "subjects.search"
    SUBJECTS_UNMASK = "subjects.unmask"
    SUBJECTS_EDIT = "subjects.edit"
    SUBJECTS_BLOCK = "subjects.block"
    SUBJECTS_DESTROY = "subjects.destroy"
    REQUESTS_READ = "requests.read"
    REQUESTS_MANAGE = "requests.manage"
    CONSENTS_READ = "consents.read"
    JOURNAL_READ = "journal.read"
    JOURNAL_VERIFY = "journal.verify"
    DOCUMENTS_READ = "documents.read"
    ANALYTICS_READ = "analytics.read"
    STAFF_MANAGE = "staff.manage"
    APIKEYS_MANAGE = "apikeys.manage"


class Role(Model):
    """A staff role: what it may do, for which purposes, and which fields it may unmask."""

    title: Text
    permissions: list[Permission] = Field(default_factory=list)
    purposes: list[PurposeId] = Field(default_factory=list)
    unmask_fields: list[Code] = Field(default_factory=list)


class Operator(Model):
    """The operator: who is responsible for the processing."""

    name: str = Field(min_length=1)
    short_name: str = Field(min_length=1)
    address: str | None = None
    sites: list[str] = Field(min_length=1)
    contact_email: EmailStr
    information_system: str = Field(min_length=1)


class IndexSettings(Model):
    """Blind-index sizing: the expected number of subjects sets the digest width."""

    expected_population: int = Field(default=1_000_000, ge=100, le=10**10)


class Policy(Model):
    """A whole policy file."""

    version: str = Field(min_length=1)
    effective_date: dt.date
    language: str = "ru"
    operator: Operator
    fields: dict[Code, FieldSpec] = Field(min_length=1)
    subject_categories: dict[Code, SubjectCategory] = Field(min_length=1)
    legal_bases: dict[Code, LegalBasis] = Field(min_length=1)
    purposes: dict[PurposeId, Purpose] = Field(min_length=1)
    recipients: dict[Code, RecipientClass] = Field(default_factory=dict)
    cross_border: CrossBorder
    processors: Processors
    automated_decisions: AutomatedDecisions
    cookies: dict[Code, CookieKind] = Field(min_length=1)
    deadlines: dict[Code, Deadline] = Field(default_factory=dict)
    roles: dict[Code, Role] = Field(default_factory=dict)
    index: IndexSettings = IndexSettings()
