// airbyte-core: both APIs. See README.md of the repository for examples.
import type { ConfigOperations } from "./types/config-api.js";
import type { PublicOperations } from "./types/public-api.js";
import type * as ConfigApi from "./types/config-api.js";
import type * as PublicApi from "./types/public-api.js";
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

export type { ConfigApi, PublicApi, ConfigOperations, PublicOperations };
export type * from "./lib/types.js";
export { decodeWidgetToken, scheduleWidgetTokenRefresh } from "./lib/types.js";
export * from "./lib/errors.js";

/** The operations of each API of this entry point. */
export interface Apis {
  public: PublicOperations;
  config: ConfigOperations;
}

/** A client of both APIs on the platform's `fetch`. */
export interface AirbyteClient extends ClientMethods<Apis>, EmbeddedMethods {
  /** One method per public API operation. */
  readonly public: OperationMethods<PublicOperations>;
  /** One method per Configuration API operation. */
  readonly config: OperationMethods<ConfigOperations>;
}
export declare const AirbyteClient: { new (options?: ClientOptions): AirbyteClient };

/** The request of one operation, without sending it. */
export declare function buildRequest<K extends keyof PublicOperations & string>(
  api: "public",
  operationId: K,
  ...args: BuildArgs<PublicOperations[K]>
): HttpRequest;
export declare function buildRequest<K extends keyof ConfigOperations & string>(
  api: "config",
  operationId: K,
  ...args: BuildArgs<ConfigOperations[K]>
): HttpRequest;

/** Parses a response of one operation; throws the package's errors. */
export declare function parseResponse<K extends keyof PublicOperations & string>(
  api: "public",
  operationId: K,
  response: HttpResponse,
): OutputOf<PublicOperations[K]>;
export declare function parseResponse<K extends keyof ConfigOperations & string>(
  api: "config",
  operationId: K,
  response: HttpResponse,
): OutputOf<ConfigOperations[K]>;

/** The operation ids of an API in this build, sorted. */
export declare function operationIds(api: "public" | "config"): string[];

/** The APIs of this build. */
export declare const apis: ReadonlyArray<"public" | "config">;

/** The input type of an operation: `Input<"public", "getJob">`. */
export type Input<A extends keyof Apis, K extends keyof Apis[A]> = InputOf<Apis[A][K]>;
/** The output type of an operation: `Output<"public", "getJob">`. */
export type Output<A extends keyof Apis, K extends keyof Apis[A]> = OutputOf<Apis[A][K]>;
