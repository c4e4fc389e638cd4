"""What a package carries, both ways: a referral's shared snapshot (referrals.sharing) and its
return journey (assistance) as the HTCDS-named payload, and the payload back as the values that
referrals and assistance take. No database writes here and no permission checks: the services
call these once they have decided what may travel."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from nrm.assistance.choices import Escort
from nrm.assistance.inputs import ReturnJourneyInput, TravelDocumentInput
from nrm.assistance.models import ReturnJourney
from nrm.core.dates import DatePrecision, parse_partial_date
from nrm.directory.models import Organisation
from nrm.interchange.exchange.envelope import timestamp
from nrm.interchange.exchange.schema import (
    DOCUMENT_VALUE_NAMES,
    ENTRY_POINT_VALUE_NAMES,
    ESCORT_VALUE_NAMES,
    EVENT_DESCRIPTIONS,
    ORGANISATION_KIND_VALUE_NAMES,
    SCHEMA_VERSION,
    SERVICE_CODES,
    SERVICE_VALUE_NAMES,
    TRAVEL_DOCUMENT_STATUS_VALUE_NAMES,
    TRAVEL_DOCUMENT_VALUE_NAMES,
    URGENCY_VALUE_NAMES,
    ExchangePayload,
    ExchangePerson,
    ExchangeReturnJourney,
)
from nrm.interchange.htcds.export import referral_reason
from nrm.referrals import sharing
from nrm.referrals.models import Referral
from nrm.registry.forms import DocumentKind

# Each field a referrer may share (referrals.sharing) and the package fields that carry it.
SHARED_AS: dict[str, tuple[str, ...]] = {
    "sex": ("prs_Gender",),
    "age_band": ("prs_AgeBand",),
    "languages": ("prs_PrimaryLanguage", "prs_SecondaryLanguage", "prs_OtherLanguages"),
    "birth_year": ("prs_BirthYear",),
    "citizenships": ("prs_Citizenship",),
    "names": ("prs_FirstName", "prs_MiddleName", "prs_SecondName", "prs_LatinName"),
    "aliases": ("prs_Aliases",),
    "birth_date": ("prs_Birthdate", "prs_BirthdateEstimated"),
    "documents": ("prs_IdentityDocuments",),
    "phones": ("prs_MobilePhone", "prs_OtherPhones"),
    "addresses": ("prs_Addresses",),
    "entry_point": ("cas_EntryPoint",),
    "exploitation": ("vic_TypeOfExploitation", "vic_ForcedLabourIndustry",
                     "vic_TypeOfSexExploitation"),
    "means_of_control": ("vic_MethodsOfControl",),
    "recruitment": ("vic_MethodOfRecruitment", "vic_RelationshipToTrafficker"),
    "events": ("hte_Events",),
    "event_descriptions": (EVENT_DESCRIPTIONS,),
}


def _inverse(names: Mapping[str, str]) -> dict[str, str]:
    return {name: code for code, name in names.items()}


URGENCY_CODES = _inverse(URGENCY_VALUE_NAMES)
ENTRY_POINT_CODES = _inverse(ENTRY_POINT_VALUE_NAMES)
DOCUMENT_CODES = _inverse(DOCUMENT_VALUE_NAMES)
TRAVEL_DOCUMENT_CODES = _inverse(TRAVEL_DOCUMENT_VALUE_NAMES)
TRAVEL_DOCUMENT_STATUS_CODES = _inverse(TRAVEL_DOCUMENT_STATUS_VALUE_NAMES)
ESCORT_CODES = _inverse(ESCORT_VALUE_NAMES)


# --- dates -------------------------------------------------------------------------------------

def partial_date(value: str | None, precision: str) -> tuple[str, bool]:
    """nrm's date with its precision as a package's YYYY, YYYY-MM or YYYY-MM-DD, and whether
    it is an estimate (an estimated year travels as the year, flagged)."""
    if not value:
        return "", False
    day = dt.date.fromisoformat(str(value)[:10])
    if precision in (DatePrecision.YEAR, DatePrecision.ESTIMATED):
        return f"{day:%Y}", precision == DatePrecision.ESTIMATED
    if precision == DatePrecision.MONTH:
        return f"{day:%Y-%m}", False
    return day.isoformat(), False


def date_with_precision(value: str, *, estimated: bool = False) -> dict[str, str]:
    """A package's partial date as nrm keeps it: the first day of the period, and how much of
    it is known."""
    day, precision = parse_partial_date(value)
    if estimated and precision == DatePrecision.YEAR:
        precision = DatePrecision.ESTIMATED
    return {"value": day.isoformat(), "precision": str(precision)}


# --- sending: a referral as a package ----------------------------------------------------------

def shared_fields_as(codes: Iterable[str]) -> list[str]:
    """The package fields that carry the shared fields ``codes`` (ref_SharedFields)."""
    codes = list(codes)
    if "event_descriptions" in codes and "events" not in codes:
        codes.append("events")  # the descriptions travel in the events
    fields: dict[str, None] = {}
    for code in codes:
        fields.update(dict.fromkeys(SHARED_AS.get(code, ())))
    return list(fields)


def _languages_part(languages: list[str] | None) -> dict[str, Any]:
    languages = list(languages or [])
    return {"prs_PrimaryLanguage": languages[0] if languages else "",
            "prs_SecondaryLanguage": languages[1] if len(languages) > 1 else "",
            "prs_OtherLanguages": languages[2:]}


def _names_part(names: Mapping[str, str] | None) -> dict[str, Any]:
    names = names or {}
    return {"prs_FirstName": names.get("given_name", ""),
            "prs_MiddleName": names.get("patronymic", ""),
            "prs_SecondName": names.get("family_name", ""),
            "prs_LatinName": names.get("latin_name", "")}


def _birth_date_part(birth_date: Mapping[str, str] | None) -> dict[str, Any]:
    birth_date = birth_date or {}
    value, estimated = partial_date(birth_date.get("value"), birth_date.get("precision", ""))
    return {"prs_Birthdate": value, "prs_BirthdateEstimated": estimated}


def _document_part(document: Mapping[str, str]) -> dict[str, Any]:
    return {"doc_Type": DOCUMENT_VALUE_NAMES.get(document.get("kind", ""),
                                                 DOCUMENT_VALUE_NAMES[DocumentKind.OTHER]),
            "doc_Number": document.get("number", ""), "doc_Country": document.get("country", "")}


def _phones_part(phones: list[str] | None) -> dict[str, Any]:
    phones = list(phones or [])
    return {"prs_MobilePhone": phones[0] if phones else "", "prs_OtherPhones": phones[1:]}


def _exploitation_part(exploitation: Mapping[str, Any] | None) -> dict[str, Any]:
    exploitation = exploitation or {}
    return {"vic_TypeOfExploitation": list(exploitation.get("exploitation_types") or []),
            "vic_ForcedLabourIndustry": exploitation.get("labour_industry") or None,
            "vic_TypeOfSexExploitation": list(exploitation.get("sexual_exploitation_types")
                                              or [])}


def _recruitment_part(recruitment: Mapping[str, Any] | None) -> dict[str, Any]:
    recruitment = recruitment or {}
    return {"vic_MethodOfRecruitment": list(recruitment.get("recruitment_methods") or []),
            "vic_RelationshipToTrafficker": recruitment.get("recruiter_relationship") or None}


# Each shared field's value (as referrals.sharing keeps it) → its package fields.
_TO_PACKAGE: dict[str, Callable[[Any], dict[str, Any]]] = {
    "sex": lambda value: {"prs_Gender": value or None},
    "age_band": lambda value: {"prs_AgeBand": value or None},
    "languages": _languages_part,
    "birth_year": lambda value: {"prs_BirthYear": value},
    "citizenships": lambda value: {"prs_Citizenship": list(value or [])},
    "names": _names_part,
    "aliases": lambda value: {"prs_Aliases": list(value or [])},
    "birth_date": _birth_date_part,
    "documents": lambda value: {"prs_IdentityDocuments": [_document_part(document)
                                                          for document in value or []]},
    "phones": _phones_part,
    "addresses": lambda value: {"prs_Addresses": list(value or [])},
    "entry_point": lambda value: {"cas_EntryPoint": ENTRY_POINT_VALUE_NAMES.get(value)},
    "exploitation": _exploitation_part,
    "means_of_control": lambda value: {"vic_MethodsOfControl": list(value or [])},
    "recruitment": _recruitment_part,
    "events": lambda value: {"hte_Events": [_event_part(event) for event in value or []]},
}


def person_part(shared: Mapping[str, Any]) -> dict[str, Any]:
    """The package's person: the code, and each shared value under its HTCDS name."""
    person: dict[str, Any] = {"prs_Code": shared[sharing.ALWAYS]}
    for code, convert in _TO_PACKAGE.items():
        if code in shared:
            person.update(convert(shared[code]))
    return person


