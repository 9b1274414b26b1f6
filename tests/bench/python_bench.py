"""Python benchmarks of `airbyte_core`, run by tests/bench/run (never as a timed test).

Parsing: for every workload body written by `bench-bodies`, `airbyte_core` (the operation's
`parse`: typed in Rust, plain dicts and lists out) against `json.loads` of the same bytes, and for
the public `listJobs` body also against the `airbyte-api` package (Speakeasy's SDK: its own
`unmarshal_json` into `JobsResponse`, pydantic v2). Contenders run interleaved, one call each per
round, and each reports the median of its rounds, so drift of the machine hits all alike. The
garbage collector runs as it normally would, inside each timed call; a full collection before
each call starts every contender from the same heap.

Request building: the median time of one `Operation.build` call for the sample input of every
operation (`requests.json`).

Usage: python_bench.py DATA_DIR OUT_JSON [--tiny]
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List

import airbyte_core
from airbyte_core import ClientConfig, Operation

HEADERS = [("content-type", "application/json")]


def median_ns(rounds: Dict[str, List[int]]) -> Dict[str, float]:
    return {name: float(statistics.median(times)) for name, times in rounds.items()}


def race(contenders: Dict[str, Callable[[], Any]], rounds: int) -> Dict[str, float]:
    """Median nanoseconds per call of each contender, run interleaved."""
    times: Dict[str, List[int]] = {name: [] for name in contenders}
    for call in contenders.values():  # warm-up: imports, caches, first allocations
        call()
    for _ in range(rounds):
        for name, call in contenders.items():
            gc.collect()
            start = time.perf_counter_ns()
            result = call()
            times[name].append(time.perf_counter_ns() - start)
            del result
    return median_ns(times)


def parse_benchmarks(data: Path, tiny: bool) -> List[Dict[str, Any]]:
    manifest = json.loads((data / "manifest.json").read_text())
    results = []
    for workload in manifest:
        body = (data / workload["file"]).read_bytes()
        operation = Operation(workload["api"], workload["operation"], {})
        contenders: Dict[str, Callable[[], Any]] = {
            "airbyte_core": lambda op=operation, b=body: op.parse(200, HEADERS, b),
            "json.loads": lambda b=body: json.loads(b),
        }
        if workload["name"] == "public_listJobs":
            from airbyte_api.models import JobsResponse
            from airbyte_api.utils import unmarshal_json

            text = body.decode()
            contenders["airbyte-api"] = lambda t=text: unmarshal_json(t, JobsResponse)
            # The same data, whatever the path: the same number of jobs.
            parsed = unmarshal_json(text, JobsResponse)
            assert len(parsed.data) == workload["items"], "airbyte-api read every job"
        # airbyte_core gives back the same data as json.loads: types, key order and text (the
        # JSON text of both is compared, since `==` takes 1 for 1.0 and ignores key order).
        same = json.dumps(operation.parse(200, HEADERS, body)) == json.dumps(json.loads(body))
        assert same, f"{workload['name']}: airbyte_core and json.loads disagree"
        rounds = 3 if tiny else (15 if len(body) > 5_000_000 else 41)
        medians = race(contenders, rounds)
        results.append({**workload, "rounds": rounds, "median_ns": medians})
        shown = ", ".join(f"{name} {ns / 1e6:.2f} ms" for name, ns in medians.items())
        print(f"parse {workload['name']} ({len(body):,} B): {shown}", flush=True)
    return results


def build_benchmarks(data: Path, tiny: bool) -> List[Dict[str, Any]]:
    samples = json.loads((data / "requests.json").read_text())
    config = ClientConfig.self_managed("http://localhost:8000")
    batch, rounds = (5, 3) if tiny else (200, 7)
    results = []
    for sample in samples:
        operation = Operation(sample["api"], sample["operation"], sample["input"])
        build = operation.build
        build(config, bearer_token="bench-token")
        per_call = []
        for _ in range(rounds):
            start = time.perf_counter_ns()
            for _ in range(batch):
                build(config, bearer_token="bench-token")
            per_call.append((time.perf_counter_ns() - start) / batch)
        results.append({
            "api": sample["api"],
            "operation": sample["operation"],
            "median_ns": statistics.median(per_call),
        })
    medians = sorted(r["median_ns"] for r in results)
    print(f"build: {len(results)} operations, median {statistics.median(medians) / 1e3:.2f} µs "
          f"per call, max {medians[-1] / 1e3:.2f} µs", flush=True)
    return results


def versions() -> Dict[str, str]:
    from importlib.metadata import version

    found = {"python": sys.version.split()[0], "airbyte_core": airbyte_core.__version__}
    for package in ("airbyte-api", "pydantic", "pydantic-core"):
        found[package] = version(package)
    return found


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    tiny = "--tiny" in sys.argv
    data, out = Path(args[0]), Path(args[1])
    results = {
        "versions": versions(),
        "parse": parse_benchmarks(data, tiny),
        "build": build_benchmarks(data, tiny),
    }
    out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
