"""`nrm referrals_expire`: tell both sides of each referral newly past its answer deadline, and
expire those unanswered past their expiry. Run it from cron every few minutes; running it again
changes nothing until another deadline passes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nrm.core.management.commands._progress import Progress
from nrm.referrals.services import referrals_expire


class Command(BaseCommand):
    help = ("Notify both sides of referrals that passed their answer deadline, and expire those "
            "still unanswered past their expiry. Safe to run as often as you like (cron).")

    def handle(self, *args: Any, **options: Any) -> None:
        bar: Progress | None = None

        def report(done: int, total: int, step: str = "") -> None:
            nonlocal bar
            if bar is None:
                bar = Progress(self.stdout, total, "Referrals past their deadline")
            bar.advance(done - bar.done)

        run = referrals_expire(progress=report)
        if bar is not None:
            bar.finish()
        self.stdout.write(f"{run.overdue} referral(s) newly overdue (both sides told), "
                          f"{run.expired} expired.")
