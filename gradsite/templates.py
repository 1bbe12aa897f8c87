"""The Jinja environment and the rendering of one page context.

Autoescape is on and undefined names fail the build (StrictUndefined): a
misspelled variable in a template is an error, never an empty string.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from dataclasses import dataclass, fields
from functools import cache, partial
from pathlib import Path

import jinja2
from markupsafe import Markup

from .assets import math_characters
from .cache import Cache
from .fingerprint import canonical, digest, environment_key, files_digest
from .model import OutputFile, RememberedFile
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


@dataclass(frozen=True)
class KeptPage:
    """What the cache keeps of a page made before: its bytes' hash and size, and the
    characters of the math it shows."""

    sha256: str
    size: int
    math: frozenset[str]


class PageKeys:
    """The cache keys of pages: a digest of the theme's files (its templates, and
    whatever they include) and of every field of a page's context. What pages share
    (the course's view, its words, a menu section) is digested once per object, not
    once per page that shows it."""

    # Shared by every page, or by the pages of a folder: digested once each.
    SHARED = ("course", "words", "words_json", "nav")

    def __init__(self, theme: Path) -> None:
        self._theme = files_digest(theme)
        # id -> (the object, kept so that its id is not reused; its digest)
        self._shared: dict[int, tuple[object, str]] = {}

    def __call__(self, page: PageContext) -> str:
        own = {f.name: getattr(page, f.name) for f in fields(page) if f.name not in self.SHARED}
        return digest(environment_key(), "page", self._theme, canonical(own),
                      self._of(page.course), self._of(page.words), page.words_json,
                      " ".join(self._of(section) for section in page.nav))

    def _of(self, shared: object) -> str:
        known = self._shared.get(id(shared))
        if known is None:
            known = self._shared[id(shared)] = (shared, digest(canonical(shared)))
        return known[1]


def page_file(env: jinja2.Environment, page: PageContext, keys: PageKeys,
              cache: Cache) -> tuple[OutputFile | RememberedFile, frozenset[str]]:
    """A page's file, and the characters of the math it shows. A page made before from
    the same context and theme is remembered, not rendered: the writer links it
    from the previous site, and renders it only when that lacks it. The print page,
    which changes with every chapter, is rendered every time."""
    if page.printout is not None:
        data = render_page(env, page)
        return OutputFile(page.path, data), frozenset(math_characters([data]))
    key = keys(page)
    kept = cache.get(key)
    if isinstance(kept, KeptPage):
        return RememberedFile(page.path, kept.sha256, kept.size,
                              partial(render_page, env, page)), kept.math
    data = render_page(env, page)
    made = KeptPage(hashlib.sha256(data).hexdigest(), len(data),
                    frozenset(math_characters([data])))
    cache.put(key, made)
    return OutputFile(page.path, data), made.math


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
