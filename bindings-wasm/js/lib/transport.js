// Sending the core's requests with the platform's `fetch`, and waiting with `setTimeout`. No
// decisions are made here: the outcome (a response, or why there is none) goes back to the core.

/** The longest delay `setTimeout` takes; longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `callback` after `ms` milliseconds; returns a function that cancels it. Waits longer
 * than `setTimeout` allows are split, so a far-away time does not fire at once.
 */
export function later(ms, callback) {
  let handle;
  let left = Math.max(0, Number.isFinite(ms) ? ms : 0);
  const arm = () => {
    const step = Math.min(left, MAX_TIMER_MS);
    left -= step;
    handle = setTimeout(left > 0 ? arm : callback, step);
  };
  arm();
  return () => clearTimeout(handle);
}

const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/** The core's kind of a failed `fetch`, and a message naming the cause. */
function classify(error) {
  const cause = error?.cause;
  const code = cause?.code ?? error?.code;
  const text = [error?.message, cause?.message].filter(Boolean).join(": ") || String(error);
  const message = code && !text.includes(code) ? `${text} (${code})` : text;
  if (CONNECT_CODES.has(code)) return { kind: "connect", message };
  if (TIMEOUT_CODES.has(code)) return { kind: "timeout", message };
  // A browser's "Failed to fetch" does not say whether the request went out: not safe to repeat
  // for operations that are not idempotent, which the core decides from the kind `io`.
  return { kind: "io", message };
}

/** Why a request in flight was aborted. */
export const ABORTED = Symbol("aborted by the caller");
const TIMED_OUT = Symbol("timed out");

/**
 * Sends `request` (`{method, url, headers, body}`) and reads the whole response. Resolves with
 * `{response: {status, headers, body}}` or `{kind, message}`; never rejects.
 * `controller` aborts it from outside (the caller's signal).
 */
export async function send(request, timeoutMs, controller, { fetch: fetchImpl, maxBodyBytes }) {
  const stopTimer =
    timeoutMs == null ? () => {} : later(timeoutMs, () => controller.abort(TIMED_OUT));
  try {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? undefined,
      redirect: "manual",
      signal: controller.signal,
    });
    if (response.type === "opaqueredirect") {
      return {
        kind: "other",
        message: "the server answered with a redirect, which this platform's fetch cannot read",
      };
    }
    const declared = Number(response.headers.get("content-length"));
    if (maxBodyBytes != null && declared > maxBodyBytes) {
      controller.abort(ABORTED);
      return { kind: "body_too_large", message: `the body has ${declared} bytes` };
    }
    const body = new Uint8Array(await response.arrayBuffer());
    if (maxBodyBytes != null && body.length > maxBodyBytes) {
      return { kind: "body_too_large", message: `the body has ${body.length} bytes` };
    }
    return { response: { status: response.status, headers: [...response.headers], body } };
  } catch (error) {
    if (controller.signal.aborted) {
      const reason = controller.signal.reason;
      if (reason === TIMED_OUT) {
        return { kind: "timeout", message: `no complete response within ${timeoutMs} ms` };
      }
      return { kind: "other", message: "aborted by the caller" };
    }
    return classify(error);
  } finally {
    stopTimer();
  }
}
