"""The consent gate of a referral: has the person agreed to their data going to this
organisation, and across the border when it is in another country?

The latest answer for a purpose decides (a later refusal or withdrawal overrides an earlier
consent). A child's consent counts only with their guardian's. Consent across borders may name
the organisation or be general; either counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from nrm.directory.models import Organisation
from nrm.registry.choices import ConsentPurpose
from nrm.registry.forms import is_child
from nrm.registry.models import Consent, Person

GIVEN = "given"
MISSING = "missing"  # never asked, or not recorded: the only gap an emergency override fills
REFUSED = "refused"
WITHDRAWN = "withdrawn"
GUARDIAN_MISSING = "guardian_missing"  # a child agreed; their guardian has not
STATES = {
    GIVEN: _("given"),
    MISSING: _("not recorded"),
    REFUSED: _("refused"),
    WITHDRAWN: _("withdrawn"),
    GUARDIAN_MISSING: _("the guardian has not consented"),
}
# Gaps a supervisor may override in an emergency: a decision the person (or, for a child, the
# guardian) never made. A refusal or a withdrawal is the person's answer and stands.
OVERRIDABLE = frozenset({MISSING, GUARDIAN_MISSING})


def _state(person: Person, answers: list[Consent]) -> str:
    """The state of the latest of ``answers`` (one purpose's consents, newest first)."""
    latest = answers[0] if answers else None
    if latest is None:
        return MISSING
    if latest.withdrawn_at is not None:
        return WITHDRAWN
    if not latest.given:
        return REFUSED
    if is_child(person.birth_year, person.age_band) and latest.guardian_consented is not True:
        return GUARDIAN_MISSING
    return GIVEN


@dataclass(frozen=True)
class ConsentCheck:
    """The person's consent to share with one organisation (and across borders, when needed)."""

    sharing: str
    cross_border: str | None  # None: same country, not needed

    @property
    def passes(self) -> bool:
        return self.sharing == GIVEN and self.cross_border in (None, GIVEN)

    @property
    def overridable(self) -> bool:
        """A supervisor may override only a missing consent to share, in the same country."""
        return self.cross_border is None and self.sharing in OVERRIDABLE

    @property
    def sharing_label(self) -> str:
        return str(STATES[self.sharing])

    @property
    def cross_border_label(self) -> str:
        return str(STATES[self.cross_border]) if self.cross_border else ""


def _checks(person: Person, organisations: Iterable[Organisation],
            from_country: str) -> dict[int, ConsentCheck]:
    # One query for every organisation: the person's consents to share, newest first.
    answers = list(Consent.objects.filter(
        person=person,
        purpose__in=[ConsentPurpose.SHARE_ORGANISATION, ConsentPurpose.CROSS_BORDER],
    ).order_by("-recorded_at", "-pk"))
    checks = {}
    for organisation in organisations:
        sharing = _state(person, [
            answer for answer in answers if answer.purpose == ConsentPurpose.SHARE_ORGANISATION
            and answer.recipient_id == organisation.pk])
        cross_border = None
        if organisation.country != from_country:
            cross_border = _state(person, [
                answer for answer in answers if answer.purpose == ConsentPurpose.CROSS_BORDER
                and answer.recipient_id in (None, organisation.pk)])
        checks[organisation.pk] = ConsentCheck(sharing=sharing, cross_border=cross_border)
    return checks


def consent_check(*, person: Person, organisation: Organisation, from_country: str) -> ConsentCheck:
    """Whether ``person`` consented to sharing with ``organisation``, and across borders when
    the organisation's country is not ``from_country``."""
    return _checks(person, [organisation], from_country)[organisation.pk]


def consent_checks(*, person: Person, organisations: Iterable[Organisation],
                   from_country: str) -> dict[int, ConsentCheck]:
    """consent_check for each organisation (by id), reading the person's consents once."""
    return _checks(person, organisations, from_country)
