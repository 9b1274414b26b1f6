// Node benchmarks of the npm package `airbyte-core` (the WebAssembly build in bindings-wasm/pkg),
// run by tests/bench/run, never as a timed test.
//
// Parsing: for every workload body written by `bench-bodies`, the package's `parseResponse`
// (typed in Rust, plain JavaScript objects out) against `JSON.parse` of the same text; the body is
// given as the string `response.text()` returns, and once more as the bytes of
// `response.arrayBuffer()`. Contenders run interleaved; each reports the median of its rounds.
// Request building: the median time of one `buildRequest` call for the sample input of every
// operation.
//
// Usage: node node_bench.mjs PACKAGE_DIR DATA_DIR OUT_JSON [--tiny]

import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import assert from "node:assert/strict";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const tiny = process.argv.includes("--tiny");
const [pkgDir, dataDir, outFile] = args;
const pkg = await import(pathToFileURL(resolve(pkgDir, "index.node.js")).href);
const { parseResponse, buildRequest } = pkg;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// With `node --expose-gc` (as tests/bench/run starts it) each timed call starts from a collected
// heap, so no contender pays for the garbage of the one before it.
const collect = globalThis.gc ?? (() => {});

/**
 * Median nanoseconds per call of each contender, run interleaved after one warm-up call; the
 * order rotates from round to round.
 */
function race(contenders, rounds) {
  const times = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  const entries = Object.entries(contenders);
  for (const [, call] of entries) call();
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < entries.length; turn++) {
      const [name, call] = entries[(round + turn) % entries.length];
      collect();
      const start = process.hrtime.bigint();
      call();
      times[name].push(Number(process.hrtime.bigint() - start));
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, t]) => [name, median(t)]));
}

const headers = [["content-type", "application/json"]];
const manifest = JSON.parse(readFileSync(join(dataDir, "manifest.json"), "utf8"));
const parse = [];
for (const workload of manifest) {
  const bytes = new Uint8Array(readFileSync(join(dataDir, workload.file)));
  const text = new TextDecoder().decode(bytes);
  const { api, operation } = workload;
  // The same data as JSON.parse, key order included (deepEqual ignores it).
  const parsed = parseResponse(api, operation, { status: 200, headers, body: text });
  assert.equal(JSON.stringify(parsed), JSON.stringify(JSON.parse(text)), workload.name);
  const rounds = tiny ? 3 : bytes.length > 5_000_000 ? 15 : 41;
  const medians = race(
    {
      "airbyte-core (text)": () => parseResponse(api, operation, { status: 200, headers, body: text }),
      "airbyte-core (bytes)": () => parseResponse(api, operation, { status: 200, headers, body: bytes }),
      "JSON.parse": () => JSON.parse(text),
    },
    rounds,
  );
  parse.push({ ...workload, rounds, median_ns: medians });
  const shown = Object.entries(medians).map(([n, ns]) => `${n} ${(ns / 1e6).toFixed(2)} ms`).join(", ");
  console.log(`parse ${workload.name} (${bytes.length} B): ${shown}`);
}

const samples = JSON.parse(readFileSync(join(dataDir, "requests.json"), "utf8"));
const options = { baseUrl: "http://localhost:8000", credentials: { bearer: "bench-token" } };
const [batch, rounds] = tiny ? [5, 3] : [200, 7];
const build = [];
for (const { api, operation, input } of samples) {
  buildRequest(api, operation, input, options);
  const perCall = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) buildRequest(api, operation, input, options);
    perCall.push(Number(process.hrtime.bigint() - start) / batch);
  }
  build.push({ api, operation, median_ns: median(perCall) });
}
const buildMedians = build.map((b) => b.median_ns);
console.log(
  `build: ${build.length} operations, median ${(median(buildMedians) / 1e3).toFixed(2)} µs per call, ` +
    `max ${(Math.max(...buildMedians) / 1e3).toFixed(2)} µs`,
);

writeFileSync(outFile, JSON.stringify({ versions: { node: process.version }, parse, build }, null, 1));
