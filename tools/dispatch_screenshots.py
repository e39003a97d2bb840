"""Screenshots of the dispatcher's console and of the combined review (docs/dispatch_*.png).

Runs ``talkdown dispatch bridge_crisis`` with a scripted officer, takes the call in headless
chromium (Selenium, Debian's chromedriver), shoots the console while the officer's backup
request is open, then the review's call section once the session has ended.

    python tools/dispatch_screenshots.py            # writes docs/dispatch_console.png, docs/dispatch_review.png
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--window-size=1400,900", "--hide-scrollbars")
CODE = "DEMO42"


def main() -> int:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait

    out = Path(tempfile.mkdtemp(prefix="talkdown-shots-"))
    proc = subprocess.Popen([sys.executable, "-m", "game", "dispatch", "bridge_crisis", "--script",
                             str(ROOT / "tests" / "fixtures" / "dispatch" / "scripts" / "bridge_officer.yaml"),
                             "--port", "0", "--code", CODE, "--speed", "2", "--out", str(out), "--no-records",
                             "--dispatcher", "Jo Reyes", "--trainee", "Sam Ortiz"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = ""
    ready = threading.Event()

    def read() -> None:
        nonlocal url
        assert proc.stdout is not None
        for line in proc.stdout:
            print(line, end="")
            if "dispatcher's console at " in line:
                url = line.split("dispatcher's console at ")[1].split()[0]
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    ready.wait(60)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    wait = WebDriverWait(driver, 60, poll_frequency=0.05)
    el = lambda i: driver.find_element(By.ID, i)  # noqa: E731
    try:
        driver.get(url)
        wait.until(lambda d: el("answer").is_enabled())
        el("answer").click()
        for q in ("reassure", "address", "what_happening", "who", "weapons"):
            button = driver.find_element(By.CSS_SELECTOR, f'#questions button[data-question="{q}"]')
            wait.until(lambda d: button.is_enabled())
            button.click()
            time.sleep(0.4)
        for field, value in {"location": "Ferry Street bridge, east railing, mid-span",
                             "nature": "Woman at the railing, may jump", "weapons": "None seen",
                             "persons": "One woman, thirties, dark coat, alone",
                             "hazards": "Said 'go away, I'm done'; traffic both ways"}.items():
            box = el(f"card-{field}")
            box.send_keys(value, Keys.TAB)
        Select(el("card-priority")).select_by_value("1")
        time.sleep(0.5)
        el("dispatch").click()
        wait.until(lambda d: d.find_elements(By.ID, "radio-send-1"))
        el("radio-text-1").send_keys("Unit 22 on the way to you")
        time.sleep(0.5)
        driver.save_screenshot(str(ROOT / "docs" / "dispatch_console.png"))
        el("radio-send-1").click()
        proc.wait(180)
        (run,) = [p for p in out.iterdir() if p.is_dir()]
        driver.set_window_size(1100, 1500)
        driver.get((run / "review.html").as_uri() + "#call")
        time.sleep(0.5)
        driver.save_screenshot(str(ROOT / "docs" / "dispatch_review.png"))
    finally:
        driver.quit()
        if proc.poll() is None:
            proc.terminate()
    print("wrote docs/dispatch_console.png and docs/dispatch_review.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
