// The fetch client against the stand-in server: token exchange and refresh, pages, jobs
// (success, failure, time-out with cancel, abort), retries through injected faults, typed errors.

import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, beforeEach, describe, test } from "node:test";

import {
  AirbyteAlreadyRunningError,
  AirbyteApiError,
  AirbyteAuthError,
  AirbyteClient,
  AirbyteConfigError,
  AirbyteTransportError,
} from "airbyte-core";

import { CLIENT_ID, CLIENT_SECRET, ids, startStandin } from "./standin.mjs";

let standin;
before(async () => {
  standin = await startStandin();
});
after(async () => {
  await standin.stop();
});
beforeEach(async () => {
  await standin.reset();
  await standin.control("/requests", undefined, "DELETE");
});

/** A client of the stand-in with client credentials and quick retries. */
function client(extra = {}) {
  return new AirbyteClient({
    baseUrl: standin.base,
    credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    retry: { initialBackoffMs: 5, maxBackoffMs: 20, jitter: 0 },
    ...extra,
  });
}

const TOKEN = "POST /api/public/v1/applications/token";
const fast = { pollIntervalMs: 5 };

describe("tokens", () => {
  test("client credentials are exchanged once and the token is reused", async () => {
    const c = client();
    const first = await c.public.listWorkspaces();
    assert.deepEqual(
      first.data.map((w) => w.name),
      ["Analytics", "Marketing"],
    );
    await c.public.getWorkspace({ workspaceId: ids.analytics });
    const log = await standin.log();
    assert.deepEqual(
      log.map((e) => `${e.method} ${e.path}`),
      [TOKEN, "GET /api/public/v1/workspaces", `GET /api/public/v1/workspaces/${ids.analytics}`],
    );
    assert.equal(log[0].headers["content-type"], "application/json");
    assert.equal(log[1].headers.authorization, "Bearer <redacted>");
    assert.ok(!JSON.stringify(log).includes(CLIENT_SECRET));
  });

  test("accessToken() hands out the cached token, which works as a bearer token", async () => {
    const c = client();
    const token = await c.accessToken();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(await c.accessToken(), token);
    assert.deepEqual(await standin.requests(), [TOKEN]);
    const bearer = new AirbyteClient({ baseUrl: standin.base, credentials: { bearer: token } });
    const job = await bearer.public.getJob({ jobId: 1 });
    assert.equal(job.status, "succeeded");
    assert.equal(await new AirbyteClient({ baseUrl: standin.base }).accessToken(), null);
  });

  test("an expired token is refreshed once after a 401", async () => {
    const c = client();
    await c.public.getJob({ jobId: 1 });
    await standin.control("/faults", { kind: { expire_tokens: true } });
    const job = await c.public.getJob({ jobId: 3 });
    assert.equal(job.jobId, 3);
    assert.deepEqual(await standin.requests(), [
      TOKEN,
      "GET /api/public/v1/jobs/1",
      "GET /api/public/v1/jobs/3",
      TOKEN,
      "GET /api/public/v1/jobs/3",
    ]);
  });

  test("refused credentials are an AirbyteAuthError without the secret", async () => {
    const c = client({ credentials: { clientId: CLIENT_ID, clientSecret: "wrong-secret-value" } });
    await assert.rejects(c.public.listWorkspaces(), (error) => {
      assert.ok(error instanceof AirbyteAuthError);
      assert.equal(error.name, "AirbyteAuthError");
      assert.equal(error.status, 401);
      assert.equal(error.reason, "token_request_failed");
      assert.match(error.message, /^the token request failed: createAccessToken: HTTP 401: /);
      assert.ok(!`${error.message} ${String(error)} ${JSON.stringify(error)}`.includes("wrong-secret-value"));
      return true;
    });
  });

  test("bad client options are refused with a clear message", () => {
    assert.throws(
      () => new AirbyteClient({ baseUrl: "localhost:8000" }),
      (e) =>
        e instanceof AirbyteConfigError &&
        e.message === "the server URL `localhost:8000` has no scheme: write it as http://localhost:8000 or https://localhost:8000",
    );
    assert.throws(
      () => new AirbyteClient({ credentials: { clientId: "a", clientSecret: 987654321 } }),
      (e) => e instanceof AirbyteConfigError && !e.message.includes("987654321"),
    );
    assert.throws(
      () => new AirbyteClient({ baseURL: "http://x" }),
      (e) => e instanceof AirbyteConfigError && /unknown field `baseURL`/.test(e.message),
    );
    assert.throws(
      () => new AirbyteClient({ credentials: { bearer: "t", username: "u" } }),
      (e) => e.message.startsWith("credentials: give {clientId, clientSecret, tokenUrl?}"),
    );
  });
});

