"""The package's schema against HTCDS 2.0, read from the standard's own spreadsheet with the
reader the HTCDS import and export use: every field with an HTCDS prefix is a field of the
standard or one of nrm's declared additions, and every picklist of a standard field offers only
the standard's value names (plus nrm's declared additions)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nrm.interchange.exchange.reply_schema import reply_json_schema
from nrm.interchange.exchange.schema import NRM_FIELDS, NRM_VALUES, exchange_json_schema
from nrm.interchange.htcds.standard import htcds_fields

HTCDS_PREFIXES = ("prs_", "vic_", "hte_", "cas_", "con_", "org_", "per_", "spl_", "cco_")


def properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of the schema and of its definitions, with its own schema."""
    for model in (schema, *schema["$defs"].values()):
        yield from model.get("properties", {}).items()


def enum_values(schema: dict[str, Any], defs: dict[str, Any]) -> set[str]:
    """The values a property's schema lists, through references, arrays and unions."""
    if "$ref" in schema:
        return enum_values(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    found = {value for value in schema.get("enum", ()) if value is not None}
    if "const" in schema and isinstance(schema["const"], str):
        found.add(schema["const"])
    for part in (schema.get("items"), *schema.get("anyOf", ())):
        if isinstance(part, dict):
            found |= enum_values(part, defs)
    return found


def test_every_prefixed_field_is_htcds_s_or_a_declared_addition():
    standard = htcds_fields()
    named = {name for name, _schema in properties(exchange_json_schema())
             if name.startswith(HTCDS_PREFIXES)}
    assert named - NRM_FIELDS <= set(standard), sorted(named - NRM_FIELDS - set(standard))
    assert not NRM_FIELDS & set(standard), "an addition that HTCDS has after all"
    assert named >= NRM_FIELDS, "a declared addition the schema no longer has"
    assert {"prs_FirstName", "vic_TypeOfExploitation", "hte_Type", "cas_ReferredOrganisation",
            "con_Consent", "org_Type"} <= named


def test_every_picklist_of_a_standard_field_holds_only_its_value_names():
    standard, schema = htcds_fields(), exchange_json_schema()
    checked = 0
    for name, field_schema in properties(schema):
        field = standard.get(name)
        if field is None or not field.is_picklist:
            continue
        offered = enum_values(field_schema, schema["$defs"])
        assert offered, f"{name} is a picklist in HTCDS but free text here"
        strange = offered - set(field.value_names) - NRM_VALUES.get(name, frozenset())
        assert not strange, f"{name}: {sorted(strange)} are not value names of the standard"
        checked += 1
    assert checked >= 10


def test_a_reply_uses_htcds_names_only_where_the_standard_has_the_field():
    standard = htcds_fields()
    named = {name for name, _schema in properties(reply_json_schema())
             if name.startswith(HTCDS_PREFIXES)}
    assert named == {"cas_IncomingReferralDate"} and named <= set(standard)
    assert not any(name.startswith("prs_") for name, _schema in properties(
        reply_json_schema())), "a reply carries no one's identity"
