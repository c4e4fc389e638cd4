"""A referral in a real browser: Safe Home's case worker in Bishkek refers Айгуль, back from
Moscow, to the Ak-Jol shelter, sharing her name but not her phone; Ak-Jol's case worker sees the
notification, accepts in the inbox and reads the shared case; the NGO sees the referral
accepted on the case; Tendesh, a third organisation, finds nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import Select

from nrm.referrals.models import Referral
from nrm.registry.inputs import EventInput
from nrm.registry.services import event_record
from tests.browser.test_register_and_find import sign_in, sign_out, wait
from tests.referrals.conftest import consent

pytestmark = pytest.mark.browser


@pytest.fixture
def returned_from_moscow(transactional_db, case_worker, aigul_case, ak_jol):
    """Айгуль, exploited in Moscow, back in Bishkek, consenting to sharing with Ak-Jol."""
    event_record(viewer=case_worker, case=aigul_case, event=EventInput(
        stage="Exploitation", country="RU", city="Moscow", date="2025-10"))
    consent(case_worker, aigul_case, "share_organisation", ak_jol)
    return aigul_case


def test_an_ngo_refers_a_woman_to_a_shelter_which_accepts(
        live_server, browser, returned_from_moscow, case_worker, shelter_worker, outsider,
        ak_jol):
    base, case = live_server.url, returned_from_moscow
    sign_in(browser, base, case_worker.user.username)
    browser.get(base + reverse("registry:case_detail", args=[case.display_code]))
    wait(browser).until(seen.element_to_be_clickable(
        (By.LINK_TEXT, "Refer to an organisation"))).click()

    # The directory, filtered for her: women, in Kyrgyzstan. Ak-Jol takes her in.
    wait(browser).until(seen.presence_of_element_located((By.NAME, "sex")))
    assert Select(browser.find_element(By.NAME, "sex")).first_selected_option.get_attribute(
        "value") == "Feminine"
    row = browser.find_element(By.XPATH, "//tr[td/a[text()='Ak-Jol Shelter']]")
    assert "given" in row.text
    row.find_element(By.LINK_TEXT, "Choose").click()

    wait(browser).until(seen.presence_of_element_located((By.NAME, "services")))
    for service in ("shelter", "medical"):
        browser.find_element(By.CSS_SELECTOR, f"input[name=services][value={service}]").click()
    Select(browser.find_element(By.NAME, "urgency")).select_by_value("urgent")
    browser.find_element(By.NAME, "note").send_keys("Needs a doctor today.")
    browser.find_element(By.CSS_SELECTOR, "input[name=shared_fields][value=names]").click()
    browser.find_element(By.XPATH, "//button[text()='Send the referral']").click()
    wait(browser).until(seen.presence_of_element_located((By.CSS_SELECTOR, "h1 .badge")))
    assert "Sent" in browser.find_element(By.TAG_NAME, "h1").text
    referral = Referral.objects.get()
    sign_out(browser)

    # The shelter: told in the header, answers in the inbox, reads what was shared.
    sign_in(browser, base, shelter_worker.user.username)
    assert "1" in browser.find_element(By.CSS_SELECTOR, "a.notifications").text
    browser.get(base + reverse("referrals:inbox"))
    browser.find_element(By.LINK_TEXT, referral.display_code).click()
    wait(browser).until(seen.presence_of_element_located((By.ID, "actions-heading")))
    assert "Айгуль" not in browser.page_source
    browser.find_element(By.XPATH, "//button[text()='Accept']").click()
    # Accepting posts and redirects: wait for the page that follows, not the one being left.
    wait(browser).until(seen.element_to_be_clickable(
        (By.LINK_TEXT, "Open the shared case"))).click()
    wait(browser).until(seen.presence_of_element_located((By.ID, "identity-heading")))
    shared = browser.find_element(By.TAG_NAME, "main").text
    assert "Айгуль" in shared and "Мамытова" in shared
    assert "+996" not in shared and "Moscow" not in shared  # neither phone nor events shared
    sign_out(browser)

    # The NGO sees the answer on the case.
    sign_in(browser, base, case_worker.user.username)
    browser.get(base + reverse("referrals:case_referrals", args=[case.display_code]))
    assert "Accepted" in browser.find_element(By.TAG_NAME, "main").text
    sign_out(browser)

    # A third organisation: nothing.
    sign_in(browser, base, outsider.user.username)
    for url in (reverse("referrals:referral", args=[referral.display_code]),
                reverse("referrals:shared_case", args=[referral.display_code])):
        browser.get(base + url)
        assert "Айгуль" not in browser.page_source
        assert "Not found" in browser.page_source or "not found" in browser.page_source
