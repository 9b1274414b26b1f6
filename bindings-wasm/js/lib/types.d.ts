// Types shared by the entry points of airbyte-core. The models and operations themselves are
// generated: types/public-api.d.ts and types/config-api.d.ts.

/** The input of an operation's types (`{input, output, item?}`). */
export type InputOf<S> = S extends { input: infer I } ? I : never;
/** The parsed output of an operation's types. */
export type OutputOf<S> = S extends { output: infer O } ? O : never;
/** The type of the items a list operation's pages hand out. */
export type ItemOf<S> = S extends { item: infer T } ? T : never;
/** The ids of the operations of `M` that page. */
export type PagedIds<M> = { [K in keyof M]: M[K] extends { item: unknown } ? K : never }[keyof M];

/** What a `fetch`-like function must look like (the platform's `fetch` fits). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FetchLike = (url: string, init?: any) => Promise<any>;

/** The part of `AbortSignal` this package uses. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** A request to send: `fetch(request.url, request)` sends it. */
export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  /** Lowercase names; `authorization` when credentials were given. */
  headers: { [name: string]: string };
  /** JSON text, or `null` without a body. */
  body: string | null;
}

/** Response headers: a `Headers` object, `[name, value]` pairs or a plain object. */
export type HeadersLike =
  | Array<[string, string]>
  | { [name: string]: string }
  | { entries(): Iterable<[string, string]>; get(name: string): string | null };

/** A response received for a request. */
export interface HttpResponse {
  status: number;
  headers?: HeadersLike | null;
  body?: string | Uint8Array | ArrayBuffer | null;
}

/** How requests authenticate. Client credentials belong on a server, never in a browser. */
export type Credentials =
  | { clientId: string; clientSecret: string; tokenUrl?: string }
  | { bearer: string }
  | { username: string; password: string };

/** Where the APIs live. */
export interface RootOptions {
  /** `"cloud"` (the default) or a self-managed server's URL, e.g. `http://localhost:8000`. */
  baseUrl?: "cloud" | (string & {});
  /** The public API root, for a proxy or a mock (`<host>/api/public/v1`). */
  publicRoot?: string;
  /** The Configuration API root, for a proxy or a mock (`<host>/api/v1`). */
  configRoot?: string;
  /** The `User-Agent` header value (browsers may not send it). */
  userAgent?: string;
}

/** Options of `buildRequest`: roots and a token or password (no token exchange). */
export interface BuildOptions extends RootOptions {
  credentials?: { bearer: string } | { username: string; password: string } | null;
}

/** When and how often a call is repeated; each setting left out keeps the core's default. */
export interface RetryOptions {
  maxAttempts?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  multiplier?: number;
  /** 0 for none, 0.2 for ±20 %. */
  jitter?: number;
  maxElapsedMs?: number;
  maxRetryAfterMs?: number;
}

/** Options of a client. */
export interface ClientOptions extends RootOptions {
  credentials?: Credentials | null;
  retry?: RetryOptions;
  /** Per-request timeout (default 30 000); `null` leaves it to the platform. */
  requestTimeoutMs?: number | null;
  /** The `fetch` to send with (default: the global one). */
  fetch?: FetchLike;
  /** A response body larger than this fails as a transport error. */
  maxBodyBytes?: number;
}

/** Options of one call. */
export interface CallOptions {
  /** Aborting it cancels the call and aborts the request in flight. */
  signal?: AbortSignalLike;
}

/** Options of a walk over pages. */
export interface PageOptions extends CallOptions {
  /** Items per page (default 100). */
  pageSize?: number;
}

/** A job's state while it runs. */
export interface JobProgress {
  jobId: number;
  /** As the server sent it: pending, queued, running, incomplete, succeeded, ... */
  status: string;
  rowsSynced: number | null;
  bytesSynced: number | null;
}

/** How a wait for a job ended. */
export interface JobReport extends JobProgress {
  outcome: "succeeded" | "failed" | "cancelled" | "timed_out";
  /** The failure summary of the last attempt (Configuration API). */
  failureSummary: string | null;
  /** Whether this wait asked the server to cancel the job. */
  cancelRequested: boolean;
  /** Whether the wait attached to a job that was already running. */
  attached: boolean;
  elapsedMs: number;
}

/** Options of `waitForJob`. Aborting `signal` cancels the job on the server. */
export interface WaitOptions<Api extends string> extends CallOptions {
  /** Which API to use (default `"public"`). */
  api?: Api;
  /** The pause between status requests (default 5 000). */
  pollIntervalMs?: number;
  /** The longest the wait may take (default 3 600 000); `null` waits for ever. */
  timeoutMs?: number | null;
  /** Whether the job is cancelled when the time is up (default true). */
  cancelOnTimeout?: boolean;
  /** Called whenever the job's status or counts change. */
  onProgress?: (progress: JobProgress) => void;
}

/** Options of `runJob`. */
export interface RunJobOptions<Api extends string> extends WaitOptions<Api> {
  /** The kind of job (default `"sync"`). */
  kind?: "sync" | "reset" | "refresh" | "clear";
  /** Wait for a job already running instead of failing with `AirbyteAlreadyRunningError`. */
  attach?: boolean;
}

