// airbyte-core/public: the public Airbyte API only (a smaller module).
import type { PublicOperations } from "./types/public-api.js";
import type {
  BuildArgs,
  ClientMethods,
  ClientOptions,
  EmbeddedMethods,
  HttpRequest,
  HttpResponse,
  InputOf,
  OperationMethods,
  OutputOf,
} from "./lib/types.js";

export type * from "./types/public-api.js";
export type * from "./lib/types.js";
export { decodeWidgetToken, scheduleWidgetTokenRefresh } from "./lib/types.js";
export * from "./lib/errors.js";

/** The operations of each API of this entry point. */
export interface Apis {
  public: PublicOperations;
}

/** A client of the public API on the platform's `fetch`. */
export interface AirbyteClient extends ClientMethods<Apis>, EmbeddedMethods {
  /** One method per public API operation. */
  readonly public: OperationMethods<PublicOperations>;
}
export declare const AirbyteClient: { new (options?: ClientOptions): AirbyteClient };

/** The request of one operation, without sending it. */
export declare function buildRequest<K extends keyof PublicOperations & string>(
  api: "public",
  operationId: K,
  ...args: BuildArgs<PublicOperations[K]>
): HttpRequest;

/** Parses a response of one operation; throws the package's errors. */
export declare function parseResponse<K extends keyof PublicOperations & string>(
  api: "public",
  operationId: K,
  response: HttpResponse,
): OutputOf<PublicOperations[K]>;

/** The operation ids of the public API, sorted. */
export declare function operationIds(api: "public"): string[];

/** The APIs of this build. */
export declare const apis: ReadonlyArray<"public">;

/** The input type of an operation: `Input<"getJob">`. */
export type Input<K extends keyof PublicOperations> = InputOf<PublicOperations[K]>;
/** The output type of an operation: `Output<"getJob">`. */
export type Output<K extends keyof PublicOperations> = OutputOf<PublicOperations[K]>;
