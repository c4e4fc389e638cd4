"""A real headless Chromium (Debian's), driven by Selenium, for the browser stories.

Only the installed chromium and chromedriver are used: the driver's path is given to Selenium,
so Selenium Manager never looks for (or downloads) anything.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_ARGUMENTS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--window-size=1280,1000", "--lang=en-GB",
)
WAIT_SECONDS = 15


def _missing() -> list[str]:
    return [path for path in (CHROMIUM, CHROMEDRIVER)
            if not (Path(path).is_file() and shutil.which(path))]


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
