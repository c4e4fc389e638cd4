"""An NGO's HTCDS spreadsheet in a real browser: the case worker uploads IOM's toolkit filled
with three synthetic cases, follows the check to the preview, confirms, follows the import to
its end and finds the cases among their organisation's."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import Select

from nrm.registry.models import Case
from tests.browser.conftest import browser, wait  # noqa: F401 (the fixture)
from tests.browser.test_register_and_find import sign_in
from tests.interchange.test_iom_toolkit import filled_toolkit

pytestmark = pytest.mark.browser


def _follow_job_to_its_result(browser: WebDriver) -> None:  # noqa: F811 (a parameter)
    result = (By.CSS_SELECTOR, "a[id$='-result']")
    wait(browser).until(seen.element_to_be_clickable(result))
    browser.find_element(*result).click()


def test_an_ngo_imports_its_toolkit_spreadsheet(transactional_db, live_server, browser,  # noqa: F811
                                                case_worker, tmp_path: Path):
    spreadsheet = tmp_path / "toolkit.xlsx"
    spreadsheet.write_bytes(filled_toolkit())
    base = live_server.url
    sign_in(browser, base, case_worker.user.username)

    browser.find_element(By.LINK_TEXT, "Import and export").click()
    browser.find_element(By.NAME, "file").send_keys(str(spreadsheet))
    Select(browser.find_element(By.NAME, "consent_method")).select_by_value("written")
    browser.find_element(By.ID, "import-submit").click()
    _follow_job_to_its_result(browser)

    assert browser.find_element(By.ID, "count-cases").text == "3"
    assert "Good to know" in browser.find_element(By.ID, "notes").text
    assert not Case.objects.exists()
    browser.find_element(By.ID, "confirm-import").click()
    _follow_job_to_its_result(browser)

    assert browser.find_element(By.ID, "import-status").text == "Imported"
    assert Case.objects.filter(organisation_id=case_worker.organisation_id).count() == 3
    browser.find_element(By.LINK_TEXT, "See your organisation's cases").click()
    assert browser.current_url.startswith(base + reverse("registry:my_cases"))
    assert "3 cases" in browser.find_element(By.ID, "cases").text
