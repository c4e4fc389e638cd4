"""The demo and the benchmark seed: realistic, valid, searchable across scripts, idempotent."""

from __future__ import annotations

import io
import re

import pycountry
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from nrm.accounts.models import Membership, User
from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.core.countries import country_codes, region_codes
from nrm.core.models import AuditAction, AuditEntry
from nrm.core.names import skeleton
from nrm.directory.models import Organisation, OrganisationKind
from nrm.linkage.demo import REGISTRATIONS as LINKAGE_REGISTRATIONS
from nrm.registry.demo import names as demo_names
from nrm.registry.demo.directory import DEMO_PASSWORD, LOGINS, ORGANISATIONS
from nrm.registry.demo.places import DESTINATIONS, INTERNAL, ORIGINS, TRANSITS
from nrm.registry.models import Case, Identity, NameToken, Person, TraffickingEvent
from nrm.registry.selectors import persons_search

CYRILLIC = re.compile("[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІіӢӣӮӯҶҷҲҳЎў]")


def demo(persons: int = 40) -> str:
    out = io.StringIO()
    call_command("demo", persons=persons, stdout=out)
    return out.getvalue()


def viewer_of(username: str) -> Viewer:
    membership = Membership.objects.select_related("user", "organisation").get(
        user__username=username
    )
    return Viewer(user=membership.user, membership=membership)


def counts() -> tuple[int, ...]:
    return (Organisation.objects.count(), Membership.objects.count(), Person.objects.count(),
            Case.objects.count(), NameToken.objects.count())


@pytest.mark.django_db
def test_demo_loads_once_and_a_second_run_only_prints_the_logins():
    first = demo()
    loaded = counts()
    second = demo()

    assert counts() == loaded
    # The 40 asked for, the linkage demo's persons registered more than once, and the woman
    # Ak-Jol accepted from the exchange demo's package.
    assert Person.objects.count() == (40 + sum(len(person) for person in LINKAGE_REGISTRATIONS)
                                      + 1)
    assert "nothing added" in second
    for login in LOGINS:
        assert User.objects.get(username=login.username).check_password(DEMO_PASSWORD)
    for output in (first, second):
        for login in LOGINS:
            assert login.username in output
        assert DEMO_PASSWORD in output
        assert "Never use the demo accounts" in output
        assert "NRM_REQUIRE_2FA" in output


@pytest.mark.django_db
def test_demo_has_every_kind_of_organisation_and_a_login_for_every_role():
    demo(persons=5)
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds == set(OrganisationKind.values)
    assert set(Membership.objects.values_list("role", flat=True)) >= set(Role.values)
    assert Organisation.objects.filter(is_competent_authority=True).values("country") \
        .distinct().count() >= 5
    for kind in (OrganisationKind.POLICE, OrganisationKind.LABOUR_INSPECTORATE,
                 OrganisationKind.CONSULATE, OrganisationKind.NGO):
        assert not Organisation.objects.filter(kind=kind, is_first_responder=False).exists()


@pytest.mark.django_db
def test_every_demo_person_has_valid_countries_and_regions():
    demo()
    for person in Person.objects.all():
        assert set(person.citizenships) <= country_codes()
    for event in TraffickingEvent.objects.all():
        assert event.country in country_codes()
        assert event.region in region_codes(event.country)
        assert event.date is not None
    for organisation in Organisation.objects.all():
        assert organisation.region in region_codes(organisation.country)


def test_every_place_of_the_generators_is_an_iso_3166_2_region():
    tables = [*ORIGINS.values(), *DESTINATIONS.values(), *INTERNAL.values(),
              *TRANSITS.values()]
    for places in tables:
        for place in places:
            assert pycountry.subdivisions.get(code=place.region) is not None, place
    for spec in ORGANISATIONS:
        assert pycountry.subdivisions.get(code=spec.region) is not None, spec.key


@pytest.mark.parametrize("country", sorted(demo_names.CUSTOMS))
def test_every_demo_name_sounds_the_same_in_cyrillic_and_in_its_passport_spelling(country):
    custom = demo_names.CUSTOMS[country]
    maker = demo_names.NameMaker(__import__("random").Random(7))
    for _ in range(300):
        name = maker.person(country, female=maker.rng.random() < 0.5)
        for cyrillic, latin in ((name.given, name.latin_given),
                                (name.patronymic, name.latin_patronymic),
                                (name.family, name.latin_family)):
            assert [skeleton(w) for w in cyrillic.split()] == \
                   [skeleton(w) for w in latin.split()], (cyrillic, latin)
    assert custom.male and custom.female


