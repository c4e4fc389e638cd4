from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_case_worker_starts_at_their_cases(client, case_worker):
    response = login(client, case_worker).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:my_cases")


def test_analyst_starts_at_the_directory_not_at_a_refusal(client, analyst):
    response = login(client, analyst).get("/")
    assert response["Location"] == reverse("directory:organisation_list")
    assert client.get(response["Location"]).status_code == 200


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
