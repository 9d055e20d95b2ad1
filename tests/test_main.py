"""Tests of ``python -m skreg``: the report on the digits data and on a CSV file.

The CSV tests write small tables of their own (numeric columns with missing
cells, a categorical column, string or float targets), run the command line on
them, and check the table, the progress lines, the chart, the inferred
task, and that user mistakes end with exit status 2 and a one-line message
instead of a traceback.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from skreg.__main__ import main
from skreg._cli.data import MAX_INFERRED_CLASSES, load_csv
from skreg._cli.models import CONFIGURATIONS

# Enough epochs for L1 to zero a visible share of the weights, few enough to
# keep the whole report around a second.
FAST_ARGS = ["--max-iter", "30"]
# The CSV tables are small; 3 folds of 60 epochs keep a run to about a second.
CSV_ARGS = ["--max-iter", "60", "--cv", "3"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _table_rows(output: str) -> dict[str, list[str]]:
    """Map each model label of the printed table to its other cells.

    Columns are separated by at least two spaces (a model label has single
    ones); the table ends at the first blank line after it.
    """
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("model"))
    rows = {}
    for line in lines[header + 2 :]:
        if not line.strip():
            break
        name, *cells = re.split(r"\s{2,}", line.strip())
        rows[name] = cells
    return rows


def _numbers(rows: dict[str, list[str]]) -> dict[str, list[float]]:
    """The four numbers of each digits row."""
    return {name: [float(cell) for cell in cells] for name, cells in rows.items()}


def _mean_std(cell: str) -> tuple[float, float]:
    mean, std = cell.split(" ± ")
    return float(mean), float(std)


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "skreg", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=cwd,
    )


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _features(n_rows: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two standard-normal columns and a column of colour names."""
    rng = np.random.default_rng(seed)
    numeric = rng.normal(size=(n_rows, 2))
    colours = rng.choice(["red", "green", "blue"], size=n_rows)
    return numeric, colours


@pytest.fixture(scope="module")
def classification_csv(tmp_path_factory) -> Path:
    """90 rows: two numeric columns with missing cells, a colour, a yes/no label."""
    numeric, colours = _features(90, seed=0)
    signal = numeric[:, 0] - numeric[:, 1] + (colours == "red")
    labels = np.where(signal > 0.3, "yes", "no")
    rows = []
    for i in range(90):
        x1, x2 = (f"{v:.3f}" for v in numeric[i])
        if i % 17 == 3:
            x2 = "NA"  # imputed with the median of the training fold
        colour = "purple" if i == 7 else colours[i]  # a category in one fold only
        rows.append([x1, x2, colour, labels[i]])
    path = tmp_path_factory.mktemp("csv") / "classification.csv"
    return _write_csv(path, ["x1", "x2", "colour", "label"], rows)


@pytest.fixture(scope="module")
def regression_csv(tmp_path_factory) -> Path:
    """90 rows: a float target of scale 100 driven by both kinds of column."""
    numeric, colours = _features(90, seed=1)
    noise = np.random.default_rng(2).normal(scale=0.1, size=90)
    target = 100 + 30 * (numeric[:, 0] - 0.5 * numeric[:, 1] + (colours == "blue"))
    target += 30 * noise
    rows = [
        [f"{numeric[i, 0]:.3f}", colours[i], f"{numeric[i, 1]:.3f}", f"{target[i]:.2f}"]
        for i in range(90)
    ]
    path = tmp_path_factory.mktemp("csv") / "regression.csv"
    return _write_csv(path, ["x1", "colour", "x2", "price"], rows)


# -- the digits report ---------------------------------------------------------


def test_main_prints_one_row_per_model(capsys):
    assert main(FAST_ARGS) == 0
    rows = _numbers(_table_rows(capsys.readouterr().out))

    assert list(rows) == [name for name, _ in CONFIGURATIONS]
    for name, (accuracy, gap, zeros, seconds) in rows.items():
        assert 0.0 <= accuracy <= 1.0, name
        assert 0.8 < accuracy, name
        assert -1.0 <= gap <= 1.0, name
        assert 0.0 <= zeros <= 1.0, name
        assert seconds >= 0.0, name

    by_penalty = {
        params.get("penalty"): name
        for name, params in CONFIGURATIONS
        if "param_grid" not in params
    }
    l1_zeros = rows[by_penalty["l1"]][2]
    l2_zeros = rows[by_penalty["l2"]][2]
    assert l1_zeros > l2_zeros
    assert rows[by_penalty[None]][2] == 0.0


