"""`nrm serve`: serve nrm for a demo or a trial on one machine (Django's server, static files
included, no auto-reload unless asked), with a background worker beside it for long work.
Production runs behind a WSGI server instead, with `nrm db_worker` as a service of its own."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

DEFAULT_ADDRESS = "127.0.0.1:8000"


class Command(BaseCommand):
    help = "Serve nrm on one machine for a demo or a trial (not for production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default=DEFAULT_ADDRESS,
                            help=f"host:port to listen on (default {DEFAULT_ADDRESS})")
        parser.add_argument("--reload", action="store_true",
                            help="restart when the code changes (for development)")

    def handle(self, *args: Any, **options: Any) -> None:
        address: str = options["addr"]
        host, sep, port = address.rpartition(":")
        if not sep or not port.isdigit() or not host:
            raise CommandError(f"--addr must look like 127.0.0.1:8000, not {address!r}.")
        shown = "127.0.0.1" if host in {"0.0.0.0", "::", "[::]"} else host  # noqa: S104
        self.stdout.write(self.style.SUCCESS(f"nrm is being served at http://{shown}:{port}/"))
        self.stdout.write("Stop it with Ctrl+C.")
        worker = self._start_worker()
        try:
            # Django's runserver serves static files only under DEBUG unless told to
            # ("insecure"): this is a one-machine server, where that is what we want.
            call_command("runserver", address, use_reloader=options["reload"],
                         insecure_serving=True, use_threading=True)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)

    def _start_worker(self) -> subprocess.Popen[bytes] | None:
        """Imports and duplicate searches run in a worker; with the immediate backend there is
        nothing to start."""
        if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
            return None
        self.stdout.write("Background worker started (nrm db_worker).")
        return subprocess.Popen(
            [sys.executable, "-m", "nrm", "db_worker", "--queue-name", "*", "-v", "0"])
