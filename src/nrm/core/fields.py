"""Model fields whose values are encrypted in the database (see nrm.core.crypto)."""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from nrm.core.crypto import key_ring


class EncryptedTextField(models.TextField):
    """Text stored as AES-GCM ciphertext; the database never sees the plaintext."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return key_ring().decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        text = str(value)
        if text == "":
            return ""
        return key_ring().encrypt(text)


class EncryptedJSONField(models.TextField):
    """A JSON value (list or dict) stored as AES-GCM ciphertext."""

    # For django-stubs: the attribute holds JSON values, not text.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None
        return json.loads(key_ring().decrypt(value))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value else None
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return key_ring().encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)
