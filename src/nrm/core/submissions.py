"""Duplicate submissions: a form or API call carries a one-time key; a second use is refused."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from nrm.core.models import SubmissionReceipt

if TYPE_CHECKING:
    from django.db import models


class DuplicateSubmissionError(Exception):
    """This submission was already carried out; ``receipt`` says what it created."""

    message = _("This form was already submitted; nothing was saved twice.")

    def __init__(self, receipt: SubmissionReceipt) -> None:
        super().__init__(str(self.message))
        self.receipt = receipt


def submission_claim(*, key: str | None, actor: Any, obj: models.Model) -> None:
    """Record that ``key`` produced ``obj``; call inside the service's transaction.

    If the key was used before, raise DuplicateSubmissionError, which rolls the transaction back.
    """
    if not key:
        return
    try:
        with transaction.atomic():
            SubmissionReceipt.objects.create(
                key=key[:64], actor=actor, object_type=obj._meta.model_name or "",
                object_id=str(obj.pk),
            )
    except IntegrityError:
        raise DuplicateSubmissionError(SubmissionReceipt.objects.get(key=key[:64])) from None
