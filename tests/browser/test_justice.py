"""Criminal proceedings in a real browser: a prosecutor records a case under a related article,
re-qualifies it as trafficking, links two victims from the registry (their NGO recorded their
consent to contact with law enforcement), records a conviction and a compensation award; the
victims' NGO case worker then sees the stage and the award on her case page, and not the
offenders."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import Select

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.directory.models import Organisation, OrganisationKind
from nrm.justice.choices import ArticleCategory
from nrm.justice.models import CriminalCodeArticle
from nrm.registry.inputs import ConsentInput
from nrm.registry.models import Case
from nrm.registry.services import consent_record
from tests.browser.test_register_and_find import sign_in, sign_out, wait
from tests.conftest import _member, register

pytestmark = pytest.mark.browser
OFFENDER = "Exploiter-K7"


@pytest.fixture
def articles(transactional_db) -> dict[str, CriminalCodeArticle]:
    # A transactional test starts from empty tables: the articles the story needs.
    made = {}
    for name, number, category, title in (
        ("trafficking", "128", ArticleCategory.TRAFFICKING, "Trafficking in persons"),
        ("related", "126", ArticleCategory.RELATED, "Unlawful deprivation of liberty"),
    ):
        made[name], _created = CriminalCodeArticle.objects.update_or_create(
            country="KZ", number=number,
            defaults={"category": category, "titles": {"en": title}, "is_active": True})
    return made


@pytest.fixture
def police(transactional_db) -> Organisation:
    return Organisation.objects.create(name="Almaty Police, Anti-Trafficking Unit",
                                       kind=OrganisationKind.POLICE, country="KZ")


@pytest.fixture
def prosecutor(transactional_db) -> Viewer:
    office = Organisation.objects.create(name="Almaty City Prosecutor's Office",
                                         kind=OrganisationKind.PROSECUTOR, country="KZ")
    return _member("madina", office, Role.CASE_WORKER)


@pytest.fixture
def victims(case_worker) -> list[Case]:
    """Two women registered by Safe Home, each consenting to contact with law enforcement."""
    cases = [register(case_worker, given="Айгуль", family="Мамытова", birth_date="1995-03-14"),
             register(case_worker, given="Жылдыз", family="Токтогулова",
                      birth_date="1998-07-02")]
    for case in cases:
        consent_record(viewer=case_worker, person=case.person,
                       consent=ConsentInput(purpose="law_enforcement", given=True,
                                            method="written"))
    return cases


@pytest.fixture
def story(articles, police, prosecutor, victims, case_worker) -> dict[str, Any]:
    return {"articles": articles, "police": police, "prosecutor": prosecutor,
            "victims": victims, "case_worker": case_worker}


def submit(browser: WebDriver) -> None:
    browser.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()


def set_date(browser: WebDriver, name: str, value: str) -> None:
    # A date input's typing depends on the browser's locale; set its value as the form sends it.
    browser.execute_script("arguments[0].value = arguments[1]",
                           browser.find_element(By.NAME, name), value)


def test_prosecutor_records_and_the_ngo_sees_only_what_concerns_the_victim(
    live_server, browser, story
):
    articles, police, prosecutor = story["articles"], story["police"], story["prosecutor"]
    victims, case_worker = story["victims"], story["case_worker"]
    base = live_server.url
    sign_in(browser, base, prosecutor.user.username)

    # Record the case under the related article (unlawful deprivation of liberty).
    browser.get(base + reverse("justice:open"))
    browser.find_element(By.NAME, "number").send_keys("2026-077")
    Select(browser.find_element(By.NAME, "investigating_agency")).select_by_value(str(police.pk))
    Select(browser.find_element(By.NAME, "prosecutor_office")).select_by_value(
        str(prosecutor.organisation_id))
    browser.find_element(
        By.CSS_SELECTOR, f"input[name=article_ids][value='{articles['related'].pk}']").click()
    submit(browser)
    wait(browser).until(seen.presence_of_element_located((By.ID, "qualification")))
    case_url = browser.current_url
    assert "126" in browser.find_element(By.ID, "qualification").text

    # Re-qualify it as trafficking: a new version, the old one kept.
    browser.find_element(By.XPATH, "//section[@id='qualification']//summary").click()
    form = browser.find_element(By.CSS_SELECTOR, "#qualification form")
    form.find_element(
        By.CSS_SELECTOR, f"input[name=article_ids][value='{articles['trafficking'].pk}']"
    ).click()
    form.find_element(By.NAME, "reason").send_keys("Victims were sold between exploiters")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser).until(seen.text_to_be_present_in_element((By.ID, "qualification"),
                                                           "History of the qualification"))
    assert "Trafficking in persons" in browser.find_element(By.ID, "qualification").text

    # Link the two victims by the case codes their NGO gave.
    for victim in victims:
        browser.find_element(By.XPATH, "//section[@id='participants']//summary").click()
        form = browser.find_element(By.CSS_SELECTOR, "#participants form")
        form.find_element(By.NAME, "case_code").send_keys(victim.display_code)
        Select(form.find_element(By.NAME, "role")).select_by_value("victim_witness")
        Select(form.find_element(By.NAME, "cooperation")).select_by_value("cooperating")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait(browser).until(seen.text_to_be_present_in_element((By.ID, "participants"),
                                                               victim.display_code))

    # An offender, convicted; the case reaches its verdict.
    browser.find_element(By.XPATH, "//section[@id='offenders']//summary").click()
    form = browser.find_element(By.CSS_SELECTOR, "#offenders form")
    form.find_element(By.NAME, "label").send_keys(OFFENDER)
    form.find_element(By.CSS_SELECTOR, "input[name=roles][value=exploiter]").click()
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser).until(seen.text_to_be_present_in_element((By.ID, "offenders"), OFFENDER))
    browser.find_element(By.LINK_TEXT, "Record the outcome").click()
    Select(browser.find_element(By.NAME, "outcome")).select_by_value("convicted")
    set_date(browser, "outcome_on", timezone.localdate().isoformat())
    browser.find_element(By.NAME, "sentence_months").send_keys("96")
    submit(browser)
    wait(browser).until(seen.text_to_be_present_in_element((By.ID, "offenders"), "Convicted"))
    browser.find_element(By.XPATH, "//section[@id='stages']//summary").click()
    form = browser.find_element(By.CSS_SELECTOR, "#stages form")
    Select(form.find_element(By.NAME, "stage")).select_by_value("verdict")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser).until(seen.text_to_be_present_in_element((By.ID, "stages"), "Verdict"))

    # The court awards the first victim compensation.
    browser.find_elements(By.LINK_TEXT, "Record compensation")[0].click()
    Select(browser.find_element(By.NAME, "route")).select_by_value("criminal")
    browser.find_element(By.NAME, "currency").send_keys("KZT")
    browser.find_element(By.NAME, "claimed").send_keys("500000")
    browser.find_element(By.NAME, "awarded").send_keys("300000")
    submit(browser)
    wait(browser).until(seen.url_to_be(case_url))
    assert "300000" in browser.find_element(By.ID, "participants").text
    screenshots = os.environ.get("NRM_SCREENSHOT_DIR")
    if screenshots:  # for looking at the layout while developing; never committed
        for width in (1280, 400):
            height = browser.execute_script("return document.body.scrollHeight")
            browser.set_window_size(width, height + 100)
            browser.save_screenshot(str(Path(screenshots) / f"criminal_case_{width}.png"))
        browser.set_window_size(1280, 1000)
    sign_out(browser)

    # The victims' NGO case worker sees the stage and the award, and nothing of the offenders.
    sign_in(browser, base, case_worker.user.username)
    browser.get(base + reverse("justice:proceedings", args=[victims[0].display_code]))
    section = browser.find_element(By.ID, "criminal-proceedings").text
    assert "Verdict" in section
    assert "300000" in section
    assert OFFENDER not in browser.page_source
    assert "2026-077" not in browser.page_source
    browser.get(case_url)
    assert OFFENDER not in browser.page_source
