// The one driver loop: it polls a core task and does what the step asks (send with `fetch`,
// wait with `setTimeout`, hand out progress and pages) until the task is done. All decisions
// (tokens, retries, paging, job states) are the core's.

import { toError } from "./errors.js";
import { ABORTED, later, send } from "./transport.js";

/**
 * Runs `task`, yielding its `progress` and `page` steps, and returns its value (or throws its
 * error). An abort of `signal` cancels the task (a job is cancelled on the server first) and
 * aborts the request in flight when the core no longer waits for it. The task is freed at the
 * end, also when the consumer stops early.
 */
export async function* steps(task, { signal, fetch: fetchImpl, maxBodyBytes } = {}) {
  const transport = { fetch: fetchImpl ?? globalThis.fetch, maxBodyBytes };
  let inflight = null;
  let wake = null;
  let cancelled = false;
  const onAbort = () => {
    if (cancelled) return;
    cancelled = true;
    task.cancel();
    if (inflight !== null && !task.awaitingResponse()) inflight.abort(ABORTED);
    if (wake !== null) wake();
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const step = task.poll(Date.now());
      switch (step.type) {
        case "send": {
          inflight = new AbortController();
          const outcome = await send(step.request, step.timeoutMs, inflight, transport);
          inflight = null;
          const { response } = outcome;
          if (response) task.onResponse(response.status, response.headers, response.body, Date.now());
          else task.onTransportError(outcome.kind, outcome.message, Date.now());
          break;
        }
        case "sleep":
          await new Promise((resolve) => {
            const stop = later(step.ms, resolve);
            wake = () => {
              stop();
              resolve();
            };
          });
          wake = null;
          break;
        case "progress":
        case "page":
          yield step;
          break;
        case "done":
          return step.value;
        case "error":
          throw toError(step.error);
        default:
          throw toError({ name: "AirbyteError", message: `unknown step ${String(step.type)}` });
      }
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    task.free();
  }
}

/**
 * Runs `task` to its end, handing progress to `onProgress`. An exception of `onProgress` ends
 * the run (the task is freed) and propagates.
 */
export async function complete(task, options = {}) {
  const run = steps(task, options);
  try {
    for (;;) {
      const { done, value } = await run.next();
      if (done) return value;
      if (value.type === "progress" && options.onProgress) options.onProgress(value.progress);
    }
  } finally {
    await run.return(undefined);
  }
}
