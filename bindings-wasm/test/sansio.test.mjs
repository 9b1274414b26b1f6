// The sans-IO functions with a host's own fetch layer, the argument checks, and the shape of
// the package (entry points, no Node built-ins or eval in what browsers load).

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import {
  AirbyteApiError,
  AirbyteConfigError,
  AirbyteDecodeError,
  buildRequest,
  parseResponse,
} from "airbyte-core";
import * as publicOnly from "airbyte-core/public";

import { CLIENT_ID, CLIENT_SECRET, ids, startStandin } from "./standin.mjs";

let standin;
before(async () => {
  standin = await startStandin();
});
after(async () => {
  await standin.stop();
});

test("build, send with the host's fetch, parse: a token, then a job", async () => {
  const options = { baseUrl: standin.base };
  const tokenRequest = buildRequest("public", "createAccessToken", {
    body: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
  }, options);
  assert.deepEqual(
    { method: tokenRequest.method, url: tokenRequest.url },
    { method: "POST", url: `${standin.base}/api/public/v1/applications/token` },
  );
  assert.equal(Object.getPrototypeOf(tokenRequest), Object.prototype);
  assert.equal(Object.getPrototypeOf(tokenRequest.headers), Object.prototype);
  const tokenResponse = await fetch(tokenRequest.url, tokenRequest);
  const token = parseResponse("public", "createAccessToken", {
    status: tokenResponse.status,
    headers: tokenResponse.headers,
    body: new Uint8Array(await tokenResponse.arrayBuffer()),
  });
  assert.equal(token.token_type, "Bearer");
  assert.equal(token.expires_in, 180);

  const request = buildRequest("public", "getJob", { jobId: 2 }, {
    ...options,
    credentials: { bearer: token.access_token },
  });
  assert.equal(request.headers.authorization, `Bearer ${token.access_token}`);
  const response = await fetch(request.url, request);
  const job = parseResponse("public", "getJob", {
    status: response.status,
    headers: [...response.headers],
    body: await response.text(),
  });
  assert.equal(job.jobId, 2);
  assert.equal(job.status, "failed");
  assert.equal(job.connectionId, ids.failingConnection);

  const missing = await fetch(
    buildRequest("public", "getJob", { jobId: 777 }, { ...options, credentials: { bearer: token.access_token } }).url,
    { headers: { authorization: `Bearer ${token.access_token}` } },
  );
  const body = await missing.arrayBuffer();
  assert.throws(
    () => parseResponse("public", "getJob", { status: missing.status, headers: missing.headers, body }),
    (e) => e instanceof AirbyteApiError && e.status === 404 && e.bodyKind === "problem",
  );
});

test("parsed values are plain objects and keep unknown fields and enum values", () => {
  const job = parseResponse("public", "getJob", {
    status: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      jobId: 9,
      status: "paused-by-operator",
      jobType: "sync",
      startTime: "2026-01-01T00:00:00Z",
      connectionId: ids.okConnection,
      newField: { nested: [1, 2.5, null] },
      bigNumber: 12345678901234567890,
    }),
  });
  assert.equal(Object.getPrototypeOf(job), Object.prototype);
  assert.equal(job.status, "paused-by-operator");
  assert.deepEqual(job.newField, { nested: [1, 2.5, null] });
  assert.equal(job.bigNumber, 12345678901234567000);
  assert.deepEqual(Object.keys(job), ["jobId", "status", "jobType", "startTime", "connectionId", "newField", "bigNumber"]);
});

test("a body that does not match is an AirbyteDecodeError naming the place", () => {
  assert.throws(
    () => parseResponse("public", "getJob", { status: 200, body: '{"jobId":"x"}' }),
    (e) =>
      e instanceof AirbyteDecodeError &&
      e.path === "jobId" &&
      e.schema === "JobResponse" &&
      e.body === '{"jobId":"x"}',
  );
  assert.throws(
    () => parseResponse("public", "getJob", { status: 200, headers: { "content-type": "text/html" }, body: "<html>proxy</html>" }),
    (e) => e instanceof AirbyteDecodeError && e.path === "" && /the body is not JSON \(text\/html/.test(e.reason),
  );
});

test("wrong arguments are AirbyteConfigErrors, never crashes", () => {
  const cases = [
    [() => buildRequest("private", "getJob", { jobId: 1 }), 'api must be "public" or "config", not "private"'],
    [() => parseResponse("public", "getJob", { status: 700 }), "response.status must be an HTTP status (100-599)"],
    [() => parseResponse("public", "getJob", null), "response must be an object {status, headers, body}"],
    [() => parseResponse("public", "getJob", { status: 200, body: 5 }), "body must be a string, a Uint8Array, an ArrayBuffer or null"],
    [() => parseResponse("public", "getJob", { status: 200, headers: "x: y" }), "headers must be an array of [name, value] pairs or an object"],
    [() => buildRequest("public", "getJob", { jobId: 1 }, { credentials: { clientId: "a", clientSecret: "b" } }), /^credentials: a request built alone cannot exchange client credentials/],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (e) => {
      assert.ok(e instanceof AirbyteConfigError, String(e));
      if (typeof message === "string") assert.equal(e.message, message);
      else assert.match(e.message, message);
      return true;
    });
  }
});

