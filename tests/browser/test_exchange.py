"""Two deployments in a real browser: the Kyrgyz consulate in Moscow works in the Russian nrm
("RU"), Safe Home Bishkek in the Kyrgyz one ("KG"). The consul downloads an exchange package of
Жылдыз's referral (synthetic) to Safe Home; Safe Home uploads it, reads the preview, imports it,
accepts the referral, puts the return on the case it opened and records her reception on
arrival; then it makes a reply, which the consul imports back in Moscow: the Russian referral is
accepted, and her return shows that she arrived. In a second story the consul cancels the
referral after Safe Home imported it, and a cancellation tells Safe Home, which applies it.

One live server plays both deployments: the test switches the deployment's settings (its id and
keys, with override_settings, which the server thread reads too) between the two halves, and both
directories live in the one test database, each holding its own record of the other side's
organisation. A second live server would need a second database that Django's test runner does
not give; what differs between two deployments, for an exchange, is their identity and keys, and
that is what is switched. The package travels between the halves as a file on disk, as it would
between two countries.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as seen

from nrm.accounts.roles import Role
from nrm.interchange.exchange.services import package_import, package_send
from nrm.referrals.choices import ReferralOrigin
from nrm.referrals.models import Referral
from nrm.referrals.services import referral_send
from tests.browser.conftest import WAIT_SECONDS
from tests.browser.test_justice import set_date, submit
from tests.browser.test_register_and_find import sign_in, sign_out, wait
from tests.conftest import _member
from tests.interchange.exchange.conftest import (
    KG_KEYS,
    RETURN_SERVICES,
    RU_KEYS,
    SHARED_WITH_SAFE_HOME,
    consulate_in_moscow,
    offering,
    partner,
    plan_return,
    return_agreement,
    safe_home_in,
    zhyldyz,
)
from tests.interchange.exchange.packages import as_deployment

pytestmark = pytest.mark.browser


@pytest.fixture
def story(transactional_db, case_worker, safe_home) -> dict[str, Any]:
    """Both sides, as each deployment's services leave them before the story starts."""
    # The Kyrgyz deployment: Safe Home gives return help, and trusts Russia's keys.
    offering(safe_home, *RETURN_SERVICES)
    partner("RU", "Russian NRM registry", RU_KEYS)
    # The Russian deployment: the consulate, Kyrgyzstan's keys, Safe Home marked as working
    # there under its id in the Kyrgyz directory, and the MoU between the two.
    with as_deployment("RU"):
        consulate = consulate_in_moscow()
        consul = _member("bekova", consulate, Role.CASE_WORKER)
        safe_home_there = safe_home_in(partner("KG", "Kyrgyz NRM registry", KG_KEYS), safe_home)
        return_agreement(consulate, safe_home_there)
        case = zhyldyz(consul, safe_home_there)
        journey = plan_return(consul, case, safe_home_there)
        journey.travel_on = timezone.localdate()  # she flies home today
        journey.save()
        referral = referral_send(
            viewer=consul, case=case, receiver=safe_home_there, services=list(RETURN_SERVICES),
            urgency="urgent", shared_fields=SHARED_WITH_SAFE_HOME,
            note="Flies home today; needs shelter on arrival.")
    return {"consul": consul, "referral": referral, "case_worker": case_worker, "case": case}


