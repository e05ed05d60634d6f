"""Accessibility checks every browser test can use: WCAG 2.1 AA text contrast, focus indicators, accessible names.

The measuring happens in the page (accessibility.js), on the styles the browser computed, so a check sees exactly
what a person sees: text color and background composited through every ancestor's background and opacity.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.async_api import Locator, Page

SCRIPT = (Path(__file__).resolve().parent / "accessibility.js").read_text(encoding="utf-8")
INTERACTIVE_ROLES = (
    "button",
    "link",
    "textbox",
    "combobox",
    "listbox",
    "checkbox",
    "radio",
    "switch",
    "slider",
    "spinbutton",
    "searchbox",
    "tab",
    "menuitem",
    "option",
)
NAMELESS = re.compile(rf"^\s*- ({'|'.join(INTERACTIVE_ROLES)})(?: \[[^\]]*\])*:?$", re.MULTILINE)


async def measure(page: Page, function: str, argument: Any = None) -> Any:
    """Runs `function(hopsoA11y, argument)` in the page, loading the measuring script first if needed."""
    await page.evaluate(f"window.hopsoA11y ??= {SCRIPT}")
    return await page.evaluate(f"argument => ({function})(window.hopsoA11y, argument)", argument)


async def contrast_report(page: Page, root: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every visible text element (under the `root` selector) with its colors, ratio and the ratio it needs."""
    return await measure(page, "(a11y, root) => a11y.contrast(root)", root)


async def assert_contrast(page: Page, where: str, root: str | None = None) -> int:
    """Fails listing each text below 4.5:1 (3:1 when large); returns how many texts were checked."""
    report = await contrast_report(page, root)
    failing = [item for item in report["checked"] if not item["passes"]]
    lines = [
        f"  {item['selector']} {item['text']!r}: {item['color']} on {item['background']} = {item['ratio']}:1, "
        f"needs {item['required']}:1 ({item['size']})"
        for item in failing
    ]
    skipped = [f"  skipped {item['selector']} {item['text']!r}: {item['reason']}" for item in report["skipped"]]
    assert not failing, f"{where}: {len(failing)} text(s) below WCAG AA contrast:\n" + "\n".join(lines + skipped)
    assert report["checked"], f"{where}: no visible text to check"
    return len(report["checked"])


async def focus_indicator(page: Page) -> dict[str, Any] | None:
    """The focused control's name and how its focus ring differs from its unfocused look (None on the page)."""
    return await measure(page, "a11y => a11y.focusIndicator()")


def nameless_controls(aria_snapshot: str) -> list[str]:
    """Lines of a Playwright ARIA snapshot that show an interactive element without an accessible name."""
    return [match.group(0).strip() for match in NAMELESS.finditer(aria_snapshot)]


async def assert_named_controls(region: Locator, where: str) -> None:
    snapshot = await region.aria_snapshot()
    assert not nameless_controls(snapshot), f"{where}: controls without an accessible name:\n{snapshot}"


def check_focus_indicator(focused: dict[str, Any]) -> None:
    """The focus ring differs from the control's unfocused look and, when it is an outline, stands out 3:1 from
    what surrounds the control (WCAG 1.4.11)."""
    assert focused["changed"] and (focused["outline"] or "boxShadow" in focused["changed"]), (
        f"{focused['selector']} {focused['name']!r} shows no focus indicator (ring: {focused['ring']})"
    )
    contrast = focused["ringContrast"]
    assert contrast is None or contrast >= 3, (
        f"{focused['selector']} {focused['name']!r}: focus ring {focused['ring']} stands out only {contrast}:1"
    )


async def assert_focus_visible(page: Page) -> None:
    focused = await focus_indicator(page)
    assert focused is not None, "nothing on the page has the focus"
    check_focus_indicator(focused)


async def tab_to(page: Page, name: str, *, backwards: bool = False, limit: int = 80) -> None:
    """Presses Tab (Shift+Tab when `backwards`) until the control named `name` has the focus; every control the
    focus lands on meanwhile must show a focus indicator."""
    key = "Shift+Tab" if backwards else "Tab"
    passed: list[str] = []
    for _ in range(limit):
        await page.keyboard.press(key)
        focused = await focus_indicator(page)
        if focused is None:
            continue
        check_focus_indicator(focused)
        if focused["name"] == name:
            return
        passed.append(focused["name"])
    raise AssertionError(f"{key} never reached {name!r} in {limit} presses; the focus went through {passed}")
