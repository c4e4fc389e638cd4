"""An operator adds a verified article to the catalogue from a file, without code."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from nrm.justice.codes import codes_read
from nrm.justice.models import CriminalCodeArticle

pytestmark = pytest.mark.django_db


def test_an_operator_adds_an_article_from_a_file(tmp_path, capsys):
    data = codes_read()
    kazakhstan = next(entry for entry in data["countries"] if entry["country"] == "KZ")
    kazakhstan["articles"].append({
        "number": "394", "category": "related", "source": "operator, checked",
        "titles": {"en": "Organising illegal migration",
                   "ru": "Организация незаконной миграции"},
    })
    path = tmp_path / "codes.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("load_criminal_codes", str(path))
    article = CriminalCodeArticle.objects.get(country="KZ", number="394")
    assert article.category == "related"
    assert article.is_active
    assert "1 added" in capsys.readouterr().out


def test_a_broken_file_changes_nothing(tmp_path):
    path = tmp_path / "codes.json"
    path.write_text("[]", encoding="utf-8")
    before = list(CriminalCodeArticle.objects.values_list("pk", "is_active"))
    with pytest.raises(CommandError):
        call_command("load_criminal_codes", str(path))
    assert list(CriminalCodeArticle.objects.values_list("pk", "is_active")) == before
