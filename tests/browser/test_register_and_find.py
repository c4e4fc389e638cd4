"""The registry's story in a real browser: a case worker registers a person with a Cyrillic
name, finds her by a Latin spelling, opens her case and sees their own access in its log; a
case worker of another organisation searching the same name finds nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import Select

from tests.browser.conftest import wait
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(browser: WebDriver, base: str, username: str) -> None:
    login_url = base + reverse("accounts:login")
    browser.get(login_url)
    browser.find_element(By.NAME, "username").send_keys(username)
    password = browser.find_element(By.NAME, "password")
    password.send_keys(PASSWORD)
    password.find_element(By.XPATH, "ancestor::form//button[@type='submit']").click()
    wait(browser).until(lambda b: not b.current_url.startswith(login_url))


def sign_out(browser: WebDriver) -> None:
    browser.find_element(By.CSS_SELECTOR, "form[action$='/logout/'] button").click()
    wait(browser).until(seen.presence_of_element_located((By.NAME, "username")))


def search(browser: WebDriver, base: str, text: str) -> str:
    """Type into the search box and wait for htmx's live results; returns their text."""
    browser.get(base + reverse("registry:search"))
    box = browser.find_element(By.NAME, "q")
    box.send_keys(text)
    results = (By.CSS_SELECTOR, "#search-results table, #search-results .no-results")
    wait(browser).until(seen.presence_of_element_located(results))
    return browser.find_element(By.ID, "search-results").text


def test_register_find_across_scripts_and_outsider_finds_nothing(
    transactional_db, live_server, browser, case_worker, outsider
):
    base = live_server.url
    sign_in(browser, base, case_worker.user.username)

    # Register Айгуль Мамытова through the guided form.
    browser.get(base + reverse("registry:register"))
    Select(browser.find_element(By.NAME, "sex")).select_by_value("Feminine")
    browser.find_element(By.CSS_SELECTOR, "input[name=citizenships][value=KG]").click()
    browser.find_element(By.NAME, "given_name").send_keys("Айгуль")
    browser.find_element(By.NAME, "family_name").send_keys("Мамытова")
    browser.find_element(By.NAME, "birth_date").send_keys("1995-03-14")
    Select(browser.find_element(By.NAME, "entry_point")).select_by_value("hotline")
    browser.find_element(By.CSS_SELECTOR,
                         "input[name=exploitation_types][value=ForcedLabour]").click()
    Select(browser.find_element(By.NAME, "event-0-stage")).select_by_value("Exploitation")
    Select(browser.find_element(By.NAME, "event-0-country")).select_by_value("RU")
    # htmx fills the region picker with the chosen country's regions.
    moscow = (By.CSS_SELECTOR, "select[name='event-0-region'] option[value='RU-MOW']")
    wait(browser).until(seen.presence_of_element_located(moscow))
    Select(browser.find_element(By.NAME, "event-0-region")).select_by_value("RU-MOW")
    browser.find_element(By.CSS_SELECTOR, "#register-form button[type=submit]").click()
    wait(browser).until(seen.url_contains("/registry/cases/"))
    case_code = browser.find_element(By.CSS_SELECTOR, "h1 .code").text
    assert "Мамытова" in browser.find_element(By.CSS_SELECTOR, "section.identity").text
    assert "Moskva" in browser.find_element(By.ID, "events-heading").find_element(
        By.XPATH, "..").text

    # Find her by a Latin spelling, and open her case from the results.
    found = search(browser, base, "Aigul Mamytova")
    assert case_code in found
    browser.find_element(By.LINK_TEXT, case_code).click()
    wait(browser).until(seen.presence_of_element_located((By.ID, "access-log")))
    assert browser.find_element(By.CSS_SELECTOR, "h1 .code").text == case_code
    access_log = browser.find_element(By.ID, "access-log").text
    assert case_worker.user.username in access_log
    assert "Identity viewed" in access_log
    screenshots = os.environ.get("NRM_SCREENSHOT_DIR")
    if screenshots:  # for looking at the layout while developing; never committed
        for width in (1280, 400):
            height = browser.execute_script("return document.body.scrollHeight")
            browser.set_window_size(width, height + 100)
            browser.save_screenshot(str(Path(screenshots) / f"case_page_{width}.png"))
        browser.set_window_size(1280, 1000)
    sign_out(browser)

    # A case worker of another organisation searching the same name finds nothing.
    sign_in(browser, base, outsider.user.username)
    found = search(browser, base, "Aigul Mamytova")
    assert "No person found" in found
    assert case_code not in found
