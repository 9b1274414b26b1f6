// End-to-end test of the example page in headless Chromium: the stand-in server (with auth),
// the example's server in front of it, and the page doing the whole flow with airbyte-core's
// WebAssembly client. On failure a screenshot is kept under target/ci-artifacts/.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { CLIENT_ID, CLIENT_SECRET, ids, startStandin } from "../../../bindings-wasm/test/standin.mjs";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const tools = createRequire(join(repo, "bindings-wasm/tools/package.json"));
const { chromium } = tools("playwright-core");
const artifacts = join(repo, "target/ci-artifacts");

/** Starts examples/web/server.mjs; resolves with its URL and a stop function. */
async function startExample(airbyte) {
  const child = spawn(
    process.execPath,
    [join(repo, "examples/web/server.mjs"), "--airbyte", airbyte, "--client-id", CLIENT_ID],
    {
      stdio: ["pipe", "pipe", "inherit"],
      // The secret reaches the server through its environment, not its command line.
      env: { ...process.env, AIRBYTE_CLIENT_SECRET: CLIENT_SECRET },
    },
  );
  const url = await new Promise((resolve, reject) => {
    let text = "";
    child.once("exit", (code) => reject(new Error(`the example server exited with ${code}`)));
    child.stdout.on("data", (chunk) => {
      text += chunk;
      const match = /listening on (\S+)/.exec(text);
      if (match) resolve(match[1]);
    });
  });
  child.removeAllListeners("exit");
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", resolve);
        child.stdin.end();
      }),
  };
}

let standin;
let example;
let browser;
let profile;
before(async () => {
  standin = await startStandin();
  example = await startExample(standin.base);
  profile = mkdtempSync(join(tmpdir(), "airbyte-core-chromium-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});
after(async () => {
  await browser?.close();
  await example?.stop();
  await standin?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/**
 * Runs `steps` on a fresh page; on failure saves a screenshot named after the test. Console
 * errors fail the test unless `expected` matches them (Chromium logs every error status).
 */
async function onPage(name, steps, expected = null) {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !expected?.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  const browserRequests = [];
  page.on("request", (request) => browserRequests.push(request));
  try {
    await page.goto(example.url);
    await steps(page);
    assert.deepEqual(problems, []);
    for (const request of browserRequests) {
      const headers = await request.allHeaders();
      assert.equal(headers.authorization, undefined, `${request.url()} carried credentials`);
    }
  } catch (error) {
    mkdirSync(artifacts, { recursive: true });
    const file = join(artifacts, `browser-${name}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    error.message += `\n(screenshot: ${file}; page problems: ${JSON.stringify(problems)})`;
    throw error;
  } finally {
    await page.close();
  }
}

test("the page lists connectors, renders the spec as a form, creates a source and checks it", async () => {
  await onPage("create-and-check", async (page) => {
    await page.waitForSelector("#definitions[aria-busy='false'] button");
    assert.deepEqual(await page.locator("#workspace option").allTextContents(), ["Analytics", "Marketing"]);
    assert.deepEqual(await page.locator("#definitions button").allTextContents(), [
      "Postgres",
      "Stripe",
      "GitHub",
      "HubSpot",
    ]);

    await page.click("#definitions button:text-is('Postgres')");
    await page.waitForSelector("#setup:not([hidden])");
    const labels = await page.locator("#fields label").allTextContents();
    assert.deepEqual(labels, [
      "Host *",
      "Port *",
      "Database Name *",
      "Username *",
      "Password",
      "SSL Mode",
      "Include views",
    ]);
    assert.equal(await page.inputValue("#field-port"), "5432");
    assert.equal(await page.getAttribute("#field-password", "type"), "password");
    assert.equal(await page.inputValue("#field-ssl_mode"), "prefer");

    // A configuration missing a required field fails the test, without creating anything.
    await page.fill("#field-host", "db.example.com");
    await page.fill("#field-username", "reader");
    await page.click("#test-button");
    await page.waitForSelector("#result.failed");
    assert.match(await page.textContent("#result"), /^Test: failed.*database/);

    await page.fill("#field-database", "warehouse");
    await page.fill("#field-password", "s3cret-password");
    await page.click("#create-button");
    await page.waitForSelector("#result.succeeded");
    const text = await page.textContent("#result");
    assert.match(text, /^Source Postgres \(from the example page\) created; check succeeded/);
    const sourceId = await page.getAttribute("#result", "data-source-id");
    assert.match(sourceId, /^50000000-0000-4000-8000-\d{12}$/);

    // The stand-in saw the page's calls with the server's token, and the configuration typed.
    const log = await standin.log();
    const paths = log.map((entry) => `${entry.method} ${entry.path}`);
    assert.ok(paths.includes("POST /api/v1/source_definitions/list_for_workspace"), paths.join("\n"));
    assert.ok(paths.includes("POST /api/v1/source_definition_specifications/get"));
    assert.ok(paths.includes("POST /api/v1/scheduler/sources/check_connection"));
    assert.ok(paths.includes("POST /api/v1/sources/check_connection"));
    const create = log.find((entry) => entry.path === "/api/v1/sources/create");
    assert.equal(create.headers.authorization, "Bearer <redacted>");
    const body = JSON.parse(create.body);
    assert.equal(body.workspaceId, ids.analytics);
    assert.equal(body.sourceDefinitionId, ids.postgresDefinition);
    assert.deepEqual(Object.keys(body.connectionConfiguration), [
      "host",
      "port",
      "database",
      "username",
      "password",
      "ssl_mode",
      "include_views",
    ]);
    assert.equal(body.connectionConfiguration.port, 5432);
    assert.equal(body.connectionConfiguration.include_views, false);
    assert.equal(log.filter((e) => e.path === "/api/public/v1/applications/token").length, 1);
  });
});

test("rejected credentials show the failed check", async () => {
  await onPage("failed-check", async (page) => {
    await page.waitForSelector("#definitions[aria-busy='false'] button");
    await page.selectOption("#workspace", { label: "Marketing" });
    await page.waitForSelector("#definitions[aria-busy='false'] button");
    await page.click("#definitions button:text-is('Postgres')");
    await page.waitForSelector("#setup:not([hidden])");
    for (const [field, value] of [["host", "h"], ["database", "d"], ["username", "u"], ["password", "invalid"]]) {
      await page.fill(`#field-${field}`, value);
    }
    await page.click("#create-button");
    await page.waitForSelector("#result.failed");
    assert.match(await page.textContent("#result"), /check failed/);
    const create = (await standin.log()).filter((e) => e.path === "/api/v1/sources/create").at(-1);
    assert.equal(JSON.parse(create.body).workspaceId, ids.marketing);
  });
});

test("an error of the server is shown with its type and status", async () => {
  await onPage("error", async (page) => {
    await page.waitForSelector("#definitions[aria-busy='false'] button");
    await standin.control("/faults", {
      match: { path_prefix: "/api/v1/source_definition_specifications/get" },
      times: 5,
      kind: { status: 500, body: '{"message":"spec unavailable","errorId":"e-7"}', content_type: "application/json" },
    });
    await page.click("#definitions button:text-is('Stripe')");
    await page.waitForSelector("#error:not([hidden])");
    assert.equal(
      await page.textContent("#error"),
      "AirbyteApiError: getSourceDefinitionSpecification: HTTP 500: spec unavailable (HTTP 500)",
    );
    await standin.control("/faults", undefined, "DELETE");
  }, /status of 500 \(Internal Server Error\)/);
});
