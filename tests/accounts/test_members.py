"""An organisation admin manages who works in their organisation, and nothing beyond it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nrm.accounts.models import Membership, User
from nrm.accounts.roles import Role
from nrm.accounts.services import membership_add, membership_deactivate
from nrm.accounts.viewer import Viewer
from nrm.core.models import AuditAction, AuditEntry
from tests.accounts.conftest import sign_in
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def tendesh_admin(tendesh) -> Viewer:
    user = User.objects.create_user(username="admin_tendesh", password="x" * 12)
    return Viewer(user=user, membership=Membership.objects.create(
        user=user, organisation=tendesh, role=Role.ORGANISATION_ADMIN))


def test_org_admin_sees_their_members(client, org_admin, case_worker, outsider):
    page = login(client, org_admin).get(reverse("accounts:members"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "aizada" in body
    assert "timur" not in body


def test_case_worker_cannot_manage_members(client, case_worker, colleague):
    login(client, case_worker)
    assert client.get(reverse("accounts:members")).status_code == 403
    assert client.post(reverse("accounts:member_add"), {
        "account": "new", "username": "intruder", "role": Role.CASE_WORKER,
    }).status_code == 403
    assert client.post(reverse("accounts:member_deactivate",
                               args=[colleague.membership.pk])).status_code == 403
    assert Membership.objects.get(pk=colleague.membership.pk).is_active


def test_org_admin_adds_a_new_user_with_a_temporary_password(client, org_admin):
    login(client, org_admin)
    response = client.post(reverse("accounts:member_add"), {
        "account": "new", "username": "zarina", "role": Role.CASE_WORKER,
        "first_name": "Zarina", "last_name": "Example",
    })

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    temporary = response.context["temporary_password"]
    assert temporary in response.content.decode()
    zarina = User.objects.get(username="zarina")
    assert zarina.must_change_password
    assert temporary not in zarina.password
    assert zarina.memberships.get().organisation_id == org_admin.organisation_id
    assert AuditEntry.objects.filter(action=AuditAction.MEMBERSHIP_CHANGED,
                                     actor=org_admin.user).exists()
    assert temporary not in client.get(reverse("accounts:members")).content.decode()

    client.logout()
    sign_in(client, "zarina", temporary)
    held = client.get(reverse("directory:organisation_list"))
    assert held["Location"].startswith(reverse("accounts:password_change"))


def test_org_admin_gives_an_existing_user_a_role(client, org_admin, outsider):
    login(client, org_admin)
    response = client.post(reverse("accounts:member_add"), {
        "account": "existing", "username": "timur", "role": Role.HOTLINE_OPERATOR,
    })
    assert response.status_code == 200
    assert response.context["temporary_password"] is None
    assert Membership.objects.filter(user=outsider.user, organisation=org_admin.organisation_id,
                                     role=Role.HOTLINE_OPERATOR).exists()


def test_new_user_cannot_take_a_username_in_use(client, org_admin, outsider):
    response = login(client, org_admin).post(reverse("accounts:member_add"), {
        "account": "new", "username": "Timur", "role": Role.CASE_WORKER,
    })
    assert response.status_code == 400
    assert User.objects.filter(username__iexact="timur").count() == 1


def test_org_admin_cannot_grant_coordinator_or_system_admin(client, org_admin):
    login(client, org_admin)
    for role in (Role.NATIONAL_COORDINATOR, Role.SYSTEM_ADMIN):
        response = client.post(reverse("accounts:member_add"), {
            "account": "new", "username": f"boss{role.value}", "role": role.value,
        })
        assert response.status_code == 400
        with pytest.raises(PermissionDenied):
            membership_add(viewer=org_admin, username=f"boss{role.value}", role=role,
                           new_user=True)
    assert not User.objects.filter(username__startswith="boss").exists()


def test_org_admin_ends_a_membership(client, org_admin, colleague):
    login(client, org_admin)
    response = client.post(reverse("accounts:member_deactivate", args=[colleague.membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.get(pk=colleague.membership.pk).is_active
    entry = AuditEntry.objects.filter(action=AuditAction.MEMBERSHIP_CHANGED).latest("id")
    assert entry.object_id == str(colleague.membership.pk)
    assert entry.purpose == "deactivated"


def test_org_admin_of_another_organisation_gets_404(client, tendesh_admin, colleague):
    login(client, tendesh_admin)
    response = client.post(reverse("accounts:member_deactivate", args=[colleague.membership.pk]))
    assert response.status_code == 404
    assert Membership.objects.get(pk=colleague.membership.pk).is_active
    assert "bakyt" not in client.get(reverse("accounts:members")).content.decode()
    with pytest.raises(PermissionDenied):
        membership_deactivate(viewer=tendesh_admin, membership=colleague.membership)


def test_org_admin_cannot_end_their_own_membership(client, org_admin):
    with pytest.raises(ValidationError):
        membership_deactivate(viewer=org_admin, membership=org_admin.membership)
    login(client, org_admin).post(reverse("accounts:member_deactivate",
                                          args=[org_admin.membership.pk]))
    assert Membership.objects.get(pk=org_admin.membership.pk).is_active


def test_org_admin_cannot_remove_a_coordinator(org_admin, safe_home):
    boss = User.objects.create_user(username="boss", password="x" * 12)
    coordinator_here = Membership.objects.create(user=boss, organisation=safe_home,
                                                 role=Role.NATIONAL_COORDINATOR)
    with pytest.raises(PermissionDenied):
        membership_deactivate(viewer=org_admin, membership=coordinator_here)


def test_ended_membership_stops_its_tokens_and_can_be_restored(org_admin, colleague):
    from nrm.accounts.services import api_token_create
    from nrm.accounts.tokens import viewer_for_token

    _, raw = api_token_create(viewer=colleague, name="script")
    membership_deactivate(viewer=org_admin, membership=colleague.membership)
    assert viewer_for_token(raw) is None

    restored, password = membership_add(viewer=org_admin, username="bakyt",
                                        role=Role.CASE_WORKER, new_user=False)
    assert restored.pk == colleague.membership.pk
    assert restored.is_active
    assert password is None
