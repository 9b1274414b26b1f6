// Entry point of airbyte-core for browsers and bundlers: both APIs.
// The module is fetched next to this file; `await import()` of this file resolves once it runs.
import init, * as core from "./wasm/full/airbyte_core_wasm.js";
import { bind } from "./lib/facade.js";

await init({ module_or_path: new URL("./wasm/full/airbyte_core_wasm_bg.wasm", import.meta.url) });

export const {
  AirbyteClient,
  buildRequest,
  parseResponse,
  decodeWidgetToken,
  scheduleWidgetTokenRefresh,
  operationIds,
  apis,
} = bind(core);
export * from "./lib/errors.js";