test("inputs are read as JSON.stringify reads them", () => {
  const request = buildRequest("public", "createJob", {
    body: { connectionId: ids.okConnection, jobType: "sync", note: undefined, at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) },
  });
  assert.equal(request.body, `{"connectionId":"${ids.okConnection}","jobType":"sync","at":"2026-01-02T03:04:05.000Z"}`);
  const list = buildRequest("public", "listJobs", { createdAtStart: new Date(Date.UTC(2026, 0, 2)), limit: undefined });
  assert.equal(new URL(list.url).search, "?createdAtStart=2026-01-02T00%3A00%3A00.000Z");
  assert.equal(buildRequest("public", "getJob", { jobId: 7n }).url, "https://api.airbyte.com/v1/jobs/7");
  const cycle = { jobId: 1 };
  cycle.self = cycle;
  const refused = [
    [{ jobId: Number.NaN }, "input.jobId: NaN is not a finite number"],
    [cycle, "input.self.self.self"],
    [{ jobId: 1, tags: new Map() }, "input.tags: a Map or Set is not JSON: use a plain object or an array"],
    [{ jobId: Symbol("x") }, null],
  ];
  for (const [input, message] of refused) {
    assert.throws(() => buildRequest("public", "getJob", input), (e) => {
      if (message === null) return e.name === "AirbyteBuildError" && e.message === "getJob: invalid input at `.`: missing field `jobId`";
      assert.ok(e instanceof AirbyteConfigError, String(e));
      assert.ok(e.message.startsWith(message), e.message);
      return true;
    });
  }
  assert.throws(() => buildRequest("public", "getJob", { jobID: 1, jobId: 1 }), {
    name: "AirbyteBuildError",
    path: "jobID",
  });
});

test("requests of the Configuration API and of a mock's roots", () => {
  const request = buildRequest("config", "getJobInfoLight", { body: { id: 5 } }, {
    baseUrl: "https://airbyte.example.com/api/v1/",
    credentials: { username: "airbyte", password: "password" },
  });
  assert.deepEqual(request, {
    method: "POST",
    url: "https://airbyte.example.com/api/v1/jobs/get_light",
    headers: {
      accept: "application/json",
      "content-type": "application/json",
      "user-agent": "airbyte-core/0.1.0",
      authorization: `Basic ${Buffer.from("airbyte:password").toString("base64")}`,
    },
    body: '{"id":5}',
  });
  const mock = buildRequest("public", "listJobs", { limit: 5 }, { publicRoot: "http://127.0.0.1:4010", userAgent: "t/1" });
  assert.equal(mock.url, "http://127.0.0.1:4010/jobs?limit=5");
  assert.equal(mock.headers["user-agent"], "t/1");
  assert.equal(buildRequest("public", "getHealthCheck").url, "https://api.airbyte.com/v1/health");
});

test("the public-only entry point builds and parses public operations", () => {
  const request = publicOnly.buildRequest("public", "getJob", { jobId: 3 }, { baseUrl: "http://h:1" });
  assert.equal(request.url, "http://h:1/api/public/v1/jobs/3");
  assert.ok(publicOnly.operationIds("public").includes("getEmbeddedWidget"));
  const client = new publicOnly.AirbyteClient({ baseUrl: "http://h:1" });
  assert.equal(client.config, undefined);
  assert.equal(typeof client.public.getJob, "function");
});

test("what browsers load has no Node built-ins, require or eval", () => {
  const pkg = fileURLToPath(new URL("../pkg/", import.meta.url));
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".js") && !entry.name.endsWith(".node.js")) files.push(path);
    }
  };
  walk(pkg);
  assert.ok(files.length >= 8, files.join(" "));
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const banned of [/\bnode:/, /\brequire\(/, /\beval\(/, /new Function\(/, /\bprocess\./, /\bBuffer\./]) {
      assert.ok(!banned.test(text), `${file} contains ${banned}`);
    }
  }
  const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
  assert.equal(manifest.name, "airbyte-core");
  assert.equal(manifest.type, "module");
  assert.equal(manifest.exports["."].default, "./index.js");
  assert.equal(manifest.exports["./public"].node, "./public.node.js");
});
