"""Forms of the accounts pages. They parse input; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nrm.accounts.models import User
from nrm.accounts.roles import Role
from nrm.accounts.services import MAX_TOKEN_DAYS
from nrm.accounts.viewer import Viewer

# One message for an unknown username, a wrong password and a locked account alike, so that the
# page never tells anyone which usernames exist or which account is locked.
SIGN_IN_REFUSED = _(
    "Sign-in failed. Check your username and password. After several failed attempts, "
    "sign-in is paused for a few minutes."
)


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none",
                                      "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), max_length=1024, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"), max_length=12,
        widget=forms.TextInput(attrs={
            "inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True,
            "pattern": r"[0-9 ]*", "size": 8,
        }),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError(_("Enter the six digits your app shows."))
        return code


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(
        label=_("Current password"), strip=False, max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"), strip=False, max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password_again = forms.CharField(
        label=_("New password again"), strip=False, max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_current_password(self) -> str:
        password: str = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your current password."))
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        new, again = cleaned.get("new_password"), cleaned.get("new_password_again")
        if new and again and new != again:
            self.add_error("new_password_again", _("The two new passwords differ."))
        if new and new == cleaned.get("current_password"):
            self.add_error("new_password", _("Choose a password different from the current one."))
        return cleaned


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("token", "Name"), max_length=100,
        help_text=_("What uses the token, such as “monthly export script”."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_TOKEN_DAYS, initial=90,
    )


class MemberAddForm(forms.Form):
    NEW = "new"
    EXISTING = "existing"

    account = forms.ChoiceField(
        label=_("Account"), widget=forms.RadioSelect, initial=NEW,
        choices=[(NEW, _("New user (gets a temporary password)")),
                 (EXISTING, _("Existing user"))],
    )
    username = forms.CharField(
        label=_("Username"), max_length=150,
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    role = forms.TypedChoiceField(label=_("Role"), coerce=int)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["role"]).choices = [
            (role.value, role.label) for role in Role if role in viewer.grantable_roles
        ]
