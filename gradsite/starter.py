"""The files of a new course (``gradsite new course DIR``), as text.

A course folder that builds at once, with no warning even under ``--strict``:
``content/`` with ``course.yml``, one section and a sample chapter that shows
a declared function, a plot block, an explorer, a ``{python}`` cell and a
question with a hint; a ``.gitignore`` for the site and the cache; a
``requirements.txt`` naming the gradsite to install; the GitHub Pages workflow;
and a README with the commands. scaffold.py fills in the course's title and
the requirement line, and writes them.

They are text here, not files beside the package, so that they ship with
every install of gradsite, whatever the packaging keeps.
"""

from __future__ import annotations

SECTION_FOLDER = "01-getting-started"
CHAPTER_FILE = "01-a-first-chapter.md"

COURSE_YML = """\
# The course's settings: gradsite's authoring guide, section 2.
{title}
description: >-
  What the course teaches, in a sentence or two: the home page shows it under
  the title.
language: en
author: Your Name
# The address the site will have, once published: pages then get canonical
# links, and the build writes sitemap.xml.
# base_url: https://you.github.io/my-course/
"""

SECTION_YML = """\
title: Getting Started
summary: A first chapter to read, build and change.
"""

CHAPTER = """\
---
title: A First Chapter
summary: A bowl-shaped function, its gradient, and gradient descent on it.
# A declared function: the build checks its gradient against finite differences,
# plot and explore blocks draw it, cells call it as f(x, y) and grad_f(x, y),
# and a question computes its answer from it.
functions:
  f:
    expr: x**2 + 2*y**2
    gradient: [2*x, 4*y]
    domain: [[-2, 2], [-2, 2]]
    tex: 'x^2 + 2y^2'
quiz:
  - id: gradient-at-a-point
    question: 'What is $\\partial f / \\partial y$ at the point $(1, 1)$?'
    answer: grad_f(1, 1)[1]
    tolerance: 0.001
    hints:
      - 'Hold $x$ fixed and differentiate $2y^2$ with respect to $y$.'
    explanation: |
      $\\partial f / \\partial y = 4y$, which is $4$ at $y = 1$.
  - id: descent-direction
    question: In which direction does gradient descent step?
    choices:
      - text: Against the gradient, downhill.
        correct: true
      - text: Along the gradient, uphill.
        feedback: The gradient points uphill; a step that lowers $f$ goes the other way.
---

This chapter shows what a gradsite chapter can hold. Change anything, save,
and the page reloads while `gradsite serve` runs.

## A function and its gradient

The function $f(x, y) = x^2 + 2y^2$ is a bowl, steeper along $y$ than along
$x$. Its gradient collects the partial derivatives:

$$
\\nabla f(x, y) = \\begin{pmatrix} 2x \\\\ 4y \\end{pmatrix}.
\\label{eq-gradient}
$$

The card at the top of the page shows $f$ and its gradient, which the build
checked. A `plot` block draws a declared function without any code:

```plot
function: f
kind: contour
id: fig-contours
caption: 'Level sets of $f(x, y) = x^2 + 2y^2$ with its gradient.'
```

## Gradient descent

Gradient descent steps against the gradient [](#eq-gradient), with a learning
rate $\\eta$: $\\mathbf{x}_{k+1} = \\mathbf{x}_k - \\eta \\nabla f(\\mathbf{x}_k)$.
Drag the start point in [](#fig-explorer), or move the slider:

```explore
function: f
kind: descent
start: [1.5, 1.5]
rate: 0.1
id: fig-explorer
caption: 'Gradient descent on $f$ from a start point you drag, with the learning rate on a slider.'
```

A `{python}` cell runs when the site is built. What it prints, and the figures
it draws, appear below its code:

```{python}
#| id: fig-loss
#| caption: The value of $f$ along twenty steps of gradient descent.
#| alt: A curve that falls steeply in the first steps and then flattens out near zero.
import matplotlib.pyplot as plt
import numpy as np

point = np.array([1.5, 1.5])
values = [f(*point)]
for step in range(20):
    point = point - 0.1 * grad_f(*point)
    values.append(f(*point))
print(f"after 20 steps: f = {values[-1]:.6f}")

fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(values, marker="o")
ax.set_xlabel("step")
ax.set_ylabel("$f$")
plt.show()
```

The questions below check the reader's understanding: a numeric answer
computed from $f$, and a choice with feedback.
"""

