// Times `parseResponse` of the public `listJobs` body in each package tests/bench/wasm-profiles
// built, interleaved with `JSON.parse` of the same text, and prints a Markdown table with the
// module sizes. Usage: node --expose-gc wasm_profiles.mjs OUT_DIR

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import assert from "node:assert/strict";

const [outDir] = process.argv.slice(2);
const dataDir = join(outDir, "data");
const manifest = JSON.parse(readFileSync(join(dataDir, "manifest.json"), "utf8"));
const workload = manifest.find((w) => w.api === "public");
const text = readFileSync(join(dataDir, workload.file), "utf8");
const response = { status: 200, headers: [["content-type", "application/json"]], body: text };
const expected = JSON.stringify(JSON.parse(text));

const variants = readFileSync(join(outDir, "variants.tsv"), "utf8")
  .trim()
  .split("\n")
  .map((line) => line.split("\t")[0]);
const contenders = [];
for (const name of variants) {
  const dir = resolve(outDir, name);
  const pkg = await import(pathToFileURL(join(dir, "public.node.js")).href);
  assert.equal(JSON.stringify(pkg.parseResponse(workload.api, workload.operation, response)), expected);
  contenders.push([name, () => pkg.parseResponse(workload.api, workload.operation, response)]);
}
contenders.push(["JSON.parse", () => JSON.parse(text)]);

const collect = globalThis.gc ?? (() => {});
const times = new Map(contenders.map(([name]) => [name, []]));
for (const [, call] of contenders) call();
const rounds = 31;
for (let round = 0; round < rounds; round++) {
  for (let turn = 0; turn < contenders.length; turn++) {
    const [name, call] = contenders[(round + turn) % contenders.length];
    collect();
    const start = process.hrtime.bigint();
    call();
    times.get(name).push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const jsonParse = median(times.get("JSON.parse"));
const baseline = variants[0];
const baselineMs = median(times.get(baseline));
const baselineBytes = gzipSync(readFileSync(moduleOf(baseline)), { level: 9 }).length;

function moduleOf(name) {
  return join(outDir, name, "wasm/public/airbyte_core_wasm_bg.wasm");
}

console.log(`\`parseResponse\` of public \`${workload.operation}\` (${text.length} bytes), Node ${process.version}, ` +
  `median of ${rounds} interleaved rounds; \`JSON.parse\` of the same text ${jsonParse.toFixed(2)} ms.\n`);
console.log("| setting | module | gzip -9 | gzip vs first | parse | vs `JSON.parse` | speed-up vs first |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const name of variants) {
  const bytes = readFileSync(moduleOf(name));
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const ms = median(times.get(name));
  console.log(`| ${name} | ${bytes.length.toLocaleString("en")} B | ${gzip.toLocaleString("en")} B | ` +
    `${gzip >= baselineBytes ? "+" : ""}${((gzip / baselineBytes - 1) * 100).toFixed(1)} % | ${ms.toFixed(2)} ms | ${(ms / jsonParse).toFixed(2)}× | ` +
    `${(baselineMs / ms).toFixed(2)}× |`);
}
