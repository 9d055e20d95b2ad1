"""The benchmark's quick mode runs to the end, so the benchmark never rots."""

import importlib.util
import json
import math
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
BENCHMARK = BENCHMARKS / "bench_vs_sklearn.py"


def _load_benchmark(path=BENCHMARK):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_quick_benchmark_reports_every_workload(tmp_path, capsys):
    bench = _load_benchmark()
    out_json = tmp_path / "results.json"

    # Targets are not checked here: --quick sizes are too small to be fast.
    assert bench.main(["--quick", "--json", str(out_json)]) == 0

    lines = capsys.readouterr().out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("workload"))
    table = lines[header + 2 : header + 2 + len(bench.WORKLOADS)]
    assert [row.split()[0] for row in table] == [w.name for w in bench.WORKLOADS]
    assert all(("PASS" in row) != ("FAIL" in row) for row in table)
    assert any(line.startswith("BLAS:") for line in lines)

    results = json.loads(out_json.read_text())["results"]
    assert [r["name"] for r in results] == [w.name for w in bench.WORKLOADS]
    for r in results:
        assert r["baseline_seconds"] > 0 and r["skreg_seconds"] > 0
        assert r["gemm_seconds"] > 0
        assert r["skreg_peak_mib"] > 0 and r["baseline_peak_mib"] > 0
        solver = bench.WORKLOADS_BY_NAME[r["name"]].solver
        expected_iter = bench.QUICK_LBFGS_ITER if solver == "lbfgs" else 1
        assert r["n_iter"] == expected_iter


def test_workload_subset_and_bad_name(capsys):
    bench = _load_benchmark()
    args = bench.parse_args(["--quick", "--workloads", "lbfgs,sparse"])
    assert args.workloads == ["lbfgs", "sparse"]
    assert (args.epochs, args.repeats, args.blas_threads) == (1, 1, 1)
    assert bench.parse_args([]).blas_threads is None
    try:
        bench.parse_args(["--workloads", "nope"])
    except SystemExit as exc:
        assert exc.code == 2
    else:
        raise AssertionError("an unknown workload name must be rejected")
    assert "unknown workload" in capsys.readouterr().err


def test_numpy_floor_quick_run_and_its_loop_trains(capsys):
    floor = _load_benchmark(BENCHMARKS / "numpy_floor.py")
    assert floor.main(["--quick"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[1:]] == [
        "dense64",
        "dense32",
        "regression",
    ]
    # The hand-written loop is a real training loop: its objective falls.
    bench = floor._load_bench()
    for name in ("dense64", "regression"):
        workload = bench.WORKLOADS_BY_NAME[name]
        X, y = workload.data(True)

        def final_objective(epochs, workload=workload, X=X, y=y):
            loop = floor.FloorLoop(
                X, y, workload.hidden, workload.is_classifier, 200, bench.ALPHA
            )
            return loop.epochs(epochs)

        assert final_objective(3) < 0.9 * final_objective(0)


def test_recipes_quick_run_scores_every_contender(tmp_path, capsys):
    recipes = _load_benchmark(BENCHMARKS / "bench_recipes.py")
    out_json = tmp_path / "recipes.json"
    assert recipes.main(["--quick", "--json", str(out_json)]) == 0

    lines = capsys.readouterr().out.splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("table "))
    header = lines[header_at].split()
    assert header[3:] == list(recipes.CONTENDERS)
    rows = lines[header_at + 2 : header_at + 2 + len(recipes.QUICK_TABLES)]
    assert [row.split()[0] for row in rows] == list(recipes.QUICK_TABLES)
    for row in rows:
        name, task, _, *cells = row.split()
        for contender, cell in zip(recipes.CONTENDERS, cells, strict=True):
            if task == "reg" and contender == "lsmooth":
                assert cell == "-"  # label smoothing is for classifiers only
            else:
                assert math.isfinite(float(cell)), (name, contender, cell)
    summary_at = next(i for i, line in enumerate(lines) if line.startswith("contender"))
    summary = lines[summary_at + 2 : summary_at + 2 + len(recipes.CONTENDERS)]
    assert [row.split()[0] for row in summary] == list(recipes.CONTENDERS)
    assert any(line.startswith("BLAS:") for line in lines)

    payload = json.loads(out_json.read_text())
    assert [t["name"] for t in payload["tables"]] == list(recipes.QUICK_TABLES)
    for table, scores in payload["mean_scores"].items():
        for contender in recipes.CONTENDERS:
            if table == "diabetes" and contender == "lsmooth":
                assert scores[contender] is None
            else:
                assert math.isfinite(scores[contender])
    folds = payload["folds"]
    assert {r["contender"] for r in folds} == set(recipes.CONTENDERS)
    assert all(r["fit_seconds"] > 0 for r in folds)
    assert all(r["n_iter"] == recipes.QUICK_EPOCHS for r in folds)


