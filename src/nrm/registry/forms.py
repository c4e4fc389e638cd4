"""Forms of the registry's screens. They parse and check what a person typed, then hand the
services their typed inputs (registry/inputs.py); the services check everything again."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nrm.accounts.models import Membership, User
from nrm.accounts.roles import CASE_ROLES
from nrm.core.codes import normalise_code
from nrm.core.countries import (
    PRIORITY_COUNTRIES,
    PRIORITY_LANGUAGES,
    country_choices,
    country_name,
    language_choices,
    language_name,
    region_choices,
)
from nrm.core.models import AuditAction
from nrm.directory.models import Organisation
from nrm.registry import validation as check
from nrm.registry.choices import (
    AgeBand,
    CaseStatus,
    ConsentMethod,
    ConsentPurpose,
    EntryPoint,
    EventStage,
    ExploitationType,
    LabourIndustry,
    MeansOfControl,
    RecruiterRelationship,
    RecruitmentMethod,
    Sex,
    SexualExploitationType,
)
from nrm.registry.inputs import (
    CaseInput,
    ConsentInput,
    DocumentInput,
    EventInput,
    IdentityInput,
    PersonInput,
)

ADULT_AGE = 18
CHILD_AGE_BANDS = frozenset({AgeBand.B0_8, AgeBand.B9_17})
BLANK: list[tuple[str, Any]] = [("", "—")]


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    TRAVEL_DOCUMENT = "travel_document", _("Travel document")
    OTHER = "other", _("Other")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


def is_child(birth_year: int | None, age_band: str) -> bool:
    """Whether the person is (probably) under 18, from their birth year or age band."""
    if birth_year is not None:
        return timezone.localdate().year - birth_year < ADULT_AGE
    return age_band in CHILD_AGE_BANDS


def _with_blank(choices: Callable[[], list[tuple[str, str]]]) -> Callable[[], list[Any]]:
    # Called when the field renders, so that names follow the user's language.
    return lambda: BLANK + choices()


def _priority_countries() -> list[tuple[str, str]]:
    return [(code, country_name(code)) for code in PRIORITY_COUNTRIES]


def _priority_languages() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in PRIORITY_LANGUAGES]


def _service_check(function: Callable[..., Any], *args: Any) -> Any:
    """Run one of the shared checks of registry.validation and keep only its messages."""
    try:
        return function(*args)
    except ValidationError as exc:
        raise ValidationError(exc.messages) from None


class Checks(forms.CheckboxSelectMultiple):
    """A picklist shown as a group of checkboxes (one tap each on a phone)."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__(attrs={"class": "checks", **(attrs or {})}, choices=choices)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _picks(choices: Any, label: Any, help_text: Any = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, choices=choices, required=False,
                                     widget=Checks, help_text=help_text)


