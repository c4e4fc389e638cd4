"""Time-based one-time codes (RFC 6238): secrets, the QR code to enrol a phone, and checking a
code against the steps around now. No writes here; accounts.services records what is accepted."""

from __future__ import annotations

import datetime as dt
import hmac

import pyotp
import segno
from django.utils import timezone

ISSUER = "nrm"
STEP_SECONDS = 30
# A phone's clock may be a little off, and a code typed late belongs to the previous step.
ALLOWED_DRIFT_STEPS = 1


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(*, secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """An inline <svg> of the enrolment QR code (no image files, no Pillow)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#1d2433")


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise_code(code: str) -> str:
    return "".join(code.split())


def matching_step(
    *, secret: str, code: str, after_step: int, now: dt.datetime | None = None
) -> int | None:
    """The time step whose code is ``code``, within ±1 step of now and later than ``after_step``
    (so that a code already used is refused), or None."""
    code = normalise_code(code)
    if not secret or len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = int((now or timezone.now()).timestamp()) // STEP_SECONDS
    for step in range(current - ALLOWED_DRIFT_STEPS, current + ALLOWED_DRIFT_STEPS + 1):
        if step <= after_step:
            continue
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def code_at(secret: str, when: dt.datetime) -> str:
    """The code an authenticator app shows at ``when``."""
    return pyotp.TOTP(secret, interval=STEP_SECONDS).at(when)
