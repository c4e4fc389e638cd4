"""The indicator catalogue as data: reading a catalogue file, checking it, loading it as a version.

A catalogue file is JSON: {"version", "title", "published_on", "sources", "indicators": [...]},
each indicator {"code", "group", "element", "indicator_set", "dimension", "strength", "order",
"texts": {"en": ..., "ru": ...}, "country"}. A version once loaded is never changed: a
correction is a new version, so that screenings keep the questions they were answered with.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nrm.identification.choices import Dimension, Element, IndicatorGroup, IndicatorSet, Strength

DATA_DIR = Path(__file__).resolve().parent / "data"

# The Palermo element an ILO/EC indicator is filed under, by its dimension. logic.py also counts
# the recruitment dimensions toward Act.
DIMENSION_ELEMENT: dict[str, str] = {
    Dimension.DECEPTIVE_RECRUITMENT: Element.MEANS,
    Dimension.COERCIVE_RECRUITMENT: Element.MEANS,
    Dimension.VULNERABILITY_RECRUITMENT: Element.MEANS,
    Dimension.EXPLOITATIVE_CONDITIONS: Element.PURPOSE,
    Dimension.COERCION_AT_DESTINATION: Element.MEANS,
    Dimension.VULNERABILITY_AT_DESTINATION: Element.MEANS,
}


def catalogue_file(version: str) -> Path:
    return DATA_DIR / f"catalogue-{version}.json"


def catalogue_read(path: Path) -> dict[str, Any]:
    """The parsed catalogue file, or a ValidationError saying why it cannot be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValidationError(
            _("The catalogue file %(path)s cannot be read: %(error)s"),
            params={"path": path.name, "error": error},
        ) from error
    if not isinstance(data, dict):
        raise ValidationError(_("A catalogue file must hold one JSON object."))
    return data


def catalogue_check(data: Mapping[str, Any]) -> None:
    """Raise ValidationError listing every problem of a catalogue; return if there is none."""
    problems: list[str] = []
    for key in ("version", "title", "published_on"):
        if not str(data.get(key) or "").strip():
            problems.append(_("The catalogue has no %(key)s.") % {"key": key})
    try:
        dt.date.fromisoformat(str(data.get("published_on")))
    except ValueError:
        problems.append(_("The publication date must be written YYYY-MM-DD."))
    indicators = data.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        problems.append(_("The catalogue has no indicators."))
        indicators = []
    seen: set[str] = set()
    for position, item in enumerate(indicators, start=1):
        if not isinstance(item, dict):
            problems.append(_("Indicator %(n)d is not an object.") % {"n": position})
            continue
        code = str(item.get("code") or "").strip()
        label = code or f"#{position}"
        if not code:
            problems.append(_("Indicator %(n)d has no code.") % {"n": position})
        elif code in seen:
            problems.append(_("The code %(code)s is used twice.") % {"code": code})
        seen.add(code)
        problems.extend(_indicator_problems(label, item))
    if problems:
        raise ValidationError(problems)


def _indicator_problems(label: str, item: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    group = item.get("group", "")
    element = item.get("element", "")
    dimension = item.get("dimension", "")
    indicator_set = item.get("indicator_set", "")
    strength = item.get("strength", "")

    def unknown(what: str, value: object) -> str:
        return _("%(code)s: unknown %(what)s “%(value)s”.") % {
            "code": label, "what": what, "value": value}

    if group not in IndicatorGroup.values:
        problems.append(unknown(_("group"), group))
    if element not in Element.values:
        problems.append(unknown(_("element"), element))
    if dimension and dimension not in Dimension.values:
        problems.append(unknown(_("dimension"), dimension))
    if indicator_set and indicator_set not in IndicatorSet.values:
        problems.append(unknown(_("set"), indicator_set))
    if strength and strength not in Strength.values:
        problems.append(unknown(_("strength"), strength))
    if group == IndicatorGroup.ILO_EC:
        if not (dimension and indicator_set and strength):
            problems.append(_("%(code)s: an ILO/EC indicator needs a set, a dimension and a "
                              "strength (“unverified” when not checked).") % {"code": label})
        elif DIMENSION_ELEMENT.get(dimension) != element:
            problems.append(_("%(code)s: the element does not match the dimension.")
                            % {"code": label})
    elif dimension or indicator_set or strength:
        problems.append(_("%(code)s: only ILO/EC indicators have a set, a dimension or a "
                          "strength.") % {"code": label})
    texts = item.get("texts")
    if not isinstance(texts, dict) or not str(texts.get("en") or "").strip():
        problems.append(_("%(code)s: the English text is missing.") % {"code": label})
    country = item.get("country", "")
    if country and (not isinstance(country, str) or len(country) != 2 or not country.isupper()):
        problems.append(unknown(_("country"), country))
    return problems


@transaction.atomic
def catalogue_load(data: Mapping[str, Any], *, make_current: bool, apps: Any = None) -> Any:
    """Check a catalogue and store it as a new version (optionally the current one).

    `apps` is the migration state's app registry when called from a data migration, so that the
    historical models are used; otherwise the live models.
    """
    catalogue_check(data)
    if apps is not None:
        catalogue_model = apps.get_model("identification", "IndicatorCatalogue")
        indicator_model = apps.get_model("identification", "Indicator")
    else:
        from nrm.identification.models import Indicator, IndicatorCatalogue

        catalogue_model, indicator_model = IndicatorCatalogue, Indicator
    version = str(data["version"]).strip()
    if catalogue_model.objects.filter(version=version).exists():
        raise ValidationError(
            _("Catalogue version %(version)s is already loaded; publish a new version instead."),
            params={"version": version})
    if make_current:
        catalogue_model.objects.filter(is_current=True).update(is_current=False)
    catalogue = catalogue_model.objects.create(
        version=version, title=str(data["title"]).strip(),
        published_on=dt.date.fromisoformat(str(data["published_on"])),
        is_current=make_current, sources=str(data.get("sources") or ""),
    )
    indicator_model.objects.bulk_create([
        indicator_model(
            catalogue=catalogue, code=item["code"].strip(), group=item["group"],
            element=item["element"], indicator_set=item.get("indicator_set", ""),
            dimension=item.get("dimension", ""), strength=item.get("strength", ""),
            texts={k: v for k, v in item["texts"].items() if str(v).strip()},
            country=item.get("country", ""), order=int(item.get("order") or 0),
        )
        for item in data["indicators"]
    ])
    return catalogue
