"""fingerprint.py: what every cache key and the no-op check depend on."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import pytest

from gradsite.fingerprint import digest, installed_version

# Every distribution whose version goes into a cache key or the font's key.
KEYED = ("numpy", "matplotlib", "pykatex", "pygments", "markdown", "ziamath", "fonttools")


@pytest.mark.parametrize("name", KEYED)
def test_installed_version_agrees_with_importlib_metadata(name: str) -> None:
    assert installed_version(name) == version(name)


def test_installed_version_ignores_how_a_name_is_written() -> None:
    assert installed_version("Markdown") == installed_version("markdown")
    assert installed_version("PyYAML") == version("pyyaml")


def test_an_unknown_distribution_is_an_error_not_a_guess() -> None:
    with pytest.raises(PackageNotFoundError):
        installed_version("no-such-distribution-gradsite")


def test_digest_separates_its_parts() -> None:
    assert digest("ab", "c") != digest("a", "bc")
    assert digest("ab", "c") == digest("ab", "c")
