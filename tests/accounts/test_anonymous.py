"""An anonymous visitor reaches the sign-in page and nothing else of accounts."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    ("accounts:two_factor_enrol", []),
    ("accounts:two_factor_verify", []),
    ("accounts:password_change", []),
    ("accounts:security", []),
    ("accounts:api_token_create", []),
    ("accounts:api_token_revoke", [1]),
    ("accounts:membership_choose", []),
    ("accounts:members", []),
    ("accounts:member_add", []),
    ("accounts:member_deactivate", [1]),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, name, args):
    url = reverse(name, args=args)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, (name, method)
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_sign_in_page_is_open(client):
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.content.decode()