describe("pages", () => {
  test("every connection of a workspace, 4 per page", async () => {
    const c = client();
    const names = [];
    for await (const connection of c.paginate(
      "public",
      "listConnections",
      { workspaceIds: [ids.analytics] },
      { pageSize: 4 },
    )) {
      names.push(connection.name);
    }
    assert.equal(names.length, 15);
    assert.equal(new Set(names).size, 15);
    const requests = (await standin.requests()).slice(1);
    assert.deepEqual(
      requests,
      [0, 4, 8, 12, 16].map(
        (offset) =>
          `GET /api/public/v1/connections?workspaceIds=${ids.analytics}&limit=4${offset ? `&offset=${offset}` : ""}`,
      ),
    );
  });

  test("pages() hands out arrays, and stopping early sends nothing more", async () => {
    const c = client();
    const sizes = [];
    for await (const page of c.pages("public", "listConnections", { workspaceIds: [ids.analytics] }, { pageSize: 6 })) {
      sizes.push(page.length);
      if (sizes.length === 2) break;
    }
    assert.deepEqual(sizes, [6, 6]);
    assert.equal((await standin.requests()).length, 3);
  });

  test("Configuration API pages: keyset cursor and row offset", async () => {
    const c = client();
    const sources = [];
    for await (const source of c.paginate(
      "config",
      "listSourcesForWorkspace",
      { body: { workspaceId: ids.analytics } },
      { pageSize: 3 },
    )) {
      sources.push(source.name);
    }
    assert.equal(sources.length, 4);
    const jobs = [];
    for await (const job of c.paginate("config", "listJobsFor", { body: { configTypes: ["sync"] } }, { pageSize: 2 })) {
      jobs.push(job.job.id);
    }
    assert.deepEqual(jobs.sort(), [1, 2, 3]);
    const requests = await standin.requests();
    assert.equal(requests.filter((r) => r === "POST /api/v1/sources/list").length, 2);
    assert.equal(requests.filter((r) => r === "POST /api/v1/jobs/list").length, 2);
  });
});

