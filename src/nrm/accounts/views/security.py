"""My account: two-factor status, the organisation I act for, and my API tokens."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from nrm.accounts.decorators import current_viewer
from nrm.accounts.forms import ApiTokenForm
from nrm.accounts.middleware import SESSION_MEMBERSHIP
from nrm.accounts.models import ApiToken, User
from nrm.accounts.selectors import (
    api_token_for_user,
    api_tokens_for_user,
    memberships_for_user,
    two_factor_required,
)
from nrm.accounts.services import api_token_create, api_token_revoke
from nrm.accounts.views import form_errors_from


def _render_security(
    request: HttpRequest, *, token_form: ApiTokenForm, raw_token: str = "",
    new_token: ApiToken | None = None, status: int = 200,
) -> HttpResponse:
    user = cast(User, request.user)
    context: dict[str, Any] = {
        "two_factor_required": two_factor_required(user),
        "memberships": list(memberships_for_user(user=user)),
        "tokens": list(api_tokens_for_user(user=user)),
        "token_form": token_form,
        "raw_token": raw_token,
        "new_token": new_token,
    }
    return render(request, "accounts/security.html", context, status=status)


@login_required
@never_cache
def security_view(request: HttpRequest) -> HttpResponse:
    return _render_security(request, token_form=ApiTokenForm())


@login_required
@never_cache
@require_POST
def api_token_create_view(request: HttpRequest) -> HttpResponse:
    viewer = current_viewer(request)
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = api_token_create(
                viewer=viewer, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            # The raw token is in this one response (never cached) and nowhere else.
            return _render_security(request, token_form=ApiTokenForm(), raw_token=raw,
                                    new_token=token)
    return _render_security(request, token_form=form, status=400)


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    viewer = current_viewer(request)
    token = api_token_for_user(user=viewer.user, token_id=token_id)
    api_token_revoke(viewer=viewer, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return HttpResponseRedirect(reverse("accounts:security"))


@login_required
@require_http_methods(["GET", "POST"])
def membership_choose_view(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    memberships = memberships_for_user(user=user)
    if request.method == "POST":
        raw_id = request.POST.get("membership", "")
        chosen = memberships.filter(pk=int(raw_id)).first() if raw_id.isdigit() else None
        if chosen is None:
            raise Http404
        request.session[SESSION_MEMBERSHIP] = chosen.pk
        messages.success(request, _("You now act for %(organisation)s as %(role)s.") % {
            "organisation": chosen.organisation, "role": chosen.get_role_display(),
        })
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("accounts:security")
        return HttpResponseRedirect(next_url)
    current = getattr(request, "viewer", None)
    return render(request, "accounts/membership_choose.html", {
        "memberships": list(memberships),
        "current_id": current.membership.pk if current is not None else None,
        "next": request.GET.get("next", ""),
    })
