// Entry point of airbyte-core for Node: the public Airbyte API only. The module is read from disk.
import { readFileSync } from "node:fs";
import { initSync } from "./wasm/public/airbyte_core_wasm.js";
import * as core from "./wasm/public/airbyte_core_wasm.js";
import { bind } from "./lib/facade.js";

initSync({ module: readFileSync(new URL("./wasm/public/airbyte_core_wasm_bg.wasm", import.meta.url)) });

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
