"""gradsite installed from a wheel (``pip install git+...``, as a course's
requirements.txt does), not from an editable checkout: the package must carry
its theme, and cells must see the packages installed beside gradsite."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from tests.coursekit import chapter, make_course

REPO = Path(__file__).resolve().parent.parent


def _site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python*/site-packages"))
    assert len(found) == 1, found
    return found[0]


def test_a_wheel_install_builds_a_course(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(wheels), str(REPO)], check=True, capture_output=True)
    [wheel] = list(wheels.glob("gradsite-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    theme = {n for n in names if n.startswith("gradsite/theme/")}
    shipped = {"gradsite/theme/" + p.relative_to(REPO / "templates").as_posix()
               for p in (REPO / "templates").rglob("*") if p.is_file()}
    assert theme == shipped

    # A venv of its own holding gradsite as pip installs it (the wheel's files in
    # site-packages) and a module installed beside it; the libraries gradsite
    # needs come from this venv's site-packages, through a .pth line.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    packages = _site_packages(venv)
    zipfile.ZipFile(wheel).extractall(packages)
    (packages / "beside_gradsite.py").write_text("GREETING = 'installed beside gradsite'\n")
    (packages / "libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    python = venv / "bin" / "python"
    # As a shell that never ran this suite starts it: no PYTHONPATH to another gradsite.
    env = {name: value for name, value in os.environ.items()
           if name not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    where = subprocess.run([str(python), "-c", "import gradsite; print(gradsite.__file__)"],
                           check=True, capture_output=True, text=True, env=env).stdout
    assert Path(where.strip()).is_relative_to(packages)

    content = make_course(tmp_path, {
        "01-s/01-c.md": chapter(body=(
            "```{python}\nimport beside_gradsite\nprint(beside_gradsite.GREETING)\n```\n")),
    })
    out = tmp_path / "site"
    done = subprocess.run(
        [str(python), "-c", "from gradsite.cli import entry; entry()",
         "--content", str(content), "--out", str(out)],
        capture_output=True, text=True, cwd=tmp_path, timeout=300, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    page = (out / "s" / "c.html").read_text()
    assert "installed beside gradsite" in page
    assert (out / "assets" / "gradsite.css").read_bytes() == \
        (REPO / "templates" / "assets" / "gradsite.css").read_bytes()