def _event_part(event: Mapping[str, Any]) -> dict[str, Any]:
    part = {"hte_Type": event.get("stage"), "hte_Country": event.get("country"),
            "hte_State": event.get("region", ""), "hte_City": event.get("city", ""),
            "hte_Date": partial_date(event.get("date"), event.get("date_precision", ""))[0]}
    if "description" in event:
        part[EVENT_DESCRIPTIONS] = event["description"]
    return part


def organisation_part(organisation: Organisation, ref: str) -> dict[str, Any]:
    """An organisation (HTCDS org_) under its id in the deployment it works in."""
    return {"org_Ref": ref, "org_Name": organisation.name, "org_Type": organisation.htcds_type,
            "org_Kind": ORGANISATION_KIND_VALUE_NAMES[organisation.kind],
            "org_ShippingCountry": organisation.country, "org_ShippingCity": organisation.city,
            "org_Phone": organisation.phone}


def journey_part(journey: ReturnJourney, *, receiving_ref: str | None) -> dict[str, Any]:
    """A planned return journey as the package's ret_ part; the receiving organisation only
    when it works in the recipient deployment (``receiving_ref``, its id there)."""
    part: dict[str, Any] = {
        "ret_TravelDate": journey.travel_on.isoformat(),
        "ret_DepartureCountry": journey.from_country, "ret_ArrivalCountry": journey.to_country,
        "ret_TravelDocuments": [
            {"doc_Type": TRAVEL_DOCUMENT_VALUE_NAMES[document["kind"]],
             "doc_Status": TRAVEL_DOCUMENT_STATUS_VALUE_NAMES[document["status"]]}
            for document in journey.travel_documents or []],
        "ret_Escort": ESCORT_VALUE_NAMES[journey.escort],
        "ret_EscortDetails": journey.escort_details,
    }
    if journey.receiving_organisation is not None and receiving_ref is not None:
        part["ret_ReceivingOrganisation"] = organisation_part(journey.receiving_organisation,
                                                              receiving_ref)
    return part