GITIGNORE = """\
# What gradsite writes: the site, and the cache of cells' outputs.
_site/
.gradsite-cache/
# A virtual environment, where gradsite is installed, and Python's caches.
.venv/
__pycache__/
"""

# The line of requirements.txt that installs gradsite from its Git repository
# (the wheel pip builds from it carries the theme inside the package).
REQUIREMENT = "gradsite @ git+{url}"
REQUIREMENTS = """\
# The gradsite this course is built with, for `pip install -r requirements.txt`
# on your machine and in the GitHub Pages workflow. It is installed from its Git
# repository, at a tag or commit (@...).
{line}
"""
REQUIREMENT_UNKNOWN = """\
# Put here the address of gradsite's Git repository and a tag or commit, e.g.
# gradsite @ git+https://github.com/OWNER/gradsite@v0.1.0"""

WORKFLOW = """\
# Build the course and publish it on GitHub Pages.
# Repository settings: Settings -> Pages -> Source: "GitHub Actions".
name: Publish the course

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

# One deployment at a time; a newer push waits instead of cancelling a deploy.
concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4

      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
          cache: pip
          cache-dependency-path: requirements.txt

      # requirements.txt names the gradsite to install (see the README).
      - name: Install gradsite
        run: |
          if ! grep -Eq '^[^#]*gradsite' requirements.txt; then
            echo "::error file=requirements.txt::it names no gradsite to install (README.md)"
            exit 1
          fi
          pip install -r requirements.txt

      # What a build keeps in .gradsite-cache (cells' outputs, rendered chapters, the
      # math font) is kept between runs. Entries are found by the hash of what made
      # them (the code, gradsite's own code and version, numpy's and matplotlib's),
      # so an old entry is passed over, never used. A cell may import any installed
      # package, though, and the system and Python make figures too: the cache is
      # shared only between runs on the same system with the same Python and the
      # same installed packages (gradsite excepted: it is in every entry's key).
      - name: Describe the build environment
        id: environment
        run: |
          id=$( { echo "$ImageOS"; python -VV;
                  pip freeze --exclude-editable --exclude gradsite; } | sha256sum | cut -c1-16 )
          echo "key=gradsite-$RUNNER_OS-$id" >> "$GITHUB_OUTPUT"

      - uses: actions/cache@v4
        with:
          path: .gradsite-cache
          key: ${{ steps.environment.outputs.key }}-${{ hashFiles('content/**') }}
          restore-keys: ${{ steps.environment.outputs.key }}-

      # Errors in the course fail this step with file:line messages in the log.
      - name: Build the site
        run: gradsite

      - uses: actions/upload-pages-artifact@v3
        with:
          path: _site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

README = """\
# {title}

A course built with gradsite: Markdown chapters with math, code that runs at
build time, plots, explorers and questions, published as a static site.

## Write and preview

Install gradsite once, in a virtual environment (`requirements.txt` says which
gradsite; skip this if you have it already):

```sh
python3 -m venv .venv && . .venv/bin/activate && pip install -r requirements.txt
```

Then, in this folder:

```sh
gradsite serve   # build, serve on http://127.0.0.1:8000/, rebuild and reload on every save
gradsite         # build the site into _site/ (open _site/index.html, from disk)
```

`gradsite check` reports every mistake at once without running the cells;
`gradsite new chapter 1 "Title"` and `gradsite new section "Title"` add
chapters and sections. `gradsite --help` lists the rest.

## Files

- `content/course.yml`: the course's title, description and settings.
- `content/01-getting-started/`: a section; `01-a-first-chapter.md` is its
  sample chapter, to change or replace.
- `requirements.txt`: the gradsite to install, from its Git repository.
- `.github/workflows/pages.yml`: builds the course and publishes it on
  GitHub Pages on every push to `main`.

## Publish on GitHub Pages

Push this folder to a GitHub repository, then in **Settings -> Pages** set
**Source** to **GitHub Actions**. The workflow installs the gradsite that
`requirements.txt` names, builds the site (with `.gradsite-cache/` kept from
the last run, so unchanged cells do not run again) and publishes it; a mistake in the
course fails the build with `file:line` messages in the job's log, and the
published site stays as it was. Set `base_url` in `content/course.yml` to the
site's address.

gradsite is not on PyPI: `requirements.txt` installs it from its Git
repository, pinned to a tag or commit, so the site is built by the same
gradsite on every push. If it names no repository yet, put one there, e.g.
`gradsite @ git+https://github.com/OWNER/gradsite@v0.1.0`.
"""
