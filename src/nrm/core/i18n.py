"""Language helpers for text kept as data (catalogue questions, article titles)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import translation

# Where a text has not been written in the reader's language: Russian is read across the
# region, English by partners abroad.
FALLBACK_LANGUAGES = ("ru", "en")


def current_language() -> str:
    """The active language's base code: "ru" for "ru-ru", "en" when none is active."""
    return (translation.get_language() or "en").split("-")[0]


def text_in_language(texts: Mapping[str, object], default: str) -> str:
    """The text in the reader's language, else Russian, else English, else ``default``."""
    for language in (current_language(), *FALLBACK_LANGUAGES):
        if texts.get(language):
            return str(texts[language])
    return default
