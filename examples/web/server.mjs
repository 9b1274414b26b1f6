#!/usr/bin/env node
// The example's web server: serves the page and the airbyte-core package on 127.0.0.1, and
// forwards `/api/...` to the Airbyte server. The browser never sees credentials: this server
// exchanges the client id and secret for a token with airbyte-core (in Node) and adds it to
// each forwarded request.
//
//   node examples/web/server.mjs --airbyte http://127.0.0.1:8000 [--port 0]
//        [--client-id ID --client-secret SECRET]  (or AIRBYTE_CLIENT_ID / AIRBYTE_CLIENT_SECRET)
//
// Without a client id the requests are forwarded without a token (a server with auth off).
// It prints `listening on http://127.0.0.1:PORT` once ready, and stops when standard input
// closes (when it is a pipe) or on SIGINT/SIGTERM.

import { createReadStream, fstatSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

import { AirbyteClient } from "../../bindings-wasm/pkg/index.node.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const roots = {
  "/pkg/": fileURLToPath(new URL("../../bindings-wasm/pkg/", import.meta.url)),
  "/": join(here, "public"),
};
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
};

function parseArgs(argv) {
  const args = {
    airbyte: process.env.AIRBYTE_URL,
    port: 0,
    clientId: process.env.AIRBYTE_CLIENT_ID,
    clientSecret: process.env.AIRBYTE_CLIENT_SECRET,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${name} needs a value`);
    if (name === "--airbyte") args.airbyte = value;
    else if (name === "--port") args.port = Number(value);
    else if (name === "--client-id") args.clientId = value;
    else if (name === "--client-secret") args.clientSecret = value;
    else throw new Error(`unknown argument ${name}`);
  }
  if (!args.airbyte) throw new Error("give the Airbyte server: --airbyte http://127.0.0.1:8000");
  return args;
}

const args = parseArgs(process.argv.slice(2));
const upstream = new URL(args.airbyte).origin;
// Only used for its token handling: cached, refreshed before expiry.
const tokens = args.clientId
  ? new AirbyteClient({
      baseUrl: upstream,
      credentials: { clientId: args.clientId, clientSecret: args.clientSecret ?? "" },
    })
  : null;

/** Serves a file under one of `roots`, never outside it. */
function serveFile(request, response) {
  const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
  const prefix = Object.keys(roots).find((p) => path.startsWith(p));
  const root = roots[prefix];
  let file = normalize(join(root, path.slice(prefix.length) || "index.html"));
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep) && file !== root) {
    response.writeHead(403).end();
    return;
  }
  try {
    if (statSync(file).isDirectory()) file = join(file, "index.html");
    statSync(file);
  } catch {
    response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    return;
  }
  response.writeHead(200, {
    "content-type": types[extname(file)] ?? "application/octet-stream",
    "cache-control": "no-store",
  });
  createReadStream(file).pipe(response);
}

/** Forwards one `/api/...` request upstream, with this server's token. */
async function forward(request, response) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const headers = {};
  for (const name of ["accept", "content-type"]) {
    if (request.headers[name]) headers[name] = request.headers[name];
  }
  try {
    const token = tokens ? await tokens.accessToken() : null;
    if (token) headers.authorization = `Bearer ${token}`;
    const answer = await fetch(upstream + request.url, {
      method: request.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
      redirect: "manual",
    });
    const out = {};
    for (const name of ["content-type", "retry-after"]) {
      const value = answer.headers.get(name);
      if (value) out[name] = value;
    }
    response.writeHead(answer.status, out);
    response.end(Buffer.from(await answer.arrayBuffer()));
  } catch (error) {
    // The page sees an error status with a message, never this server's credentials.
    response.writeHead(502, { "content-type": "application/json" });
    response.end(JSON.stringify({ message: `the Airbyte server is not reachable: ${error.message}` }));
  }
}

const server = createServer((request, response) => {
  if (request.url.startsWith("/api/")) forward(request, response);
  else if (request.method === "GET") serveFile(request, response);
  else response.writeHead(405).end();
});

server.listen(args.port, "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
const stdin = fstatSync(0);
if (stdin.isFIFO() || stdin.isSocket()) {
  process.stdin.resume();
  process.stdin.on("end", stop);
}
