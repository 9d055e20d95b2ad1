"""Sphinx configuration of the skreg documentation.

Build with ``make -C docs html`` (``python -m sphinx -W --keep-going``). The
build needs no network: intersphinx is off unless ``SKREG_DOCS_INTERSPHINX=1``
is set, because fetching the inventories offline would be a warning, and
``-W`` turns warnings into errors.
"""

import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Document (and run the examples against) this checkout's package, whether or
# not it is the one installed.
sys.path.insert(0, str(HERE.parent))

import skreg  # noqa: E402

# -- Project -----------------------------------------------------------------

project = "skreg"
author = "The skreg developers"
copyright = "The skreg developers"
release = skreg.__version__
version = ".".join(release.split(".")[:2])

# -- General -----------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    # MathJax 3, its fonts included, copied into _static: the formulas render
    # with no network (a CDN's MathJax left them as raw TeX offline). KaTeX
    # prerendered at build time would need Node.js on the build machine.
    "sphinx-mathjax-offline",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
root_doc = "index"
default_role = "literal"

# autosummary writes one page per object into gen_modules/ (git-ignored).
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"
# "fit" rather than "RegularizedMLPClassifier.fit" in the page's contents.
toc_object_entries_show_parents = "hide"

# The class template lists the members itself (autosummary + autodoc);
# numpydoc's own member tables would document every method twice.
numpydoc_show_class_members = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# -- Optional cross-links to other projects (needs network) -------------------

if os.environ.get("SKREG_DOCS_INTERSPHINX") == "1":
    extensions.append("sphinx.ext.intersphinx")
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable", None),
        "scipy": ("https://docs.scipy.org/doc/scipy", None),
        "sklearn": ("https://scikit-learn.org/stable", None),
        "matplotlib": ("https://matplotlib.org/stable", None),
        "joblib": ("https://joblib.readthedocs.io/en/stable", None),
    }

# -- Docstrings inherited from scikit-learn ---------------------------------
#
# The estimators inherit ``score``, ``get_params``, ``set_params`` and the
# metadata-routing methods from scikit-learn, whose docstrings point into
# scikit-learn's own documentation with ``:ref:`` and ``:term:`` roles. Without
# intersphinx those targets do not exist here, so the roles are turned into
# plain text in docstrings that come from scikit-learn, and only there: a
# broken reference in skreg's own docstrings still fails the build.

_SKLEARN_ROLE = re.compile(r":(?:ref|term):`([^`<]*?)\s*(?:<([^`>]*)>)?`")


def _plain_sklearn_roles(app, what, name, obj, options, lines):
    module = getattr(obj, "__module__", None) or ""
    if not module.startswith("sklearn"):
        return
    for i, line in enumerate(lines):
        lines[i] = _SKLEARN_ROLE.sub(lambda m: m.group(1).strip() or m.group(2), line)


def setup(app):
    if "sphinx.ext.intersphinx" not in extensions:
        app.connect("autodoc-process-docstring", _plain_sklearn_roles)


# -- Gallery -----------------------------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": str(HERE.parent / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("skreg",),
    "backreferences_dir": "gen_modules/backreferences",
    "download_all_examples": False,
    "remove_config_comments": True,
    "show_memory": False,
    "min_reported_time": 1,
    "matplotlib_animations": False,
    # The timing tables are rebuilt at every build; keep them out of the
    # source tree's root so that only git-ignored folders are written.
    "write_computation_times": False,
}

# -- HTML --------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"skreg {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 6,
}
html_context = {"default_mode": "light"}
# The narrative pages have no sub-pages: no empty navigation column for them.
html_sidebars = {page: [] for page in ("index", "user_guide", "migrating", "scaling")}
html_show_sourcelink = False
