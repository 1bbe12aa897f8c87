"""The Jinja environment and the rendering of one page context.

Autoescape is on and undefined names fail the build (StrictUndefined): a
misspelled variable in a template is an error, never an empty string.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import fields
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from .site import NavSection, PageContext


def make_environment(theme: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """The theme's templates; compiled ones are kept in ``cache_dir/jinja`` (Jinja's
    own bytecode cache, keyed by each template's source), which saves compiling
    them again on every build."""
    bytecode = None
    if cache_dir is not None:
        try:
            (cache_dir / "jinja").mkdir(parents=True, exist_ok=True)
            bytecode = _BytecodeCache(str(cache_dir / "jinja"))
        except OSError:  # a full disk: templates are compiled on every build instead
            pass
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(theme)),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["menu_sections"] = MenuRenderer(env)
    return env


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates only save time: one that cannot be stored (a full disk)
    is compiled again next time, and the build goes on (Jinja writes it to a temp
    file and renames it, so a failed write leaves nothing half-written)."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


class MenuRenderer:
    """The course menu's sections as ``menu-section.html`` renders them, each once
    per distinct section (``section``): every chapter page repeats the menu, and
    all its sections but the reader's own are the same on every page of a folder.
    The page's template asks for them all in one call, which costs less than a
    template's call per section: a 1000-chapter course's pages show 100 000."""

    def __init__(self, env: jinja2.Environment) -> None:
        self._env = env
        self.section = cache(self._render)

    def _render(self, section: NavSection) -> Markup:
        return Markup(self._env.get_template("menu-section.html").render(section=section))

    def __call__(self, sections: tuple[NavSection, ...]) -> Markup:
        return Markup("\n".join(self.section(section) for section in sections))


def render_page(env: jinja2.Environment, page: PageContext) -> bytes:
    """The HTML of one page, encoded: its template with the context's fields as
    variables."""
    variables = {f.name: getattr(page, f.name) for f in fields(page)}
    template = env.get_template(page.template)
    if page.printout is None:
        return template.render(variables).encode()
    # The print page holds every chapter (50 MB at 1000 chapters, the build's peak):
    # encoded a piece at a time, it never exists as one text (2-4 bytes a character)
    # beside its bytes.
    encoded = io.BytesIO()
    for piece in template.generate(variables):
        encoded.write(piece.encode())
    return encoded.getvalue()
