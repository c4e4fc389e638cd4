"""The exchange demo, loaded by `nrm demo` after the referrals and assistance demos: the Russian
NRM's deployment ("RU") registered as a partner; a package from it already imported, in which
the Consulate General of Kyrgyzstan in Yekaterinburg refers a woman returning home to the Ak-Jol
shelter (accepted, her return on the case and her arrival recorded, so that a reply can be
made); and a second package, to Umut Bishkek, written to a file for its case worker to import.

The packages are made by the real services in the partner's identity (its development keys,
derived from the published seed in exchange.identity: demo-only, anyone can derive them), then
opened here in this deployment's. The partner's side — its record of this deployment, the
consul's registration and referral — is played inside a transaction that is rolled back: only
the files leave it, and this database keeps only what this deployment would.

Idempotent: when the partner is registered, nothing is added; the waiting file is written again
only when it is missing or expired and Umut has not imported a package yet (that adds nothing to
the database either).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import OutputWrapper
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from nrm.accounts.viewer import Viewer
from nrm.assistance.inputs import ReceptionInput, ReturnJourneyInput, TravelDocumentInput
from nrm.assistance.services import return_journey_record, return_reception_record
from nrm.directory.inputs import AgreementInput
from nrm.directory.models import Organisation
from nrm.directory.services import agreement_create
from nrm.interchange.exchange.envelope import parse as envelope_parse
from nrm.interchange.exchange.identity import deployment_identity, encode_key
from nrm.interchange.exchange.models import PartnerDeployment, ReceivedPackage
from nrm.interchange.exchange.refusals import PackageRefusedError
from nrm.interchange.exchange.services import (
    PartnerInput,
    package_import,
    package_return_record,
    package_send,
    partner_deployment_register,
    remote_organisation_mark,
)
from nrm.referrals.demo import LOGINS as REFERRALS_LOGINS
from nrm.referrals.services import referral_accept, referral_send
from nrm.registry.demo.loader import demo_accounts
from nrm.registry.inputs import (
    CaseInput,
    ConsentInput,
    DocumentInput,
    EventInput,
    IdentityInput,
    PersonInput,
)
from nrm.registry.services import consent_record, person_register

PARTNER_ID = "RU"
PARTNER_NAME = "Russian NRM registry (demo partner)"
PARTNER_CONTACT = ("Demo only: its keys are the development keys derived from the published "
                   "seed for the id RU; never trust them in a real installation.")
# Where the package waiting to be imported is written; the tests point it elsewhere.
WAITING_DIRECTORY = Path(tempfile.gettempdir()) / "nrm-demo"
WAITING_FILENAME = "nrm-demo-package-RU-for-Umut-Bishkek.json"
CONSUL, SYSTEM_ADMIN = "consul.yekaterinburg", "sysadmin"
IMPORTED_BY, WAITING_FOR = "caseworker.akjol", "caseworker.bishkek"


@dataclass(frozen=True)
class ExchangeDemo:
    partner_registered: bool
    packages_imported: int
    waiting_file: Path | None
    waiting_until: dt.datetime | None


class _PartnerSideRolledBack(Exception):  # noqa: N818 (a signal, not an error)
    """Raised to roll back the partner's side once its package is made."""


@contextmanager
def _as_partner() -> Iterator[None]:
    """This process acting as the partner deployment, with its development keys."""
    with override_settings(NRM_DEPLOYMENT_ID=PARTNER_ID, NRM_DEPLOYMENT_NAME=PARTNER_NAME,
                           NRM_DEPLOYMENT_COUNTRY=PARTNER_ID, NRM_EXCHANGE_SIGNING_KEY="",
                           NRM_EXCHANGE_ENCRYPTION_KEYS=""):
        yield


def _partner_keys() -> tuple[str, str]:
    with _as_partner():
        identity = deployment_identity()
        return (encode_key(identity.signing_public_key),
                encode_key(identity.encryption_public_key))


@dataclass(frozen=True)
class _Returnee:
    given_name: str
    family_name: str
    birth_year: int
    passport: str
    work: str
    services: tuple[str, ...]
    travel_in_days: int
    note: str


