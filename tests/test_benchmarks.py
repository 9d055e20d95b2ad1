"""The benchmark's quick mode runs to the end, so the benchmark never rots."""

import importlib.util
import json
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
        expected_iter = bench.QUICK_LBFGS_ITER if r["name"] == "lbfgs" else 1
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