def downloaded(folder: Path, prefix: str = "nrm-package-") -> Path:
    """The file the browser saved in ``folder``, once it is whole."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        files = list(folder.glob(f"{prefix}*.json"))
        if files:
            return files[0]
        time.sleep(0.2)
    raise AssertionError(f"no package was downloaded into {folder}")


def test_a_consulate_in_moscow_sends_a_package_that_a_kyrgyz_ngo_imports(
        live_server, browser: WebDriver, story, tmp_path):
    base, referral = live_server.url, story["referral"]
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": str(downloads)})

    # In Moscow, on the Russian deployment: the consul downloads the package.
    with as_deployment("RU"):
        sign_in(browser, base, story["consul"].user.username)
        browser.get(base + reverse("referrals:referral", args=[referral.display_code]))
        browser.find_element(By.LINK_TEXT, "Exchange package").click()
        contents = wait(browser).until(seen.presence_of_element_located(
            (By.ID, "package-contents"))).text
        assert "Kyrgyz NRM registry" in contents and "Certificate of return" in contents
        browser.find_element(By.ID, "make-package").click()
        package = downloaded(downloads)
        browser.get(browser.current_url)
        assert "Kyrgyz NRM registry" in browser.find_element(By.ID, "packages-made").text
        sign_out(browser)
    assert "Жылдыз".encode() not in package.read_bytes()

    # In Bishkek, on the Kyrgyz deployment: Safe Home imports it.
    with as_deployment("KG"):
        sign_in(browser, base, story["case_worker"].user.username)
        browser.get(base + reverse("interchange:home"))
        browser.find_element(By.LINK_TEXT, "Import an exchange package").click()
        browser.find_element(By.NAME, "file").send_keys(str(package))
        browser.find_element(By.ID, "check-package").click()
        preview = wait(browser).until(seen.presence_of_element_located(
            (By.ID, "package-preview"))).text
        assert "Consulate of the Kyrgyz Republic in Moscow" in preview
        assert "Жылдыз" in browser.page_source and "AC1234567" in browser.page_source
        assert "Consul Бекова to Manas airport" in browser.find_element(
            By.ID, "package-journey").text
        browser.find_element(By.ID, "import-package").click()
        wait(browser).until(seen.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Sent"))
        assert "Received in an exchange package" in browser.page_source

        # She arrives: Safe Home accepts, which registers her, and records her reception.
        browser.find_element(By.XPATH, "//button[text()='Accept']").click()
        wait(browser).until(seen.text_to_be_present_in_element((By.TAG_NAME, "h1"),
                                                               "Accepted"))
        browser.find_element(By.LINK_TEXT, "The package and its return journey").click()
        browser.find_element(By.ID, "record-return").click()
        wait(browser).until(seen.presence_of_element_located((By.ID, "return")))
        browser.find_element(By.LINK_TEXT, "Record the reception on arrival").click()
        set_date(browser, "arrived_on", timezone.localdate().isoformat())
        browser.find_element(By.NAME, "received_by").send_keys("Duty social worker")
        submit(browser)
        wait(browser).until(seen.text_to_be_present_in_element((By.ID, "return"), "Arrived"))
        reception = browser.find_element(By.ID, "return").text
        assert "Duty social worker" in reception and "Consular official" in reception

        # Safe Home tells the consulate: a reply, made on the package's page.
        incoming = Referral.objects.get(origin=ReferralOrigin.PACKAGE)
        browser.get(base + reverse("interchange:exchange:incoming",
                                   args=[incoming.display_code]))
        browser.find_element(By.ID, "make-reply").click()
        reply = downloaded(downloads, "nrm-reply-")
        browser.get(browser.current_url)
        assert "Accepted" in browser.find_element(By.ID, "replies-made").text
        sign_out(browser)
    assert "Жылдыз".encode() not in reply.read_bytes()

    # Back in Moscow: the consul imports the reply on the same page as packages.
    with as_deployment("RU"):
        sign_in(browser, base, story["consul"].user.username)
        browser.get(base + reverse("interchange:exchange:package_import"))
        browser.find_element(By.NAME, "file").send_keys(str(reply))
        browser.find_element(By.ID, "check-package").click()
        changes = wait(browser).until(seen.presence_of_element_located(
            (By.ID, "reply-changes"))).text
        assert referral.display_code in changes and "marked arrived" in changes
        assert "Accepted" in browser.find_element(By.ID, "reply-status").text
        browser.find_element(By.ID, "apply-reply").click()
        wait(browser).until(seen.text_to_be_present_in_element((By.TAG_NAME, "h1"),
                                                               "Accepted"))
        assert "Answered by reply package" in browser.find_element(
            By.ID, "reply-packages").text
        browser.get(base + reverse("assistance:case", args=[story["case"].display_code]))
        journey = browser.find_element(By.ID, "return").text
        assert "Arrived" in journey and "Duty social worker" in journey


def test_the_consul_cancels_and_safe_home_learns_of_it(live_server, browser: WebDriver, story,
                                                       tmp_path):
    """The package went and Safe Home imported it; then Жылдыз decides to stay: the consul
    cancels the referral and sends a cancellation, which Safe Home applies."""
    base, referral = live_server.url, story["referral"]
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": str(downloads)})
    with as_deployment("RU"):
        package = package_send(viewer=story["consul"], referral=referral).document
    with as_deployment("KG"):
        incoming = package_import(viewer=story["case_worker"], document=package).referral
    assert incoming is not None

    # In Moscow: the consul cancels, is reminded that Safe Home learns of it only by file,
    # and downloads the cancellation from the package page.
    with as_deployment("RU"):
        sign_in(browser, base, story["consul"].user.username)
        browser.get(base + reverse("referrals:referral", args=[referral.display_code]))
        browser.find_element(By.XPATH, "//summary[text()='Cancel the referral']").click()
        browser.find_element(By.NAME, "cancel-reason").send_keys(
            "She stays in Moscow with her sister; no flight.")
        browser.find_element(By.XPATH, "//button[text()='Cancel the referral']").click()
        wait(browser).until(seen.presence_of_element_located((By.ID, "cancel-at-partner")))
        browser.find_element(By.LINK_TEXT, "Exchange package").click()
        browser.find_element(By.ID, "make-cancellation").click()
        cancellation = downloaded(downloads, "nrm-cancellation-")
        browser.get(browser.current_url)
        assert "Kyrgyz NRM registry" in browser.find_element(By.ID, "cancellations-made").text
        sign_out(browser)
    assert "Жылдыз".encode() not in cancellation.read_bytes()

    # In Bishkek: Safe Home uploads it where packages go, reads what it changes, applies it.
    with as_deployment("KG"):
        sign_in(browser, base, story["case_worker"].user.username)
        browser.get(base + reverse("interchange:exchange:package_import"))
        browser.find_element(By.NAME, "file").send_keys(str(cancellation))
        browser.find_element(By.ID, "check-package").click()
        changes = wait(browser).until(seen.presence_of_element_located(
            (By.ID, "cancellation-changes"))).text
        assert incoming.display_code in changes
        assert "no flight" in browser.find_element(By.ID, "cancel-reason").text
        browser.find_element(By.ID, "apply-cancellation").click()
        wait(browser).until(seen.text_to_be_present_in_element((By.TAG_NAME, "h1"),
                                                               "Cancelled"))
        assert "no flight" in browser.find_element(By.ID, "main").text
