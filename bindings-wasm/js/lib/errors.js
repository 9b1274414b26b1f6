// The errors of the airbyte-core package. Every error is an `Error` subclass with a `name`, and
// carries what the core knew: the HTTP status, the problem type, the raw body. Messages come
// from the core and never contain credentials or tokens.

/** The base class of every error this package throws. */
export class AirbyteError extends Error {
  constructor(info = {}) {
    super(info.message ?? "airbyte-core error");
    this.name = "AirbyteError";
    /** The operation id, when the error belongs to one. */
    this.operation = info.operation ?? null;
    /** The HTTP status of the response, when there was one. */
    this.status = info.status ?? null;
    /** The problem `type` of an RFC 9457-style error body. */
    this.problemType = info.problemType ?? null;
    /** The raw response body, as text. */
    this.body = info.body ?? null;
    /** A short machine-readable reason, where the core gives one. */
    this.reason = info.reason ?? null;
  }
}

/** The server answered with an error status. */
export class AirbyteApiError extends AirbyteError {
  constructor(info = {}) {
    super(info);
    this.name = "AirbyteApiError";
    /** What the body was recognised as: problem, known_exception, error_id, auth_layer, ... */
    this.bodyKind = info.bodyKind ?? null;
    /** The response headers, names lowercased. */
    this.headers = info.headers ?? {};
    /** Whether the spec declares this status for the operation. */
    this.declared = info.declared ?? false;
    /** The one-line message the core read from the body (or the status's reason phrase). */
    this.serverMessage = info.serverMessage ?? null;
    /** The server's error id, when the body carries one. */
    this.errorId = info.errorId ?? null;
    /** A problem body's `title`, `detail` and `data`. */
    this.title = info.title ?? null;
    this.detail = info.detail ?? null;
    this.data = info.data ?? null;
    /** An invalid-input body's `validationErrors` ({propertyPath, message}). */
    this.validationErrors = info.validationErrors ?? [];
  }
}

/** A job could not start because one is already running for the connection. */
export class AirbyteAlreadyRunningError extends AirbyteApiError {
  constructor(info = {}) {
    super(info);
    this.name = "AirbyteAlreadyRunningError";
    this.connectionId = info.connectionId ?? null;
    this.runningJobId = info.runningJobId ?? null;
  }
}

/** A success status with a body that does not match the spec. */
export class AirbyteDecodeError extends AirbyteError {
  constructor(info = {}) {
    super(info);
    this.name = "AirbyteDecodeError";
    /** The schema the body was decoded as. */
    this.schema = info.schema ?? null;
    /** Where decoding failed, as a JSON path. */
    this.path = info.path ?? null;
    this.headers = info.headers ?? {};
  }
}

/** The input was refused before any request existed. */
export class AirbyteBuildError extends AirbyteError {
  constructor(info = {}) {
    super(info);
    this.name = "AirbyteBuildError";
    /** Where the bad value is (`body.pagination.pageSize`). */
    this.path = info.path ?? null;
  }
}

/** No token could be had, or the server refused a fresh one. */
export class AirbyteAuthError extends AirbyteError {
  constructor(info = {}) {
    super(info);
    this.name = "AirbyteAuthError";
    this.bodyKind = info.bodyKind ?? null;
    this.headers = info.headers ?? {};
  }
}

/** No response: the connection failed or timed out (after any retries). */
export class AirbyteTransportError extends AirbyteError {
  constructor(info = {}) {
    super(info);
    this.name = "AirbyteTransportError";
    /** connect, timeout, io, body_too_large or other. */
    this.transportKind = info.transportKind ?? "other";
  }
}

/** Options or arguments of the wrong shape: a base URL, credentials, a setting. */
export class AirbyteConfigError extends AirbyteError {
  constructor(info = {}) {
    super(info);
    this.name = "AirbyteConfigError";
  }
}

/** A widget token that cannot be used. */
export class AirbyteWidgetTokenError extends AirbyteError {
  constructor(info = {}) {
    super(info);
    this.name = "AirbyteWidgetTokenError";
    /** The missing field, for `reason` missing_field. */
    this.field = info.path ?? null;
  }
}

/** The caller aborted (an `AbortSignal`); `name` is `AbortError` like `fetch`'s. */
export class AirbyteAbortError extends AirbyteError {
  constructor(info = {}) {
    super(info);
    this.name = "AbortError";
  }
}

const CLASSES = {
  AirbyteError,
  AirbyteApiError,
  AirbyteAlreadyRunningError,
  AirbyteDecodeError,
  AirbyteBuildError,
  AirbyteAuthError,
  AirbyteTransportError,
  AirbyteConfigError,
  AirbyteWidgetTokenError,
  AbortError: AirbyteAbortError,
};

/** The error to throw for what the core reported: its class instance, or the value as is. */
export function toError(value) {
  if (value instanceof Error) return value;
  if (value !== null && typeof value === "object" && typeof value.name === "string") {
    const Class = CLASSES[value.name] ?? AirbyteError;
    return new Class(value);
  }
  return new AirbyteError({ message: String(value) });
}
