"""A session ends after NRM_SESSION_IDLE_MINUTES without a request: every request moves the end
forward, and a session left idle past it is refused."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.accounts.conftest import sign_in

pytestmark = pytest.mark.django_db


def _stored_session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_each_request_moves_the_idle_deadline(client, case_worker):
    sign_in(client, "aizada")
    # Pretend the last request was a while ago.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=2)
    )

    assert client.get(reverse("accounts:security")).status_code == 200

    remaining = _stored_session(client).expire_date - timezone.now()
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert idle - dt.timedelta(seconds=30) < remaining <= idle


def test_an_idle_session_is_refused(client, case_worker):
    sign_in(client, "aizada")
    assert client.get(reverse("accounts:security")).status_code == 200
    # No request for longer than the idle limit.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )

    response = client.get(reverse("accounts:security"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_idle_limit_comes_from_the_setting():
    from nrm import settings as project_settings

    assert project_settings.SESSION_SAVE_EVERY_REQUEST is True
    idle_minutes = int(os.environ.get("NRM_SESSION_IDLE_MINUTES", "30"))
    cookie_age = project_settings.SESSION_COOKIE_AGE
    assert cookie_age == idle_minutes * 60
