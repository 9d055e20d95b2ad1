"""The documentation builds without a single warning, gallery and API included.

One test builds the HTML with ``python -m sphinx -W --keep-going`` into a fresh
temporary directory (sphinx-gallery still writes its generated sources to
``docs/auto_examples`` and ``docs/gen_modules``, which git ignores) and then
checks what a reader would look for. It is one test, not several sharing a
fixture, so that pytest-xdist can never run two builds into the same
``docs/auto_examples`` at once.
"""

from __future__ import annotations

import ast
import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

for _module in ("sphinx", "numpydoc", "sphinx_gallery", "pydata_sphinx_theme"):
    pytest.importorskip(_module)
pytest.importorskip("matplotlib")

import skreg  # noqa: E402
import skreg.penalties  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = sorted((ROOT / "examples").glob("plot_*.py"))
BUILD_TIMEOUT = 900


def _example_title(path: Path) -> str:
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    lines = [""] + [line.rstrip() for line in (docstring or "").splitlines()]
    for line, below in zip(lines[1:], lines[2:], strict=False):
        if line and set(below) == {"="}:
            return line.strip()
    raise AssertionError(f"{path.name} has no title")


def _text(page: Path) -> str:
    """The page's visible text, unescaped, with typographic quotes made plain."""
    raw = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
    text = html.unescape(raw).replace("\u2019", "'").replace("\u201c", '"')
    return re.sub(r"\s+", " ", text.replace("\u201d", '"'))


def _build(out: Path) -> subprocess.CompletedProcess:
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "--keep-going",
        "-b",
        "html",
        "-d",
        str(out / "doctrees"),
        str(DOCS),
        str(out / "html"),
    ]
    # One BLAS thread, as conftest.py sets for the test workers: the build runs
    # the examples next to another test worker on two cores, and spinning
    # OpenBLAS threads would slow its small products by orders of magnitude.
    env = {
        **os.environ,
        "MPLBACKEND": "Agg",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    env.pop("SKREG_DOCS_INTERSPHINX", None)  # the build must not need network
    return subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )


def test_makefile_builds_with_warnings_as_errors():
    makefile = (DOCS / "Makefile").read_text(encoding="utf-8")
    assert "-m sphinx" in makefile
    assert re.search(r"SPHINXOPTS\s*\?=\s*-W --keep-going", makefile)
    assert re.search(r"^html:", makefile, flags=re.MULTILINE)


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path):
    result = _build(tmp_path)
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"sphinx-build failed:\n{log[-8000:]}"
    warnings = [
        line
        for line in log.splitlines()
        if re.search(r"\b(WARNING|ERROR|CRITICAL)\b", line)
    ]
    assert not warnings, "\n".join(warnings)

    html_dir = tmp_path / "html"

    # The narrative pages.
    for page, phrases in {
        "index.html": [
            "RegularizedMLPClassifier",
            "input_dropout",
            "max_norm",
            "pruned()",
            "SelectFromModel",
            "RegularizedMLPClassifierCV",
            "python -m skreg",
        ],
        "cli.html": ["python -m skreg", "--drop", "exit status 2"],
        "user_guide.html": [
            "alpha_sklearn",
            "soft-thresholding",
            "Training recipes",
            "weight_decay",
            "Add your own penalty",
            "firm",
            "Scaling regression targets",
            "TransformedTargetRegressor",
        ],
        "migrating.html": [
            "partial_fit",
            "loss_curve_",
            "n_samples",
            "TransformedTargetRegressor",
        ],
        "scaling.html": ["joblib.parallel_config", "LocalCluster", "Incremental"],
        "architecture.html": ["FitProblem", "make_solver", "PENALTIES", "SOLVERS"],
    }.items():
        path = html_dir / page
        assert path.is_file(), f"{page} was not built"
        text = _text(path)
        for phrase in phrases:
            assert phrase in text, f"{page} does not mention {phrase!r}"

    # The gallery: an index listing every example, one page per example.
    gallery = html_dir / "auto_examples" / "index.html"
    assert gallery.is_file(), "the gallery index was not built"
    index_text = _text(gallery)
    assert EXAMPLES
    for example in EXAMPLES:
        title = _example_title(example)
        assert title in index_text, f"the gallery index misses {title!r}"
        assert (html_dir / "auto_examples" / f"{example.stem}.html").is_file()

    # Each example's figures, rendered to non-empty PNG files.
    images = list((html_dir / "_images").glob("sphx_glr_*.png"))
    images += list((html_dir / "auto_examples" / "images").glob("sphx_glr_*.png"))
    for example in EXAMPLES:
        figures = [
            image
            for image in images
            if image.name.startswith(f"sphx_glr_{example.stem}_")
            and "thumb" not in image.name
        ]
        assert figures, f"no figure rendered for {example.name}"
        for figure in figures:
            assert figure.stat().st_size > 1000, f"{figure.name} is (nearly) empty"

    # The API reference: a page for every public name.
    public = [f"skreg.{name}" for name in skreg.__all__ if name != "__version__"]
    public += [f"skreg.penalties.{name}" for name in skreg.penalties.__all__]
    for name in public:
        page = html_dir / "gen_modules" / f"{name}.html"
        assert page.is_file(), f"the API reference has no page for {name}"
    estimator_page = _text(
        html_dir / "gen_modules" / "skreg.RegularizedMLPClassifier.html"
    )
    for phrase in ("penalty", "l1_ratio", "dropout", "coefs_", "partial_fit"):
        assert phrase in estimator_page

    _assert_renders_offline(html_dir)


