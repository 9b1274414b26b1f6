// The errors of airbyte-core (see errors.js).

/** Fields an error may carry, as the core reports them. */
interface ErrorFields {
  /** The operation id, when the error belongs to one. */
  readonly operation: string | null;
  /** The HTTP status, when a response came. */
  readonly status: number | null;
  /** The problem `type` of an RFC 9457-style body. */
  readonly problemType: string | null;
  /** The raw response body as text. */
  readonly body: string | null;
  /** A short machine-readable reason. */
  readonly reason: string | null;
}

/** The base class of every error this package throws. */
export declare class AirbyteError extends Error implements ErrorFields {
  readonly operation: string | null;
  readonly status: number | null;
  readonly problemType: string | null;
  readonly body: string | null;
  readonly reason: string | null;
}

/** One entry of an invalid-input body's `validationErrors`. */
export interface ValidationErrorInfo {
  propertyPath: string;
  message: string | null;
}

/** The server answered with an error status. */
export declare class AirbyteApiError extends AirbyteError {
  readonly name: "AirbyteApiError" | "AirbyteAlreadyRunningError";
  /** problem, known_exception, error_id, auth_layer, other_json, html, text or empty. */
  readonly bodyKind:
    | "problem"
    | "known_exception"
    | "error_id"
    | "auth_layer"
    | "other_json"
    | "html"
    | "text"
    | "empty";
  readonly headers: { [name: string]: string };
  readonly declared: boolean;
  /** The one-line message read from the body (or the status's reason phrase). */
  readonly serverMessage: string | null;
  readonly errorId: string | null;
  readonly title: string | null;
  readonly detail: string | null;
  readonly data: unknown;
  readonly validationErrors: ValidationErrorInfo[];
}

/** A job could not start because one is already running. */
export declare class AirbyteAlreadyRunningError extends AirbyteApiError {
  readonly name: "AirbyteAlreadyRunningError";
  readonly connectionId: string | null;
  readonly runningJobId: number | null;
}

/** A success status with a body that does not match the spec. */
export declare class AirbyteDecodeError extends AirbyteError {
  readonly name: "AirbyteDecodeError";
  readonly schema: string | null;
  readonly path: string | null;
  readonly headers: { [name: string]: string };
}

/** The input was refused before any request existed. */
export declare class AirbyteBuildError extends AirbyteError {
  readonly name: "AirbyteBuildError";
  readonly path: string | null;
}

/** No token could be had, or the server refused a fresh one. */
export declare class AirbyteAuthError extends AirbyteError {
  readonly name: "AirbyteAuthError";
  readonly bodyKind: string | null;
  readonly headers: { [name: string]: string };
}

/** No response: the connection failed or timed out. */
export declare class AirbyteTransportError extends AirbyteError {
  readonly name: "AirbyteTransportError";
  readonly transportKind: "connect" | "timeout" | "io" | "body_too_large" | "other";
}

/** Options or arguments of the wrong shape. */
export declare class AirbyteConfigError extends AirbyteError {
  readonly name: "AirbyteConfigError";
}

/** A widget token that cannot be used. */
export declare class AirbyteWidgetTokenError extends AirbyteError {
  readonly name: "AirbyteWidgetTokenError";
  readonly field: string | null;
}

/** The caller aborted; `name` is `AbortError`. */
export declare class AirbyteAbortError extends AirbyteError {
  readonly name: "AbortError";
}

/** The error class instance for what the core reported. */
export declare function toError(value: unknown): Error;
