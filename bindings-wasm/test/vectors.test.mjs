// Runs the shared request/response vectors (tests/vectors, format in tests/vectors/README.md)
// through the package's sans-IO functions, with both builds of the module.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import * as full from "airbyte-core";
import * as publicOnly from "airbyte-core/public";

const root = fileURLToPath(new URL("../../tests/vectors", import.meta.url));

function jsonFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return jsonFiles(path);
      return name.endsWith(".json") ? [path] : [];
    });
}

const files = jsonFiles(root).map((path) => {
  const json = JSON.parse(readFileSync(path, "utf8"));
  assert.equal(json.format, "airbyte-core-vectors/1", `${path}: format`);
  return { name: path.slice(root.length + 1), generated: path.includes("/generated/"), json };
});

/** The options of `buildRequest` for a vector file's or case's `client`. */
function options(client) {
  const out = { baseUrl: client.host };
  if (client.public_root) out.publicRoot = client.public_root;
  if (client.config_root) out.configRoot = client.config_root;
  if (client.user_agent) out.userAgent = client.user_agent;
  const auth = client.auth;
  if (auth && auth !== "none") {
    if (auth.bearer !== undefined) out.credentials = { bearer: auth.bearer };
    else if (auth.basic) out.credentials = { username: auth.basic.username, password: auth.basic.password };
    else throw new Error(`unknown auth ${JSON.stringify(auth)}`);
  }
  return out;
}

/** JSON text with key order, to compare values exactly. */
const text = (value) => JSON.stringify(value);

function runRequest(core, defaults, testCase) {
  const opts = testCase.client ? options(testCase.client) : defaults;
  const expected = testCase.expected;
  if (expected.build_error) {
    let error;
    try {
      const request = core.buildRequest(testCase.api, testCase.operation, testCase.input, opts);
      return `expected a build error, built ${request.url}`;
    } catch (e) {
      error = e;
    }
    if (!(error instanceof core.AirbyteBuildError)) return `expected AirbyteBuildError, got ${error}`;
    if (error.path !== expected.build_error.path) {
      return `build error at ${error.path} (${error.message}), expected ${expected.build_error.path}`;
    }
    if (expected.build_error.message !== undefined && error.reason !== expected.build_error.message) {
      return `build error reason "${error.reason}", expected "${expected.build_error.message}"`;
    }
    return null;
  }
  let request;
  try {
    request = core.buildRequest(testCase.api, testCase.operation, testCase.input, opts);
  } catch (e) {
    return `build failed: ${e.message}`;
  }
  if (request.method !== expected.method) return `method ${request.method}, expected ${expected.method}`;
  if (request.url !== expected.url) return `url ${request.url}, expected ${expected.url}`;
  if (text(Object.entries(request.headers)) !== text(expected.headers)) {
    return `headers ${text(Object.entries(request.headers))}, expected ${text(expected.headers)}`;
  }
  if (expected.body === null) {
    return request.body === null ? null : `a body was sent: ${request.body}`;
  }
  if (request.body === null) return `no body, expected ${text(expected.body)}`;
  const sent = JSON.parse(request.body);
  return text(sent) === text(expected.body) ? null : `body ${request.body}, expected ${text(expected.body)}`;
}

