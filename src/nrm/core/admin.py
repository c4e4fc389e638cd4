"""The audit log in the Django admin: read only, for everyone, superusers included.

Registry models (Person, Identity, Case, ...) are deliberately NOT registered in the admin: a
person's identity may be read only through the registry's selectors, which check the viewer's
organisation and role and write an audit entry for every read. An admin page would bypass both.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from nrm.core.models import AuditEntry


def _sign_in_through_the_application(
    request: HttpRequest, extra_context: dict[str, Any] | None = None
) -> HttpResponse:
    # The admin's own sign-in form would skip the lockout and the second factor.
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"),
                             settings.LOGIN_URL)


admin.site.login = _sign_in_through_the_application  # type: ignore[method-assign]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "actor", "organisation", "object_type", "object_id",
                    "person_code", "purpose", "ip")
    list_filter = (
        "action",
        ("organisation", admin.RelatedOnlyFieldListFilter),
        ("at", admin.DateFieldListFilter),
    )
    date_hierarchy = "at"
    search_fields = ("person_code", "object_id", "actor__username")
    list_select_related = ("actor", "organisation")
    fields = ("at", "action", "actor", "organisation", "object_type", "object_id",
              "person_code", "fields", "purpose", "ip")
    readonly_fields = fields
    show_full_result_count = False  # counting a large log on every page is slow

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
