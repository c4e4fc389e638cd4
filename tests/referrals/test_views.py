"""The referral pages as the people in the story use them: Safe Home's case worker finds Ak-Jol
in the directory filtered for Асель, shares her names and the trafficking events (not their
descriptions), and sends; Ak-Jol's case worker sees the referral in the inbox, accepts it and
opens the shared case, which shows exactly what was shared; Tendesh sees nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nrm.core.models import AuditAction, AuditEntry
from nrm.referrals.choices import ReferralStatus
from nrm.referrals.models import Referral
from nrm.referrals.services import (
    referral_accept,
    referral_cancel,
    referral_decline,
    referrals_expire,
)
from tests.conftest import login
from tests.referrals.conftest import refer

SHARED = ["sex", "age_band", "languages", "names", "events"]
# What Асель's record holds that is not in SHARED: none of it may reach Ak-Jol's pages.
NOT_SHARED = ["Ася-Алиас", "AC7654321", "+996 700 123 456", "Тестовая", "villa with a blue gate",
              "Private sexual services", "Withholds documents", "Through online social networks",
              "Acquaintance", "1998", "21.07", "Consulate"]


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_the_case_worker_finds_the_shelter_and_sends_the_referral(client, case_worker, asel_case,
                                                                  ak_jol, tendesh, shelter_worker):
    login(client, case_worker)
    case_page = _page(client, reverse("registry:case_detail", args=[asel_case.display_code]))
    assert reverse("referrals:refer_choose", args=[asel_case.display_code]) in case_page

    # The directory is filtered for her at first: a woman, 28, in Kyrgyzstan.
    choose = _page(client, reverse("referrals:refer_choose", args=[asel_case.display_code]))
    assert "Ak-Jol Shelter" in choose and "Tendesh Osh" in choose
    assert 'value="Feminine" selected' in choose
    # Men only: Ak-Jol drops out.
    men = _page(client, reverse("referrals:refer_choose", args=[asel_case.display_code])
                + "?sex=Masculine&country=KG")
    assert "Ak-Jol Shelter" not in men and "Tendesh Osh" in men

    form_url = reverse("referrals:refer", args=[asel_case.display_code, ak_jol.pk])
    form = _page(client, form_url)
    assert "Consent to share with it" in form
    submission_key = form.split('name="submission_key" value="')[1].split('"')[0]
    response = client.post(form_url, {
        "services": ["shelter", "medical"], "urgency": "urgent", "accompanying_children": "1",
        "note": "Arrives with her son, 4.", "shared_fields": SHARED,
        "submission_key": submission_key})
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:referral", args=[referral.display_code])
    assert referral.shared_fields == SHARED and referral.accompanying_children == 1
    # The same form sent twice creates nothing more.
    again = client.post(form_url, {
        "services": ["shelter"], "urgency": "urgent", "accompanying_children": "0",
        "shared_fields": SHARED, "submission_key": submission_key})
    assert again.status_code == 302 and Referral.objects.count() == 1

    # The referrer follows it on the case.
    history = _page(client, reverse("referrals:case_referrals", args=[asel_case.display_code]))
    assert "Ak-Jol Shelter" in history and referral.display_code in history


def test_a_refused_send_says_what_to_fix_and_sends_nothing(client, case_worker, aigul_case,
                                                          ak_jol):
    login(client, case_worker)
    url = reverse("referrals:refer", args=[aigul_case.display_code, ak_jol.pk])
    response = client.post(url, {"services": ["shelter"], "urgency": "urgent",
                                 "accompanying_children": "0", "shared_fields": ["sex"],
                                 "submission_key": "0" * 32})
    assert response.status_code == 400
    assert "must consent to sharing with Ak-Jol Shelter" in response.content.decode()
    assert not Referral.objects.exists()


def test_the_supervisor_is_offered_the_override_only_where_it_may_apply(
        client, supervisor, case_worker, aigul_case, ak_jol, komek, kg_kz_agreement):
    login(client, supervisor)
    same_country = _page(client, reverse("referrals:refer",
                                         args=[aigul_case.display_code, ak_jol.pk]))
    assert 'name="override_reason"' in same_country
    abroad = _page(client, reverse("referrals:refer", args=[aigul_case.display_code, komek.pk]))
    assert 'name="override_reason"' not in abroad
    login(client, case_worker)
    assert 'name="override_reason"' not in _page(
        client, reverse("referrals:refer", args=[aigul_case.display_code, ak_jol.pk]))


def test_the_shelter_accepts_and_sees_exactly_what_was_shared(client, case_worker, asel_case,
                                                              ak_jol, shelter_worker):
    referral = refer(case_worker, asel_case, ak_jol, shared_fields=SHARED)
    login(client, shelter_worker)
    inbox = _page(client, reverse("referrals:inbox"))
    assert referral.display_code in inbox and "Safe Home Bishkek" in inbox

    detail_url = reverse("referrals:referral", args=[referral.display_code])
    summary = _page(client, detail_url)
    assert "Female" in summary and "Kirghiz" in summary  # the profile, shared
    assert "Асель" not in summary  # names only once accepted
    assert reverse("referrals:shared_case", args=[referral.display_code]) not in summary
    assert client.get(reverse("referrals:shared_case",
                              args=[referral.display_code])).status_code == 404

    accepted = client.post(reverse("referrals:accept", args=[referral.display_code]))
    assert accepted.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED

    shared = _page(client, reverse("referrals:shared_case", args=[referral.display_code]))
    for value in ("Асель", "Бакытовна", "Токтогулова", "Antalya-Testkent", "Exploitation",
                  asel_case.person.display_code):
        assert value in shared, value
    for value in NOT_SHARED:
        assert value not in shared, value
    read = AuditEntry.objects.filter(action=AuditAction.SHARED_CASE_READ).get()
    assert read.actor == shelter_worker.user and read.person_code == asel_case.person.code
    assert set(read.fields) == {"person_code", *SHARED}
    # The registry's case page stays the owner's.
    assert client.get(reverse("registry:case_detail",
                              args=[asel_case.display_code])).status_code == 404


@pytest.mark.parametrize("ending", ["declined", "cancelled", "expired"])
def test_a_closed_referral_shows_nothing_beyond_the_summary(client, case_worker, asel_case,
                                                            ak_jol, shelter_worker, ending):
    referral = refer(case_worker, asel_case, ak_jol, shared_fields=SHARED)
    if ending == "declined":
        referral_decline(viewer=shelter_worker, referral=referral, reason="No place")
    elif ending == "cancelled":
        referral_cancel(viewer=case_worker, referral=referral, reason="Went home")
    else:
        referrals_expire(now=referral.expires_at + dt.timedelta(seconds=1))
    login(client, shelter_worker)
    summary = _page(client, reverse("referrals:referral", args=[referral.display_code]))
    assert "Асель" not in summary and "nothing more of the case is shown" in summary
    assert client.get(reverse("referrals:shared_case",
                              args=[referral.display_code])).status_code == 404


def test_a_cancelled_referral_closes_the_shared_case_after_acceptance(
        client, case_worker, asel_case, ak_jol, shelter_worker):
    referral = refer(case_worker, asel_case, ak_jol, shared_fields=SHARED)
    referral_accept(viewer=shelter_worker, referral=referral)
    referral_cancel(viewer=case_worker, referral=referral, reason="She withdrew her consent.")
    login(client, shelter_worker)
    assert client.get(reverse("referrals:shared_case",
                              args=[referral.display_code])).status_code == 404


@pytest.fixture
def accepted(case_worker, asel_case, ak_jol, shelter_worker) -> Referral:
    referral = refer(case_worker, asel_case, ak_jol, shared_fields=SHARED)
    return referral_accept(viewer=shelter_worker, referral=referral)


def _urls(referral: Referral) -> dict[str, str]:
    code = referral.display_code
    return {name: reverse(f"referrals:{name}", args=[code])
            for name in ("referral", "accept", "decline", "start", "complete", "cancel",
                         "shared_case")}


@pytest.mark.parametrize("who", ["outsider", "foreign_case_worker", "analyst", "org_admin"])
def test_a_third_organisation_sees_nothing(client, accepted, request, who):
    viewer = request.getfixturevalue(who)
    login(client, viewer)
    for name, url in _urls(accepted).items():
        response = client.get(url) if name in ("referral", "shared_case") else client.post(
            url, {"decline-reason": "x", "cancel-reason": "x"})
        assert response.status_code == 404, (who, name)
    accepted.refresh_from_db()
    assert accepted.status == ReferralStatus.ACCEPTED
    if who == "outsider":
        assert accepted.display_code not in _page(client, reverse("referrals:inbox"))


def test_the_referrer_cannot_answer_and_the_receiver_cannot_cancel(client, case_worker,
                                                                   shelter_worker, accepted):
    urls = _urls(accepted)
    login(client, case_worker)
    client.post(urls["start"])
    login(client, shelter_worker)
    client.post(urls["cancel"], {"cancel-reason": "x"})
    accepted.refresh_from_db()
    assert accepted.status == ReferralStatus.ACCEPTED


def test_a_shelter_admin_may_not_work_referrals(client, shelter_admin, accepted):
    login(client, shelter_admin)
    assert client.get(reverse("referrals:inbox")).status_code == 403
    assert client.get(_urls(accepted)["shared_case"]).status_code == 404


def test_the_coordinator_follows_a_case_but_does_not_refer(client, coordinator, aigul_case,
                                                           ak_jol):
    login(client, coordinator)
    assert client.get(reverse("referrals:case_referrals",
                              args=[aigul_case.display_code])).status_code == 200
    assert client.get(reverse("referrals:refer_choose",
                              args=[aigul_case.display_code])).status_code == 403
    assert client.get(reverse("referrals:refer",
                              args=[aigul_case.display_code, ak_jol.pk])).status_code == 403


def test_another_organisations_case_cannot_be_referred(client, outsider, aigul_case, ak_jol):
    login(client, outsider)
    for url in (reverse("referrals:case_referrals", args=[aigul_case.display_code]),
                reverse("referrals:refer_choose", args=[aigul_case.display_code]),
                reverse("referrals:refer", args=[aigul_case.display_code, ak_jol.pk])):
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code in (404, 405)


def test_overdue_referrals_stand_out(client, case_worker, asel_case, ak_jol, shelter_worker):
    referral = refer(case_worker, asel_case, ak_jol, shared_fields=SHARED)
    Referral.objects.filter(pk=referral.pk).update(due_at=referral.sent_at - dt.timedelta(hours=1))
    login(client, shelter_worker)
    inbox = _page(client, reverse("referrals:inbox"))
    assert 'class="overdue"' in inbox and ">overdue<" in inbox
    login(client, case_worker)
    assert ">overdue<" in _page(client, reverse("referrals:sent"))


def test_lists_cost_the_same_few_queries_however_many_referrals(
        client, case_worker, ak_jol, shelter_worker, django_assert_max_num_queries):
    from tests.conftest import register
    from tests.referrals.conftest import consent

    def send() -> None:
        case = register(case_worker, given="Гүлзат", birth_date="1990")
        consent(case_worker, case, "share_organisation", ak_jol)
        refer(case_worker, case, ak_jol, shared_fields=["sex"])

    send()
    login(client, shelter_worker)
    pages = [reverse("referrals:inbox"), reverse("referrals:inbox") + "?tab=closed"]
    counts = {}
    for url in pages:
        with django_assert_max_num_queries(20) as one:
            client.get(url)
        counts[url] = len(one.captured_queries)
    for _ in range(4):
        send()
    for url in pages:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)
    login(client, case_worker)
    with django_assert_max_num_queries(20) as five:
        client.get(reverse("referrals:sent"))
    send()
    with django_assert_max_num_queries(len(five.captured_queries)):
        client.get(reverse("referrals:sent"))


def test_the_coordinator_sets_the_countrys_deadlines(client, coordinator, case_worker):
    login(client, coordinator)
    url = reverse("referrals:deadlines")
    assert "Referral deadlines of Kyrgyzstan" in _page(client, url)
    response = client.post(url, {"emergency_hours": "2", "urgent_hours": "24",
                                 "routine_hours": "120", "expiry_hours": "24"})
    assert response.status_code == 302
    refused = client.post(url, {"emergency_hours": "48", "urgent_hours": "24",
                                "routine_hours": "120", "expiry_hours": "24"})
    assert refused.status_code == 200 and "no later than an urgent" in refused.content.decode()
    login(client, case_worker)
    assert client.get(url).status_code == 403


PAGES = ["referrals:inbox", "referrals:sent", "referrals:deadlines"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_sign_in_from_lists(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_is_sent_to_sign_in_from_every_referral_page(client, accepted, ak_jol):
    code = accepted.case.display_code
    urls = [*_urls(accepted).values(), reverse("referrals:case_referrals", args=[code]),
            reverse("referrals:refer_choose", args=[code]),
            reverse("referrals:refer", args=[code, ak_jol.pk])]
    for url in urls:
        for response in (client.get(url), client.post(url, {})):
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:login"))


def test_the_menu_links_the_inbox_for_case_workers_only(client, case_worker, analyst):
    login(client, case_worker)
    inbox = reverse("referrals:inbox")
    assert f'href="{inbox}"' in _page(client, reverse("directory:organisation_list"))
    login(client, analyst)
    assert f'href="{inbox}"' not in _page(client, reverse("directory:organisation_list"))
