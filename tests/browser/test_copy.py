"""The code blocks' copy button: it copies the code as written, without line numbers,
and it exists only when JavaScript runs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import expect
from tests.browser.shipped import AXE_JS, ExpectedCourse, expected_course

LOAD_FIGURES = False  # the figures play no part here (conftest.py)

WITH_CODE = [ch for ch in expected_course().chapters if ch.code]


def test_the_course_has_code_with_blank_lines_and_indentation() -> None:
    # The check below is only meaningful if some code has blank and indented lines.
    code = [c for ch in WITH_CODE for c in ch.code]
    assert any("\n\n" in c and "\n    " in c for c in code)


@pytest.mark.parametrize("key", [ch.key for ch in WITH_CODE])
def test_copy_button_copies_the_code_without_line_numbers(
    new_context: Any, server: Any, course: ExpectedCourse, key: str
) -> None:
    chapter = course.chapter(key)
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"],
                              origin=server.root.rstrip("/"))
    page = context.new_page()
    page.goto(server.url(chapter.page))
    blocks = page.locator("div.codeblock")
    expect(blocks).to_have_count(len(chapter.code))
    for block, code in zip(blocks.all(), chapter.code, strict=True):
        expect(block.locator(".linenos").first).to_be_attached()  # numbers are shown...
        expect(block.get_by_role("button", name="Copy code")).to_have_count(1)
        button = block.locator(".copy-button")  # its name changes below
        page.evaluate("navigator.clipboard.writeText('')")
        button.click()
        expect(button).to_contain_text("Copied")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == code.rstrip("\n")  # ...but not copied


def test_the_copy_buttons_name_is_its_visible_text(new_context: Any, server: Any,
                                                   course: ExpectedCourse) -> None:
    """After a click the button shows "Copied" and is named so, not still "Copy code"
    (that is axe's label-content-name-mismatch, serious)."""
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"],
                              origin=server.root.rstrip("/"))
    page = context.new_page()
    page.goto(server.url(WITH_CODE[0].page))
    button = page.locator("div.codeblock .copy-button").first
    expect(button).to_have_accessible_name("Copy code")
    expect(button).to_have_text("Copy code")  # "Copy" shown, " code" for screen readers
    shown = button.locator("span:not(.visually-hidden)")
    expect(shown).to_have_text("Copy")
    button.click()
    expect(button).to_have_accessible_name("Copied")
    expect(shown).to_have_text("Copied")
    expect(page.get_by_role("status").filter(has_text="Code copied to clipboard")).to_have_count(1)
    page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate("axe.run(document, {runOnly: ['label-content-name-mismatch']})"
                          ".then(r => r.violations.map(v => v.id))")
    assert found == []
    expect(button).to_have_accessible_name("Copy code")  # back to "Copy" after a moment


def test_no_copy_button_without_javascript(new_context: Any, server: Any,
                                           course: ExpectedCourse) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(server.url(WITH_CODE[0].page))
    expect(page.locator("div.codeblock").first).to_be_visible()
    expect(page.locator(".copy-button")).to_have_count(0)
    expect(page.get_by_role("button", name="Copy code")).to_have_count(0)
