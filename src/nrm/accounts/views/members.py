"""An organisation admin manages the memberships of their own organisation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from nrm.accounts.decorators import current_viewer
from nrm.accounts.forms import MemberAddForm
from nrm.accounts.models import Membership
from nrm.accounts.selectors import member_for_viewer, members_for_viewer
from nrm.accounts.services import membership_add, membership_deactivate
from nrm.accounts.viewer import Viewer
from nrm.accounts.views import form_errors_from


def _member_manager(request: HttpRequest) -> Viewer:
    viewer = current_viewer(request)
    if not viewer.manages_members:
        raise PermissionDenied(_("Only an organisation admin may manage its members."))
    return viewer


def _render_members(
    request: HttpRequest, viewer: Viewer, *, form: MemberAddForm,
    added: Membership | None = None, temporary_password: str | None = None, status: int = 200,
) -> HttpResponse:
    return render(request, "accounts/members.html", {
        "members": list(members_for_viewer(viewer=viewer)),
        "grantable": viewer.grantable_roles,
        "form": form,
        "added": added,
        "temporary_password": temporary_password,
    }, status=status)


@login_required
@never_cache
def members_view(request: HttpRequest) -> HttpResponse:
    viewer = _member_manager(request)
    return _render_members(request, viewer, form=MemberAddForm(viewer=viewer))


@login_required
@never_cache
@require_POST
def member_add_view(request: HttpRequest) -> HttpResponse:
    viewer = _member_manager(request)
    form = MemberAddForm(request.POST, viewer=viewer)
    if form.is_valid():
        data = form.cleaned_data
        try:
            membership, temporary_password = membership_add(
                viewer=viewer, username=data["username"], role=data["role"],
                new_user=data["account"] == MemberAddForm.NEW, first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            # A temporary password is shown in this one response and never stored readable.
            return _render_members(request, viewer, form=MemberAddForm(viewer=viewer),
                                   added=membership, temporary_password=temporary_password)
    return _render_members(request, viewer, form=form, status=400)


@login_required
@require_POST
def member_deactivate_view(request: HttpRequest, membership_id: int) -> HttpResponse:
    viewer = _member_manager(request)
    membership = member_for_viewer(viewer=viewer, membership_id=membership_id)
    try:
        membership_deactivate(viewer=viewer, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(user)s no longer acts as %(role)s here.") % {
            "user": membership.user.get_username(), "role": membership.get_role_display(),
        })
    return HttpResponseRedirect(reverse("accounts:members"))
