"""The dispatcher's page in a real browser (issue 19): Debian's headless chromium, driven by
Selenium through Debian's chromedriver, against a real ``talkdown dispatch`` process.

The dispatcher takes a scripted call, fills the card, dispatches and answers the officer's
backup request; the officer's journal shows the briefing with exactly those facts. A call
whose weapon question was never asked gives a briefing without the knife and a review that
says so. The page fetches nothing from anywhere but the Talkdown process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "dispatch"
CHROMIUM, DRIVER = shutil.which("chromium") or "/usr/bin/chromium", shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--window-size=1400,1000")
CODE = "TK4PZ9"

pytestmark = pytest.mark.skipif(not (Path(CHROMIUM).exists() and Path(DRIVER).exists()),
                                reason="no chromium/chromedriver (python3 tools/bootstrap.py test installs them)")


class Talkdown:
    """A ``talkdown dispatch`` process; its output is read on a thread until it prints the URL."""

    def __init__(self, scenario: str | Path, script: Path, out: Path, *, speed: float = 5.0) -> None:
        self.out = out
        self.lines: list[str] = []
        self.url = ""
        self._ready = threading.Event()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "game", "dispatch", str(scenario), "--script", str(script), "--port", "0",
             "--code", CODE, "--speed", str(speed), "--out", str(out), "--no-records", "--dispatcher", "Jo Reyes"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        threading.Thread(target=self._read, daemon=True).start()
        assert self._ready.wait(60), "talkdown dispatch did not start:\n" + "".join(self.lines)
        assert self.url, "".join(self.lines)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)
            if "dispatcher's console at " in line:
                self.url = line.split("dispatcher's console at ")[1].split("#")[0]
                self._ready.set()
        self._ready.set()

    def wait(self) -> int:
        return self.proc.wait(120)

    def journal(self) -> list[dict]:
        (run,) = [p for p in self.out.iterdir() if p.is_dir()]
        return [json.loads(line) for line in (run / "journal.jsonl").read_text(encoding="utf-8").splitlines()]

    def run_dir(self) -> Path:
        (run,) = [p for p in self.out.iterdir() if p.is_dir()]
        return run

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver, what, timeout=30):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: what(d))


def by_id(driver, name):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, name)


def css(driver, selector):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def requested_urls(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.webSocketCreated":
            urls.append(message["params"]["url"])
    return urls


def join(driver, url, code):
    driver.get(url)
    box = by_id(driver, "code")
    box.clear()
    box.send_keys(code)
    box.submit()


def ask(driver, question):
    (button,) = css(driver, f'#questions button[data-question="{question}"]')
    wait_for(driver, lambda d: button.is_enabled())
    before = len(css(driver, "#transcript li.caller"))
    button.click()
    wait_for(driver, lambda d: len(css(d, "#transcript li.caller")) > before)


def fill(driver, field, value):
    from selenium.webdriver.common.keys import Keys

    box = by_id(driver, f"card-{field}")
    box.clear()
    box.send_keys(value, Keys.TAB)  # the change is sent when the field is left


def test_a_dispatcher_in_chromium_takes_the_call_fills_the_card_dispatches_and_answers_backup(browser, tmp_path):
    from selenium.webdriver.common.keys import Keys

    td = Talkdown("bridge_crisis", FIXTURES / "scripts" / "bridge_officer.yaml", tmp_path / "runs")
    try:
        join(browser, td.url, "WRONG1")  # the session's join code is required
        wait_for(browser, lambda d: "wrong join code" in by_id(d, "join-error").text)
        assert not by_id(browser, "console").is_displayed()
        join(browser, td.url, CODE.lower())
        wait_for(browser, lambda d: by_id(d, "console").is_displayed())
        answer = by_id(browser, "answer")
        wait_for(browser, lambda d: answer.is_enabled() and "ringing" in answer.get_attribute("class"))
        answer.send_keys(Keys.ENTER)  # keyboard: the button has the focus
        wait_for(browser, lambda d: "bus driver" in by_id(d, "transcript").text)
        ask(browser, "reassure")
        ask(browser, "address")
        ask(browser, "who")
        ask(browser, "weapons")
        free = by_id(browser, "free-text")
        free.send_keys("Has she said anything about hurting herself?", Keys.ENTER)  # free words, matched
        wait_for(browser, lambda d: "go away, I'm done" in by_id(d, "transcript").text)
        card = {"location": "Ferry Street bridge, east railing, mid-span", "nature": "Woman at the railing, may jump",
                "weapons": "None seen", "persons": "One woman, thirties, dark coat, alone",
                "hazards": "Said 'go away, I'm done'"}
        for field, value in card.items():
            fill(browser, field, value)
        from selenium.webdriver.support.ui import Select

        Select(by_id(browser, "card-priority")).select_by_value("1")
        # bad input is refused with a message, and nothing reaches the session
        browser.execute_script("document.getElementById('card-nature').maxLength = 1000;")
        fill(browser, "nature", "x" * 400)
        wait_for(browser, lambda d: "at most 300 characters" in by_id(d, "error").text)
        fill(browser, "nature", card["nature"])
        wait_for(browser, lambda d: by_id(d, "error").text == "")
        by_id(browser, "dispatch").click()
        wait_for(browser, lambda d: "Briefing given" in by_id(d, "eta").text)
        # the officer radios for backup once on scene; the dispatcher sends it
        send = wait_for(browser, lambda d: (css(d, "#radio-send-1") or [None])[0])
        radio = by_id(browser, "radio-text-1")
        radio.send_keys("Unit 22 is on the way to you, two minutes.")
        send.click()
        wait_for(browser, lambda d: "(answered)" in by_id(d, "requests").text)
        urls = requested_urls(browser)
        assert td.wait() == 0, "".join(td.lines)
    finally:
        td.stop()
    origin = td.url.rstrip("/").split("//")[1]
    assert urls and all(u.split("//")[1].startswith(origin) for u in urls if not u.startswith("data:")), urls
    assert any(u.startswith("ws://") for u in urls)
    journal = td.journal()
    assert journal[0]["dispatcher"] == "Jo Reyes"
    (briefing,) = [r for r in journal if r["type"] == "BriefingGiven"]
    assert briefing["card"] == {**card, "priority": "1"}
    assert all(r["source"] == "dispatcher" for r in journal if r["type"] in ("FillCard", "AskCaller", "DispatchUnit"))
    assert not any(r["type"] == "FillCard" and len(r["value"]) > 300 for r in journal)
    (answered,) = [r for r in journal if r["type"] == "RadioAnswered"]
    assert answered["request"] == "backup" and answered["eta"] > 0
    assert answered["text"] == "Unit 22 is on the way to you, two minutes."
    t = [r["type"] for r in journal]
    assert t.index("BriefingGiven") < t.index("OfficerArrived") < t.index("RadioRequested")
    review = (td.run_dir() / "review.html").read_text(encoding="utf-8")
    assert "id=call" in review and "Ferry Street bridge, east railing, mid-span" in review


def knife_with_call(folder: Path) -> Path:
    """The knife scenario with a call, beside a copy of its default script."""
    scenarios = ROOT / "scenarios"
    (folder / "scripts").mkdir(parents=True)
    shutil.copy(scenarios / "scripts" / "knife_parking_lot_good.yaml", folder / "scripts")
    text = (scenarios / "knife_parking_lot.yaml").read_text(encoding="utf-8")
    path = folder / "knife_parking_lot.yaml"
    path.write_text(text + "\n" + (FIXTURES / "knife_call.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_a_call_whose_weapon_question_was_missed_briefs_the_officer_without_the_knife_and_the_review_says_so(
        browser, tmp_path):
    scenario = knife_with_call(tmp_path / "scenario")
    script = tmp_path / "officer.yaml"
    script.write_text("format_version: 1\nactions:\n  - {at: 0.5, say: identify, tone: calm}\n"
                      "  - {at: 3.0, end: true, reason: script ended}\n", encoding="utf-8")
    td = Talkdown(scenario, script, tmp_path / "runs")
    try:
        browser.get(td.url + "#code=" + CODE)  # the printed link: the code in the fragment joins at once
        wait_for(browser, lambda d: by_id(d, "answer").is_enabled())
        by_id(browser, "answer").click()
        wait_for(browser, lambda d: "parking lot" in by_id(d, "transcript").text)
        ask(browser, "address")
        ask(browser, "who")
        fill(browser, "location", "Fairway supermarket, Elm Road, back lot")
        fill(browser, "persons", "One man, thirties, grey hoodie")
        by_id(browser, "dispatch").click()
        assert td.wait() == 0, "".join(td.lines)
    finally:
        td.stop()
    (briefing,) = [r for r in td.journal() if r["type"] == "BriefingGiven"]
    assert "knife" not in briefing["text"].lower() and "weapons" not in briefing["card"]
    review = (td.run_dir() / "review.html").read_text(encoding="utf-8")
    assert "Never asked about weapon (weapons): the officer arrived not knowing “a large kitchen knife" in review


def test_the_page_reconnects_by_itself_when_the_network_blips_and_is_driven_by_the_keyboard(browser):
    from game.content.scenario import load_scenario
    from game.core.drivers import SimulationPort
    from game.core.journal import MemoryJournal
    from game.core.simulation import Simulation
    from game.web.dispatch import serve_dispatch

    scenario = load_scenario(ROOT / "scenarios" / "bridge_crisis.yaml").scenario
    server = serve_dispatch(scenario.title, scenario.call, code=CODE)
    sim = Simulation(scenario, seed=1, journal=MemoryJournal(), dispatcher="Jo")
    port = SimulationPort(sim)
    sim.step()
    try:
        server.device.feed(port)  # the ringing call, published for the page
        browser.get(server.url + "#code=" + CODE)
        wait_for(browser, lambda d: by_id(d, "answer").is_enabled())
        assert by_id(browser, "link").text == "connected" and server.connections == 1
        server.drop_connections()
        wait_for(browser, lambda d: server.connections == 2 and by_id(d, "link").text == "connected", timeout=20)
        by_id(browser, "answer").click()
        wait_for(browser, lambda d: server.device._inbox)
        server.device.feed(port)
        sim.step()
        assert sim.call.phase == "talking"
        # the keyboard: a question's number asks it (when not typing in a field)
        server.device.publish(port)
        first = css(browser, "#questions button")[0]
        wait_for(browser, lambda d: first.is_enabled())
        browser.find_element("tag name", "body").send_keys("1")
        wait_for(browser, lambda d: server.device._inbox)
        (asked,) = server.device._inbox
        assert (asked.TYPE, asked.question, asked.seat) == ("AskCaller", "address", "dispatcher")
    finally:
        server.stop()