function runResponse(core, testCase) {
  const expected = testCase.expected;
  const response = { status: testCase.status, headers: testCase.headers ?? [], body: testCase.body };
  let parsed;
  let error;
  try {
    parsed = core.parseResponse(testCase.api, testCase.operation, response);
  } catch (e) {
    error = e;
  }
  if (expected.value !== undefined) {
    if (error) return `parse failed: ${error.message}`;
    return text(parsed) === text(expected.value)
      ? null
      : `value ${text(parsed)}, expected ${text(expected.value)}`;
  }
  if (expected.decode_error) {
    if (!error) return `expected a decode error, parsed ${text(parsed)}`;
    if (!(error instanceof core.AirbyteDecodeError)) return `expected AirbyteDecodeError, got ${error}`;
    if (error.path !== expected.decode_error.path) {
      return `decode error at "${error.path}" (${error.reason}), expected "${expected.decode_error.path}"`;
    }
    if (expected.decode_error.message !== undefined && error.reason !== expected.decode_error.message) {
      return `decode error "${error.reason}", expected "${expected.decode_error.message}"`;
    }
    if (error.status !== testCase.status || error.body !== testCase.body) return "status or body not kept";
    return null;
  }
  if (expected.api_error) {
    if (!error) return `expected an API error, parsed ${text(parsed)}`;
    if (!(error instanceof core.AirbyteApiError)) return `expected AirbyteApiError, got ${error}`;
    const actual = {
      status: error.status,
      kind: error.bodyKind,
      message: error.serverMessage,
      declared: error.declared,
      problem_type: error.problemType,
      error_id: error.errorId,
      validation_errors: error.validationErrors.map((v) => ({ property_path: v.propertyPath, message: v.message })),
    };
    for (const [key, want] of Object.entries(expected.api_error)) {
      if (text(actual[key]) !== text(want)) return `api_error.${key} is ${text(actual[key])}, expected ${text(want)}`;
    }
    if (error.body !== testCase.body) return "the raw body was not kept";
    return null;
  }
  return `unknown expectation ${text(expected)}`;
}

/** Runs every case of `files` that `select` keeps; returns failures and counts. */
function runAll(core, select) {
  const failures = [];
  const counts = { requests: 0, responses: 0 };
  for (const file of files) {
    const defaults = options(file.json.client);
    for (const [index, testCase] of (file.json.requests ?? []).entries()) {
      if (!select(testCase)) continue;
      counts.requests += 1;
      const failure = runRequest(core, defaults, testCase);
      if (failure) failures.push(`${file.name} requests[${index}] ${testCase.operation}: ${failure}`);
    }
    for (const [index, testCase] of (file.json.responses ?? []).entries()) {
      if (!select(testCase)) continue;
      counts.responses += 1;
      const failure = runResponse(core, testCase);
      if (failure) failures.push(`${file.name} responses[${index}] ${testCase.operation}: ${failure}`);
    }
  }
  return { failures, counts };
}

test("every vector passes with the module of both APIs", (t) => {
  const { failures, counts } = runAll(full, () => true);
  t.diagnostic(`${counts.requests} request cases, ${counts.responses} response cases`);
  assert.ok(counts.requests > 1100 && counts.responses > 500, JSON.stringify(counts));
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} vectors failed`);
});

test("the generated vectors cover every operation of both APIs twice", () => {
  for (const api of ["config", "public"]) {
    const seen = new Map();
    for (const file of files.filter((f) => f.generated)) {
      for (const testCase of file.json.requests ?? []) {
        if (testCase.api === api) seen.set(testCase.operation, (seen.get(testCase.operation) ?? 0) + 1);
      }
    }
    const ids = full.operationIds(api);
    assert.deepEqual([...seen.keys()].sort(), ids);
    assert.ok([...seen.values()].every((n) => n === 2));
  }
  assert.equal(full.operationIds("config").length, 459);
  assert.equal(full.operationIds("public").length, 92);
});

test("the public-only module passes every public vector and has no Configuration API", (t) => {
  assert.deepEqual(publicOnly.apis, ["public"]);
  const { failures, counts } = runAll(publicOnly, (c) => c.api === "public");
  t.diagnostic(`${counts.requests} request cases, ${counts.responses} response cases`);
  assert.ok(counts.requests > 180, JSON.stringify(counts));
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} vectors failed`);
  assert.throws(
    () => publicOnly.buildRequest("config", "getJobInfo", { body: { id: 1 } }),
    (e) =>
      e instanceof publicOnly.AirbyteBuildError &&
      e.message === "the Configuration API has no operation `getJobInfo`" &&
      e.reason === "unknown_operation",
  );
  assert.deepEqual(publicOnly.operationIds("config"), []);
});
