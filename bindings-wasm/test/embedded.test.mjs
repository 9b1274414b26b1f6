// The embedding helpers: widget tokens decoded and refreshed in a page, widget and scoped
// tokens created on a server. The stand-in serves no /embedded endpoints, so the server side
// runs against a small HTTP server here that answers like Airbyte's (api.yaml `/embedded/*`).

import assert from "node:assert/strict";
import { createServer } from "node:http";
import { inspect } from "node:util";
import { after, before, test } from "node:test";

import {
  AirbyteApiError,
  AirbyteClient,
  AirbyteWidgetTokenError,
  decodeWidgetToken,
  scheduleWidgetTokenRefresh,
} from "airbyte-core";

const b64url = (text) => Buffer.from(text).toString("base64url");
/** A JWT-shaped token expiring at `exp` (seconds). */
const jwt = (exp, sub = "user") => `${b64url('{"alg":"HS256"}')}.${b64url(JSON.stringify({ sub, exp }))}.c2ln`;
const WIDGET_URL = "https://airbyte.example.com/embedded-widget?workspaceId=0b000000-0000-4000-8000-000000000009&allowedOrigin=https%3A%2F%2Fapp.example.com";
/** A widget token as the server issues it. */
const widgetToken = (inner, { urlSafe = true, padded = false } = {}) => {
  let text = Buffer.from(JSON.stringify({ token: inner, widgetUrl: WIDGET_URL })).toString(urlSafe ? "base64url" : "base64");
  if (!padded) text = text.replace(/=+$/, "");
  else if (urlSafe) text = text.padEnd(Math.ceil(text.length / 4) * 4, "=");
  return text;
};

test("widget tokens decode with or without padding, URL-safe or not", () => {
  const inner = jwt(2_000_000_000);
  for (const urlSafe of [true, false]) {
    for (const padded of [true, false]) {
      const token = decodeWidgetToken(widgetToken(inner, { urlSafe, padded }));
      assert.equal(token.accessToken(), inner);
      assert.equal(token.widgetUrl, WIDGET_URL);
      assert.equal(token.workspaceId, "0b000000-0000-4000-8000-000000000009");
      assert.equal(token.allowedOrigin, "https://app.example.com");
      assert.equal(token.expiresAt, 2_000_000_000_000);
      assert.equal(token.refreshAt(60_000), 1_999_999_940_000);
      assert.equal(token.refreshIn(1_999_999_900_000, 60_000), 40_000);
      assert.equal(token.refreshIn(2_100_000_000_000, 60_000), 0);
      token.free();
    }
  }
});

test("a decoded token never shows its secret", () => {
  const inner = jwt(2_000_000_000, "secret-subject");
  const token = decodeWidgetToken(widgetToken(inner));
  const shown = [String(token), JSON.stringify(token), inspect(token), `${token}`].join(" ");
  assert.ok(!shown.includes(inner) && !shown.includes(inner.split(".")[1]), shown);
  assert.deepEqual(JSON.parse(JSON.stringify(token)), {
    widgetUrl: WIDGET_URL,
    workspaceId: "0b000000-0000-4000-8000-000000000009",
    allowedOrigin: "https://app.example.com",
    expiresAt: 2_000_000_000_000,
  });
  assert.equal(String(token), `WidgetToken(${WIDGET_URL})`);
});

test("bad widget tokens are typed errors naming what is wrong", () => {
  const cases = [
    ["%%%", "not_base64", "the widget token is not base64"],
    [b64url("[1,2]"), "not_json", "the widget token does not decode to a JSON object"],
    [b64url('{"widgetUrl":"https://x/y"}'), "missing_field", "the widget token has no `token` string"],
    [b64url('{"token":"t","widgetUrl":"javascript:alert(1)"}'), "bad_widget_url", "the widget token's `widgetUrl` is not an http or https URL"],
  ];
  for (const [text, reason, message] of cases) {
    assert.throws(() => decodeWidgetToken(text), (e) => {
      assert.ok(e instanceof AirbyteWidgetTokenError);
      assert.equal(e.name, "AirbyteWidgetTokenError");
      assert.equal(e.reason, reason);
      assert.equal(e.message, message);
      return true;
    });
  }
  assert.throws(() => decodeWidgetToken(42), { name: "AirbyteConfigError", message: "the widget token must be a string" });
  const noExpiry = decodeWidgetToken(b64url(JSON.stringify({ token: "opaque", widgetUrl: "http://localhost:8000/w" })));
  assert.equal(noExpiry.expiresAt, undefined);
  assert.equal(noExpiry.refreshIn(Date.now(), 1000), undefined);
});

