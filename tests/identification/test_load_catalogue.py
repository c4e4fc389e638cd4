"""Publishing a new catalogue version from a file, as a country extends it without code."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from nrm.identification.catalogue import catalogue_file, catalogue_read
from nrm.identification.models import IndicatorCatalogue

pytestmark = pytest.mark.django_db


def test_a_country_publishes_its_extended_catalogue(tmp_path, capsys):
    data = catalogue_read(catalogue_file("2026.1"))
    data["version"] = "2026.1-kg1"
    data["indicators"].append({
        "code": "kg.extra.migration_card_taken", "group": "palermo", "element": "means",
        "country": "KG", "order": 9999,
        "texts": {"en": "Was the person's migration card taken away?",
                  "ru": "Отобрали ли у человека миграционную карту?"},
    })
    path = tmp_path / "kg.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("load_catalogue", str(path), "--current")
    current = IndicatorCatalogue.objects.get(is_current=True)
    assert current.version == "2026.1-kg1"
    assert current.indicators.filter(country="KG").count() == 1
    assert IndicatorCatalogue.objects.get(version="2026.1").indicators.count() > 0
    assert "2026.1-kg1" in capsys.readouterr().out


def test_a_broken_file_is_refused_and_loads_nothing(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"version": "x", "indicators": [{"code": "a"}]}', encoding="utf-8")
    before = IndicatorCatalogue.objects.count()
    with pytest.raises(CommandError):
        call_command("load_catalogue", str(path))
    assert IndicatorCatalogue.objects.count() == before
