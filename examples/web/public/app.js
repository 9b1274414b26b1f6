// The example page: pick a connector, fill in a form generated from its specification (a JSON
// Schema), create the source and check it. Every API call goes through airbyte-core's
// WebAssembly client; this page's server forwards them and adds the token.

import { AirbyteApiError, AirbyteClient } from "/pkg/index.js";

// Same origin: the server forwards /api/... to Airbyte. No credentials in the browser.
const client = new AirbyteClient({ baseUrl: location.origin, retry: { maxAttempts: 3 } });

const $ = (id) => document.getElementById(id);
let workspaceId = null;
let definition = null;
let specification = null;

/** Shows an error (the package's errors carry the server's message and status). */
function showError(error) {
  const status = error instanceof AirbyteApiError ? ` (HTTP ${error.status})` : "";
  $("error").textContent = `${error.name}: ${error.message}${status}`;
  $("error").hidden = false;
}

function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}

async function loadWorkspaces() {
  const select = $("workspace");
  for await (const workspace of client.paginate("public", "listWorkspaces", {}, { pageSize: 20 })) {
    const option = document.createElement("option");
    option.value = workspace.workspaceId;
    option.textContent = workspace.name;
    select.append(option);
  }
  select.disabled = false;
  workspaceId = select.value;
  select.addEventListener("change", () => {
    workspaceId = select.value;
    loadDefinitions().catch(showError);
  });
}

async function loadDefinitions() {
  const list = $("definitions");
  list.setAttribute("aria-busy", "true");
  list.replaceChildren();
  $("setup").hidden = true;
  const { sourceDefinitions } = await client.config.listSourceDefinitionsForWorkspace({
    body: { workspaceId },
  });
  for (const item of sourceDefinitions) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = item.name;
    button.dataset.definitionId = item.sourceDefinitionId;
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", () => selectDefinition(item, button).catch(showError));
    const li = document.createElement("li");
    li.append(button);
    list.append(li);
  }
  list.setAttribute("aria-busy", "false");
}

async function selectDefinition(item, button) {
  clearError();
  for (const other of $("definitions").querySelectorAll("button")) {
    other.setAttribute("aria-pressed", String(other === button));
  }
  const read = await client.config.getSourceDefinitionSpecification({
    body: { sourceDefinitionId: item.sourceDefinitionId, workspaceId },
  });
  definition = item;
  specification = read.connectionSpecification ?? { type: "object", properties: {} };
  $("definition-name").textContent = item.name;
  $("source-name").value = `${item.name} (from the example page)`;
  renderForm(specification);
  $("setup").hidden = false;
  $("result-section").hidden = true;
}

/** The properties of a JSON Schema object in their `order`. */
function orderedProperties(schema) {
  return Object.entries(schema.properties ?? {}).sort(
    ([, a], [, b]) => (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER),
  );
}

/** One form control per property: text, password (secrets), number, checkbox, select, list. */
function renderForm(schema) {
  const required = new Set(schema.required ?? []);
  const fields = $("fields");
  fields.replaceChildren();
  for (const [name, property] of orderedProperties(schema)) {
    const field = document.createElement("div");
    field.className = "field";
    const label = document.createElement("label");
    label.htmlFor = `field-${name}`;
    label.textContent = property.title ?? name;
    if (required.has(name)) {
      const star = document.createElement("span");
      star.className = "required";
      star.textContent = " *";
      label.append(star);
    }
    let control;
    if (Array.isArray(property.enum)) {
      control = document.createElement("select");
      for (const value of property.enum) {
        const option = document.createElement("option");
        option.value = option.textContent = String(value);
        control.append(option);
      }
      if (property.default !== undefined) control.value = String(property.default);
    } else if (property.type === "boolean") {
      control = document.createElement("input");
      control.type = "checkbox";
      control.checked = property.default === true;
    } else if (property.type === "integer" || property.type === "number") {
      control = document.createElement("input");
      control.type = "number";
      if (property.type === "integer") control.step = "1";
      if (property.minimum !== undefined) control.min = String(property.minimum);
      if (property.maximum !== undefined) control.max = String(property.maximum);
      if (property.default !== undefined) control.value = String(property.default);
    } else if (property.type === "array") {
      control = document.createElement("input");
      control.placeholder = "comma-separated values";
      if (Array.isArray(property.default)) control.value = property.default.join(", ");
    } else {
      control = document.createElement("input");
      control.type = property.airbyte_secret ? "password" : "text";
      control.autocomplete = "off";
      if (typeof property.default === "string") control.value = property.default;
    }
    control.id = `field-${name}`;
    control.name = name;
    control.required = required.has(name) && property.type !== "boolean";
    field.append(label, control);
    if (property.description) {
      const description = document.createElement("span");
      description.className = "description";
      description.textContent = property.description;
      field.append(description);
    }
    fields.append(field);
  }
}

/** The connection configuration the form describes, typed by the schema. */
function configuration() {
  const out = {};
  for (const [name, property] of orderedProperties(specification)) {
    const control = $(`field-${name}`);
    if (property.type === "boolean") {
      out[name] = control.checked;
    } else if (control.value.trim() === "") {
      continue;
    } else if (property.type === "integer" || property.type === "number") {
      out[name] = Number(control.value);
    } else if (property.type === "array") {
      out[name] = control.value.split(",").map((v) => v.trim()).filter(Boolean);
    } else {
      out[name] = control.value;
    }
  }
  return out;
}

function showResult(kind, title, detail) {
  const result = $("result");
  result.className = kind;
  result.replaceChildren();
  const strong = document.createElement("strong");
  strong.textContent = title;
  result.append(strong);
  if (detail) {
    const p = document.createElement("p");
    p.textContent = detail;
    result.append(p);
  }
  $("result-section").hidden = false;
}

async function busy(work) {
  clearError();
  const buttons = [$("test-button"), $("create-button")];
  for (const b of buttons) b.disabled = true;
  try {
    await work();
  } catch (error) {
    showError(error);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

$("test-button").addEventListener("click", () =>
  busy(async () => {
    const read = await client.config.executeSourceCheckConnection({
      body: {
        sourceDefinitionId: definition.sourceDefinitionId,
        workspaceId,
        connectionConfiguration: configuration(),
      },
    });
    showResult(read.status, `Test: ${read.status}`, read.message ?? "");
  }),
);

$("source-form").addEventListener("submit", (event) => {
  event.preventDefault();
  busy(async () => {
    const source = await client.config.createSource({
      body: {
        sourceDefinitionId: definition.sourceDefinitionId,
        workspaceId,
        name: $("source-name").value,
        connectionConfiguration: configuration(),
      },
    });
    const check = await client.config.checkConnectionToSource({ body: { sourceId: source.sourceId } });
    showResult(
      check.status,
      `Source ${source.name} created; check ${check.status}`,
      `${check.message ?? ""} (source id ${source.sourceId})`.trim(),
    );
    $("result").dataset.sourceId = source.sourceId;
  });
});

loadWorkspaces()
  .then(loadDefinitions)
  .catch(showError);
