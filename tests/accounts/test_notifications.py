"""Notifications: a message to a user, in the app (counted in the header, listed on their page,
marked read when followed) and by e-mail once the work that caused it is saved, each in its
reader's language. Nobody sees or marks another's; anonymous visitors are sent to sign in."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from nrm.accounts.models import Notification
from nrm.accounts.services import notifications_mark_read, notify
from tests.conftest import login

SIGNED_IN = gettext_noop("Signed in")  # a message the catalogues already translate


def _tell(viewer, message: str = "Referral %(code)s was accepted by %(organisation)s.",
          url: str = "/referrals/") -> Notification:
    return notify(users=[viewer.user], message=message,
                  params={"code": "AB12-CD34-5", "organisation": "Ak-Jol"}, url=url,
                  organisation_id=viewer.organisation_id)[0]


def test_a_notification_is_listed_counted_and_read(client, case_worker):
    notification = _tell(case_worker)
    login(client, case_worker)
    page = client.get(reverse("accounts:notifications")).content.decode()
    assert "Referral AB12-CD34-5 was accepted by Ak-Jol." in page
    header = client.get(reverse("directory:organisation_list")).content.decode()
    assert 'title="unread">1</span>' in header
    followed = client.get(reverse("accounts:notification_open", args=[notification.pk]))
    assert followed.status_code == 302 and followed["Location"] == "/referrals/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    header = client.get(reverse("directory:organisation_list")).content.decode()
    assert 'title="unread"' not in header


def test_mark_all_read(client, case_worker):
    _tell(case_worker)
    _tell(case_worker)
    login(client, case_worker)
    assert client.post(reverse("accounts:notifications_read")).status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_nobody_reads_or_marks_anothers_notification(client, case_worker, outsider):
    notification = _tell(case_worker)
    login(client, outsider)
    assert client.get(reverse("accounts:notification_open",
                              args=[notification.pk])).status_code == 404
    assert "AB12-CD34-5" not in client.get(reverse("accounts:notifications")).content.decode()
    client.post(reverse("accounts:notifications_read"))
    assert notifications_mark_read(user=outsider.user) == 0
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_link_elsewhere_is_not_followed(client, case_worker):
    notification = _tell(case_worker, url="https://evil.example.org/")
    login(client, case_worker)
    response = client.get(reverse("accounts:notification_open", args=[notification.pk]))
    assert response["Location"] == reverse("accounts:notifications")


@pytest.mark.parametrize(("name", "args"), [("accounts:notifications", []),
                                            ("accounts:notification_open", [1]),
                                            ("accounts:notifications_read", [])])
def test_anonymous_visitor_is_sent_to_sign_in(client, db, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_email_goes_when_the_work_is_saved_in_the_readers_language(
        case_worker, mailoutbox, django_capture_on_commit_callbacks, settings):
    settings.NRM_BASE_URL = "https://nrm.example.org"
    case_worker.user.email = "aizada@example.org"
    case_worker.user.preferred_language = "ru"
    case_worker.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        _tell(case_worker, message=SIGNED_IN, url="/referrals/X/")
        assert mailoutbox == []  # not before the transaction commits
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "https://nrm.example.org/referrals/X/" in body
    assert body.splitlines()[0] != "Signed in"  # the Russian catalogue's text


def test_no_email_when_the_work_is_rolled_back(case_worker, mailoutbox,
                                               django_capture_on_commit_callbacks):
    case_worker.user.email = "aizada@example.org"
    case_worker.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _tell(case_worker)
                raise RuntimeError("the service failed")
        except RuntimeError:
            pass
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_users_without_an_address_are_told_in_the_app_only(case_worker, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _tell(case_worker)
    assert mailoutbox == []
    assert Notification.objects.filter(user=case_worker.user).count() == 1