test("the refresh fetches a new token before expiry and backs off after a failure", async () => {
  const exp = Math.ceil(Date.now() / 1000) + 3;
  const due = exp * 1000 - 2000;
  const calls = [];
  const events = [];
  const fresh = widgetToken(jwt(exp + 3600));
  await new Promise((resolve) => {
    const handle = scheduleWidgetTokenRefresh({
      token: widgetToken(jwt(exp)),
      leadMs: 2000,
      fetchToken: async () => {
        calls.push(Date.now());
        if (calls.length === 1) throw new Error("backend down");
        return fresh;
      },
      onError: (error) => events.push(`error:${error.name}:${error.message}`),
      onToken: (token) => {
        events.push(`token:${token.expiresAt}`);
        handle.stop();
        resolve();
      },
    });
  });
  assert.deepEqual(events, ["error:Error:backend down", `token:${(exp + 3600) * 1000}`]);
  assert.equal(calls.length, 2);
  // The first fetch is due `leadMs` before expiry; the retry waits the core's first backoff.
  assert.ok(calls[0] >= due - 20 && calls[0] < due + 500, `first fetch ${calls[0] - due} ms after due`);
  assert.ok(calls[1] - calls[0] >= 480, `retried after ${calls[1] - calls[0]} ms`);
});

test("a stopped refresh fetches nothing", async () => {
  const controller = new AbortController();
  let calls = 0;
  scheduleWidgetTokenRefresh({
    token: widgetToken(jwt(Math.floor(Date.now() / 1000))),
    fetchToken: async () => {
      calls += 1;
      return "";
    },
    signal: controller.signal,
  });
  controller.abort();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(calls, 0);
});

// A small server answering like Airbyte's token and /embedded endpoints.
let server;
let base;
const seen = [];
before(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      seen.push({ method: request.method, url: request.url, authorization: request.headers.authorization ?? null, body });
      const send = (status, value) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(value));
      };
      if (request.url === "/api/public/v1/applications/token") {
        const { client_id, client_secret } = JSON.parse(body);
        if (client_id === "embed-app" && client_secret === "embed-secret") {
          return send(200, { access_token: "admin-token", token_type: "Bearer", expires_in: 900 });
        }
        return send(401, { errorId: "e-1" });
      }
      if (request.headers.authorization !== "Bearer admin-token") return send(401, { message: "Unauthorized" });
      const input = JSON.parse(body || "{}");
      if (request.url === "/api/public/v1/embedded/widget_token") {
        if (input.organizationId !== "0a000000-0000-4000-8000-000000000001") {
          return send(403, { status: 403, type: "error:embedded/forbidden", title: "forbidden", detail: "not an organization admin" });
        }
        const widgetUrl = `http://127.0.0.1/embedded-widget?workspaceId=ws-${input.externalUserId}&allowedOrigin=${encodeURIComponent(input.allowedOrigin)}`;
        const token = Buffer.from(JSON.stringify({ token: jwt(2_000_000_000, input.externalUserId), widgetUrl })).toString("base64");
        return send(200, { token });
      }
      if (request.url === "/api/public/v1/embedded/scoped_token") {
        return send(200, { token: jwt(2_000_000_000, input.workspaceId) });
      }
      send(404, { message: "not found" });
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((resolve) => server.close(resolve)));

test("a server creates widget and scoped tokens with exchanged credentials", async () => {
  const client = new AirbyteClient({ baseUrl: base, credentials: { clientId: "embed-app", clientSecret: "embed-secret" } });
  const encoded = await client.createWidgetToken({
    organizationId: "0a000000-0000-4000-8000-000000000001",
    externalUserId: "user-7",
    allowedOrigin: "https://app.example.com",
  });
  const widget = decodeWidgetToken(encoded);
  assert.equal(widget.workspaceId, "ws-user-7");
  assert.equal(widget.allowedOrigin, "https://app.example.com");
  assert.equal(widget.expiresAt, 2_000_000_000_000);
  const scoped = await client.createScopedToken({ workspaceId: "0b000000-0000-4000-8000-000000000002" });
  assert.equal(JSON.parse(Buffer.from(scoped.split(".")[1], "base64url")).sub, "0b000000-0000-4000-8000-000000000002");
  assert.deepEqual(
    seen.map((r) => [r.method, r.url, r.authorization]),
    [
      ["POST", "/api/public/v1/applications/token", null],
      ["POST", "/api/public/v1/embedded/widget_token", "Bearer admin-token"],
      ["POST", "/api/public/v1/embedded/scoped_token", "Bearer admin-token"],
    ],
  );
  assert.deepEqual(JSON.parse(seen[1].body), {
    organizationId: "0a000000-0000-4000-8000-000000000001",
    externalUserId: "user-7",
    allowedOrigin: "https://app.example.com",
  });
  await assert.rejects(
    client.createWidgetToken({
      organizationId: "0a000000-0000-4000-8000-000000000999",
      externalUserId: "u",
      allowedOrigin: "https://app.example.com",
    }),
    (e) => e instanceof AirbyteApiError && e.status === 403 && e.problemType === "error:embedded/forbidden" && e.message === "getEmbeddedWidget: HTTP 403: not an organization admin (problem error:embedded/forbidden)",
  );
  await assert.rejects(
    client.createWidgetToken({ organizationId: "not-a-uuid", externalUserId: "u", allowedOrigin: "x" }),
    { name: "AirbyteBuildError", path: "body.organizationId" },
  );
});