def test_recipes_contender_parameters():
    recipes = _load_benchmark(BENCHMARKS / "bench_recipes.py")
    table = recipes.load_table("iris")
    plain = recipes.estimator_params("plain", table, 100, 100)
    both = recipes.estimator_params("all", table, 100, 100)
    assert plain["max_iter"] == both["max_iter"] == 100
    assert plain["n_iter_no_change"] == float("inf") and plain["tol"] == 0.0
    assert both["early_stopping"] and both["scoring"] == "loss"
    # Averaging starts halfway through the samples the optimizer sees: with
    # early stopping, 90 of the 100 training rows.
    assert both["average"] == 50 * 90
    assert recipes.estimator_params("average", table, 100, 100)["average"] == 5000
    regression = recipes.load_table("diabetes")
    assert "label_smoothing" not in recipes.estimator_params(
        "all", regression, 100, 100
    )
    # Larger tables are subsampled, stratified (scikit-learn's only here).
    digits = recipes.load_table("digits", max_rows=500)
    assert len(digits.y) == 500 and len(set(digits.y)) == 10


def test_quality_quick_run_scores_every_table_and_contender(tmp_path, capsys):
    import pytest

    quality = _load_benchmark(BENCHMARKS / "bench_quality.py")
    out_json = tmp_path / "quality.json"
    assert quality.main(["--quick", "--json", str(out_json)]) == 0

    lines = capsys.readouterr().out.splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("table "))
    header = lines[header_at].split()
    assert header[5:] == list(quality.CONTENDERS)
    rows = lines[header_at + 2 : header_at + 2 + len(quality.QUICK_TABLES)]
    assert [row.split()[0] for row in rows] == list(quality.QUICK_TABLES)
    for row in rows:
        cells = row.split()[5:]
        assert len(cells) == len(quality.CONTENDERS)
        assert all(math.isfinite(float(cell)) for cell in cells), row
    assert any(line.startswith("BLAS:") for line in lines)
    acceptance = [line for line in lines if line.startswith("(")]
    assert [line.split()[0] for line in acceptance] == [
        "(a)",
        "(b)",
        "(c)",
        "(d)",
        "(e)",
    ]
    assert all(("PASS" in line) != ("FAIL" in line) for line in acceptance)

    payload = json.loads(out_json.read_text())
    records = payload["records"]
    expected = {
        (table, contender, fold)
        for table in quality.QUICK_TABLES
        for contender in quality.CONTENDERS
        for fold in range(quality.N_FOLDS)
    }
    assert len(records) == len(expected)
    assert {(r["table"], r["contender"], r["fold"]) for r in records} == expected
    for r in records:
        assert r["error"] is None and math.isfinite(r["score"]) and r["fit_seconds"] > 0
        checked = r["contender"] in quality.CHECK_CONSTANT
        assert (r["constant"] is not None) == checked
    metrics = {r["table"]: r["metric"] for r in records}
    assert metrics == {"wine": "accuracy", "breast_cancer": "roc_auc", "diabetes": "r2"}
    assert all(r["search"] for r in records if r["contender"] in quality.RECORD_SEARCH)

    # Reuse: only the linear contender runs again, the others come from the file.
    again = tmp_path / "again.json"
    argv = ["--quick", "--reuse", str(out_json), "--contenders", "linear"]
    assert quality.main([*argv, "--json", str(again)]) == 0
    rerun = json.loads(again.read_text())
    assert rerun["settings"]["ran"] == ["linear"]
    before = {(r["table"], r["contender"], r["fold"]): r for r in records}
    after = {(r["table"], r["contender"], r["fold"]): r for r in rerun["records"]}
    assert after.keys() == before.keys()
    for key, r in after.items():
        if key[1] != "linear":
            assert r == before[key]
    for table, scores in payload["mean_scores"].items():
        assert rerun["mean_scores"][table] == pytest.approx(scores)