/** Input and options of an operation whose input may be left out when nothing is required. */
export type CallArgs<S> = {} extends InputOf<S>
  ? [input?: InputOf<S>, options?: CallOptions]
  : [input: InputOf<S>, options?: CallOptions];

/** Input and options of a walk over pages. */
export type PageArgs<S> = {} extends InputOf<S>
  ? [input?: InputOf<S>, options?: PageOptions]
  : [input: InputOf<S>, options?: PageOptions];

/** Input and options of `buildRequest`. */
export type BuildArgs<S> = {} extends InputOf<S>
  ? [input?: InputOf<S>, options?: BuildOptions]
  : [input: InputOf<S>, options?: BuildOptions];

/** One method per operation: `client.public.getJob({ jobId: 1 })`. */
export type OperationMethods<M> = {
  readonly [K in keyof M]: (...args: CallArgs<M[K]>) => Promise<OutputOf<M[K]>>;
};

/** What every client offers, over the APIs of `A` (`{public: PublicOperations, ...}`). */
export interface ClientMethods<A> {
  /** The public API root requests go to. */
  readonly publicRoot: string;
  /** The Configuration API root requests go to (without its `/v1`). */
  readonly configRoot: string;
  /** Calls an operation; tokens and retries included. */
  call<Api extends keyof A & string, K extends keyof A[Api] & string>(
    api: Api,
    operationId: K,
    ...args: CallArgs<A[Api][K]>
  ): Promise<OutputOf<A[Api][K]>>;
  /** Every page of a list operation, one array of items per page. */
  pages<Api extends keyof A & string, K extends PagedIds<A[Api]> & string>(
    api: Api,
    operationId: K,
    ...args: PageArgs<A[Api][K]>
  ): AsyncGenerator<Array<ItemOf<A[Api][K]>>, void, undefined>;
  /** Every item of every page of a list operation. */
  paginate<Api extends keyof A & string, K extends PagedIds<A[Api]> & string>(
    api: Api,
    operationId: K,
    ...args: PageArgs<A[Api][K]>
  ): AsyncGenerator<ItemOf<A[Api][K]>, void, undefined>;
  /** Starts a job on a connection and waits for it to end. */
  runJob(connectionId: string, options?: RunJobOptions<keyof A & string>): Promise<JobReport>;
  /** Waits for a job to end. */
  waitForJob(jobId: number, options?: WaitOptions<keyof A & string>): Promise<JobReport>;
  /**
   * The access token requests carry (client credentials: cached, or fetched now); `null` for
   * credentials without a token. Server side only.
   */
  accessToken(options?: CallOptions): Promise<string | null>;
}

/** The embedded-widget helpers of a client with the public API (server side). */
export interface EmbeddedMethods {
  /** A widget token for one of your users, to hand to your page (`getEmbeddedWidget`). */
  createWidgetToken(
    request: { organizationId: string; externalUserId: string; allowedOrigin: string },
    options?: CallOptions,
  ): Promise<string>;
  /** A token scoped to one workspace (`generateEmbeddedScopedToken`). */
  createScopedToken(request: { workspaceId: string }, options?: CallOptions): Promise<string>;
}

/** A decoded widget token. `toJSON()` and `toString()` leave the access token out. */
export interface WidgetToken {
  /** The inner access token (a JWT) for the widget. */
  accessToken(): string;
  readonly widgetUrl: string;
  readonly workspaceId: string | undefined;
  readonly allowedOrigin: string | undefined;
  /** When the inner token expires (ms since the epoch), if it says. */
  readonly expiresAt: number | undefined;
  /** When to fetch a new token, `leadMs` before expiry. */
  refreshAt(leadMs: number): number | undefined;
  /** How long from `nowMs` until then (0 when due). */
  refreshIn(nowMs: number, leadMs: number): number | undefined;
  toJSON(): {
    widgetUrl: string;
    workspaceId: string | null;
    allowedOrigin: string | null;
    expiresAt: number | null;
  };
  toString(): string;
  /** Releases the token's memory now instead of when it is collected. */
  free(): void;
}

/** Options of `scheduleWidgetTokenRefresh`. */
export interface WidgetRefreshOptions {
  /** The current token (encoded, or decoded). */
  token: string | WidgetToken;
  /** Asks your backend for a new encoded widget token. */
  fetchToken: () => Promise<string>;
  /** Receives each new token (push it to the widget). */
  onToken?: (token: WidgetToken) => void;
  /** Receives each failure; the fetch is retried with backoff. */
  onError?: (error: Error) => void;
  /** How long before expiry to fetch (default 60 000). */
  leadMs?: number;
  /** Aborting it stops the refresh. */
  signal?: AbortSignalLike;
}

/** Decodes and checks a widget token; throws `AirbyteWidgetTokenError`. */
export declare function decodeWidgetToken(token: string): WidgetToken;

/** Keeps a widget token fresh until stopped. */
export declare function scheduleWidgetTokenRefresh(options: WidgetRefreshOptions): {
  stop(): void;
};