def test_main_is_reproducible(capsys):
    main(FAST_ARGS)
    first = _numbers(_table_rows(capsys.readouterr().out))
    main(FAST_ARGS)
    second = _numbers(_table_rows(capsys.readouterr().out))
    # Timings differ between runs; everything else is seeded.
    assert {k: v[:3] for k, v in first.items()} == {k: v[:3] for k, v in second.items()}


def test_progress_goes_to_stderr_and_quiet_silences_it(capsys):
    main(["--max-iter", "2"])
    captured = capsys.readouterr()
    progress = captured.err.splitlines()
    assert len(progress) == len(CONFIGURATIONS)
    for (name, _), line in zip(CONFIGURATIONS, progress, strict=True):
        assert name in line
    assert not any(line.startswith("[") for line in captured.out.splitlines())

    main(["--max-iter", "2", "--quiet"])
    assert capsys.readouterr().err == ""


def test_help_mentions_every_option(capsys):
    with pytest.raises(SystemExit) as exc_info:
        main(["--help"])
    assert exc_info.value.code == 0
    text = capsys.readouterr().out
    for option in (
        "--data",
        "--target",
        "--task",
        "--cv",
        "--plot",
        "--quiet",
        "--max-iter",
        "--seed",
    ):
        assert option in text, option
    # The choices and the inference rule are documented, not just listed.
    assert "classification" in text and "regression" in text
    assert str(MAX_INFERRED_CLASSES) in text
    assert "matplotlib" in text


def test_invalid_max_iter_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc_info:
        main(["--max-iter", "0"])
    assert exc_info.value.code == 2
    assert "--max-iter" in capsys.readouterr().err


def test_python_dash_m_entry_point():
    completed = _run("--max-iter", "5", "--quiet")
    assert completed.returncode == 0, completed.stderr
    assert len(_table_rows(completed.stdout)) == len(CONFIGURATIONS)
    assert completed.stderr == ""


# -- a CSV file ------------------------------------------------------------------


def test_csv_classification_with_plot(classification_csv, tmp_path):
    pytest.importorskip("matplotlib")
    plot = tmp_path / "out.png"
    completed = _run(
        "--data",
        str(classification_csv),
        "--target",
        "label",
        "--plot",
        str(plot),
        *CSV_ARGS,
    )
    assert completed.returncode == 0, completed.stderr
    out = completed.stdout
    assert "classification" in out
    assert "2 classes" in out
    assert "test accuracy" in out
    rows = _table_rows(out)
    assert list(rows) == [name for name, _ in CONFIGURATIONS]
    for name, (score, gap, zeros, seconds) in rows.items():
        mean, std = _mean_std(score)
        assert 0.6 < mean <= 1.0, name
        assert 0.0 <= std <= 0.5, name
        assert -1.0 <= float(gap) <= 1.0, name
        assert 0.0 <= float(zeros) <= 1.0, name
        assert float(seconds) >= 0.0, name
    by_penalty = {
        params.get("penalty"): name
        for name, params in CONFIGURATIONS
        if "param_grid" not in params
    }
    assert float(rows[by_penalty[None]][2]) == 0.0
    assert float(rows[by_penalty["l1"]][2]) > float(rows[by_penalty["l2"]][2])

    # One progress line per configuration and fold, on stderr only.
    progress = [line for line in completed.stderr.splitlines() if "fold" in line]
    assert len(progress) == len(CONFIGURATIONS) * 3
    assert "Traceback" not in completed.stderr

    assert plot.stat().st_size > 1000
    assert plot.read_bytes().startswith(PNG_SIGNATURE)
    assert str(plot) in out