def test_quality_tables_and_reuse_settings(tmp_path, capsys):
    import pytest

    quality = _load_benchmark(BENCHMARKS / "bench_quality.py")
    reserved = {"smarket", "pima_tr", "auto", "mtcars"}
    assert not reserved & set(quality.TABLE_LOADERS)
    args = quality.parse_args(["--tables", "wine,default", "--contenders", "hgb"])
    assert (args.tables, args.contenders) == (["wine", "default"], ["hgb"])
    assert args.max_rows == quality.MAX_ROWS and args.threads == 1
    # A larger table is subsampled, stratified, with a fixed seed.
    default = quality.load_table("default", max_rows=1000)
    again = quality.load_table("default", max_rows=1000)
    assert len(default.y) == 1000 and default.n_rows_original == 10_000
    assert default.X.equals(again.X)
    assert abs(default.y.mean() - 0.0333) < 0.002
    # Records of a full run cannot be merged into a --quick one.
    earlier = tmp_path / "earlier.json"
    earlier.write_text(json.dumps({"settings": {"quick": False}, "records": []}))
    with pytest.raises(SystemExit):
        quality.parse_args(["--quick", "--reuse", str(earlier)])
    assert "quick" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        quality.parse_args(["--contenders", "nope"])


def test_scaling_quick_run_reports_every_series(tmp_path, capsys):
    import pytest

    scaling = _load_benchmark(BENCHMARKS / "bench_scaling.py")
    out_json = tmp_path / "scaling.json"
    out_png = tmp_path / "scaling.png"
    argv = ["--quick", "--json", str(out_json), "--tmpdir", str(tmp_path)]
    with_plot = importlib.util.find_spec("matplotlib") is not None
    if with_plot:
        argv += ["--plot", str(out_png)]
    assert scaling.main(argv) == 0

    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("BLAS:") for line in lines)
    verdict = [line for line in lines if "(chunk + model)" in line]
    assert len(verdict) == 1 and ("PASS" in verdict[0]) != ("FAIL" in verdict[0])

    payload = json.loads(out_json.read_text())
    sizes = scaling.QUICK
    points = payload["points"]
    expected = {("rows", est, n) for est in scaling.ESTIMATORS for n in sizes.rows}
    expected |= {("width", "skreg", sizes.width_rows)}
    expected |= {("sparse", "skreg", n) for n in sizes.sparse_rows}
    assert {(p["series"], p["estimator"], p["n_samples"]) for p in points} == expected
    assert sorted(p["hidden"][0] for p in points if p["series"] == "width") == list(
        sizes.widths
    )
    assert {p["nominal_density"] for p in points if p["series"] == "sparse"} == set(
        sizes.densities
    )
    for p in points:
        assert len(p["seconds"]) == 1 and all(s > 0 for s in p["seconds"])
        assert p["seconds_per_epoch"] > 0 and p["rows_per_second"] > 0
        assert p["peak_mib"] > 0 and p["data_mib"] > 0
        assert p["dtype"] == "float32" and p["epochs"] == 1

    slopes = {(s["series"], s["estimator"], s["density"]): s for s in payload["slopes"]}
    assert set(slopes) == {
        ("rows", "skreg", None),
        ("rows", "sklearn", None),
        ("width", "skreg", None),
        *(("sparse", "skreg", d) for d in sizes.densities),
    }
    assert all(math.isfinite(s["slope"]) for s in slopes.values())

    stream = payload["streaming"]
    assert stream["n_samples"] == sizes.stream_rows
    assert stream["n_chunks"] == -(-sizes.stream_rows // sizes.chunk_rows)
    assert stream["seconds"] > 0 and stream["peak_mib"] > 0
    assert stream["peak_traced_mib"] > 0
    assert stream["bound_mib"] == pytest.approx(
        stream["chunk_mib"] + stream["model_mib"]
    )
    assert stream["ratio"] == pytest.approx(stream["peak_mib"] / stream["bound_mib"])
    assert stream["max_ratio"] == 2.0
    assert stream["passed"] == (stream["ratio"] <= stream["max_ratio"])
    assert list(tmp_path.glob("**/*.npy")) == []  # the streamed file is removed
    if with_plot:
        assert out_png.stat().st_size > 10_000
        again = tmp_path / "again.png"
        assert scaling.main(["--replot", str(out_json), "--plot", str(again)]) == 0
        assert again.stat().st_size > 10_000


def test_scaling_sizes_from_the_command_line(capsys):
    import pytest

    scaling = _load_benchmark(BENCHMARKS / "bench_scaling.py")
    args = scaling.parse_args(["--quick", "--series", "streaming,rows"])
    assert args.series == ["rows", "streaming"]
    assert (args.epochs, args.repeats, args.blas_threads) == (1, 1, 1)
    assert args.sizes == scaling.QUICK and args.sklearn_max_rows == 8_000
    args = scaling.parse_args(
        ["--rows", "1000,2_000", "--chunk-rows", "500", "--sklearn-max-rows", "1000"]
    )
    assert args.sizes.rows == (1_000, 2_000) and args.sizes.chunk_rows == 500
    assert args.sizes.widths == scaling.FULL.widths and args.blas_threads is None
    assert args.sklearn_max_rows == 1_000
    assert scaling.parse_args(["--no-sklearn"]).estimators == ("skreg",)
    with pytest.raises(SystemExit):
        scaling.parse_args(["--series", "nope"])
    assert "unknown series" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        scaling.parse_args(["--densities", "0,0.5"])


def test_tune_cv_quick_pairs_both_arms(tmp_path, capsys):
    """The tuning A/B runs both arms on the same folds of tables kept out of
    bench_quality, and sets the constants only for its own arm."""
    import skreg._candidates as candidates

    tune = _load_benchmark(BENCHMARKS / "tune_cv.py")
    quality = _load_benchmark(BENCHMARKS / "bench_quality.py")
    assert not set(tune.TUNING_LOADERS) & set(quality.TABLE_LOADERS)
    before = candidates.L2_ALPHAS
    out_json = tmp_path / "tune.json"
    argv = ["--quick", "--baseline", "L2_ALPHAS=(1e-3,)", "--json", str(out_json)]
    assert tune.main(argv) == 0
    assert candidates.L2_ALPHAS == before
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "baseline: L2_ALPHAS=(0.001,)"
    assert lines[1] == "variant: current defaults"
    assert [line.split()[0] for line in lines[2:-1]] == list(tune.QUICK_TABLES)
    assert lines[-1].startswith("mean diff")
    result = json.loads(out_json.read_text())
    for record in result["records"].values():
        for arm in tune.ARMS:
            assert len(record[arm]["scores"]) == 3
            assert all(s > 0 for s in record[arm]["seconds"])
    assert math.isfinite(result["mean_diff"]) and result["time_ratio"] > 0


def test_tune_cv_rejects_what_is_not_a_constant(capsys):
    tune = _load_benchmark(BENCHMARKS / "tune_cv.py")
    for bad in ("nope=1", "L2_ALPHAS", "L2_ALPHAS=(1e-3", "training_budget=1"):
        try:
            tune.parse_args(["--variant", bad])
        except SystemExit as exc:
            assert exc.code == 2
        else:
            raise AssertionError(f"{bad!r} must be rejected")
    assert "skreg._candidates" in capsys.readouterr().err
