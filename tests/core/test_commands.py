"""The operator's commands: new keys, key rotation, rebuilding the name index, serving."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from nrm.core.crypto import blind_index_key, generate_key, key_ring, parse_key_ring
from nrm.core.models import AuditAction, AuditEntry
from nrm.registry.models import Consent, Identity, TraffickingEvent
from nrm.registry.selectors import persons_search
from tests.conftest import register

KEY_A = generate_key()
KEY_B = generate_key()


@pytest.fixture
def keys(settings):
    """Settings whose keys a test may change; the cached key ring follows each change."""

    def use(*, field_keys: str | None = None, blind_key: str | None = None) -> None:
        if field_keys is not None:
            settings.NRM_FIELD_KEYS = field_keys
        if blind_key is not None:
            settings.NRM_BLIND_INDEX_KEY = blind_key
        key_ring.cache_clear()
        blind_index_key.cache_clear()

    yield use
    key_ring.cache_clear()
    blind_index_key.cache_clear()


def run(command: str, **options) -> str:
    out = io.StringIO()
    call_command(command, stdout=out, **options)
    return out.getvalue()


def stored(table: str, column: str, key_column: str, key) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {key_column} = %s", [key])  # noqa: S608
        return cursor.fetchone()[0]


def test_generate_keys_prints_environment_lines_that_nrm_accepts(settings):
    settings.NRM_FIELD_KEYS = ""
    lines = dict(
        line.split("=", 1) for line in run("generate_keys").splitlines()
        if line and not line.startswith("#")
    )
    assert set(lines) == {"NRM_FIELD_KEYS", "NRM_BLIND_INDEX_KEY", "NRM_EXCHANGE_SIGNING_KEY",
                          "NRM_EXCHANGE_ENCRYPTION_KEYS"}
    ring = parse_key_ring(lines["NRM_FIELD_KEYS"])
    assert ring.current_id == timezone.localdate().strftime("%Y%m%d")
    assert ring.decrypt(ring.encrypt("Айгуль")) == "Айгуль"
    assert len(base64.b64decode(lines["NRM_BLIND_INDEX_KEY"])) == 32


def test_generate_keys_gives_a_new_id_when_today_already_has_a_key(settings):
    today = timezone.localdate().strftime("%Y%m%d")
    settings.NRM_FIELD_KEYS = f"{today}:{KEY_A}"
    output = run("generate_keys")
    assert f"NRM_FIELD_KEYS={today}b:" in output
    assert "nrm rotate_keys" in output


@pytest.mark.django_db
def test_rotation_from_key_a_to_key_b_leaves_everything_readable_with_b_alone(keys, case_worker):
    keys(field_keys=f"a:{KEY_A}")
    case = register(case_worker)
    person = case.person
    assert stored("registry_identity", "family_name", "person_id", person.pk).startswith("a$")

    keys(field_keys=f"b:{KEY_B},a:{KEY_A}")
    counted = run("rotate_keys", dry_run=True)
    assert "registry.identity.family_name" in counted
    assert stored("registry_identity", "family_name", "person_id", person.pk).startswith("a$")

    rotated = run("rotate_keys")
    assert "re-encrypted under key b" in rotated
    keys(field_keys=f"b:{KEY_B}")
    identity = Identity.objects.get(person=person)
    assert (identity.given_name, identity.family_name) == ("Айгуль", "Мамытова")
    assert identity.phones == ["+996 555 000 111"]
    assert stored("registry_identity", "family_name", "person_id", person.pk).startswith("b$")
    assert AuditEntry.objects.filter(action=AuditAction.KEYS_ROTATED).count() == 1


@pytest.mark.django_db
def test_rotating_again_changes_nothing(keys, case_worker):
    keys(field_keys=f"a:{KEY_A}")
    person = register(case_worker).person
    keys(field_keys=f"b:{KEY_B},a:{KEY_A}")
    run("rotate_keys")
    before = stored("registry_identity", "given_name", "person_id", person.pk)
    assert "0 values re-encrypted" in run("rotate_keys")
    assert stored("registry_identity", "given_name", "person_id", person.pk) == before


@pytest.mark.django_db
def test_rotation_reaches_every_encrypted_field_of_every_app(keys, case_worker):
    keys(field_keys=f"a:{KEY_A}")
    case = register(case_worker)
    event = TraffickingEvent.objects.create(case=case, stage="Exploitation", country="RU",
                                            description="Held at a construction site.")
    consent = Consent.objects.create(person=case.person, purpose="services", given=True,
                                     method="guardian", recorded_by=case_worker.user,
                                     recorded_for_id=case_worker.organisation_id,
                                     guardian_name="Гульнара Мамытова")
    case_worker.user.totp_secret = "JBSWY3DPEHPK3PXP"
    case_worker.user.save()
    keys(field_keys=f"b:{KEY_B},a:{KEY_A}")
    run("rotate_keys", batch=1)
    keys(field_keys=f"b:{KEY_B}")
    assert TraffickingEvent.objects.get(pk=event.pk).description == "Held at a construction site."
    assert Consent.objects.get(pk=consent.pk).guardian_name == "Гульнара Мамытова"
    case_worker.user.refresh_from_db()
    assert case_worker.user.totp_secret == "JBSWY3DPEHPK3PXP"


@pytest.mark.django_db
def test_rotation_without_the_old_key_fails_loudly_and_changes_nothing(keys, case_worker):
    keys(field_keys=f"a:{KEY_A}")
    person = register(case_worker).person
    before = stored("registry_identity", "family_name", "person_id", person.pk)
    keys(field_keys=f"b:{KEY_B}")
    dry = run("rotate_keys", dry_run=True)
    assert "key not in NRM_FIELD_KEYS" in dry
    with pytest.raises(CommandError, match="does not hold"):
        run("rotate_keys")
    assert stored("registry_identity", "family_name", "person_id", person.pk) == before


@pytest.mark.django_db
def test_search_works_again_after_the_blind_index_key_changes_and_names_are_reindexed(
    keys, case_worker
):
    keys(blind_key=generate_key())
    person = register(case_worker).person
    assert persons_search(viewer=case_worker, text="Aigul Mamytova") == [person]

    keys(blind_key=generate_key())
    assert persons_search(viewer=case_worker, text="Aigul Mamytova") == []

    output = run("reindex_names")
    assert "Re-indexed 1 persons" in output
    assert persons_search(viewer=case_worker, text="Aigul Mamytova") == [person]
    assert persons_search(viewer=case_worker, text="Мамытова") == [person]


def test_serve_refuses_an_address_without_a_port():
    with pytest.raises(CommandError, match=r"127\.0\.0\.1:8000"):
        run("serve", addr="localhost")
