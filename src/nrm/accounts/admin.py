"""Users, memberships and API tokens in the Django admin. The two-factor secret and token hashes
are never shown; membership changes are audited like those made in the application."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nrm.accounts.models import ApiToken, Membership, User
from nrm.accounts.services import account_unlock, api_token_revoke_by_admin, two_factor_reset
from nrm.core.audit import audit_record
from nrm.core.models import AuditAction


def _audit_membership(request: HttpRequest, membership: Membership, fields: list[str],
                      purpose: str) -> None:
    audit_record(actor=request.user, organisation_id=membership.organisation_id,
                 action=AuditAction.MEMBERSHIP_CHANGED, obj=membership, fields=fields,
                 purpose=purpose)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("organisation", "role", "is_active", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("organisation",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Ending a membership keeps its history: untick "active" instead.
        return False


@admin.register(User)
class NrmUserAdmin(UserAdmin):
    # Every field is listed here on purpose: totp_secret and totp_last_step never reach a form.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (gettext_lazy("Personal info"),
         {"fields": ("first_name", "last_name", "email", "preferred_language")}),
        (gettext_lazy("Signing in"),
         {"fields": ("must_change_password", "totp_confirmed_at", "failed_logins",
                     "locked_until", "last_login")}),
        (gettext_lazy("Permissions"),
         {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (gettext_lazy("Important dates"), {"fields": ("date_joined",)}),
    )
    readonly_fields = ("totp_confirmed_at", "failed_logins", "locked_until", "last_login",
                       "date_joined")
    list_display = ("username", "first_name", "last_name", "is_active", "two_factor_on",
                    "locked_now")
    list_filter = ("is_active", "is_staff", "memberships__role", "memberships__organisation")
    inlines = (MembershipInline,)
    actions = ("unlock", "reset_two_factor")

    @admin.display(boolean=True, description=gettext_lazy("two-factor"))
    def two_factor_on(self, user: User) -> bool:
        return user.has_two_factor

    @admin.display(boolean=True, description=gettext_lazy("locked"))
    def locked_now(self, user: User) -> bool:
        return user.is_locked()

    @admin.action(description=gettext_lazy("Unlock the selected accounts"))
    def unlock(self, request: HttpRequest, users: QuerySet[User]) -> None:
        for user in users:
            account_unlock(user=user, acting_user=cast(User, request.user))
            self.log_change(request, user, _("Unlocked"))
        messages.success(request, _("The selected accounts are unlocked."))

    @admin.action(description=gettext_lazy(
        "Reset two-factor (the user sets up a new device at the next sign-in)"))
    def reset_two_factor(self, request: HttpRequest, users: QuerySet[User]) -> None:
        for user in users:
            two_factor_reset(user=user, acting_user=cast(User, request.user))
            self.log_change(request, user, _("Two-factor reset"))
        messages.success(request, _("Two-factor is reset for the selected accounts."))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        for membership in formset.new_objects:
            _audit_membership(request, membership, ["user", "organisation", "role", "is_active"],
                              "added in admin")
        for membership, changed in formset.changed_objects:
            _audit_membership(request, membership, list(changed), "changed in admin")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "is_active", "created_at")
    list_filter = ("role", "is_active", "organisation__country")
    search_fields = ("user__username", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _audit_membership(request, obj, list(form.changed_data),
                          "changed in admin" if change else "added in admin")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be looked at and revoked, never created or edited here; the hash is not shown."""

    fields = ("user", "membership", "name", "hint", "created_at", "expires_at", "last_used_at",
              "revoked_at")
    readonly_fields = fields
    list_display = ("name", "user", "hint", "created_at", "last_used_at", "expires_at",
                    "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "hint")
    list_select_related = ("user",)
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Revoke the selected tokens"),
                  permissions=["view"])
    def revoke(self, request: HttpRequest, tokens: QuerySet[ApiToken]) -> None:
        for token in tokens:
            api_token_revoke_by_admin(acting_user=request.user, token=token)  # type: ignore[arg-type]
        messages.success(request, _("The selected tokens are revoked."))