# Synthetic women returning from Russia: to the shelter in Kant, and to Umut in Bishkek.
TO_AK_JOL = _Returnee("Бермет", "Токтогулова", 1996, "AC7654321",
                      "Sewing workshop without pay, passport taken", ("shelter", "medical",
                                                                      "psychological"), -2,
                      "Flew home on Sunday; needs shelter and a medical check on arrival.")
TO_UMUT = _Returnee("Айпери", "Жумабаева", 2001, "AC1122334",
                    "Warehouse work, wages withheld for eight months",
                    ("return_repatriation", "psycho_social", "legal_counselling"), 6,
                    "Returns by train next week; wants help to claim the wages owed.")
SHARED = ["sex", "age_band", "languages", "citizenships", "names", "birth_date", "documents",
          "exploitation", "means_of_control", "events"]


def _package_from_partner(viewers: dict[str, Viewer], receiver: Organisation,
                          returnee: _Returnee) -> bytes:
    """The consul's package for ``receiver``, made in the partner deployment: its side of the
    story is rolled back, the sealed file is kept."""
    us = deployment_identity()
    consul, admin = viewers[CONSUL], viewers[SYSTEM_ADMIN]
    consulate = consul.membership.organisation
    document = b""
    try:
        with transaction.atomic(), _as_partner():
            partner_here = partner_deployment_register(viewer=admin, details=PartnerInput(
                deployment_id=us.deployment_id, name=us.name, country=receiver.country,
                signing_key=encode_key(us.signing_public_key),
                encryption_key=encode_key(us.encryption_public_key)))
            remote_organisation_mark(viewer=admin, organisation=receiver, partner=partner_here,
                                     remote_ref=str(receiver.pk))
            today = timezone.localdate()
            agreement_create(viewer=admin, details=AgreementInput(
                title="MoU on the return of victims of trafficking (demo)",
                party_ids=[consulate.pk, receiver.pk], valid_from=today - dt.timedelta(days=90),
                covers_data_sharing=True))
            case = person_register(
                viewer=consul,
                person=PersonInput(sex="Feminine", birth_year=returnee.birth_year,
                                   citizenships=["KG"], languages=["ky", "ru"]),
                identity=IdentityInput(
                    given_name=returnee.given_name, family_name=returnee.family_name,
                    birth_date=str(returnee.birth_year),
                    documents=[DocumentInput(kind="passport", number=returnee.passport,
                                             country="KG")]),
                case=CaseInput(entry_point="consulate", exploitation_types=["ForcedLabour"],
                               means_of_control=["WithholdsDocuments"]),
                events=[EventInput(stage="Exploitation", country="RU", region="RU-SVE",
                                   city="Yekaterinburg",
                                   date=f"{today - dt.timedelta(days=150):%Y-%m}",
                                   description=returnee.work)])
            for purpose, recipient in (("share_organisation", receiver.pk),
                                       ("cross_border", None)):
                consent_record(viewer=consul, person=case.person, consent=ConsentInput(
                    purpose=purpose, given=True, method="written", recipient_id=recipient))
            return_journey_record(viewer=consul, case=case, journey=ReturnJourneyInput(
                from_country="RU", to_country="KG",
                travel_on=today + dt.timedelta(days=returnee.travel_in_days),
                travel_documents=[TravelDocumentInput("certificate_of_return", "issued")],
                escort="consular", escort_details="Consular officer to Manas airport",
                receiving_organisation_id=receiver.pk))
            referral = referral_send(
                viewer=consul, case=case, receiver=receiver, services=list(returnee.services),
                urgency="urgent", shared_fields=SHARED, note=returnee.note)
            document = package_send(viewer=consul, referral=referral).document
            raise _PartnerSideRolledBack
    except _PartnerSideRolledBack:
        pass
    return document


def _imported_at_ak_jol(viewers: dict[str, Viewer]) -> int:
    """Ak-Jol imports the consul's package, accepts, puts the return on its case and records
    her arrival: the package page then offers to make a reply."""
    worker = viewers[IMPORTED_BY]
    received = package_import(viewer=worker, document=_package_from_partner(
        viewers, worker.membership.organisation, TO_AK_JOL))
    assert received.referral is not None  # noqa: S101 (an import makes its referral)
    referral_accept(viewer=worker, referral=received.referral)
    journey = package_return_record(viewer=worker, received=received)
    return_reception_record(viewer=worker, journey=journey, reception=ReceptionInput(
        arrived_on=journey.travel_on, received_by="Ak-Jol duty social worker, Manas airport",
        notes="Tired, no injuries; taken to the shelter in Kant."))
    return 1


