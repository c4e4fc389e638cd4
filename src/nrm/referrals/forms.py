"""Forms of the referral pages: the referral itself, the answers that need a reason, and a
country's response deadlines."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext_lazy as _

from nrm.directory.models import Organisation
from nrm.directory.taxonomy import SERVICE_TYPES
from nrm.referrals import sharing
from nrm.referrals.choices import Urgency
from nrm.referrals.services import MAX_CHILDREN, NOTE_LIMIT, REASON_LIMIT
from nrm.registry.choices import Sex


class ReferralForm(forms.Form):
    services = forms.MultipleChoiceField(label=_("Services asked for"),
                                         widget=forms.CheckboxSelectMultiple)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices,
                                initial=Urgency.ROUTINE)
    accompanying_children = forms.IntegerField(
        label=_("Children coming with the person"), min_value=0, max_value=MAX_CHILDREN,
        initial=0)
    note = forms.CharField(
        label=_("Note to the receiving organisation"), required=False, max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What they need to know to help. Do not write names here: share them "
                    "below, only with consent."))
    shared_fields = forms.MultipleChoiceField(
        label=_("What to share"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(field.code, field.label) for field in sharing.SHAREABLE_FIELDS],
        help_text=_("The person's pseudonymous code is always shared. Tick only what the "
                    "receiving organisation needs."))
    override_reason = forms.CharField(
        label=_("Emergency: why the referral cannot wait for consent"), required=False,
        max_length=REASON_LIMIT, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Supervisors only, same country only. Only sex, age band and languages "
                    "may be shared. The override is recorded in the audit log."))
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, receiver: Organisation, may_override: bool,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = sorted(service.code for service in receiver.services.all())
        cast(forms.ChoiceField, self.fields["services"]).choices = [
            (code, SERVICE_TYPES.get(code, code)) for code in offered]
        if not may_override:
            del self.fields["override_reason"]
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    def clean_submission_key(self) -> str:
        try:
            return uuid.UUID(self.cleaned_data["submission_key"]).hex
        except ValueError:
            raise ValidationError(_("The form was damaged; open it again.")) from None

    def grouped_shared_fields(self) -> list[tuple[object, list[BoundWidget]]]:
        """The shared-field checkboxes by group, as the page shows them."""
        boxes = {box.data["value"]: box for box in self["shared_fields"]}
        return [(label, [boxes[field.code] for field in fields])
                for _group, label, fields in sharing.grouped_fields()]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_LIMIT,
                             widget=forms.Textarea(attrs={"rows": 3}))


class CompletionForm(forms.Form):
    note = forms.CharField(label=_("What was done (optional)"), required=False,
                           max_length=NOTE_LIMIT, widget=forms.Textarea(attrs={"rows": 3}))


class DeadlinesForm(forms.Form):
    emergency_hours = forms.IntegerField(label=_("Emergency: hours to answer"), min_value=1,
                                         max_value=2160)
    urgent_hours = forms.IntegerField(label=_("Urgent: hours to answer"), min_value=1,
                                      max_value=2160)
    routine_hours = forms.IntegerField(label=_("Routine: hours to answer"), min_value=1,
                                       max_value=2160)
    expiry_hours = forms.IntegerField(
        label=_("Hours after the deadline until an unanswered referral expires"), min_value=1,
        max_value=2160)


def person_filters(sex: str, birth_year: int | None, this_year: int) -> dict[str, str]:
    """The directory filters that fit a person, to start the search for a receiver with."""
    initial = {}
    if sex and sex != Sex.UNKNOWN:
        initial["sex"] = sex
    if birth_year is not None:
        initial["age"] = str(this_year - birth_year)
    return initial