@pytest.mark.django_db
def test_a_person_registered_in_cyrillic_is_found_by_the_latin_spelling_of_their_passport():
    demo()
    registered_in_cyrillic = [
        identity for identity in Identity.objects.select_related("person")
        if CYRILLIC.search(identity.family_name)
    ]
    assert registered_in_cyrillic
    viewers: dict[int, Viewer] = {}
    for identity in registered_in_cyrillic:
        person = identity.person
        # Dual citizens hold a Russian passport too; their name is spelled by their other one.
        country = next((c for c in person.citizenships if c != "RU"), "RU")
        latin = demo_names.LATIN[country]
        query = f"{latin.spell(identity.given_name)} {latin.spell(identity.family_name)}"
        assert not CYRILLIC.search(query)
        organisation = person.organisation_id
        if organisation not in viewers:
            membership = Membership.objects.select_related("user", "organisation").filter(
                organisation_id=organisation, role=Role.CASE_WORKER).first()
            assert membership is not None
            viewers[organisation] = Viewer(user=membership.user, membership=membership)
        assert person in persons_search(viewer=viewers[organisation], text=query), query


@pytest.mark.django_db
def test_the_other_ngo_in_the_same_country_finds_none_of_umuts_persons():
    demo()
    umut = viewer_of("caseworker.bishkek")
    outsider = viewer_of("caseworker.osh")
    assert umut.country == outsider.country
    identity = Identity.objects.filter(person__organisation_id=umut.organisation_id).first()
    assert identity is not None
    name = f"{identity.given_name} {identity.family_name}"
    assert identity.person in persons_search(viewer=umut, text=name)
    assert persons_search(viewer=outsider, text=name) == []


@pytest.mark.django_db
def test_demo_refuses_a_database_with_production_keys(settings):
    settings.NRM_FIELD_KEYS = "k1:" + "A" * 43 + "="
    settings.NRM_BLIND_INDEX_KEY = "B" * 43 + "="
    with pytest.raises(CommandError, match="real installation"):
        demo()
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_seed_writes_encrypted_identities_indexed_names_and_one_audit_entry():
    out = io.StringIO()
    call_command("seed", persons=120, organisations=3, batch=50, stdout=out)

    assert Person.objects.count() == 120
    assert Identity.objects.count() == 120
    assert Case.objects.count() >= 120
    assert NameToken.objects.count() >= 240
    assert "Seeded 120 persons" in out.getvalue()
    assert AuditEntry.objects.filter(action=AuditAction.PERSON_REGISTERED,
                                     purpose__startswith="nrm seed").count() == 1
    # The database holds ciphertext, never the name.
    identity = Identity.objects.exclude(family_name="").first()
    assert identity is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT family_name FROM registry_identity WHERE person_id = %s",
                       [identity.pk])
        stored = cursor.fetchone()[0]
    assert identity.family_name not in stored
    assert stored.startswith("dev$")
    # And a seeded person is found like any other, by their organisation's case worker.
    person = identity.person
    membership = Membership.objects.select_related("user", "organisation").filter(
        organisation_id=person.organisation_id).first()
    assert membership is not None
    viewer = Viewer(user=membership.user, membership=membership)
    assert person in persons_search(viewer=viewer, text=identity.family_name)


@pytest.mark.django_db
def test_the_largest_seed_organisation_holds_the_largest_share():
    call_command("seed", persons=400, organisations=5, batch=400, stdout=io.StringIO())
    sizes = [Person.objects.filter(organisation__short_name=f"SYN-00{index}").count()
             for index in range(1, 6)]
    assert sizes[0] == max(sizes)
    assert sum(sizes) == 400


@pytest.mark.django_db(transaction=True)
def test_seed_outside_a_transaction_writes_every_batch_before_it_returns():
    # On PostgreSQL a second thread streams the batches; the command waits for the last one.
    call_command("seed", persons=250, organisations=2, batch=60, stdout=io.StringIO())
    assert Person.objects.count() == 250
    assert Identity.objects.count() == 250
    assert NameToken.objects.values("person").distinct().count() == 250
    identity = Identity.objects.exclude(given_name="").first()
    assert identity is not None and identity.given_name
