"""Sums of money as people type them: never negative, at most two decimals, in a currency named
by its ISO 4217 code. Shared by every app that records an amount (compensation, service costs)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Larger than any real sum in a case, small enough for a 14-digit column with two decimals.
AMOUNT_LIMIT = Decimal("1e12")


def check_amount(field: str, value: Decimal | int | str | None) -> Decimal | None:
    """The amount as a Decimal (None when not given); refused when negative, not a number or
    with more than two decimals."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: _("Write the amount as a number.")}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({field: _("The amount cannot be negative.")})
    if amount >= AMOUNT_LIMIT or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("Write the amount with at most two decimals.")})
    return amount


def check_currency(field: str, code: str) -> str:
    """The ISO 4217 code, upper-cased; refused when it names no currency."""
    code = code.strip().upper()
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise ValidationError(
            {field: _("Choose a currency by its ISO 4217 code, such as KZT.")})
    return code
