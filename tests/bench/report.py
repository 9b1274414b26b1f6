"""Writes the figures of one `tests/bench/run` as Markdown.

Reads what the run left in its work folder (machine facts, the bodies' manifest, criterion's
estimates, the Python and Node results, sizes, memory) and prints the section, or with
`--write FILE` puts it between the markers `<!-- bench:begin -->` and `<!-- bench:end -->` of FILE
(appending the markers when FILE has none), leaving the rest of FILE as it is. Every figure that
has a comparison is given as a ratio to it, measured in the same run.

Usage: report.py WORK_DIR [--write FILE]
"""

from __future__ import annotations

import json
import math
import statistics
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def load(path: Path) -> Any:
    return json.loads(path.read_text()) if path.exists() else None


def ms(ns: float) -> str:
    return f"{ns / 1e6:,.2f} ms"


def us(ns: float) -> str:
    return f"{ns / 1e3:,.2f} µs"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×"


def mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def yes(met: bool) -> str:
    return "met" if met else "**missed**"


def criterion(home: Path) -> Dict[Tuple[str, str], float]:
    """Median nanoseconds per iteration of every benchmark, by (group, function)."""
    found = {}
    for bench in home.glob("**/new/benchmark.json"):
        meta = load(bench)
        estimates = load(bench.parent / "estimates.json")
        found[(meta["group_id"], meta["function_id"])] = estimates["median"]["point_estimate"]
    return found


def distribution(values: List[float]) -> Dict[str, float]:
    ordered = sorted(values)
    return {
        "median": statistics.median(ordered),
        # Nearest rank: the smallest value with at least 90 % of the values at or below it.
        "p90": ordered[max(0, math.ceil(len(ordered) * 0.9) - 1)],
        "max": ordered[-1],
    }


def missing(work: Path) -> List[str]:
    """What a complete run leaves and this one did not: a path that stopped producing figures
    fails the run (the tiny run in CI included) instead of dropping out of the report."""
    manifest = load(work / "data/manifest.json") or []
    requests = load(work / "data/requests.json") or []
    names = [w["name"] for w in manifest]
    operations = {f"{r['api']}/{r['operation']}" for r in requests}
    rust = criterion(work / "criterion")
    python = load(work / "results/python.json") or {}
    node = load(work / "results/node.json") or {}
    sizes = load(work / "results/sizes.json") or {}
    gaps = []
    if len(names) != 4:
        gaps.append(f"4 workload bodies (found {len(names)})")
    if not operations:
        gaps.append("request samples")
    for name in names:
        for function in ("typed", "value"):
            if (f"parse/{name}", function) not in rust:
                gaps.append(f"criterion parse/{name}/{function}")
    for group in ("typed", "typed-minimal", "dynamic"):
        measured = {f for (g, f) in rust if g == group}
        if measured != operations:
            gaps.append(f"criterion {group}: {len(operations - measured)} operations unmeasured")
    for language, results, contenders in (
        ("python", python, ("airbyte_core", "json.loads")),
        ("node", node, ("airbyte-core (text)", "airbyte-core (bytes)", "JSON.parse")),
    ):
        parsed = {p["name"]: p["median_ns"] for p in results.get("parse", [])}
        for name in names:
            if not all(c in parsed.get(name, {}) for c in contenders):
                gaps.append(f"{language} parse of {name}")
        built = {f"{b['api']}/{b['operation']}" for b in results.get("build", [])}
        if built != operations:
            gaps.append(f"{language} build: {len(operations - built)} operations unmeasured")
    if "airbyte-api" not in {c for p in python.get("parse", []) for c in p["median_ns"]}:
        gaps.append("python airbyte-api comparison")
    if len(sizes.get("files", [])) != 7:
        gaps.append(f"7 size rows (found {len(sizes.get('files', []))})")
    if not load(work / "results/memory.json"):
        gaps.append("memory probe")
    return gaps


