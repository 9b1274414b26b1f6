// Starts the stand-in Airbyte server (tests/standin) for a test file, and talks to its controls.

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const binary = fileURLToPath(new URL("../../target/debug/airbyte-standin", import.meta.url));

/** The stand-in's seeded ids (tests/standin/src/ids.rs). */
export const ids = {
  organization: "0a000000-0000-4000-8000-000000000001",
  analytics: "0b000000-0000-4000-8000-000000000001",
  marketing: "0b000000-0000-4000-8000-000000000002",
  postgresDefinition: "5d000000-0000-4000-8000-000000000001",
  okConnection: "c0000000-0000-4000-8000-000000000001",
  failingConnection: "c0000000-0000-4000-8000-000000000002",
  slowConnection: "c0000000-0000-4000-8000-000000000003",
};

export const CLIENT_ID = "standin-client";
export const CLIENT_SECRET = "standin-secret";

/** Starts a stand-in with `args`; resolves with `{base, control, requests, stop}`. */
export async function startStandin(args = []) {
  const child = spawn(binary, ["--port", "0", ...args], { stdio: ["pipe", "pipe", "inherit"] });
  const base = await new Promise((resolve, reject) => {
    let text = "";
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`airbyte-standin exited with ${code}`)));
    child.stdout.on("data", (chunk) => {
      text += chunk;
      const line = text.split("\n").find((l) => l.startsWith("listening on "));
      if (line) resolve(line.slice("listening on ".length).trim());
    });
  });
  child.removeAllListeners("exit");

  async function control(path, body, method = body === undefined ? "GET" : "POST") {
    const response = await fetch(`${base}/_standin${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`/_standin${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  return {
    base,
    control,
    /** The request log, as `METHOD path` lines. */
    async requests() {
      const { requests } = await control("/requests");
      return requests.map((entry) => `${entry.method} ${entry.path}`);
    },
    /** The full log entries. */
    log: async () => (await control("/requests")).requests,
    async reset() {
      await control("/reset", {});
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.stdin.end();
      });
    },
  };
}
