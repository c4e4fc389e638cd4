"""Every write to assistance. Each service asks access.py whether the viewer may make it,
validates, writes, and records the audit entry in the same transaction; nothing is left
half-written when it raises.

Nothing here reads criminal proceedings: assistance never depends on cooperation with law
enforcement.
"""

from __future__ import annotations

from nrm.assistance.services.follow_ups import (
    follow_up_cancel,
    follow_up_contact,
    follow_up_reschedule,
    follow_up_schedule,
    needs_next_contact,
)
from nrm.assistance.services.plans import support_plan_create, support_plan_update
from nrm.assistance.services.returns import (
    check_reception,
    check_return_journey,
    return_journey_cancel,
    return_journey_record,
    return_journey_update,
    return_reception_record,
)
from nrm.assistance.services.service_records import service_record, service_update

__all__ = [
    "check_reception",
    "check_return_journey",
    "follow_up_cancel",
    "follow_up_contact",
    "follow_up_reschedule",
    "follow_up_schedule",
    "needs_next_contact",
    "return_journey_cancel",
    "return_journey_record",
    "return_journey_update",
    "return_reception_record",
    "service_record",
    "service_update",
    "support_plan_create",
    "support_plan_update",
]