def referral_payload(*, referral: Referral, sender: str, recipient: str, receiver_ref: str,
                     journey: ReturnJourney | None, journey_receiver_ref: str | None,
                     package_id: uuid.UUID, created_at: dt.datetime,
                     expires_at: dt.datetime) -> dict[str, Any]:
    """A referral sent here as the payload of a package: exactly its shared snapshot, the
    agreement it relies on, and the return journey if one goes with it. Validated against the
    schema, so that this deployment never sends what a partner would refuse."""
    assert referral.from_organisation is not None  # noqa: S101  (a referral sent from here)
    agreement = referral.agreement
    sent_by = referral.sent_by
    payload = {
        "schema": SCHEMA_VERSION, "package_id": str(package_id), "sender": sender,
        "recipient": recipient, "created_at": timestamp(created_at),
        "expires_at": timestamp(expires_at),
        "referral": {
            "ref_Code": referral.code,
            "cas_ReferringOrganisation": organisation_part(referral.from_organisation,
                                                           str(referral.from_organisation.pk)),
            "cas_ReferringPrimaryCaseWorker": (sent_by.get_full_name() or sent_by.username
                                               if sent_by else ""),
            "cas_ReferredOrganisation": organisation_part(referral.to_organisation,
                                                          receiver_ref),
            "cas_OutgoingReferralDate": referral.sent_at.date().isoformat(),
            "cas_ReasonForOutgoingReferral": referral_reason(referral),
            "cas_OutgoingReferralDetails": referral.note,
            "ref_ServicesRequested": [SERVICE_VALUE_NAMES[code]
                                      for code in referral.services_requested],
            "ref_Urgency": URGENCY_VALUE_NAMES[referral.urgency],
            "ref_AccompanyingChildren": referral.accompanying_children,
            "ref_SharedFields": shared_fields_as(referral.shared_fields),
            "con_Consent": True,
            "ref_Agreement": None if agreement is None else {
                "agr_Title": agreement.title, "agr_Reference": agreement.reference,
                "agr_ValidFrom": agreement.valid_from.isoformat(),
                "agr_ValidUntil": (agreement.valid_until.isoformat()
                                   if agreement.valid_until else None)},
        },
        "person": person_part(referral.shared or {}),
        "return_journey": (None if journey is None
                           else journey_part(journey, receiving_ref=journey_receiver_ref)),
    }
    return ExchangePayload.model_validate(payload).as_json()


# --- receiving: a package as what referrals and assistance take --------------------------------

def _shared_codes(fields: Iterable[str]) -> set[str]:
    listed = set(fields)
    return {code for code, names in SHARED_AS.items() if listed.intersection(names)}


