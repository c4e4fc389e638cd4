"""Every write of the exchange, and the opening of a package. Partner deployments and the
directory organisations that work in them are kept by system admins (partners); a package is
checked and read (opening), made for a referral to a partner (sending), and previewed, imported
and its return journey put on the case (receiving); what became of a referral received is sent
back as a reply (replying), and a reply to a package made here is checked, previewed and applied
(answering); a referral sent as packages and then cancelled is cancelled at the partner too
(cancelling). Each service checks permission and writes its audit entry in the same transaction;
a refused package or reply writes nothing but a security event in the audit log."""

from __future__ import annotations

from nrm.interchange.exchange.services.answering import (
    OpenedReply,
    reply_apply,
    reply_open,
    reply_preview,
)
from nrm.interchange.exchange.services.cancelling import (
    CancellationFile,
    OpenedCancellation,
    cancellation_apply,
    cancellation_open,
    cancellation_preview,
    cancellation_send,
    has_something_to_cancel,
)
from nrm.interchange.exchange.services.opening import (
    OpenedPackage,
    package_open,
    package_receipt_record,
    package_refusal_record,
    require_package_reader,
)
from nrm.interchange.exchange.services.partners import (
    PARTNER_FIELDS,
    PartnerInput,
    partner_deployment_register,
    partner_deployment_update,
    remote_organisation_mark,
    remote_organisation_unmark,
)
from nrm.interchange.exchange.services.receiving import (
    PackagePreview,
    package_import,
    package_preview,
    package_return_record,
)
from nrm.interchange.exchange.services.replying import (
    ReplyFile,
    has_something_to_report,
    reply_send,
)
from nrm.interchange.exchange.services.sending import PackageFile, package_send

__all__ = [
    "PARTNER_FIELDS", "CancellationFile", "OpenedCancellation", "OpenedPackage", "OpenedReply",
    "PackageFile", "PackagePreview", "PartnerInput", "ReplyFile", "cancellation_apply",
    "cancellation_open", "cancellation_preview", "cancellation_send", "has_something_to_cancel",
    "has_something_to_report", "package_import", "package_open", "package_preview",
    "package_receipt_record", "package_refusal_record", "package_return_record", "package_send",
    "partner_deployment_register", "partner_deployment_update", "remote_organisation_mark",
    "remote_organisation_unmark", "reply_apply", "reply_open", "reply_preview", "reply_send",
    "require_package_reader",
]
