"""My notifications: referrals and other work that concerns me, newest first."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from nrm.accounts.models import User
from nrm.accounts.selectors import notifications_for_user
from nrm.accounts.services import notifications_mark_read

PER_PAGE = 30


@login_required
@require_safe
def notifications_view(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    page = Paginator(notifications_for_user(user=user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/notifications.html", {"page": page})


@login_required
@require_safe
def notification_open_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Follow a notification's link, marking it read."""
    user = cast(User, request.user)
    notification = notifications_for_user(user=user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404
    notifications_mark_read(user=user, notification_ids=[notification.pk])
    if notification.url and url_has_allowed_host_and_scheme(
            notification.url, allowed_hosts={request.get_host()},
            require_https=request.is_secure()):
        return HttpResponseRedirect(notification.url)
    return redirect("accounts:notifications")


@login_required
@require_POST
def notifications_read_view(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=cast(User, request.user))
    return redirect("accounts:notifications")
