"""The Jinja environment and the rendering of one page context.

Autoescape is on and undefined names fail the build (StrictUndefined): a
misspelled variable in a template is an error, never an empty string.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import jinja2

from .site import PageContext


def make_environment(theme: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """The theme's templates; compiled ones are kept in ``cache_dir/jinja`` (Jinja's
    own bytecode cache, keyed by each template's source), which saves compiling
    them again on every build."""
    bytecode = None
    if cache_dir is not None:
        (cache_dir / "jinja").mkdir(parents=True, exist_ok=True)
        bytecode = jinja2.FileSystemBytecodeCache(str(cache_dir / "jinja"))
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(theme)),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(env: jinja2.Environment, page: PageContext) -> str:
    """The HTML of one page: its template with the context's fields as variables."""
    variables = {f.name: getattr(page, f.name) for f in fields(page)}
    return env.get_template(page.template).render(variables)