describe("jobs", () => {
  test("a sync runs to success, reporting every change", async () => {
    const c = client();
    const seen = [];
    const report = await c.runJob(ids.okConnection, {
      ...fast,
      onProgress: (p) => seen.push(`${p.status}:${p.rowsSynced}`),
    });
    assert.equal(report.outcome, "succeeded");
    assert.equal(report.status, "succeeded");
    assert.equal(report.cancelRequested, false);
    assert.equal(report.attached, false);
    assert.equal(seen[0], "pending:0");
    assert.equal(seen.at(-1).split(":")[0], "succeeded");
    assert.ok(seen.some((s) => s.startsWith("running:")));
    const requests = await standin.requests();
    assert.deepEqual(requests.slice(1), [
      "POST /api/public/v1/jobs",
      `GET /api/public/v1/jobs/${report.jobId}`,
      `GET /api/public/v1/jobs/${report.jobId}`,
      `GET /api/public/v1/jobs/${report.jobId}`,
    ]);
  });

  test("a failing sync ends failed, with the failure summary on the Configuration API", async () => {
    const c = client();
    const report = await c.runJob(ids.failingConnection, { ...fast, api: "config" });
    assert.equal(report.outcome, "failed");
    assert.equal(typeof report.failureSummary, "string");
    assert.match(report.failureSummary, /\(config_error/);
    const publicReport = await client().runJob(ids.failingConnection, fast);
    assert.equal(publicReport.outcome, "failed");
    assert.equal(publicReport.failureSummary, null);
  });

  test("the time-out cancels the job on the server", async () => {
    const c = client();
    const report = await c.runJob(ids.slowConnection, { pollIntervalMs: 10, timeoutMs: 120 });
    assert.equal(report.outcome, "timed_out");
    assert.equal(report.cancelRequested, true);
    const requests = await standin.requests();
    assert.equal(requests.at(-1), `DELETE /api/public/v1/jobs/${report.jobId}`);
    const job = await c.public.getJob({ jobId: report.jobId });
    assert.equal(job.status, "cancelled");
  });

  test("aborting the signal interrupts the status request in flight and cancels the job", async () => {
    const c = client();
    const controller = new AbortController();
    const started = Date.now();
    let aborted = false;
    const report = await c.runJob(ids.slowConnection, {
      pollIntervalMs: 10,
      signal: controller.signal,
      onProgress: async (p) => {
        if (p.status === "running" && !aborted) {
          aborted = true;
          // The next status read hangs for 5 s; the abort must not wait for it.
          await standin.control("/faults", {
            match: { method: "GET", path_prefix: "/api/public/v1/jobs/" },
            kind: { delay_ms: 5000 },
          });
          setTimeout(() => controller.abort(), 100);
        }
      },
    });
    assert.equal(report.outcome, "cancelled");
    assert.equal(report.cancelRequested, true);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    const log = await standin.log();
    const path = `/api/public/v1/jobs/${report.jobId}`;
    assert.deepEqual(
      log.slice(-2).map((e) => [e.method, e.path, e.fault ?? null]),
      [
        ["GET", path, "delay 5000 ms"],
        ["DELETE", path, null],
      ],
    );
  });

  test("an exception in onProgress ends the wait with that exception", async () => {
    const c = client();
    const boom = new Error("progress handler failed");
    await assert.rejects(
      c.runJob(ids.okConnection, {
        ...fast,
        onProgress: () => {
          throw boom;
        },
      }),
      (error) => error === boom,
    );
    assert.equal((await c.public.getJob({ jobId: 1 })).jobId, 1);
  });

  test("waitForJob follows a job started elsewhere; a second sync is a typed error", async () => {
    const c = client();
    const job = await c.public.createJob({ body: { connectionId: ids.slowConnection, jobType: "sync" } });
    await assert.rejects(c.runJob(ids.slowConnection, fast), (error) => {
      assert.ok(error instanceof AirbyteAlreadyRunningError);
      assert.equal(error.status, 409);
      assert.equal(error.connectionId, ids.slowConnection);
      assert.match(error.problemType, /try-again-later$/);
      return true;
    });
    const attached = await c.runJob(ids.slowConnection, { ...fast, attach: true, timeoutMs: 50 });
    assert.equal(attached.attached, true);
    assert.equal(attached.jobId, job.jobId);
    assert.equal(attached.outcome, "timed_out");
    const done = await c.waitForJob(1, fast);
    assert.equal(done.outcome, "succeeded");
  });
});

describe("retries and transport", () => {
  test("5xx and HTML error pages are retried for reads", async () => {
    const c = client();
    await c.accessToken();
    await standin.control("/faults", [
      { match: { path_prefix: "/api/public/v1/jobs/1" }, kind: { status: 503 } },
      { match: { path_prefix: "/api/public/v1/jobs/1" }, kind: { html: 502 } },
    ]);
    const job = await c.public.getJob({ jobId: 1 });
    assert.equal(job.jobId, 1);
    const log = await standin.log();
    assert.deepEqual(
      log.slice(1).map((e) => [e.path, e.fault ?? null]),
      [
        ["/api/public/v1/jobs/1", "status 503"],
        ["/api/public/v1/jobs/1", "html 502"],
        ["/api/public/v1/jobs/1", null],
      ],
    );
  });

  test("a Retry-After header is honoured", async () => {
    const c = client();
    await c.accessToken();
    await standin.control("/faults", { kind: { status: 429, retry_after: "1" } });
    const started = Date.now();
    await c.public.getJob({ jobId: 1 });
    assert.ok(Date.now() - started >= 950, `retried after ${Date.now() - started} ms`);
  });

  test("exhausted retries end with the last error, typed", async () => {
    const c = client({ retry: { maxAttempts: 2, initialBackoffMs: 1, jitter: 0 } });
    await c.accessToken();
    await standin.control("/faults", { times: 2, kind: { status: 500, body: "<b>oops</b>", content_type: "text/html" } });
    await assert.rejects(c.public.getJob({ jobId: 1 }), (error) => {
      assert.ok(error instanceof AirbyteApiError);
      assert.equal(error.status, 500);
      assert.equal(error.bodyKind, "html");
      assert.equal(error.body, "<b>oops</b>");
      assert.equal(error.message, "getJob: HTTP 500: HTML page: oops");
      return true;
    });
  });

  test("a dropped connection is retried for a read but not for starting a job", async () => {
    const c = client();
    await c.accessToken();
    await standin.control("/faults", { kind: { close_connection: true } });
    assert.equal((await c.public.getJob({ jobId: 1 })).jobId, 1);
    await standin.control("/faults", { kind: { close_connection: true } });
    await assert.rejects(
      c.public.createJob({ body: { connectionId: ids.okConnection, jobType: "sync" } }),
      (error) => error instanceof AirbyteTransportError && error.transportKind === "io",
    );
    const requests = await standin.requests();
    assert.equal(requests.filter((r) => r === "POST /api/public/v1/jobs").length, 1);
  });

  test("the per-request timeout and an unreachable server are transport errors", async () => {
    const c = client({ requestTimeoutMs: 100, retry: { maxAttempts: 1 } });
    await c.accessToken();
    await standin.control("/faults", { kind: { delay_ms: 1500 } });
    await assert.rejects(c.public.getJob({ jobId: 1 }), (error) => {
      assert.ok(error instanceof AirbyteTransportError);
      assert.equal(error.transportKind, "timeout");
      assert.equal(error.message, "getJob: timed out: no complete response within 100 ms");
      return true;
    });
    // A port that was just free: nothing listens there.
    const port = await new Promise((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port: free } = probe.address();
        probe.close(() => resolve(free));
      });
    });
    const nowhere = new AirbyteClient({ baseUrl: `http://127.0.0.1:${port}`, retry: { maxAttempts: 1 } });
    await assert.rejects(
      nowhere.public.getJob({ jobId: 1 }),
      (error) => error instanceof AirbyteTransportError && error.transportKind === "connect",
    );
  });

  test("aborting a call aborts its request at once", async () => {
    const c = client();
    await c.accessToken();
    await standin.control("/faults", { kind: { delay_ms: 3000 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await assert.rejects(
      c.public.listWorkspaces(undefined, { signal: controller.signal }),
      (error) => error.name === "AbortError" && error.message === "listWorkspaces: cancelled by the caller",
    );
    assert.ok(Date.now() - started < 1000);
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(c.public.getJob({ jobId: 1 }, { signal: aborted.signal }), { name: "AbortError" });
    await assert.rejects(c.runJob(ids.okConnection, { signal: aborted.signal }), {
      name: "AbortError",
      message: "start a job: cancelled by the caller",
    });
    assert.ok(!(await standin.requests()).includes("POST /api/public/v1/jobs"));
  });
});

describe("errors", () => {
  test("a 404 problem keeps its status, type, raw body and headers", async () => {
    const c = client();
    await assert.rejects(c.public.getJob({ jobId: 424242 }), (error) => {
      assert.ok(error instanceof AirbyteApiError);
      assert.equal(error.name, "AirbyteApiError");
      assert.equal(error.status, 404);
      assert.equal(error.bodyKind, "problem");
      assert.match(error.problemType, /resource-not-found$/);
      assert.equal(JSON.parse(error.body).status, 404);
      assert.match(error.headers["content-type"], /json/);
      assert.equal(error.operation, "getJob");
      assert.ok(error.stack.includes("AirbyteApiError"));
      return true;
    });
  });

  test("bad input is refused before any request", async () => {
    const c = client();
    await assert.rejects(c.public.getJob({ jobId: "seven" }), {
      name: "AirbyteBuildError",
      path: "jobId",
    });
    await assert.rejects(c.call("public", "getJobs", {}), {
      name: "AirbyteBuildError",
      message: "the public Airbyte API has no operation `getJobs`",
    });
    assert.deepEqual(await standin.requests(), []);
  });
});
