""""Copy this chapter for an AI assistant": the button puts the chapter's Markdown
copy (the .html.md file beside the page) on the clipboard, from the keyboard, over
http and from disk, and says so; without JavaScript it is a link to that file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.helpers import expect

LOAD_FIGURES = False  # the figures play no part here (conftest.py)

PAGE = "mathematical-foundations/derivatives-and-gradients.html"
BUTTON = "Copy this chapter for an AI assistant"


def _copy_with_the_keyboard(page: Any) -> str:
    page.evaluate("navigator.clipboard.writeText('')")
    button = page.get_by_role("button", name=BUTTON)
    expect(button).to_be_visible()
    expect(page.locator(".chapter-copy-link")).to_be_hidden()
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Copied")).to_have_count(1)
    copied = page.evaluate("navigator.clipboard.readText()")
    # Again, with Space: said again (a screen reader hears it twice), copied again.
    page.evaluate("navigator.clipboard.writeText('')")
    page.keyboard.press(" ")
    expect(page.locator(".chapter-copy-status")).to_have_text(
        "Copied: paste it into your AI assistant\u2019s chat.")
    assert page.evaluate("navigator.clipboard.readText()") == copied
    return str(copied)


def test_the_button_copies_the_chapter_s_markdown(
    new_context: Any, server: Any, built_site: Path
) -> None:
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"],
                              origin=server.root.rstrip("/"))
    page = context.new_page()
    page.goto(server.url(PAGE))
    copied = _copy_with_the_keyboard(page)
    assert copied == (built_site / f"{PAGE}.md").read_text(encoding="utf-8")
    assert copied.startswith("# Derivatives and Gradients\n")


def test_it_copies_from_disk_too(new_context: Any, built_site: Path) -> None:
    """A page opened from disk may not fetch a file: the Markdown is in the page."""
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto((built_site / PAGE).as_uri())
    assert _copy_with_the_keyboard(page) == \
        (built_site / f"{PAGE}.md").read_text(encoding="utf-8")


def test_without_javascript_it_is_a_link_to_the_markdown(
    new_context: Any, server: Any
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(server.url(PAGE))
    expect(page.get_by_role("button", name=BUTTON)).to_have_count(0)
    link = page.get_by_role("link", name="This chapter as Markdown, for an AI assistant")
    expect(link).to_be_visible()
    response = page.request.get(server.url(f"{PAGE}.md"))
    assert response.ok and response.text().startswith("# Derivatives and Gradients\n")
    assert link.get_attribute("href") == "derivatives-and-gradients.html.md"