def _strings(values: Iterable[Any]) -> list[str]:
    return [str(value) for value in values]


def _birth_date_values(person: ExchangePerson) -> dict[str, str]:
    if not person.prs_Birthdate:
        return {"value": "", "precision": ""}
    return date_with_precision(person.prs_Birthdate, estimated=person.prs_BirthdateEstimated)


# Each shared field → its value as referrals.sharing keeps it, from the package's person.
_FROM_PACKAGE: dict[str, Callable[[ExchangePerson], Any]] = {
    "sex": lambda person: person.prs_Gender or "",
    "age_band": lambda person: person.prs_AgeBand or "",
    "languages": lambda person: [language for language in (
        person.prs_PrimaryLanguage, person.prs_SecondaryLanguage, *person.prs_OtherLanguages)
        if language],
    "birth_year": lambda person: person.prs_BirthYear,
    "citizenships": lambda person: list(person.prs_Citizenship),
    "names": lambda person: {"given_name": person.prs_FirstName,
                             "patronymic": person.prs_MiddleName,
                             "family_name": person.prs_SecondName,
                             "latin_name": person.prs_LatinName},
    "aliases": lambda person: list(person.prs_Aliases),
    "birth_date": _birth_date_values,
    "documents": lambda person: [
        {"kind": DOCUMENT_CODES[document.doc_Type], "number": document.doc_Number,
         "country": document.doc_Country} for document in person.prs_IdentityDocuments],
    "phones": lambda person: [phone for phone in (person.prs_MobilePhone,
                                                  *person.prs_OtherPhones) if phone],
    "addresses": lambda person: list(person.prs_Addresses),
    "entry_point": lambda person: (ENTRY_POINT_CODES[person.cas_EntryPoint]
                                   if person.cas_EntryPoint else ""),
    "exploitation": lambda person: {
        "exploitation_types": _strings(person.vic_TypeOfExploitation),
        "labour_industry": str(person.vic_ForcedLabourIndustry or ""),
        "sexual_exploitation_types": _strings(person.vic_TypeOfSexExploitation)},
    "means_of_control": lambda person: _strings(person.vic_MethodsOfControl),
    "recruitment": lambda person: {
        "recruitment_methods": _strings(person.vic_MethodOfRecruitment),
        "recruiter_relationship": str(person.vic_RelationshipToTrafficker or "")},
}


def shared_values(person: ExchangePerson, shared_fields: Iterable[str]) -> dict[str, Any]:
    """The package's person as the shared snapshot a referral keeps (referrals.sharing): the
    code, and each shared field in nrm's own shape."""
    codes = _shared_codes(shared_fields)
    values: dict[str, Any] = {sharing.ALWAYS: person.prs_Code}
    for code, read in _FROM_PACKAGE.items():
        if code in codes:
            values[code] = read(person)
    if "events" in codes or "event_descriptions" in codes:
        values["events"] = [_event_values(event, descriptions="event_descriptions" in codes)
                            for event in person.hte_Events]
    return values


def _event_values(event: Any, *, descriptions: bool) -> dict[str, Any]:
    when = date_with_precision(event.hte_Date) if event.hte_Date else {"value": "",
                                                                        "precision": ""}
    values = {"stage": str(event.hte_Type), "country": event.hte_Country,
              "region": event.hte_State, "city": event.hte_City, "date": when["value"],
              "date_precision": when["precision"]}
    if descriptions:
        values["description"] = event.hte_Description
    return values


def services_of(names: Iterable[str]) -> list[str]:
    """ref_ServicesRequested as codes of nrm's service taxonomy."""
    return [SERVICE_CODES[name] for name in names]


def journey_input(journey: ExchangeReturnJourney,
                  receiving_organisation_id: int | None = None) -> ReturnJourneyInput:
    """The package's ret_ part as the input of assistance's return journey services."""
    return ReturnJourneyInput(
        from_country=journey.ret_DepartureCountry, to_country=journey.ret_ArrivalCountry,
        travel_on=journey.ret_TravelDate,
        travel_documents=[TravelDocumentInput(kind=TRAVEL_DOCUMENT_CODES[document.doc_Type],
                                              status=TRAVEL_DOCUMENT_STATUS_CODES[
                                                  document.doc_Status])
                          for document in journey.ret_TravelDocuments],
        escort=ESCORT_CODES.get(journey.ret_Escort, Escort.NONE),
        escort_details=journey.ret_EscortDetails,
        receiving_organisation_id=receiving_organisation_id)
