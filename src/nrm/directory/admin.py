"""The directory in the Django admin, for national coordinators (their own country) and system
admins. The same validation as the application's pages; every change is audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nrm.accounts.models import User
from nrm.core.audit import audit_record
from nrm.core.countries import country_choices, language_choices
from nrm.core.models import AuditAction
from nrm.directory.inputs import OrganisationInput
from nrm.directory.models import Organisation, ServiceType, SexServed
from nrm.directory.selectors import directory_countries_for_user
from nrm.directory.services import organisation_input_normalised, organisation_input_validate


class OrganisationAdminForm(forms.ModelForm):
    country = forms.ChoiceField(label=gettext_lazy("country"), choices=country_choices)
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("languages"), choices=language_choices, required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    website = forms.URLField(label=gettext_lazy("website"), required=False,
                             assume_scheme="https")
    sexes_accepted = forms.MultipleChoiceField(
        label=gettext_lazy("sexes accepted"), choices=SexServed.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    # Set by OrganisationAdmin.get_form: the countries this admin user may manage (None: all).
    allowed_countries: frozenset[str] | None = None

    class Meta:
        model = Organisation
        fields = ("name", "short_name", "kind", "country", "region", "city", "address", "phone",
                  "email", "website", "languages", "services", "is_first_responder",
                  "is_competent_authority", "is_active", "sexes_accepted", "age_min", "age_max",
                  "accompanied_children")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        details = organisation_input_normalised(OrganisationInput(
            name=cleaned.get("name", ""), short_name=cleaned.get("short_name", ""),
            kind=cleaned.get("kind", ""), country=cleaned.get("country", ""),
            region=cleaned.get("region", ""), city=cleaned.get("city", ""),
            address=cleaned.get("address", ""), phone=cleaned.get("phone", ""),
            email=cleaned.get("email", ""), website=cleaned.get("website", ""),
            languages=list(cleaned.get("languages") or []),
            services=[service.code for service in cleaned.get("services") or []],
            sexes_accepted=list(cleaned.get("sexes_accepted") or []),
            age_min=cleaned.get("age_min"), age_max=cleaned.get("age_max"),
        ))
        allowed = self.allowed_countries
        if allowed is not None:
            if details.country not in allowed:
                self.add_error("country", _("You may manage organisations only in your country."))
            if self.instance.pk and self.instance.country not in allowed:
                self.add_error(None, _("You may manage organisations only in your country."))
        try:
            organisation_input_validate(details)
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        cleaned.update(country=details.country, region=details.region,
                       languages=details.languages, sexes_accepted=details.sexes_accepted)
        return cleaned


def _manages_directory(request: HttpRequest) -> bool:
    user = request.user
    if not isinstance(user, User) or not user.is_active or not user.is_staff:
        return False
    countries = directory_countries_for_user(user)
    return countries is None or bool(countries)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ("name", "kind", "country", "region", "is_first_responder",
                    "is_competent_authority", "is_active")
    list_filter = ("kind", "country", "is_first_responder", "is_competent_authority",
                   "is_active", "services")
    search_fields = ("name", "short_name", "city")
    filter_horizontal = ("services",)
    readonly_fields = ("created_at", "updated_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        organisations = super().get_queryset(request)
        countries = directory_countries_for_user(request.user)  # type: ignore[arg-type]
        if countries is not None:
            organisations = organisations.filter(country__in=countries)
        return organisations

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False,
                 **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        allowed = directory_countries_for_user(request.user)  # type: ignore[arg-type]
        # A subclass per request, so that one admin's countries never leak into another's form.
        return type(form.__name__, (form,), {"allowed_countries": allowed})

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _manages_directory(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _manages_directory(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _manages_directory(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _manages_directory(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Audit entries and memberships refer to organisations: mark one inactive instead.
        return False

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        # The admin wraps this in the transaction of the whole change, services included.
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, organisation_id=None,
                     action=AuditAction.ORGANISATION_CHANGED, obj=obj,
                     fields=form.changed_data, purpose="changed in admin" if change
                     else "created in admin")


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    """The taxonomy is reference data shipped in migrations: shown, never edited here."""

    list_display = ("code", "__str__")
    search_fields = ("code",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
