"""Which HTCDS 2.0 column carries which nrm field: the one mapping that export, import, the
conformance test and the data dictionary share.

One row per case, as in IOM's Excel toolkit. A case's trafficking events (hte_), outgoing
referrals (cas_) and support plans (spl_) follow as groups of columns that repeat, one group per
event, referral or plan, each column under its own HTCDS name: every cell holds one value, so
each picklist cell stays a single value name. docs/data-dictionary.md explains the choices.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from functools import cache

from django.db import models

from nrm.assistance.choices import SupportPlanType
from nrm.interchange.htcds.standard import htcds_fields
from nrm.registry.choices import (
    CaseStatus,
    EventStage,
    ExploitationType,
    LabourIndustry,
    MeansOfControl,
    RecruiterRelationship,
    RecruitmentMethod,
    Sex,
    SexualExploitationType,
)


class Kind(enum.Enum):
    TEXT = "text"
    PICKLIST = "picklist"
    MULTI = "multi"  # a multi-select picklist: value names joined with ";"
    DATE = "date"  # YYYY-MM-DD, or YYYY-MM / YYYY when only that much is known
    DAY = "day"  # a whole date, YYYY-MM-DD, that has come
    PLANNED_DAY = "planned_day"  # a whole date that may lie ahead, as far as a plan may
    CHECKBOX = "checkbox"
    NUMBER = "number"
    COUNTRY = "country"  # ISO 3166-1 alpha-2
    COUNTRIES = "countries"  # several, joined with ";"
    REGION = "region"  # ISO 3166-2
    LANGUAGE = "language"  # ISO 639


@dataclass(frozen=True)
class Column:
    """One HTCDS column as nrm writes and reads it."""

    name: str
    kind: Kind
    # Identifying, or internal to the owning organisation: exported only to those who see the
    # persons' identity and ask for it.
    identity: bool = False
    # nrm's choices for a picklist; without them, the standard's value names.
    choices: type[models.TextChoices] | None = None
    # False for what nrm derives (vic_AgeWhenTrafficked) or what says whose file it is (org_).
    imported: bool = True
    max_length: int = 2000

    def value_names(self) -> tuple[str, ...]:
        """The value names a picklist cell may hold on import."""
        if self.choices is not None:
            return tuple(self.choices.values)
        return htcds_fields()[self.name].value_names


C = Column
# Whose file it is: the organisation that owns the case.
ORGANISATION_COLUMNS = (
    C("org_Name", Kind.TEXT, imported=False),
    C("org_Type", Kind.PICKLIST, imported=False),
    C("org_ShippingCountry", Kind.COUNTRY, imported=False),
    C("org_ShippingState", Kind.REGION, imported=False),
    C("org_ShippingCity", Kind.TEXT, imported=False),
)
PERSON_COLUMNS = (
    C("cas_CaseOwner", Kind.TEXT, identity=True, max_length=150),
    C("prs_FirstName", Kind.TEXT, identity=True, max_length=200),
    C("prs_MiddleName", Kind.TEXT, identity=True, max_length=200),
    C("prs_SecondName", Kind.TEXT, identity=True, max_length=200),
    C("con_Consent", Kind.CHECKBOX),
    C("prs_Birthdate", Kind.DATE, identity=True),
    C("prs_Gender", Kind.PICKLIST, choices=Sex),
    C("prs_Citizenship", Kind.COUNTRIES),
    C("prs_PrimaryLanguage", Kind.LANGUAGE),
    C("prs_SecondaryLanguage", Kind.LANGUAGE),
    C("prs_IdentityNumber", Kind.TEXT, identity=True, max_length=100),
    C("prs_MobilePhone", Kind.TEXT, identity=True, max_length=100),
    C("prs_HomePhone", Kind.TEXT, identity=True, max_length=100),
    C("prs_MailingStreet", Kind.TEXT, identity=True, max_length=500),
)
# Read on import and folded into the address, with prs_MailingStreet; nrm keeps an address as
# one text, so its export writes it whole in prs_MailingStreet.
ADDRESS_PARTS = (
    C("prs_MailingCity", Kind.TEXT, identity=True, max_length=200),
    C("prs_MailingState", Kind.TEXT, identity=True, max_length=200),
    C("prs_MailingPostalCode", Kind.TEXT, identity=True, max_length=40),
    C("prs_MailingCountry", Kind.TEXT, identity=True, max_length=100),
)
VICTIM_COLUMNS = (
    C("vic_TraffickingStatus", Kind.PICKLIST),
    C("vic_TraffickingStatusDecisionMakingOrg", Kind.PICKLIST),
    C("vic_AgeWhenTrafficked", Kind.NUMBER, imported=False),
    C("vic_RelationshipToTrafficker", Kind.PICKLIST, choices=RecruiterRelationship),
    C("vic_MethodOfRecruitment", Kind.MULTI, choices=RecruitmentMethod),
    C("vic_MethodsOfControl", Kind.MULTI, choices=MeansOfControl),
    C("vic_TypeOfExploitation", Kind.MULTI, choices=ExploitationType),
    C("vic_ForcedLabourIndustry", Kind.PICKLIST, choices=LabourIndustry),
    C("vic_TypeOfSexExploitation", Kind.MULTI, choices=SexualExploitationType),
)
CASE_COLUMNS = (
    C("cas_Status", Kind.PICKLIST, choices=CaseStatus),
    C("cas_ReasonForCaseClosure", Kind.TEXT),
)
# Referrals (the referrals app) say what the owning organisation did with the case: exported, not
# imported (a referral is sent from the case page, through its consent gate). The referral that
# brought the case here from another deployment (its exchange package) …
INCOMING_REFERRAL_COLUMNS = (
    C("cas_ReferringOrganisation", Kind.TEXT, imported=False),
    C("cas_IncomingReferralDate", Kind.DATE, imported=False),
    C("cas_ReasonForIncomingReferral", Kind.PICKLIST, imported=False),
    C("cas_IncomingReferralDetails", Kind.TEXT, identity=True, imported=False),
)
# … and the referrals it sent, one group each ("there may be multiple referred organisations").
OUTGOING_REFERRAL_COLUMNS = (
    C("cas_ReferredOrganisation", Kind.TEXT, imported=False),
    C("cas_OutgoingReferralDate", Kind.DATE, imported=False),
    C("cas_ReasonForOutgoingReferral", Kind.PICKLIST, imported=False),
    C("cas_OutgoingReferralDetails", Kind.TEXT, identity=True, imported=False),
)
# One group per trafficking event, repeated as often as the case with most events needs.
EVENT_COLUMNS = (
    C("hte_Type", Kind.PICKLIST, choices=EventStage),
    C("hte_Country", Kind.COUNTRY),
    C("hte_State", Kind.REGION),
    C("hte_City", Kind.TEXT, max_length=100),
    C("hte_Date", Kind.DATE),
    C("hte_Description", Kind.TEXT, identity=True),
)
# One group per support plan (the assistance app), for the case's own organisation only: a
# coordinator sees assistance as figures, never as records (nrm.assistance.access). Objectives
# and the action plan are free text about the person's life (encrypted in nrm): identity.
SUPPORT_PLAN_COLUMNS = (
    C("spl_Type", Kind.PICKLIST, choices=SupportPlanType),
    C("spl_Objectives", Kind.TEXT, identity=True, max_length=4000),
    C("spl_ActionPlan", Kind.TEXT, identity=True, max_length=8000),
    C("spl_PlannedEndDate", Kind.PLANNED_DAY),
    C("spl_ActualEndDate", Kind.DAY),
)

ROW_COLUMNS = (ORGANISATION_COLUMNS + PERSON_COLUMNS + VICTIM_COLUMNS + CASE_COLUMNS
               + INCOMING_REFERRAL_COLUMNS)
COLUMNS = {column.name: column for column in
           ROW_COLUMNS + ADDRESS_PARTS + OUTGOING_REFERRAL_COLUMNS + EVENT_COLUMNS
           + SUPPORT_PLAN_COLUMNS}
EVENT_NAMES = frozenset(column.name for column in EVENT_COLUMNS)
SUPPORT_PLAN_NAMES = frozenset(column.name for column in SUPPORT_PLAN_COLUMNS)
OUTGOING_REFERRAL_NAMES = frozenset(column.name for column in OUTGOING_REFERRAL_COLUMNS)
REFERRAL_NAMES = OUTGOING_REFERRAL_NAMES | {column.name for column in INCOMING_REFERRAL_COLUMNS}
# Columns that repeat, one group per event, referral or support plan.
REPEATED_NAMES = EVENT_NAMES | OUTGOING_REFERRAL_NAMES | SUPPORT_PLAN_NAMES

# nrm's values that HTCDS does not have, and the value name an export gives them instead.
EXPORTED_AS: dict[tuple[str, str], str] = {
    # Forced criminality is missing from HTCDS 2.0 (HTCDS issue #28).
    ("vic_TypeOfExploitation", ExploitationType.FORCED_CRIMINALITY): ExploitationType.OTHER,
}

# Headers that real files spell otherwise, and the field they mean. IOM's own Excel toolkit
# drops a "g" from one of them.
MISSPELT = {
    "vic_TraffickinStatusDecisionMakingOrg": "vic_TraffickingStatusDecisionMakingOrg",
}

def header_key(text: str) -> str:
    """A header or value reduced to its letters and digits, case folded: "Forced labour",
    "forced-labour" and "ForcedLabour" meet."""
    return re.sub(r"[\W_]+", "", text.casefold())


@cache
def columns_by_header() -> dict[str, str]:
    """Every header nrm reads, keyed by `header_key`: the field names of the standard (those nrm
    does not keep too, so that it can say it ignores them) and the known misspellings."""
    known = {header_key(name): name for name in htcds_fields()}
    known.update({header_key(wrong): right for wrong, right in MISSPELT.items()})
    return known


@cache
def columns_by_label() -> dict[str, str]:
    """The standard's field labels that name one field only, keyed by `header_key`, for a column
    whose name cell is empty or a file that has labels only."""
    seen: dict[str, set[str]] = {}
    for field in htcds_fields().values():
        seen.setdefault(header_key(field.label), set()).add(field.name)
    return {label: next(iter(names)) for label, names in seen.items() if len(names) == 1}


@cache
def all_label_keys() -> frozenset[str]:
    """Every field label of the standard, keyed by `header_key`, to tell a row of labels."""
    return frozenset(header_key(field.label) for field in htcds_fields().values())