class CaseFieldsForm(forms.Form):
    """The description of a case, shared by registering and by editing a case."""

    entry_point = forms.ChoiceField(label=_("Entry point"), choices=EntryPoint.choices,
                                    help_text=_("How the person came to be identified."))
    opened_on = forms.DateField(label=_("Opened on"), required=False, widget=DateInput,
                                help_text=_("Today when left empty."))
    exploitation_types = _picks(ExploitationType.choices, _("Types of exploitation"))
    labour_industry = forms.ChoiceField(label=_("Labour sector"), required=False,
                                        choices=BLANK + LabourIndustry.choices)
    sexual_exploitation_types = _picks(SexualExploitationType.choices,
                                       _("Types of sexual exploitation"))
    means_of_control = _picks(MeansOfControl.choices, _("Means of control"))
    recruitment_methods = _picks(RecruitmentMethod.choices, _("Methods of recruitment"))
    recruiter_relationship = forms.ChoiceField(label=_("Relationship to the recruiter"),
                                               required=False,
                                               choices=BLANK + RecruiterRelationship.choices)

    def clean_opened_on(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("opened_on")
        _service_check(check.check_not_future, "opened_on", value)
        return value

    def case_input(self, **extra: Any) -> CaseInput:
        data = self.cleaned_data
        return CaseInput(
            entry_point=data["entry_point"],
            opened_on=data.get("opened_on"),
            exploitation_types=data["exploitation_types"],
            labour_industry=data["labour_industry"],
            sexual_exploitation_types=data["sexual_exploitation_types"],
            means_of_control=data["means_of_control"],
            recruitment_methods=data["recruitment_methods"],
            recruiter_relationship=data["recruiter_relationship"],
            **extra,
        )


class RegisterForm(CaseFieldsForm):
    """A person, their identity and their first case, in one guided form."""

    # Person: what statistics need; nothing that identifies.
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_year = forms.IntegerField(label=_("Birth year"), required=False,
                                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    age_band = forms.ChoiceField(label=_("Age band"), required=False,
                                 choices=BLANK + AgeBand.choices,
                                 help_text=_("When the birth year is not known."))
    citizenships = _picks(_priority_countries, _("Citizenship"))
    other_citizenship = forms.ChoiceField(label=_("Other citizenship"), required=False,
                                          choices=_with_blank(country_choices))
    languages = _picks(_priority_languages, _("Languages"))
    other_language = forms.ChoiceField(label=_("Other language"), required=False,
                                       choices=_with_blank(language_choices))

    # Identity: encrypted, seen only by the organisation's case workers.
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False,
                                 help_text=_("In any script, as the person writes it."))
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    latin_name = forms.CharField(
        label=_("Name in Latin letters"), max_length=200, required=False,
        help_text=_("As written in the passport. Left empty, nrm transliterates the name."),
    )
    aliases = forms.CharField(label=_("Aliases"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Other names the person is known by, one per line."))
    birth_date = forms.CharField(
        label=_("Birth date"), max_length=10, required=False,
        widget=forms.TextInput(attrs={"placeholder": "1995-03-14", "inputmode": "numeric"}),
        help_text=_("YYYY-MM-DD, or YYYY-MM or YYYY when only that is known."),
    )
    birth_date_estimated = forms.BooleanField(label=_("The birth date is estimated"),
                                              required=False)
    document_kind = forms.ChoiceField(label=_("Identity document"), required=False,
                                      choices=BLANK + DocumentKind.choices)
    document_number = forms.CharField(label=_("Document number"), max_length=40, required=False)
    document_country = forms.ChoiceField(label=_("Country of issue"), required=False,
                                         choices=_with_blank(country_choices))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    address = forms.CharField(label=_("Address"), max_length=300, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    # A child's consent goes with a guardian's.
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=200, required=False,
                                    help_text=_("For a child: the parent or legal guardian."))
    guardian_consented = forms.ChoiceField(label=_("The guardian consents"), required=False,
                                           choices=BLANK + Answer.choices)

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    # Where the service's field names differ from this form's.
    SERVICE_FIELDS = {"documents": "document_country", "case_worker_id": None,
                      "status": None, "events": None, "consents": None}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    def clean_birth_year(self) -> int | None:
        value: int | None = self.cleaned_data.get("birth_year")
        _service_check(check.check_birth_year, value)
        return value

    def clean_birth_date(self) -> str:
        value: str = self.cleaned_data.get("birth_date", "").strip()
        _service_check(check.check_partial_date, "birth_date", value)
        return value

    def clean_submission_key(self) -> str:
        try:
            return uuid.UUID(self.cleaned_data["submission_key"]).hex
        except ValueError:
            raise ValidationError(_("The form was damaged; open it again.")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("given_name") or data.get("family_name") or data.get("aliases")):
            self.add_error("given_name", _("Give at least a name or an alias."))
        birth_date, birth_year = data.get("birth_date"), data.get("birth_year")
        if birth_date and birth_year and int(birth_date[:4]) != birth_year:
            self.add_error("birth_year", _("The birth year differs from the birth date."))
        if birth_date and not birth_year and "birth_year" not in self.errors:
            data["birth_year"] = int(birth_date[:4])
        if data.get("document_number") and not data.get("document_kind"):
            self.add_error("document_kind", _("Say what kind of document the number is of."))
        return data

    @property
    def child(self) -> bool:
        return is_child(self.cleaned_data.get("birth_year"), self.cleaned_data.get("age_band", ""))

    def person_input(self) -> PersonInput:
        data = self.cleaned_data
        citizenships = list(data["citizenships"])
        if data["other_citizenship"]:
            citizenships.append(data["other_citizenship"])
        languages = list(data["languages"])
        if data["other_language"]:
            languages.append(data["other_language"])
        return PersonInput(sex=data["sex"], birth_year=data.get("birth_year"),
                           age_band=data["age_band"], citizenships=citizenships,
                           languages=languages)

    def identity_input(self) -> IdentityInput:
        data = self.cleaned_data
        documents = []
        if data["document_kind"]:
            documents.append(DocumentInput(kind=data["document_kind"],
                                           number=data["document_number"].strip(),
                                           country=data["document_country"]))
        return IdentityInput(
            given_name=data["given_name"], patronymic=data["patronymic"],
            family_name=data["family_name"], latin_name=data["latin_name"],
            aliases=_lines(data["aliases"]), birth_date=data["birth_date"],
            birth_date_estimated=data["birth_date_estimated"], documents=documents,
            phones=[data["phone"]] if data["phone"].strip() else [],
            addresses=[data["address"]] if data["address"].strip() else [],
        )

    def guardian(self) -> tuple[str, bool | None]:
        answer = self.cleaned_data.get("guardian_consented", "")
        return (self.cleaned_data.get("guardian_name", "").strip(),
                None if not answer else answer == Answer.YES)


class EventForm(forms.Form):
    """Where and when one stage of the trafficking took place."""

    stage = forms.ChoiceField(label=_("Stage"), required=False,
                              choices=BLANK + EventStage.choices)
    country = forms.ChoiceField(label=_("Country"), required=False,
                                choices=_with_blank(country_choices))
    region = forms.ChoiceField(label=_("Region"), required=False, choices=BLANK)
    city = forms.CharField(label=_("City or place"), max_length=100, required=False)
    date = forms.CharField(
        label=_("Date"), max_length=10, required=False,
        widget=forms.TextInput(attrs={"placeholder": "2024-05", "inputmode": "numeric"}),
        help_text=_("YYYY-MM-DD, YYYY-MM or YYYY."),
    )

    def __init__(self, *args: Any, required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.required = required
        if required:
            self.fields["stage"].required = self.fields["country"].required = True
        country = (self.data.get(self.add_prefix("country")) if self.is_bound
                   else self.initial.get("country")) or ""
        # Regions follow the chosen country; htmx swaps them when the country changes.
        region = cast(forms.ChoiceField, self.fields["region"])
        region.choices = BLANK + region_choices(str(country)[:2])
        self.fields["country"].widget.attrs.update({
            "hx-get": reverse_lazy("registry:region_options"),
            "hx-target": f"#{self['region'].auto_id}",
            "hx-trigger": "change",
        })

    @property
    def filled(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("stage", "country", "region", "city", "date"))

    def clean_date(self) -> str:
        value: str = self.cleaned_data.get("date", "").strip()
        _service_check(check.check_partial_date, "date", value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.filled and not self.required:
            for name in ("stage", "country"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Required when any part of the event is filled in."))
        return data

    def event_input(self) -> EventInput:
        data = self.cleaned_data
        return EventInput(stage=data["stage"], country=data["country"], region=data["region"],
                          city=data["city"].strip(), date=data["date"])


class ConsentAnswerForm(forms.Form):
    """One purpose's row in the register form: given, refused, or not asked yet."""

    given = forms.ChoiceField(label=_("Consent"), required=False,
                              choices=[("", _("Not asked yet")), *Answer.choices])
    method = forms.ChoiceField(label=_("How"), required=False,
                               choices=BLANK + ConsentMethod.choices)
    recipient = forms.ModelChoiceField(label=_("Organisation"), required=False,
                                       queryset=Organisation.objects.active().order_by("name"))

    def __init__(self, *args: Any, purpose: ConsentPurpose, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.purpose = purpose
        self.purpose_label = purpose.label
        if purpose != ConsentPurpose.SHARE_ORGANISATION:
            del self.fields["recipient"]

    @property
    def answered(self) -> bool:
        return bool(getattr(self, "cleaned_data", {}).get("given"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("given"):
            if not data.get("method"):
                self.add_error("method", _("Say how the consent was given or refused."))
            if "recipient" in self.fields and not data.get("recipient"):
                self.add_error("recipient", _("Name the organisation."))
        return data

    def consent_input(self, *, guardian_name: str, guardian_consented: bool | None
                      ) -> ConsentInput:
        data = self.cleaned_data
        recipient = data.get("recipient")
        return ConsentInput(purpose=self.purpose, given=data["given"] == Answer.YES,
                            method=data["method"], recipient_id=recipient.pk if recipient else None,
                            guardian_name=guardian_name, guardian_consented=guardian_consented)


def check_guardian(form: RegisterForm, consents: list[ConsentAnswerForm]) -> None:
    """A child's consent counts only with a guardian's answer beside it."""
    if not form.child or not any(c.cleaned_data.get("given") == Answer.YES for c in consents):
        return
    if not form.cleaned_data.get("guardian_name", "").strip():
        form.add_error("guardian_name", _("A child's consent needs the guardian's name."))
    if not form.cleaned_data.get("guardian_consented"):
        form.add_error("guardian_consented", _("Record whether the guardian consents."))


class CaseUpdateForm(CaseFieldsForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(CaseStatus.ACTIVE, CaseStatus.ACTIVE.label),
                 (CaseStatus.FOLLOW_UP, CaseStatus.FOLLOW_UP.label)],
        help_text=_("To close the case, use “Close case”."),
    )
    SERVICE_FIELDS = {"case_worker_id": None}


class CaseCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput)
    reason = forms.CharField(label=_("Reason for closure"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    referred = forms.BooleanField(label=_("Closed because the person was referred elsewhere"),
                                  required=False)
    SERVICE_FIELDS = {"status": None}

    def clean_closed_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["closed_on"]
        _service_check(check.check_not_future, "closed_on", value)
        return value


class ConsentRecordForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    given = forms.ChoiceField(label=_("Consent"), choices=Answer.choices,
                              widget=forms.RadioSelect)
    method = forms.ChoiceField(label=_("How"), choices=ConsentMethod.choices)
    recipient = forms.ModelChoiceField(
        label=_("Organisation shared with"), required=False,
        queryset=Organisation.objects.active().order_by("name"),
        help_text=_("Only for sharing with a named organisation."),
    )
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=200, required=False,
                                    help_text=_("For a child: the parent or legal guardian."))
    guardian_consented = forms.ChoiceField(label=_("The guardian consents"), required=False,
                                           choices=BLANK + Answer.choices)
    SERVICE_FIELDS = {"consents": None}

    def __init__(self, *args: Any, child: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.child = child

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("purpose") == ConsentPurpose.SHARE_ORGANISATION and not data.get("recipient"):
            self.add_error("recipient", _("Name the organisation."))
        if self.child and data.get("given") == Answer.YES:
            if not data.get("guardian_name", "").strip():
                self.add_error("guardian_name", _("A child's consent needs the guardian's name."))
            if not data.get("guardian_consented"):
                self.add_error("guardian_consented", _("Record whether the guardian consents."))
        return data

    def consent_input(self) -> ConsentInput:
        data = self.cleaned_data
        recipient = data.get("recipient")
        guardian = data.get("guardian_consented", "")
        return ConsentInput(
            purpose=data["purpose"], given=data["given"] == Answer.YES, method=data["method"],
            recipient_id=recipient.pk if recipient else None,
            guardian_name=data["guardian_name"].strip(),
            guardian_consented=None if not guardian else guardian == Answer.YES,
        )


def case_workers_of(organisation_id: int) -> models.QuerySet[User]:
    """The users who may be given a case of the organisation."""
    members = Membership.objects.active().filter(organisation_id=organisation_id,
                                                 role__in=CASE_ROLES)
    return User.objects.filter(is_active=True, memberships__in=members).distinct().order_by(
        "username")


class CaseWorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class CaseAssignForm(forms.Form):
    case_worker = CaseWorkerChoiceField(label=_("Responsible case worker"),
                                        queryset=User.objects.none())
    SERVICE_FIELDS = {"case_worker_id": "case_worker"}

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_worker"].queryset = case_workers_of(organisation_id)  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, code or birth year"), max_length=200, required=False)


class MyCasesFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *CaseStatus.choices])


class AuditFilterForm(forms.Form):
    action = forms.TypedChoiceField(label=_("Action"), required=False, coerce=int,
                                    empty_value=None,
                                    choices=[("", _("Any action")), *AuditAction.choices])
    actor = forms.ChoiceField(label=_("Who"), required=False)
    person = forms.CharField(label=_("Person code"), max_length=16, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput)
    until = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = (
            Membership.objects.filter(organisation_id=organisation_id)
            .values_list("user_id", "user__username").distinct().order_by("user__username")
        )
        actor = cast(forms.ChoiceField, self.fields["actor"])
        actor.choices = [("", _("Anyone"))] + [
            (str(user_id), username) for user_id, username in members
        ]

    def clean_person(self) -> str:
        raw: str = self.cleaned_data.get("person", "").strip()
        if raw and normalise_code(raw) is None:
            raise ValidationError(_("“%(code)s” is not a valid code (like K7QM-4TXR-9)."),
                                  params={"code": raw})
        return raw

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end comes before the start."))
        return data
