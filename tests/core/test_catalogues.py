"""The translation catalogues: Russian complete for every screen, no stale guesses anywhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = sorted(code for code, _name in settings.LANGUAGES if code != "en")


def _statistics(language: str) -> str:
    if shutil.which("msgfmt") is None:
        pytest.skip("gettext's msgfmt is not installed (make test installs it)")
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],  # noqa: S607
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_russian_is_complete():
    statistics = _statistics("ru")
    assert "untranslated" not in statistics, statistics
    assert "fuzzy" not in statistics, statistics


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_catalogue_keeps_a_fuzzy_guess(language):
    # A fuzzy entry is not used: the screen shows English, while the file suggests otherwise.
    assert "fuzzy" not in _statistics(language)


def test_russian_covers_every_string_of_the_code(tmp_path):
    # The catalogue is extracted afresh from a copy of the code: a new screen whose strings were
    # never extracted would pass the two tests above, and show English to a Russian reader.
    if shutil.which("xgettext") is None:
        pytest.skip("gettext's xgettext is not installed (make test installs it)")
    copy = tmp_path / "nrm"
    shutil.copytree(settings.BASE_DIR, copy,
                    ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    result = subprocess.run(
        [sys.executable, "-P", "-m", "django", "makemessages", "-l", "ru", "--no-location",
         "--no-obsolete", "-v", "0"],
        cwd=copy, capture_output=True, text=True, check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "nrm.settings"})
    assert result.returncode == 0, result.stderr
    po = copy / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    statistics = subprocess.run(  # noqa: S603
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)],  # noqa: S607
        capture_output=True, text=True, check=True).stderr
    assert "untranslated" not in statistics, statistics
    assert "fuzzy" not in statistics, statistics
