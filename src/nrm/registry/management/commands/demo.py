"""`nrm demo`: load the synthetic demo (idempotent) and print its logins."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.core.crypto import using_development_keys
from nrm.registry.demo.directory import DEMO_PASSWORD, DemoLogin, DemoOrganisation
from nrm.registry.demo.loader import DEFAULT_PERSONS, DEFAULT_SEED, demo_load, demo_logins


class Command(BaseCommand):
    help = (
        "Load synthetic demo data: organisations of the region, one login per role, and persons "
        "registered as a case worker would. Running it again adds nothing and prints the logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=DEFAULT_PERSONS,
                            help=f"how many persons to register (default {DEFAULT_PERSONS})")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help="random seed: the same seed gives the same demo")
        parser.add_argument("--force", action="store_true",
                            help="load even though production keys are configured")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["persons"] < 0:
            raise CommandError("--persons must be zero or more.")
        # Real keys mean a real installation: demo accounts with a printed password must not
        # appear there by accident.
        if not using_development_keys() and not options["force"]:
            raise CommandError(
                "NRM_FIELD_KEYS and NRM_BLIND_INDEX_KEY are set, so this looks like a real "
                "installation. The demo creates accounts with a published password; refusing. "
                "Use --force only on a throw-away database."
            )
        summary = demo_load(persons=options["persons"], seed=options["seed"], stdout=self.stdout)
        if summary.organisations_created or summary.users_created or summary.persons_registered:
            self.stdout.write(self.style.SUCCESS(
                f"Demo loaded: {summary.organisations_created} organisations, "
                f"{summary.users_created} logins, {summary.persons_registered} persons."
            ))
        else:
            self.stdout.write("Demo data already present; nothing added.")
        later = self._later_demo_modules()
        for module in later:
            module.demo_load(seed=options["seed"], stdout=self.stdout)
        self._print_logins(
            extra_logins=[login for module in later for login in getattr(module, "LOGINS", ())],
            extra_organisations=[organisation for module in later
                                 for organisation in getattr(module, "ORGANISATIONS", ())],
        )

    def _later_demo_modules(self) -> list[ModuleType]:
        # The registry knows no later app (they depend on it, never the reverse): each installed
        # app that ships a `demo` module with `demo_load` adds its own demo on top of this one,
        # and its LOGINS (and ORGANISATIONS) join the table of logins.
        modules = []
        for config in apps.get_app_configs():
            if config.name == "nrm.registry" or not config.name.startswith("nrm."):
                continue
            name = f"{config.name}.demo"
            if importlib.util.find_spec(name) is None:
                continue
            module = importlib.import_module(name)
            if callable(getattr(module, "demo_load", None)):
                modules.append(module)
        return modules

    def _print_logins(self, *, extra_logins: Sequence[DemoLogin],
                      extra_organisations: Sequence[DemoOrganisation]) -> None:
        rows = [("username", "role", "organisation", "password")]
        for login, organisation in demo_logins(extra_logins=extra_logins,
                                               extra_organisations=extra_organisations):
            place = f"{organisation} ({organisation.country})"
            rows.append((login.username, str(login.role.label), place, DEMO_PASSWORD))
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        self.stdout.write("")
        self.stdout.write("Demo logins:")
        for index, row in enumerate(rows):
            cells = (cell.ljust(widths[i]) for i, cell in enumerate(row))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))
        self.stdout.write("")
        if settings.NRM_REQUIRE_2FA:
            self.stdout.write(
                "Two-factor sign-in is required (NRM_REQUIRE_2FA=true): each login except the "
                "analyst enrols an authenticator app at first sign-in. `make run` relaxes this "
                "for the demo only (NRM_REQUIRE_2FA=false)."
            )
        else:
            self.stdout.write(
                "Two-factor sign-in is relaxed for the demo (NRM_REQUIRE_2FA=false). "
                "Never run a real installation like this."
            )
        self.stdout.write(self.style.WARNING(
            "WARNING: these demo accounts share one published password and the persons are "
            "synthetic. Never use the demo accounts or this database with real data."
        ))