def test_csv_regression_with_plot(regression_csv, tmp_path):
    pytest.importorskip("matplotlib")
    plot = tmp_path / "regression.png"
    completed = _run(
        "--data",
        str(regression_csv),
        "--target",
        "price",
        "--plot",
        str(plot),
        "--quiet",
        *CSV_ARGS,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    out = completed.stdout
    assert "regression" in out
    assert "test r2" in out
    rows = _table_rows(out)
    assert list(rows) == [name for name, _ in CONFIGURATIONS]
    for name, (score, *_) in rows.items():
        mean, std = _mean_std(score)
        # The target is standardized for training, so even 60 epochs of a
        # scale-100 target reach a good fit of this nearly linear signal.
        assert 0.5 < mean <= 1.0, name
        assert std >= 0.0, name
    assert plot.stat().st_size > 1000
    assert plot.read_bytes().startswith(PNG_SIGNATURE)


def test_csv_report_is_reproducible(classification_csv, capsys):
    args = ["--data", str(classification_csv), "--target", "label", "--cv", "3"]
    main([*args, "--max-iter", "10", "--quiet"])
    first = _table_rows(capsys.readouterr().out)
    main([*args, "--max-iter", "10", "--quiet"])
    second = _table_rows(capsys.readouterr().out)
    assert {k: v[:3] for k, v in first.items()} == {k: v[:3] for k, v in second.items()}


def test_task_can_be_forced(tmp_path, capsys):
    # Integer targets with few values are classes unless --task says otherwise.
    rng = np.random.default_rng(0)
    rows = [[f"{x:.3f}", int(x > 0) + int(x > 1)] for x in rng.normal(size=60)]
    path = _write_csv(tmp_path / "counts.csv", ["x", "count"], rows)
    args = ["--data", str(path), "--target", "count", "--max-iter", "5", "--quiet"]

    assert main(args) == 0
    out = capsys.readouterr().out
    assert "classification (inferred" in out
    assert "test accuracy" in out

    assert main([*args, "--task", "regression"]) == 0
    out = capsys.readouterr().out
    assert "regression (given by --task)" in out
    assert "test r2" in out


@pytest.mark.parametrize(
    ("cells", "task"),
    [
        (["yes", "no", "yes", "maybe"], "classification"),
        (["1", "2", "3", "1"], "classification"),
        (["1.0", "2.0", "1.0", "2.0"], "classification"),
        (["0.5", "1.5", "2.5", "3.0"], "regression"),
        ([str(i) for i in range(MAX_INFERRED_CLASSES + 1)], "regression"),
        ([str(i % MAX_INFERRED_CLASSES) for i in range(50)], "classification"),
    ],
)
def test_task_inference(tmp_path, cells, task):
    rows = [[i, cell] for i, cell in enumerate(cells)]
    path = _write_csv(tmp_path / "t.csv", ["x", "y"], rows)
    dataset = load_csv(path, "y")
    assert dataset.task == task
    assert "inferred" in dataset.task_reason


def test_load_csv_drops_the_columns_named(classification_csv):
    """An ID column is not a feature: ``--drop`` leaves it out."""
    dataset = load_csv(classification_csv, "label", drop=("x2", "colour"))
    assert dataset.feature_names == ["x1"]
    assert dataset.numeric_columns == [0]
    assert dataset.categorical_columns == []
    assert dataset.X.shape == (90, 1)
    assert dataset.n_missing == 0


def test_drop_option_reaches_the_models(classification_csv, capsys):
    main(
        [
            "--data",
            str(classification_csv),
            "--target",
            "label",
            "--drop",
            "colour",
            "--quiet",
            "--max-iter",
            "20",
            "--cv",
            "2",
        ]
    )
    out = capsys.readouterr().out
    assert "90 rows, 2 feature columns (2 numeric, 0 one-hot encoded" in out
    assert "not features: colour" in out


def test_load_csv_types_columns(classification_csv):
    dataset = load_csv(classification_csv, "label")
    assert dataset.feature_names == ["x1", "x2", "colour"]
    assert dataset.numeric_columns == [0, 1]
    assert dataset.categorical_columns == [2]
    assert dataset.n_missing == 6
    assert sorted(set(dataset.y)) == ["no", "yes"]
    assert np.isnan(dataset.X[3, 1])


# -- mistakes: exit status 2, one clear line, no traceback -----------------------

GOOD = "x,colour,y\n" + "".join(f"{i},c{i % 2},{'ab'[i % 2]}\n" for i in range(20))


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        (None, [], "no such file"),
        (GOOD, ["--target", "nope"], "no column 'nope'"),
        ("a;b;y\n1;2;3\n", [], "comma-separated"),
        ("x,y\n1,a\n2\n", [], "line 3"),
        ("", [], "is empty"),
        ("x,y\n", [], "no data rows"),
        ("x,y\n" + "".join(f"{i},a\n" for i in range(10)), [], "single class"),
        ("x,y\n1,a\n2,\n3,b\n", [], "missing"),
        (GOOD, ["--task", "regression"], "not numeric"),
        ("x,y\n" + "".join(f"{i},2.5\n" for i in range(10)), [], "constant"),
        ("y\n" + "a\nb\n" * 5, [], "no feature column"),
        (GOOD, ["--cv", "11"], "lower --cv"),
        (GOOD, ["--cv", "1"], "--cv"),
        (GOOD, ["--task", "clustering"], "--task"),
        (GOOD, ["--plot", "chart.unknown"], "--plot"),
        (GOOD, ["--plot", "no/such/dir/chart.png"], "no such directory"),
        (GOOD, ["--drop", "id"], "--drop: no column 'id'"),
        (GOOD, ["--drop", "y"], "is the target"),
        (GOOD, ["--drop", "x,"], "--drop"),
        (GOOD, ["--drop", "x,colour"], "no feature column"),
    ],
)
def test_csv_mistakes_are_usage_errors(tmp_path, capsys, content, extra, message):
    path = tmp_path / "data.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    args = ["--data", str(path), "--target", "y", *extra]
    if "--plot" in extra:
        pytest.importorskip("matplotlib")
        args = [arg.replace("no/", f"{tmp_path}/no/") for arg in args]
    with pytest.raises(SystemExit) as exc_info:
        main(args)
    assert exc_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.rstrip().splitlines()[-1].startswith("python -m skreg: error:")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", "x.csv"], "--target"),
        (["--target", "y"], "--data"),
        (["--cv", "3"], "--data"),
        (["--task", "regression"], "--data"),
        (["--drop", "id"], "--data"),
    ],
)
def test_options_that_need_each_other(capsys, args, message):
    with pytest.raises(SystemExit) as exc_info:
        main(args)
    assert exc_info.value.code == 2
    assert message in capsys.readouterr().err