def _waiting_file(viewers: dict[str, Viewer], partner: PartnerDeployment,
                  ) -> tuple[Path | None, dt.datetime | None, str]:
    """The package waiting for Umut: the file already written while it can still be imported,
    else a new one, unless Umut imported one already. Its path, until when, and what happened."""
    umut = viewers[WAITING_FOR].membership.organisation
    path = WAITING_DIRECTORY / WAITING_FILENAME
    if ReceivedPackage.objects.filter(sender=partner, organisation=umut).exists():
        return None, None, "imported"
    if path.exists():
        try:
            header = envelope_parse(path.read_bytes()).header
        except (OSError, PackageRefusedError):
            header = None  # unreadable or not a package: written again
        if header is not None and header.expires_at > timezone.now() + dt.timedelta(hours=1):
            return path, header.expires_at, "kept"
    document = _package_from_partner(viewers, umut, TO_UMUT)
    WAITING_DIRECTORY.mkdir(parents=True, exist_ok=True)
    path.write_bytes(document)
    return path, envelope_parse(document).header.expires_at, "written"


def demo_load(*, seed: int, stdout: OutputWrapper | None = None) -> ExchangeDemo:
    """Register the partner and import its first package once; keep a package waiting for
    Umut on file. The same for every seed: it is a story."""
    del seed
    if deployment_identity().deployment_id == PARTNER_ID:
        if stdout is not None:
            stdout.write(f"Exchange demo skipped: this deployment's id is {PARTNER_ID}, the "
                         "demo partner's.")
        return ExchangeDemo(False, 0, None, None)
    viewers = demo_accounts(logins=REFERRALS_LOGINS)
    partner = PartnerDeployment.objects.filter(deployment_id=PARTNER_ID).first()
    registered = imported = 0
    if partner is None:
        with transaction.atomic():
            signing_key, encryption_key = _partner_keys()
            partner = partner_deployment_register(viewer=viewers[SYSTEM_ADMIN], details=(
                PartnerInput(deployment_id=PARTNER_ID, name=PARTNER_NAME, country=PARTNER_ID,
                             signing_key=signing_key, encryption_key=encryption_key,
                             contact=PARTNER_CONTACT)))
            registered = 1
            imported = _imported_at_ak_jol(viewers)
    path, until, state = _waiting_file(viewers, partner)
    if stdout is not None:
        _report(stdout, registered=bool(registered), imported=imported, path=path,
                until=until, state=state)
    return ExchangeDemo(bool(registered), imported, path, until)


def _report(stdout: OutputWrapper, *, registered: bool, imported: int, path: Path | None,
            until: dt.datetime | None, state: str) -> None:
    if registered:
        stdout.write(
            f"Exchange demo: partner deployment {PARTNER_ID} registered ({PARTNER_NAME}; see "
            f"it as sysadmin under /interchange/exchange/partners/); {imported} package from "
            f"its consulate in Yekaterinburg imported by Ak-Jol, accepted and her arrival "
            f"recorded (log in as {IMPORTED_BY}: the referral's package page makes a reply).")
    if path is not None and until is not None:
        moment = until.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        written = "written" if state == "written" else "still waiting"
        stdout.write(
            f"Exchange demo: a package from {PARTNER_ID} to Umut Bishkek, {written}, to "
            f"import: {path}\n  Log in as {WAITING_FOR} and import it on "
            f"/interchange/exchange/packages/; it can be imported until {moment} "
            f"(packages live NRM_EXCHANGE_PACKAGE_DAYS={settings.NRM_EXCHANGE_PACKAGE_DAYS} "
            f"days; run `nrm demo` again for a new one once it has expired).")
    elif state == "imported" and registered is False:
        stdout.write(f"Exchange demo: Umut Bishkek has imported its package from "
                     f"{PARTNER_ID}; no file waiting.")
    stdout.write(
        f"Exchange demo keys: the partner {PARTNER_ID}'s keys, and this deployment's unless "
        f"NRM_EXCHANGE_SIGNING_KEY is set, are development keys derived from a seed published "
        f"in the code: demo-only, anyone can make packages with them. Never exchange real "
        f"packages with them.")