def section(work: Path) -> str:
    machine = load(work / "machine.json")
    manifest = load(work / "data/manifest.json")
    rust = criterion(work / "criterion")
    python = load(work / "results/python.json")
    node = load(work / "results/node.json")
    sizes = load(work / "results/sizes.json") or {}
    memory = load(work / "results/memory.json")
    targets: List[Tuple[str, str, Optional[bool]]] = []
    out: List[str] = []
    add = out.append

    tiny = machine["mode"] == "tiny"
    release = "debug and `ci` builds" if tiny else "release profile"
    add("## Side by side: `tests/bench/run`")
    add("")
    if tiny:
        add("**Tiny run** (`--tiny`): debug builds and tiny bodies. It checks that every path "
            "runs; its figures mean nothing.")
        add("")
    add(f"Written by `tests/bench/run` on {machine['date']} at commit `{machine['commit']}`; "
        "everything between the `bench:` markers is regenerated by each full run. Absolute "
        "times drift on this shared machine, so each figure is compared with its comparison "
        "measured in the same run.")
    add("")
    add(f"- Machine: `{machine['uname']}`, {machine['nproc']} cores, {machine['memory']} memory, "
        f"load average {machine['load']} when the run started.")
    add(f"- Tools: {machine['rustc']}; Python {machine['python']}; Node {machine['node']}"
        + (f"; airbyte-api {python['versions']['airbyte-api']} with pydantic "
           f"{python['versions']['pydantic']} (pydantic-core {python['versions']['pydantic-core']})"
           if python else "") + ".")
    add(f"- Command: `{machine['command']}` ({machine['duration']}). Steps it runs:")
    add("")
    for command in machine["steps"]:
        add(f"  - `{command}`")
    add("")

    add("### Bodies")
    add("")
    add("Generated by `bench-bodies` from the core's own model types with a fixed seed "
        "(`tests/bench/src/bodies.rs`); the same bytes on every run.")
    add("")
    add("| workload | operation | items | bytes |")
    add("| --- | --- | ---: | ---: |")
    for w in manifest:
        add(f"| `{w['name']}` | {w['api']} `{w['operation']}` | {w['items']:,} {w['unit']} | "
            f"{w['bytes']:,} |")
    add("")

    add(f"### Rust: typed parse against `serde_json::Value` (criterion, {release})")
    add("")
    add("`typed` is the operation's `parse_response` (every field checked and converted); "
        "`Value` is `serde_json::from_slice::<Value>` of the same bytes (with the workspace's "
        "`preserve_order`, so objects are `IndexMap`s). Medians.")
    add("")
    add("| workload | typed | `Value` | typed / `Value` | throughput typed |")
    add("| --- | ---: | ---: | ---: | ---: |")
    for w in manifest:
        group = f"parse/{w['name']}"
        typed, value = rust.get((group, "typed")), rust.get((group, "value"))
        if typed is None or value is None:
            continue
        add(f"| `{w['name']}` | {ms(typed)} | {ms(value)} | {ratio(typed, value)} | "
            f"{w['bytes'] / typed * 1e3:,.0f} MB/s |")
        targets.append((f"Rust: typed parse no slower than `Value` ({w['name']})",
                        ratio(typed, value), typed <= value))
    add("")

    typed_build = {f: ns for (g, f), ns in rust.items() if g == "typed"}
    minimal_build = {f: ns for (g, f), ns in rust.items() if g == "typed-minimal"}
    dynamic_build = {f: ns for (g, f), ns in rust.items() if g == "dynamic"}
    if typed_build:
        add("### Rust: building one request, every operation")
        add("")
        add("The `full` sample input of each operation (every parameter, the body with its "
            "optional fields). `typed` times `build_request` on the operation's Rust value; "
            "`typed, minimal` the same with only the required parameters and fields; "
            "`dynamic` times `DynOperation::build_json` on the full input, which also reads the "
            "input from JSON, as the bindings do. Per operation the criterion median; across "
            "operations:")
        add("")
        add("| path | operations | median | 90th percentile | max | max / median | under 1 µs |")
        add("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, values in (("typed", typed_build), ("typed, minimal", minimal_build),
                             ("dynamic", dynamic_build)):
            if not values:
                continue
            d = distribution(list(values.values()))
            slowest = max(values, key=values.get)
            under = sum(1 for v in values.values() if v < 1000)
            add(f"| {name} | {len(values)} | {us(d['median'])} | {us(d['p90'])} | "
                f"{us(d['max'])} (`{slowest}`) | {d['max'] / d['median']:.1f} | "
                f"{under} of {len(values)} |")
        add("")
        # "Median per operation under 1 µs" is checked both ways it can be read: the median
        # across operations, and every operation's own median.
        for label, values in (("full input", typed_build), ("minimal input", minimal_build)):
            if not values:
                continue
            d = distribution(list(values.values()))
            targets.append((f"Rust: request build under 1 µs, median across operations ({label})",
                            us(d["median"]), d["median"] < 1000))
            under = sum(1 for v in values.values() if v < 1000)
            targets.append((f"Rust: request build under 1 µs, every operation ({label})",
                            f"{under} of {len(values)}", under == len(values)))

    if python:
        add("### Python: `airbyte_core` against `airbyte-api` and `json.loads`")
        add("")
        add(f"Wheel built with `maturin build {'--profile ci' if tiny else '--release'}`. "
            "`airbyte_core` is `Operation.parse` (typed parse in Rust, then dicts and lists made directly from the typed value); "
            "`json.loads` reads the same bytes without checking anything; `airbyte-api` is "
            "`airbyte_api.utils.unmarshal_json(text, JobsResponse)` (pydantic v2 validation "
            "into models). Medians of interleaved rounds; a full garbage collection before each "
            "call, and the collector on during it, as a program would run it.")
        add("")
        add("| workload | `airbyte_core` | `json.loads` | `airbyte-api` | core / `json.loads` "
            "| `airbyte-api` / core | `airbyte-api` / `json.loads` |")
        add("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for p in python["parse"]:
            m = p["median_ns"]
            core, loads, sdk = m["airbyte_core"], m["json.loads"], m.get("airbyte-api")
            add(f"| `{p['name']}` | {ms(core)} | {ms(loads)} | "
                f"{ms(sdk) if sdk else '–'} | {ratio(core, loads)} | "
                f"{ratio(sdk, core) if sdk else '–'} | {ratio(sdk, loads) if sdk else '–'} |")
            targets.append((f"Python: no slower than `json.loads` ({p['name']})",
                            ratio(core, loads), core <= loads))
            if sdk:
                targets.append((f"Python: at least 3× faster than `airbyte-api` ({p['name']})",
                                ratio(sdk, core), sdk >= 3 * core))
        add("")
        builds = python["build"]
        py = {(b["api"], b["operation"]): b["median_ns"] for b in builds}
        overhead = [ns - dynamic_build[f"{api}/{op}"] for (api, op), ns in py.items()
                    if f"{api}/{op}" in dynamic_build]
        d = distribution(list(py.values()))
        add(f"Building a request from Python (`Operation(api, id, input).build(config, "
            f"bearer_token=...)`, {len(builds)} operations, median per call of each): median "
            f"{us(d['median'])}, 90th percentile {us(d['p90'])}, max {us(d['max'])}.")
        if overhead:
            add(f"Against the Rust `dynamic` path for the same operation, the binding adds "
                f"a median of {us(statistics.median(overhead))} per call (converting the input "
                "dict to JSON, the call, the `Request` object).")
        add("")

    if node:
        add("### Node: the WebAssembly package against `JSON.parse`")
        add("")
        add(f"`parseResponse` of the `bindings-wasm/build{'' if tiny else ' --release'}` package "
            "(typed parse in "
            "WebAssembly, plain objects out) against `JSON.parse` of the same text, in Node "
            f"{node['versions']['node']}; the body given as text (`response.text()`) and as "
            "bytes (`response.arrayBuffer()`). Medians of interleaved rounds (the order rotating "
            "from round to round), the heap collected before each call (`node --expose-gc`).")
        add("")
        add("| workload | `parseResponse` (text) | `parseResponse` (bytes) | `JSON.parse` | "
            "text / `JSON.parse` | bytes / `JSON.parse` |")
        add("| --- | ---: | ---: | ---: | ---: | ---: |")
        for p in node["parse"]:
            m = p["median_ns"]
            text, raw, parse = m["airbyte-core (text)"], m["airbyte-core (bytes)"], m["JSON.parse"]
            add(f"| `{p['name']}` | {ms(text)} | {ms(raw)} | {ms(parse)} | {ratio(text, parse)} "
                f"| {ratio(raw, parse)} |")
        add("")
        d = distribution([b["median_ns"] for b in node["build"]])
        add(f"Building a request (`buildRequest(api, id, input, options)`, {len(node['build'])} "
            f"operations, median per call of each): median {us(d['median'])}, 90th percentile "
            f"{us(d['p90'])}, max {us(d['max'])}.")
        add("")

    add("### Sizes and build time")
    add("")
    add("| what | raw | gzip -9 |")
    add("| --- | ---: | ---: |")
    for row in sizes.get("files", []):
        gz = f"{row['gzip']:,}" if row.get("gzip") is not None else ""
        add(f"| {row['what']} | {row['bytes']:,} B | {gz}{' B' if gz else ''} |")
    add("")
    if sizes.get("uniffi_note"):
        add(sizes["uniffi_note"])
        add("")
    if sizes.get("core_build_seconds") is not None:
        add(f"Clean release build of the core alone (`cargo build --release -p airbyte-core` in an "
            f"empty target folder, dependencies included): {sizes['core_build_seconds']} s.")
        add("")

    if memory:
        add("### Memory: peak resident set of parsing the largest body")
        add("")
        add(f"`bench-memory` on `{memory['workload']}` ({memory['body_bytes']:,} B). "
            "\"Before\" is the peak after reading the body (program and body); the parse adds "
            "the rest. The typed result stays much smaller than the body's `Value` tree.")
        add("")
        add("| parse | peak before | peak after | added by parsing | added / body size |")
        add("| --- | ---: | ---: | ---: | ---: |")
        for mode in ("typed", "value"):
            r = memory[mode]
            peak = max(r["peak_bytes"], r["rss_with_result_bytes"])
            added = peak - r["peak_before_bytes"]
            add(f"| {'typed' if mode == 'typed' else '`Value`'} | {mb(r['peak_before_bytes'])} | "
                f"{mb(peak)} | {mb(added)} | {added / r['body_bytes']:.2f}× |")
        add("")

    add("### Targets")
    add("")
    add("| target | figure | |")
    add("| --- | ---: | --- |")
    for name, figure, met in targets:
        add(f"| {name} | {figure} | {yes(bool(met))} |")
    return "\n".join(out) + "\n"


def main() -> None:
    args = sys.argv[1:]
    work = Path(args[0])
    gaps = missing(work)
    if gaps:
        sys.exit(f"report.py: the run in {work} is incomplete, missing: " + "; ".join(gaps))
    text = section(work)
    if "--write" not in args:
        sys.stdout.write(text)
        return
    target = Path(args[args.index("--write") + 1])
    current = target.read_text() if target.exists() else "# Benchmarks\n"
    block = f"{BEGIN}\n{text}{END}"
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        current = head + block + tail
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    target.write_text(current)


if __name__ == "__main__":
    main()
