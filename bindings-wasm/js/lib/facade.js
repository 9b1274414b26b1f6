// The package's API over one build of the WebAssembly module (both APIs, or one of them). Each
// entry point (index.js, public.js, config.js and their Node twins) loads its module and calls
// `bind` with it; everything here only converts and delegates to the core.

import { complete, steps } from "./drive.js";
import { toError } from "./errors.js";
import { later } from "./transport.js";

/** Calls `fn`, turning what the core throws into the package's error classes. */
function guard(fn) {
  try {
    return fn();
  } catch (error) {
    throw toError(error);
  }
}

/** Header pairs from a `Headers` object, an array of pairs, a plain object or nothing. */
function headerPairs(headers) {
  if (headers == null) return [];
  if (Array.isArray(headers)) return headers;
  if (typeof headers.entries === "function" && typeof headers.get === "function") {
    return [...headers.entries()];
  }
  return headers;
}

/** The public API of the package, bound to the module `core`. */
export function bind(core) {
  const apis = core.builtApis();

  /** The request of one operation, `{method, url, headers, body}`, without sending it. */
  function buildRequest(api, operationId, input, options) {
    return guard(() => core.buildRequest(api, operationId, input, options));
  }

  /** Parses `{status, headers, body}` received for one operation; throws typed errors. */
  function parseResponse(api, operationId, response) {
    return guard(() => {
      if (response === null || typeof response !== "object") {
        return core.parseResponse(api, operationId, response);
      }
      const { status, headers, body } = response;
      return core.parseResponse(api, operationId, { status, headers: headerPairs(headers), body });
    });
  }

  /** Decodes and checks a widget token; throws `AirbyteWidgetTokenError`. */
  function decodeWidgetToken(token) {
    return guard(() => core.decodeWidgetToken(token));
  }

  /** The operation ids of `api` in this build, sorted. */
  function operationIds(api) {
    return guard(() => core.operationIds(api));
  }

  /**
   * Keeps a widget token fresh: `leadMs` before the current token expires, `fetchToken()` (the
   * host's own backend call) is asked for a new one, which is decoded and given to `onToken`.
   * A failure goes to `onError` and is retried with the core's backoff. Returns `{stop()}`;
   * an abort of `signal` stops it too.
   */
  function scheduleWidgetTokenRefresh({ token, fetchToken, onToken, onError, leadMs = 60_000, signal }) {
    let current = typeof token === "string" ? decodeWidgetToken(token) : token;
    let cancel = () => {};
    let stopped = false;
    let failures = 0;
    const stop = () => {
      stopped = true;
      cancel();
    };
    const plan = (delay) => {
      if (!stopped) cancel = later(delay, attempt);
    };
    const planNext = () => {
      const wait = guard(() => current.refreshIn(Date.now(), leadMs));
      if (wait !== undefined) plan(wait);
    };
    async function attempt() {
      if (stopped) return;
      try {
        const fresh = decodeWidgetToken(await fetchToken());
        if (stopped) return;
        failures = 0;
        current = fresh;
        onToken?.(fresh);
        planNext();
      } catch (error) {
        if (stopped) return;
        failures += 1;
        onError?.(toError(error));
        plan(core.backoffMs(failures));
      }
    }
    if (signal?.aborted) stopped = true;
    signal?.addEventListener("abort", stop, { once: true });
    planNext();
    return { stop };
  }

  /** A client that sends with `fetch`: tokens, retries, pages and jobs by the core. */
  class AirbyteClient {
    #core;
    #transport;

    constructor(options = {}) {
      const { fetch: fetchImpl, maxBodyBytes, ...coreOptions } = options ?? {};
      this.#core = guard(() => new core.CoreClient(coreOptions));
      this.#transport = { fetch: fetchImpl, maxBodyBytes };
      for (const api of apis) {
        const methods = Object.create(null);
        for (const id of core.operationIds(api)) {
          methods[id] = (input, callOptions) => this.call(api, id, input, callOptions);
        }
        Object.defineProperty(this, api, { value: Object.freeze(methods), enumerable: true });
      }
    }

    /** The roots requests go to. */
    get publicRoot() {
      return this.#core.publicRoot;
    }

    get configRoot() {
      return this.#core.configRoot;
    }

    #options(options) {
      return { ...this.#transport, signal: options?.signal, onProgress: options?.onProgress };
    }

    /** Calls operation `operationId` of `api` and resolves with its parsed output. */
    async call(api, operationId, input, options) {
      const task = guard(() => this.#core.call(api, operationId, input));
      return complete(task, this.#options(options));
    }

    /** Every page of a list operation, one array of items per page. */
    async *pages(api, operationId, input, options) {
      const task = guard(() => this.#core.pages(api, operationId, input, options?.pageSize));
      for await (const step of steps(task, this.#options(options))) {
        if (step.type === "page") yield step.items;
      }
    }

    /** Every item of every page of a list operation. */
    async *paginate(api, operationId, input, options) {
      for await (const items of this.pages(api, operationId, input, options)) yield* items;
    }

    /**
     * Starts a job (`kind` sync, reset, refresh or clear) on a connection and waits for it to
     * end; `onProgress` sees every change. An abort of `signal` cancels the job on the server
     * and resolves with outcome `cancelled`.
     */
    async runJob(connectionId, options = {}) {
      const { api = "public", kind = "sync", attach = false } = options;
      const task = guard(() =>
        this.#core.runJob(api, connectionId, kind, attach, waitOptions(options)),
      );
      return complete(task, this.#options(options));
    }

    /** Waits for job `jobId` to end, like `runJob`. */
    async waitForJob(jobId, options = {}) {
      const { api = "public" } = options;
      const task = guard(() => this.#core.waitJob(api, jobId, waitOptions(options)));
      return complete(task, this.#options(options));
    }

    /**
     * The access token requests carry: with client credentials, the cached token or a new one
     * from the token endpoint (server side only: the secret must not reach a browser).
     */
    async accessToken(options) {
      return complete(this.#core.accessToken(), this.#options(options));
    }

    /** An embedded widget token for one of your users (`getEmbeddedWidget`). */
    async createWidgetToken({ organizationId, externalUserId, allowedOrigin }, options) {
      const body = { organizationId, externalUserId, allowedOrigin };
      const response = await this.call("public", "getEmbeddedWidget", { body }, options);
      return response.token;
    }

    /** A token scoped to one workspace (`generateEmbeddedScopedToken`). */
    async createScopedToken({ workspaceId }, options) {
      const body = { workspaceId };
      const response = await this.call("public", "generateEmbeddedScopedToken", { body }, options);
      return response.token;
    }
  }

  return {
    AirbyteClient,
    buildRequest,
    parseResponse,
    decodeWidgetToken,
    scheduleWidgetTokenRefresh,
    operationIds,
    apis: Object.freeze([...apis]),
  };
}

/** The wait settings of `runJob`/`waitForJob` options, as the core reads them. */
function waitOptions({ pollIntervalMs, timeoutMs, cancelOnTimeout }) {
  const wait = {};
  if (pollIntervalMs !== undefined) wait.pollIntervalMs = pollIntervalMs;
  if (timeoutMs !== undefined) wait.timeoutMs = timeoutMs;
  if (cancelOnTimeout !== undefined) wait.cancelOnTimeout = cancelOnTimeout;
  return wait;
}
