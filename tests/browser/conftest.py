"""A real headless Chromium (Debian's), driven by Selenium, for the browser stories.

Only the installed chromium and chromedriver are used: the driver's path is given to Selenium,
so Selenium Manager never looks for (or downloads) anything.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_ARGUMENTS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--window-size=1280,1000", "--lang=en-GB",
)
WAIT_SECONDS = 15

# Chromium's answer when an element found in one document is read after a click or a redirect
# has replaced that document: the same race as a stale element, under another name.
_REPLACED_DOCUMENT = "does not belong to the document"


def _missing() -> list[str]:
    return [path for path in (CHROMIUM, CHROMEDRIVER)
            if not (Path(path).is_file() and shutil.which(path))]


def _tolerating_replaced_documents(condition: Callable[[Any], Any]) -> Callable[[Any], Any]:
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    def check(driver: Any) -> Any:
        try:
            return condition(driver)
        except WebDriverException as error:
            if _REPLACED_DOCUMENT in (error.msg or ""):
                raise StaleElementReferenceException(error.msg) from error
            raise
    return check


def wait(browser: Any) -> Any:
    """A wait for the browser stories that retries, as for a stale element, when the page it
    was reading is replaced under it (the next page arriving while a condition reads the old)."""
    from selenium.webdriver.support.ui import WebDriverWait

    class Wait(WebDriverWait):
        def until(self, method: Callable[[Any], Any], message: str = "") -> Any:
            return super().until(_tolerating_replaced_documents(method), message)

    return Wait(browser, WAIT_SECONDS)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    missing = _missing()
    if missing:
        reason = f"the browser tests need Debian's chromium and chromium-driver ({missing})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI=true, so this fails rather than skips")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for argument in CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.add_experimental_option("prefs", {"intl.accept_languages": "en"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT_SECONDS * 2)
    try:
        yield driver
    finally:
        driver.quit()
