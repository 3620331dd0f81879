"""Playwright driving Debian's chromium (never a downloaded browser): launch and helpers."""

import os
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make in that thread are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under var/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


def serious_accessibility_violations(page) -> list[str]:
    """Return axe-core's serious and critical violations on the page, one line each."""
    assert AXE.exists(), "axe-core is missing: run scripts/test (npm ci installs it)"
    # Evaluated through the DevTools protocol: the page's own policy forbids inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("async () => await axe.run(document)")
    found = []
    for violation in results["violations"]:
        if violation["impact"] in ("serious", "critical"):
            where = ", ".join(node["target"][0] for node in violation["nodes"][:3])
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']}: {where}")
    return found


def answer_every_question_on_the_page(page) -> int:
    """Answer each open question of a case-form page as an inspector would; return how many.

    Waits for each autosave to report "Saved" before the next, and goes round
    again for questions that an answer opened.
    """
    answered = 0
    for _ in range(4):
        blocks = page.locator(".app-answer[hx-post]")
        progress = False
        for index in range(blocks.count()):
            block = blocks.nth(index)
            if block.get_attribute("data-answered"):
                continue
            _answer_block(block)
            _wait_for_saves(page)
            block.locator(".app-save-status").filter(has_text="Saved").wait_for()
            block.evaluate("b => b.setAttribute('data-answered', 'yes')")
            answered += 1
            progress = True
        if not progress:
            break
    return answered


def _answer_block(block) -> None:
    radios = block.locator("input[type=radio][name$='-value']")
    checkboxes = block.locator("input[type=checkbox]")
    if radios.count():
        preferred = block.locator("input[type=radio][name$='-value'][value=yes]")
        (preferred if preferred.count() else radios.first).check()
    elif checkboxes.count():
        checkboxes.first.check()
    elif block.locator("input[inputmode=decimal]").count():
        block.locator("input[inputmode=decimal]").fill("3")
        block.locator("input[inputmode=decimal]").dispatch_event("change")
    else:
        block.locator("textarea[name$='-value']").fill("Recorded in the case file.")
        block.locator("textarea[name$='-value']").dispatch_event("change")
    reasons = block.locator("textarea[name$='-reasons']")
    if reasons.count():
        _wait_for_saves(block.page)
        reasons.fill("The strengths outweigh the gaps found.")
        reasons.dispatch_event("change")


def _wait_for_saves(page) -> None:
    """Wait until no autosave is in flight (htmx marks an element while its request runs)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
