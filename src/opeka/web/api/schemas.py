"""Request and response bodies of the REST API (pydantic), with examples.

Responses carry ids, statuses and dates — personal data only in :class:`SubjectValues`, the
answer of a read. Field codes, categories and purposes are the policy's; the routes check them
against the loaded policy (an unknown code is refused without being repeated back).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    IPvAnyAddress,
    JsonValue,
    StringConstraints,
    model_validator,
)

from opeka.requests.kinds import RequestKind

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
PurposeId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.]{1,64}$")]
Value = Annotated[str, StringConstraints(min_length=1, max_length=1000)]
Note = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Values = Annotated[dict[str, Value], Field(min_length=1, max_length=40)]
DocumentId = Annotated[
    str, StringConstraints(pattern=r"^consent:[a-z0-9][a-z0-9_.]{0,47}:[a-z][a-z0-9_]{0,31}$")
]
Version = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.+-]{1,64}$")]

_CLIENT: dict[str, JsonValue] = {
    "last_name": "Тестова",
    "first_name": "Анна",
    "organization": "ООО «Пример»",
    "email": "anna@example.org",
}


class Strict(BaseModel):
    """A request body that refuses unknown members."""

    model_config = ConfigDict(extra="forbid")


class EvidenceIn(Strict):
    """How the subject gave consent on the operator's site (IP truncated, user agent hashed)."""

    form_id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:/ -]{1,100}$")] | None = None
    ip: IPvAnyAddress | None = None
    user_agent: Annotated[str, StringConstraints(max_length=1000)] | None = None


class ConsentIn(Strict):
    """The consent document version the subject accepted."""

    document_id: DocumentId
    version: Version
    evidence: EvidenceIn | None = None


class CollectIn(Strict):
    """A new subject: category, values by field code, source; consent if the purpose needs it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"category": "client", "values": _CLIENT, "source": "форма заказа"}]
        }
    )

    category: Code
    values: Values
    source: Note
    consent: ConsentIn | None = None


class Collected(BaseModel):
    """The new subject's pseudonymous id (and its consent record, if one was given)."""

    id: uuid.UUID
    consent_record_id: uuid.UUID | None = None


class SubjectValues(BaseModel):
    """The values read (only fields the purpose may use and the subject has)."""

    id: uuid.UUID
    values: dict[str, str]


class UpdateIn(Strict):
    """Rectified values (уточнение) and why."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"values": {"position": "главный инженер"}, "reason": "письмо клиента"}]
        }
    )

    values: Values
    reason: Note


class Updated(BaseModel):
    """Which fields were rectified."""

    id: uuid.UUID
    updated: list[str]


class SearchIn(Strict):
    """Exactly one of an e-mail or a phone (in the body: never in the URL)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"email": "anna@example.org"}]})

    email: Annotated[str, StringConstraints(min_length=3, max_length=254)] | None = None
    phone: Annotated[str, StringConstraints(min_length=3, max_length=64)] | None = None

    @model_validator(mode="after")
    def exactly_one(self) -> SearchIn:
        """Give exactly one of ``email``, ``phone``."""
        if (self.email is None) == (self.phone is None):
            raise ValueError("give exactly one of email, phone")
        return self


class Found(BaseModel):
    """Ids of the subjects found that the purpose may process."""

    ids: list[uuid.UUID]


class BlockIn(Strict):
    """Why the subject is blocked."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "требование субъекта о блокировании"}]}
    )

    reason: Note


class Blocked(BaseModel):
    """The subject's status after blocking."""

    id: uuid.UUID
    status: Literal["blocked"]


class GiveIn(Strict):
    """A consent to one published version of one consent document."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "document_id": "consent:2.2.8:client",
                    "version": "2026.1+1a2b3c4d",
                    "language": "ru",
                }
            ]
        }
    )

    document_id: DocumentId
    version: Version
    evidence: EvidenceIn | None = None
    language: Literal["ru", "en"] = "ru"


class Given(BaseModel):
    """The consent record made."""

    record_id: uuid.UUID
    purpose: str
    document_id: str
    document_version: str


class WithdrawIn(Strict):
    """Purposes whose consent is withdrawn, or ``"all"`` (consent to processing as a whole)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"purposes": ["2.2.8"]}]})

    purposes: Annotated[list[PurposeId], Field(min_length=1, max_length=20)] | Literal["all"]


class Withdrawn(BaseModel):
    """What the withdrawal did; with no basis left, the block and the destruction request.

    ``blocked`` says whether *this* call blocked the subject and registered the request (a
    repeated withdrawal of a subject already blocked registers nothing new).
    """

    withdrawn: list[str]
    remaining_basis: bool
    blocked: bool
    request_id: uuid.UUID | None = None
    request_number: str | None = None
    destruction_due: dt.date | None = None


class ConsentEvent(BaseModel):
    """One consent record (given or withdrawn)."""

    record_id: uuid.UUID
    event: Literal["given", "withdrawn"]
    purpose: str
    document_id: str | None
    document_version: str | None
    channel: str
    recorded_at: dt.datetime


class ConsentHistory(BaseModel):
    """A subject's consent records, oldest first."""

    subject_id: uuid.UUID
    records: list[ConsentEvent]


Receipt = dict[str, Any]


class OpenRequestIn(Strict):
    """A data-subject request received through the API (now)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"kind": "access", "subject_id": None, "purposes": []}]}
    )

    kind: RequestKind
    subject_id: uuid.UUID | None = None
    purposes: Annotated[list[PurposeId], Field(max_length=20)] = []


class RequestStatus(BaseModel):
    """A request's status and deadline."""

    id: uuid.UUID
    number: str
    kind: str
    channel: str
    status: str
    subject_id: uuid.UUID | None
    received_at: dt.datetime
    due_date: dt.date
    effective_due: dt.date
    closed_at: dt.datetime | None


MODELS: tuple[type[BaseModel], ...] = (
    CollectIn,
    UpdateIn,
    SearchIn,
    BlockIn,
    GiveIn,
    WithdrawIn,
    OpenRequestIn,
)
"""The request bodies (their member names may appear in validation errors)."""
