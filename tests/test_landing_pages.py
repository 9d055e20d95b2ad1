"""Every code block of the landing pages runs: the README, the docs index and
the command-line page.

Python blocks are executed in order, one namespace per page, as a reader
pastes them. Shell blocks hold two kinds of commands: the install and test
commands, which ``.ci/run`` executes (checked here), and ``python -m skreg``
commands, which run here against a small CSV table with the columns the
pages name. The index's feature block is the README's, line for line.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from sklearn.datasets import load_iris

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
INDEX = ROOT / "docs" / "index.rst"
CLI_PAGE = ROOT / "docs" / "cli.rst"
CI_SCRIPT = ROOT / ".ci" / "run"

# Commands that set up an environment: .ci/run does that itself, in a fresh
# virtual environment, before the README's test command.
SETUP_PREFIXES = ("python -m venv ", ". ", "pip install ")


def _markdown_blocks(path: Path, language: str) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.M | re.S)


def _rst_blocks(path: Path, language: str) -> list[str]:
    """The bodies of ``.. code-block:: language`` directives, dedented."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks, i = [], 0
    while i < len(lines):
        if lines[i].strip() == f".. code-block:: {language}":
            i += 1
            body = []
            while i < len(lines) and (
                not lines[i].strip() or lines[i].startswith("   ")
            ):
                body.append(lines[i][3:])
                i += 1
            blocks.append("\n".join(body).strip("\n") + "\n")
        else:
            i += 1
    return blocks


def _blocks(path: Path, language: str) -> list[str]:
    if path.suffix == ".md":
        return _markdown_blocks(path, language)
    return _rst_blocks(path, language)


def _commands(path: Path) -> list[str]:
    """The shell commands of a page, ``a && b`` split into ``a`` and ``b``."""
    commands = []
    for block in _blocks(path, "bash"):
        for line in block.splitlines():
            commands += [part.strip() for part in line.split("&&") if part.strip()]
    return commands


@pytest.fixture
def table_dir(tmp_path):
    """A directory with the ``table.csv`` the pages' commands read: iris, with
    an ``id`` column, the species as ``label``, ``petal_width`` numeric."""
    iris = load_iris(as_frame=True)
    frame = iris.frame.drop(columns="target")
    frame.columns = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    frame.insert(0, "id", range(len(frame)))
    frame["label"] = iris.target_names[iris.target]
    frame.to_csv(tmp_path / "table.csv", index=False)
    return tmp_path


@pytest.mark.parametrize("page", [README, INDEX, CLI_PAGE], ids=lambda p: p.name)
def test_pages_have_code_blocks(page):
    assert _blocks(page, "python") or _blocks(page, "bash"), f"no code in {page}"


@pytest.mark.parametrize("page", [README, INDEX], ids=lambda p: p.name)
def test_python_blocks_run(page, tmp_path, monkeypatch):
    blocks = _blocks(page, "python")
    assert blocks
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__landing_page__"}
    with warnings.catch_warnings():
        # Warnings are allowed (a reader sees them too); errors are not.
        warnings.simplefilter("ignore")
        for number, block in enumerate(blocks, start=1):
            code = compile(block, f"{page.name}, python block {number}", "exec")
            exec(code, namespace)


def test_index_shows_the_readme_feature_lines():
    readme_blocks = _blocks(README, "python")
    features = next(block for block in readme_blocks if "MLP(penalty=" in block)
    assert features in _blocks(INDEX, "python")
    # Every feature the issue tracker promised on the landing pages is shown.
    for name in (
        '"group"',
        "SelectFromModel",
        "input_dropout",
        "max_norm",
        "predict_proba_mc",
        "return_std=True",
        "pruned()",
        "RegularizedMLPClassifierCV",
        "weight_decay",
        "average",
        'learning_rate="cosine"',
        "label_smoothing",
        "X_val",
        "class_weight",
    ):
        assert name in features, f"the feature lines do not show {name}"


def test_install_and_test_commands_are_what_ci_runs():
    ci = CI_SCRIPT.read_text(encoding="utf-8")
    test_blocks = [b for b in _blocks(README, "bash") if "pytest" in b]
    assert len(test_blocks) == 1
    assert test_blocks[0].strip() in ci.splitlines()
    for command in _commands(README):
        if command.startswith(SETUP_PREFIXES) or "pytest" in command:
            continue
        assert command.startswith("python -m skreg"), command


def _skreg_commands() -> list[str]:
    commands = []
    for page in (README, INDEX, CLI_PAGE):
        for command in _commands(page):
            if command.startswith("python -m skreg") and command not in commands:
                commands.append(command)
    return commands


def test_every_page_command_is_collected():
    commands = _skreg_commands()
    assert "python -m skreg" in commands
    assert any("--data table.csv" in c and "--drop id" in c for c in commands)


@pytest.mark.slow
@pytest.mark.parametrize("command", _skreg_commands())
def test_skreg_commands_run(command, table_dir):
    argv = shlex.split(command)
    assert argv[:3] == ["python", "-m", "skreg"]
    completed = subprocess.run(
        [sys.executable, *argv[1:]],
        cwd=table_dir,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "automatic (CV search)" in completed.stdout
    if "--plot" in argv:
        plot = table_dir / argv[argv.index("--plot") + 1]
        assert plot.stat().st_size > 1000
