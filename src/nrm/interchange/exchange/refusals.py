"""Why a package is refused: one reason per check, each with a message that says what is wrong
and what to do. A refusal is a ValidationError, so that pages show it above the form and the
API answers 422 with it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Refusal(models.TextChoices):
    TOO_LARGE = "too_large", _("Too large")
    NOT_JSON = "not_json", _("Not JSON")
    NOT_A_PACKAGE = "not_a_package", _("Not an exchange package")
    UNSUPPORTED_FORMAT = "unsupported_format", _("Format not supported")
    DAMAGED = "damaged", _("Damaged")
    UNKNOWN_SENDER = "unknown_sender", _("Unknown sender")
    INACTIVE_SENDER = "inactive_sender", _("Sender not active")
    BAD_SIGNATURE = "bad_signature", _("Signature does not match")
    WRONG_RECIPIENT = "wrong_recipient", _("Addressed to another deployment")
    EXPIRED = "expired", _("Expired")
    NOT_YET_VALID = "not_yet_valid", _("Made in the future")
    REPLAYED = "replayed", _("Already imported")
    NOT_OUR_KEY = "not_our_key", _("Encrypted to another key")
    UNDECRYPTABLE = "undecryptable", _("Does not decrypt")
    READDRESSED = "readdressed", _("Re-addressed or re-signed")
    INVALID_CONTENT = "invalid_content", _("Contents do not follow the schema")
    INVALID_RETURN = "invalid_return", _("Return journey not valid")
    UNKNOWN_ORGANISATION = "unknown_organisation", _("Addressed to an unknown organisation")
    OTHER_ORGANISATION = "other_organisation", _("Addressed to another organisation")
    # A reply where a package was expected, and the other way round.
    A_REPLY = "a_reply", _("A reply, not a referral")
    NOT_A_REPLY = "not_a_reply", _("A referral, not a reply")
    # The checks of a reply, once its envelope passed those of every package.
    REPLY_REPLAYED = "reply_replayed", _("Reply already applied")
    UNKNOWN_PACKAGE = "unknown_package", _("Answers a package not made here")
    WRONG_PARTNER = "wrong_partner", _("Answered by another partner")
    OTHER_REFERRER = "other_referrer", _("Answers another organisation's referral")
    STALE = "stale", _("Older than a reply already applied")
    IMPOSSIBLE_STEP = "impossible_step", _("The referral cannot take this answer")
    # A cancellation where something else was expected, and the other way round; the checks of
    # a cancellation once its envelope passed; a package its referrer had cancelled already.
    A_CANCELLATION = "a_cancellation", _("A cancellation, not a referral or a reply")
    NOT_A_CANCELLATION = "not_a_cancellation", _("Not a cancellation")
    CANCELLATION_REPLAYED = "cancellation_replayed", _("Cancellation already applied")
    CANCELS_ANOTHER = "cancels_another", _("Names a package of another referral or partner")
    CANCELLED_BEFORE_IMPORT = "cancelled_before_import", _("Cancelled by the referrer")


ASK_FOR_A_NEW_ONE = _("Ask the sender for a new package.")

MESSAGES: dict[Refusal, Any] = {
    Refusal.TOO_LARGE: _(
        "This file is larger than an exchange package can be (%(limit)s KB). Check that you "
        "chose the package file the sending deployment produced."),
    Refusal.NOT_JSON: _(
        "This file is not an exchange package: it is not JSON text. Choose the .json file that "
        "the sending deployment produced, unchanged."),
    Refusal.NOT_A_PACKAGE: _(
        "This file is JSON but not an nrm exchange package. Choose the .json file that the "
        "sending deployment's “Make and download the package” produced."),
    Refusal.UNSUPPORTED_FORMAT: _(
        "This package is in the format “%(found)s”, which this version of nrm does not read "
        "(it reads “%(expected)s”). Ask the sender to check which nrm version they run, or "
        "your operator to upgrade nrm."),
    Refusal.DAMAGED: _(
        "This package is damaged: parts of it are missing or not readable. It may have been "
        "cut or changed on the way. Ask the sender for a new package."),
    Refusal.UNKNOWN_SENDER: _(
        "This package comes from the deployment “%(sender)s”, which is not registered here as "
        "a partner. Ask your system admin to register that partner with its public keys, "
        "then import the package again."),
    Refusal.INACTIVE_SENDER: _(
        "This package comes from “%(sender)s”, a partner deployment that is registered but "
        "not active: packages from it are not accepted. Ask your system admin whether the "
        "partnership is in force."),
    Refusal.BAD_SIGNATURE: _(
        "This package's signature does not match the signing key registered for "
        "“%(sender)s”: the package was changed after it was signed, or the partner's key "
        "changed. Do not use it. Ask the sender for a new package, and your system admin to "
        "confirm the partner's keys with them."),
    Refusal.WRONG_RECIPIENT: _(
        "This package is addressed to the deployment “%(recipient)s”, not to this one "
        "(“%(us)s”). Ask the sender to make a new package addressed to “%(us)s”."),
    Refusal.EXPIRED: _(
        "This package expired on %(expires)s (UTC). Ask the sender for a new package."),
    Refusal.NOT_YET_VALID: _(
        "This package says it was made on %(created)s (UTC), later than this server's clock "
        "allows. Ask your operator to check this server's clock, and the sender to check "
        "theirs."),
    Refusal.REPLAYED: _(
        "This package (%(package)s) was already imported here on %(received)s (UTC). A "
        "package is imported once; find the referral in your organisation's inbox. If "
        "something is missing, ask the sender for a new package."),
    Refusal.NOT_OUR_KEY: _(
        "This package was encrypted to a key this deployment does not hold, perhaps its key "
        "before a change. Ask the sender to check this deployment's current public keys and "
        "make a new package."),
    Refusal.UNDECRYPTABLE: _(
        "This package cannot be decrypted with this deployment's key: it was changed on the "
        "way or sealed wrongly. Do not use it. Ask the sender for a new package."),
    Refusal.READDRESSED: _(
        "This package's sealed contents name a different sender, recipient, package or expiry "
        "than its envelope: someone re-addressed or re-signed it. Do not use it. Ask the "
        "sender for a new package."),
    Refusal.INVALID_CONTENT: _(
        "This package's contents do not follow the exchange schema %(schema)s (%(errors)s). "
        "Ask the sender to check their nrm version and make a new package."),
    Refusal.INVALID_RETURN: _(
        "This package's return journey cannot be recorded here (%(errors)s). Ask the sender "
        "to correct the return journey and make a new package."),
    Refusal.UNKNOWN_ORGANISATION: _(
        "This package is addressed to “%(organisation)s” under the id %(ref)s, which names no "
        "active organisation of this deployment's directory in that country. Ask the sender "
        "to check the organisation's id with your system admin, and to make a new package."),
    Refusal.OTHER_ORGANISATION: _(
        "This package is addressed to %(organisation)s, not to your organisation. Pass it on "
        "to a case worker of %(organisation)s, who can import it."),
    Refusal.A_REPLY: _(
        "This file is a reply to a referral this deployment sent, not a referral. Import it on "
        "the “Import an exchange package” page, which applies replies too."),
    Refusal.NOT_A_REPLY: _(
        "This file is a referral package, not a reply. Import it as a package: it becomes an "
        "incoming referral."),
    Refusal.REPLY_REPLAYED: _(
        "This reply (%(package)s) was already applied here on %(received)s (UTC). A reply is "
        "applied once; see the referral's page for what it changed."),
    Refusal.UNKNOWN_PACKAGE: _(
        "This reply answers a package (%(package)s, referral %(code)s) that this deployment "
        "did not make. Do not use it. Ask the partner which package they answered."),
    Refusal.WRONG_PARTNER: _(
        "This reply comes from “%(sender)s”, but the package it answers went to “%(partner)s”. "
        "Only the deployment the package went to can answer it. Do not use it."),
    Refusal.OTHER_REFERRER: _(
        "This reply answers a referral of %(organisation)s, not of your organisation. Pass it "
        "on to a case worker of %(organisation)s, who can apply it."),
    Refusal.STALE: _(
        "This reply was made on %(created)s (UTC), before the reply already applied to this "
        "referral (made on %(latest)s): it is out of date and would undo a later answer. "
        "Ask the partner for a new reply if something is missing."),
    Refusal.IMPOSSIBLE_STEP: _(
        "This reply says the referral is now “%(reported)s”, but here it is “%(status)s”, "
        "which cannot become that. Nothing was changed. Check with the receiving organisation "
        "what happened, and refer the person again if needed."),
    Refusal.A_CANCELLATION: _(
        "This file is the referring organisation's cancellation of a referral it sent by "
        "package, not a referral or a reply. Upload it on the “Import an exchange package” "
        "page, which applies cancellations too."),
    Refusal.NOT_A_CANCELLATION: _(
        "This file is a referral package or a reply, not a cancellation. Upload it on the "
        "“Import an exchange package” page, which reads each kind."),
    Refusal.CANCELLATION_REPLAYED: _(
        "This cancellation (%(package)s) was already applied here on %(received)s (UTC). A "
        "cancellation is applied once; see the referral's page for what it changed."),
    Refusal.CANCELS_ANOTHER: _(
        "This cancellation names the package %(package)s, which came here from another "
        "partner or for another referral. Do not use it. Ask the referring organisation which "
        "referral they cancelled."),
    Refusal.CANCELLED_BEFORE_IMPORT: _(
        "The referring organisation cancelled this referral on %(cancelled)s (UTC), and its "
        "cancellation was applied here before this package (%(package)s) came: it is not "
        "imported. Ask the referring organisation if the person still needs help here."),
}


class PackageRefusedError(ValidationError):
    """A package refused by one of the checks, with the reason and the message for people."""

    def __init__(self, reason: Refusal, **params: Any) -> None:
        super().__init__(MESSAGES[reason], code=reason.value, params=params)
        self.reason = reason
        self.params = params

    def __str__(self) -> str:
        return self.messages[0]
