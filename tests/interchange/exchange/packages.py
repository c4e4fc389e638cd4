"""Packages as the Russian deployment makes them for the Kyrgyz one: a consulate in Moscow refers
Жылдыз Асанова (synthetic), returning home, to an NGO in Bishkek."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.test import override_settings
from django.utils import timezone

from nrm.core.codes import new_code
from nrm.directory.models import Organisation
from nrm.interchange.exchange.envelope import seal, timestamp
from nrm.interchange.exchange.identity import DeploymentIdentity, deployment_identity
from tests.interchange.exchange.conftest import KG_KEYS, RU_KEYS, DeploymentKeys


def as_deployment(deployment_id: str, keys: DeploymentKeys | None = None) -> override_settings:
    """This process acting as another deployment: its id and keys (Russia's, by default for
    "RU"). Both deployments share the test database; each reads only its own side."""
    keys = keys or {"RU": RU_KEYS, "KG": KG_KEYS}[deployment_id]
    return override_settings(NRM_DEPLOYMENT_ID=deployment_id, NRM_DEPLOYMENT_NAME="",
                             NRM_DEPLOYMENT_COUNTRY=deployment_id[:2],
                             NRM_EXCHANGE_SIGNING_KEY=keys.signing,
                             NRM_EXCHANGE_ENCRYPTION_KEYS=keys.encryption)


def identity_of(deployment_id: str, keys: DeploymentKeys) -> DeploymentIdentity:
    with as_deployment(deployment_id, keys):
        return deployment_identity()


def safe_home_ref() -> str:
    """Safe Home Bishkek's id in the Kyrgyz directory, as the Russian deployment has it."""
    found = Organisation.objects.filter(name="Safe Home Bishkek", country="KG",
                                        remote_organisation__isnull=True).first()
    return str(found.pk) if found else "1"


def payload(*, package_id: uuid.UUID, sender: str = "RU", recipient: str = "KG",
            created_at: dt.datetime, expires_at: dt.datetime, bishkek_ngo_ref: str | None = None,
            **person: Any) -> dict[str, Any]:
    """A referral with the person's sex, names, birth date and exploitation shared."""
    shared_person = {
        "prs_Gender": "Feminine",
        "prs_FirstName": "Жылдыз", "prs_SecondName": "Асанова", "prs_Birthdate": "1998-07",
        "prs_Citizenship": ["KG"], "prs_PrimaryLanguage": "ky",
        "vic_TypeOfExploitation": ["ForcedLabour"],
        "vic_ForcedLabourIndustry": "I_AccommodationAndFoodServiceActivities",
        "vic_MethodsOfControl": ["WithholdsDocuments", "DebtBondage"],
        "hte_Events": [{"hte_Type": "Exploitation", "hte_Country": "RU", "hte_City": "Moscow",
                        "hte_Date": "2025-11"}],
        **person,
    }
    return {
        "schema": "nrm-exchange/1", "package_id": str(package_id), "sender": sender,
        "recipient": recipient, "created_at": timestamp(created_at),
        "expires_at": timestamp(expires_at),
        "referral": {
            "ref_Code": new_code(),
            "cas_ReferringOrganisation": {
                "org_Ref": "17", "org_Name": "Consulate of the Kyrgyz Republic in Moscow",
                "org_Type": "CentralGovernmentOrganisation", "org_Kind": "Consulate",
                "org_ShippingCountry": "RU", "org_ShippingCity": "Moscow"},
            "cas_ReferringPrimaryCaseWorker": "Консул Бекова",
            "cas_ReferredOrganisation": {
                "org_Ref": bishkek_ngo_ref or safe_home_ref(), "org_Name": "Safe Home Bishkek",
                "org_Type": "NGO",
                "org_ShippingCountry": "KG", "org_ShippingCity": "Bishkek"},
            "cas_OutgoingReferralDate": created_at.date().isoformat(),
            "cas_ReasonForOutgoingReferral": "MigrationOrChangeOfLocation",
            "cas_OutgoingReferralDetails": "Returns by air; needs shelter on arrival.",
            "ref_ServicesRequested": ["Shelter", "Medical", "ReturnRepatriation"],
            "ref_Urgency": "Urgent",
            "ref_SharedFields": sorted(shared_person),
            "con_Consent": True,
            "ref_Agreement": {"agr_Title": "MoU on the return of victims of trafficking",
                              "agr_ValidFrom": "2025-01-01"},
        },
        "person": {"prs_Code": new_code(), **shared_person},
        "return_journey": {
            "ret_TravelDate": (created_at.date() + dt.timedelta(days=5)).isoformat(),
            "ret_DepartureCountry": "RU", "ret_ArrivalCountry": "KG",
            "ret_TravelDocuments": [{"doc_Type": "CertificateOfReturn", "doc_Status": "Issued"}],
            "ret_Escort": "International", "ret_EscortDetails": "IOM operations assistant",
        },
    }


def sealed(*, sender: str = "RU", sender_keys: DeploymentKeys = RU_KEYS, recipient: str = "KG",
           recipient_keys: DeploymentKeys = KG_KEYS, made: dt.datetime | None = None,
           lifetime: dt.timedelta = dt.timedelta(days=14), contents: dict[str, Any] | None = None,
           **person: Any) -> bytes:
    """A package as the sender's deployment writes it to a file."""
    made = made or timezone.now()
    package_id = uuid.uuid4()
    body = contents if contents is not None else payload(
        package_id=package_id, sender=sender, recipient=recipient, created_at=made,
        expires_at=made + lifetime, **person)
    if contents is not None:
        package_id = uuid.UUID(body["package_id"])
    return seal(payload=body, sender=identity_of(sender, sender_keys), recipient_id=recipient,
                recipient_encryption_key=recipient_keys.encryption_public_raw,
                package_id=package_id, created_at=made, expires_at=made + lifetime)


def edited(document: bytes, change: Any) -> bytes:
    """The package with ``change(envelope_dict)`` applied, as a forger would."""
    envelope = json.loads(document)
    change(envelope)
    return json.dumps(envelope).encode()
