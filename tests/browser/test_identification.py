"""Identification in a real browser: a police first responder screens a man exploited on a
building site (passport withheld, a debt he cannot pay), sees reasonable grounds with the
reasons and refers him to the commission; the commission's decision maker decides presumed
victim, and the case shows when the recovery period ends. On another case a negative decision
is appealed and overturned, and both decisions stay in the history."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import Select

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.directory.models import Organisation, OrganisationKind
from nrm.identification import services
from nrm.identification.catalogue import catalogue_file, catalogue_load, catalogue_read
from nrm.identification.models import IndicatorCatalogue
from tests.browser.test_register_and_find import sign_in, sign_out, wait
from tests.conftest import _member, register

pytestmark = pytest.mark.browser

CATALOGUE = "2026.1"
# The labour story's answers: recruited with lies about the job, passport kept, a debt for the
# journey, and made to work under threat.
LABOUR_STORY = {
    "palermo.act.recruitment": "yes",
    "palermo.means.deception": "yes",
    "ilo_fl.retention_of_documents": "yes",
    "ilo_fl.debt_bondage": "yes",
    "palermo.purpose.forced_labour": "yes",
    "palermo.means.abduction": "no",
}


@pytest.fixture
def current_catalogue(transactional_db) -> IndicatorCatalogue:
    # A transactional test starts from empty tables: load the published catalogue again.
    existing = IndicatorCatalogue.objects.filter(version=CATALOGUE).first()
    if existing is not None:
        return existing
    return catalogue_load(catalogue_read(catalogue_file(CATALOGUE)), make_current=True)


@pytest.fixture
def police_officer(transactional_db) -> Viewer:
    police = Organisation.objects.create(
        name="Bishkek Police, Anti-Trafficking Unit", kind=OrganisationKind.POLICE,
        country="KG", is_first_responder=True)
    return _member("azamat", police, Role.CASE_WORKER)


@pytest.fixture
def commission(transactional_db) -> Organisation:
    return Organisation.objects.create(
        name="Commission on Victims of Trafficking", kind=OrganisationKind.SOCIAL_PROTECTION,
        country="KG", is_competent_authority=True)


@pytest.fixture
def decision_maker(commission) -> Viewer:
    return _member("ermek", commission, Role.DECISION_MAKER)


def answer(browser: WebDriver, code: str, value: str) -> None:
    radio = browser.find_element(By.XPATH, f"//input[@name='answer:{code}'][@value='{value}']")
    # Away from the save status that stays at the top of the screen.
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", radio)
    radio.click()


def open_case(browser: WebDriver, base: str, code: str) -> None:
    browser.get(base + reverse("identification:case", args=[code]))
    wait(browser).until(seen.presence_of_element_located((By.ID, "decisions")))


def submit(browser: WebDriver) -> None:
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()


@pytest.mark.usefixtures("current_catalogue")
def test_screen_refer_decide_and_appeal(live_server, browser, police_officer, decision_maker,
                                        commission):
    base = live_server.url
    labour_case = register(police_officer, given="Бакыт", family="Осмонов",
                           birth_date="1990-05-01")
    other_case = register(police_officer, given="Нурбек", family="Алиев",
                          birth_date="1988-02-11")
    services.decision_request(viewer=police_officer, case=other_case,
                              competent_authority=commission)

    # The police officer screens the labour case from its page.
    sign_in(browser, base, police_officer.user.username)
    browser.get(base + reverse("registry:case_detail", args=[labour_case.display_code]))
    browser.find_element(By.CSS_SELECTOR, "#identification a").click()
    wait(browser).until(seen.presence_of_element_located((By.ID, "screenings")))
    browser.find_element(By.LINK_TEXT, "Start a screening").click()
    Select(browser.find_element(By.CSS_SELECTOR, "main select[name=language]")).select_by_value(
        "ky")
    Select(browser.find_element(By.NAME, "indicator_set")).select_by_value("adult_labour")
    browser.find_element(By.NAME, "age_at_recruitment").send_keys("34")
    submit(browser)
    wait(browser).until(seen.presence_of_element_located((By.ID, "interview")))
    interview_url = browser.current_url

    # Each answer is saved as it is given (htmx), so a reload loses nothing.
    for code, value in LABOUR_STORY.items():
        answer(browser, code, value)
    note = browser.find_element(By.NAME, "note:ilo_fl.retention_of_documents")
    note.send_keys("The foreman keeps his passport")
    note.send_keys(Keys.TAB)  # leaving the note saves it
    wait(browser).until(seen.text_to_be_present_in_element((By.ID, "save-status"),
                                                           "6 of"))
    wait(browser).until(lambda b: "Saved" in b.find_element(By.ID, "save-status").text)
    browser.get(interview_url)
    screenshots = os.environ.get("NRM_SCREENSHOT_DIR")
    if screenshots:  # for looking at the phone layout while developing; never committed
        browser.set_window_size(400, 900)
        browser.save_screenshot(str(Path(screenshots) / "interview_400.png"))
        browser.set_window_size(1280, 1000)
    assert browser.find_element(
        By.XPATH, "//input[@name='answer:ilo_fl.debt_bondage'][@value='yes']").is_selected()
    assert "The foreman keeps his passport" in browser.find_element(
        By.NAME, "note:ilo_fl.retention_of_documents").get_attribute("value")

    # Completing shows reasonable grounds and why; the judgement is kept beside it.
    browser.find_element(By.NAME, "complete").click()
    wait(browser).until(seen.presence_of_element_located((By.ID, "assessment")))
    assessment = browser.find_element(By.ID, "assessment").text
    assert "Reasonable grounds to presume trafficking" in assessment
    assert "passport or identity documents" in assessment
    assert "pay off a debt" in assessment
    Select(browser.find_element(By.NAME, "judgement")).select_by_value("reasonable_grounds")
    browser.find_element(By.NAME, "judgement_note").send_keys("Consistent account")
    submit(browser)
    wait(browser).until(seen.presence_of_element_located((By.ID, "judgement")))
    assert "Reasonable grounds" in browser.find_element(By.ID, "judgement").text

    # He refers the case to the commission.
    open_case(browser, base, labour_case.display_code)
    browser.find_element(By.LINK_TEXT, "Request a decision").click()
    Select(browser.find_element(By.NAME, "competent_authority")).select_by_visible_text(
        commission.name)
    submit(browser)
    wait(browser).until(seen.text_to_be_present_in_element((By.ID, "requests"),
                                                           "Awaiting decision"))
    sign_out(browser)

    # The commission's decision maker finds it among the requests and decides presumed victim.
    sign_in(browser, base, decision_maker.user.username)
    browser.get(base + reverse("identification:due"))
    browser.find_element(By.LINK_TEXT, "Requests for a decision").click()
    browser.find_element(By.LINK_TEXT, labour_case.display_code).click()
    wait(browser).until(seen.presence_of_element_located((By.ID, "decisions")))
    assert "Осмонов" not in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.LINK_TEXT, "Decide victim status").click()
    Select(browser.find_element(By.NAME, "status")).select_by_value("presumed")
    browser.find_element(By.NAME, "reasons").send_keys("Act, means and purpose are shown")
    browser.find_element(By.NAME, "legal_basis").send_keys("Law on Combating Trafficking, art. 12")
    browser.find_element(By.NAME, "screenings").click()
    submit(browser)
    wait(browser).until(seen.presence_of_element_located((By.ID, "recovery-ends")))
    assert browser.find_element(By.ID, "recovery-ends").text

    # On the other case the commission decides: not a victim.
    open_case(browser, base, other_case.display_code)
    browser.find_element(By.LINK_TEXT, "Decide victim status").click()
    Select(browser.find_element(By.NAME, "status")).select_by_value("not_a_victim")
    browser.find_element(By.NAME, "reasons").send_keys("No exploitation shown")
    browser.find_element(By.NAME, "legal_basis").send_keys("Law on Combating Trafficking")
    submit(browser)
    wait(browser).until(seen.text_to_be_present_in_element((By.ID, "status"), "Not a victim"))
    sign_out(browser)

    # The police officer appeals it.
    sign_in(browser, base, police_officer.user.username)
    open_case(browser, base, other_case.display_code)
    browser.find_element(By.LINK_TEXT, "Lodge an appeal").click()
    browser.find_element(By.NAME, "body").send_keys("Bishkek District Court")
    browser.find_element(By.NAME, "grounds").send_keys("The debt bondage was not considered")
    submit(browser)
    wait(browser).until(seen.text_to_be_present_in_element((By.ID, "decisions"), "Pending"))
    sign_out(browser)

    # The commission records that the appeal overturned its decision.
    sign_in(browser, base, decision_maker.user.username)
    open_case(browser, base, other_case.display_code)
    browser.find_element(By.LINK_TEXT, "Record the appeal's outcome").click()
    Select(browser.find_element(By.NAME, "outcome")).select_by_value("overturned")
    Select(browser.find_element(By.NAME, "new_status")).select_by_value("presumed")
    browser.find_element(By.NAME, "reasons").send_keys("Debt bondage is a means")
    browser.find_element(By.NAME, "legal_basis").send_keys("Ruling of the District Court")
    submit(browser)
    wait(browser).until(seen.presence_of_element_located((By.ID, "recovery-ends")))
    history = browser.find_element(By.ID, "decisions").text
    assert "Not a victim" in history
    assert "Presumed victim (reasonable grounds)" in history
    assert "Overturned" in history