def test_user_error_has_no_traceback(tmp_path):
    completed = _run("--data", str(tmp_path / "missing.csv"), "--target", "y")
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert "no such file" in completed.stderr


def test_plot_without_matplotlib_is_a_clear_error(classification_csv, tmp_path):
    # A None entry in sys.modules makes "import matplotlib" fail as if it were
    # not installed; the check runs before any training.
    code = (
        "import sys; sys.modules['matplotlib'] = None; "
        "from skreg.__main__ import main; "
        f"main(['--data', {str(classification_csv)!r}, '--target', 'label', "
        f"'--plot', {str(tmp_path / 'out.png')!r}])"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert "needs matplotlib" in completed.stderr
    assert "pip install matplotlib" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not (tmp_path / "out.png").exists()


def test_score_panel_is_zoomed_to_the_scores():
    # Close scores (0.973 against 0.982) must look different: the score axis
    # spans their range and spreads, not 0 to 1.
    pytest.importorskip("matplotlib")
    from skreg._cli.models import Result
    from skreg._cli.report import results_figure

    results = [
        Result("a", 0.973, 0.02, 0.0, 1.0, test_score_std=0.004),
        Result("b", 0.982, 0.01, 0.3, 1.0, test_score_std=0.003),
        Result("c", 0.978, 0.01, 0.6, 1.0, test_score_std=0.002),
    ]
    figure = results_figure(results, score_label="test accuracy", title="t")
    score_ax = figure.axes[0]
    low, high = score_ax.get_xlim()
    assert low <= 0.973 - 0.004 and high >= 0.982 + 0.003
    assert high - low < 0.05
    # The same with one split (no spreads) and equal scores: still an axis.
    single = [Result("a", 0.5, 0.0, 0.0, 1.0), Result("b", 0.5, 0.0, 0.0, 1.0)]
    low, high = results_figure(single, score_label="r2", title="t").axes[0].get_xlim()
    assert low < 0.5 < high
