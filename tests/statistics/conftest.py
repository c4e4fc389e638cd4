"""The people of the one-count report: those of criminal proceedings and of identification."""

from __future__ import annotations

from tests.identification.conftest import commission, decision_maker  # noqa: F401
from tests.justice.conftest import (  # noqa: F401
    almaty_police,
    almaty_prosecutors,
    articles,
    bishkek_police,
    investigator,
    kg_investigator,
    kg_related,
    kg_trafficking,
    kz_related,
    kz_trafficking,
    law_enforcement_consent,
    prosecutor,
)