#: What a browser fetches by itself: scripts, stylesheets and the like, and
#: the fonts and imports inside stylesheets (links a reader clicks are not).
_FETCHED_IN_HTML = re.compile(
    r"<(?:script|img|iframe)\b[^>]*\bsrc=[\"']([^\"']+)"
    r"|<link\b[^>]*\bhref=[\"']([^\"']+)",
    re.IGNORECASE,
)
_FETCHED_IN_CSS = re.compile(r"(?:url\(|@import\s+)[\"']?([^\"')\s]+)", re.IGNORECASE)
_REMOTE = re.compile(r"^(?:[a-z]+:)?//", re.IGNORECASE)


def _assert_renders_offline(html_dir: Path) -> None:
    """No page loads a script, style, font or image from the network, and
    the formulas are typeset by a MathJax that ships with the pages."""
    remote = []
    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for match in _FETCHED_IN_HTML.finditer(text):
            tag = match.group(0)
            url = match.group(1) or match.group(2)
            if match.group(2) and not re.search(
                r"rel=[\"'](?:stylesheet|preload|icon|modulepreload)", tag
            ):
                continue  # <link rel="index"> and the like: not fetched
            if _REMOTE.match(url):
                remote.append(f"{page.relative_to(html_dir)}: {url}")
    for sheet in html_dir.rglob("*.css"):
        for url in _FETCHED_IN_CSS.findall(sheet.read_text(encoding="utf-8")):
            if _REMOTE.match(url):
                remote.append(f"{sheet.relative_to(html_dir)}: {url}")
    assert not remote, "remote assets:\n" + "\n".join(sorted(set(remote))[:20])
    guide = (html_dir / "user_guide.html").read_text(encoding="utf-8")
    mathjax = re.search(r"<script[^>]*src=[\"']([^\"']*mathjax[^\"']*)", guide)
    assert mathjax, "the user guide loads no MathJax"
    local = (html_dir / "user_guide.html").parent / mathjax.group(1).split("?")[0]
    assert local.is_file(), f"MathJax is not shipped with the pages: {mathjax.group(1)}"
    fonts = list((html_dir / "_static" / "mathjax").rglob("*.woff"))
    assert fonts, "MathJax's fonts are not shipped with the pages"
