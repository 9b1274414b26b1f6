//! Runs every request and response vector under `tests/vectors/` (generated and hand-written)
//! through the dynamic interface bindings use, and checks that the generated vectors cover every
//! operation of both APIs. The file format is described in `tests/vectors/README.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use airbyte_core::dynamic::{find_operation, operations};
use airbyte_core::{
    Api, Auth, BodyKind, BuildError, ClientConfig, RawResponse, ResponseError, Secret,
};
use serde_json::Value;

/// The `format` every vector file declares.
const FORMAT: &str = "airbyte-core-vectors/1";

/// Writes a line to the real standard output. The test harness captures `println!` unless
/// `--nocapture` is given; a direct write is always shown, so the counts appear in every run.
fn report(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// `tests/vectors` at the workspace root.
fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

/// Appends the `.json` files under `dir`, recursively, in name order.
fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap_or_else(|e| panic!("{}: {e}", dir.display())).path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// One vector file: where it is, whether it is generated, and its contents.
struct VectorFile {
    name: String,
    generated: bool,
    json: Value,
}

/// Every vector file, parsed.
fn load_files() -> Vec<VectorFile> {
    let root = vectors_dir();
    let mut paths = Vec::new();
    json_files(&root, &mut paths);
    assert!(!paths.is_empty(), "no vector files under {}", root.display());
    paths
        .into_iter()
        .map(|path| {
            let name = path.strip_prefix(&root).unwrap_or(&path).display().to_string();
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
            let json: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: not JSON: {e}"));
            assert_eq!(json["format"], FORMAT, "{name}: unknown format");
            VectorFile { generated: name.starts_with("generated"), name, json }
        })
        .collect()
}

/// A client configuration and credentials, as a vector file or case describes them.
struct Client {
    config: ClientConfig,
    auth: Auth,
}

/// The client a `client` object describes (see `tests/vectors/README.md`).
fn client(spec: &Value) -> Result<Client, String> {
    let host = spec["host"].as_str().ok_or("client.host is missing")?;
    let mut config = ClientConfig::self_managed(host).map_err(|e| e.to_string())?;
    if let Some(root) = spec.get("public_root").and_then(Value::as_str) {
        config = config.with_public_root(root).map_err(|e| e.to_string())?;
    }
    if let Some(root) = spec.get("config_root").and_then(Value::as_str) {
        config = config.with_config_root(root).map_err(|e| e.to_string())?;
    }
    if let Some(agent) = spec.get("user_agent").and_then(Value::as_str) {
        config = config.with_user_agent(agent);
    }
    let auth = match &spec["auth"] {
        Value::Null => Auth::None,
        Value::String(none) if none == "none" => Auth::None,
        auth => {
            if let Some(token) = auth.get("bearer").and_then(Value::as_str) {
                Auth::Bearer(Secret::new(token))
            } else if let Some(basic) = auth.get("basic") {
                Auth::Basic {
                    username: basic["username"].as_str().ok_or("basic.username")?.to_owned(),
                    password: Secret::new(basic["password"].as_str().ok_or("basic.password")?),
                }
            } else {
                return Err(format!("unknown auth {auth}"));
            }
        }
    };
    Ok(Client { config, auth })
}

/// The API a case names.
fn api_of(case: &Value) -> Result<Api, String> {
    match case["api"].as_str() {
        Some("config") => Ok(Api::Config),
        Some("public") => Ok(Api::Public),
        other => Err(format!("unknown api {other:?}")),
    }
}

/// Compares JSON values including the order of object keys.
fn same_json(actual: &Value, expected: &Value) -> Result<(), String> {
    let (a, e) = (actual.to_string(), expected.to_string());
    if a == e {
        Ok(())
    } else if actual == expected {
        Err(format!("same JSON, different key order:\n  actual:   {a}\n  expected: {e}"))
    } else {
        Err(format!("different JSON:\n  actual:   {a}\n  expected: {e}"))
    }
}

/// Builds one request case and compares it with its expectation.
fn run_request(default: &Client, case: &Value) -> Result<(), String> {
    let api = api_of(case)?;
    let id = case["operation"].as_str().ok_or("operation is missing")?;
    let operation = find_operation(api, id).ok_or_else(|| format!("no operation {id}"))?;
    let own;
    let client = match case.get("client") {
        Some(spec) => {
            own = client(spec)?;
            &own
        }
        None => default,
    };
    let result = operation.build_json(&case["input"], &client.config, &client.auth);
    let expected = &case["expected"];

    if let Some(error) = expected.get("build_error") {
        return match result {
            Ok(request) => Err(format!("expected a build error, built {}", request.url)),
            Err(BuildError::InvalidInput { path, message, .. }) => {
                if error["path"].as_str() != Some(path.as_str()) {
                    return Err(format!("build error at `{path}` ({message}), expected {error}"));
                }
                match error.get("message").and_then(Value::as_str) {
                    Some(m) if m != message => {
                        Err(format!("build error message `{message}`, expected `{m}`"))
                    }
                    _ => Ok(()),
                }
            }
            Err(other) => Err(format!("expected an invalid-input error, got {other}")),
        };
    }

    let request = result.map_err(|e| format!("build failed: {e}"))?;
    if Some(request.method.as_str()) != expected["method"].as_str() {
        return Err(format!("method {}, expected {}", request.method.as_str(), expected["method"]));
    }
    if Some(request.url.as_str()) != expected["url"].as_str() {
        return Err(format!("url\n  actual:   {}\n  expected: {}", request.url, expected["url"]));
    }
    let expected_headers: Vec<(String, String)> = expected["headers"]
        .as_array()
        .ok_or("expected.headers is missing")?
        .iter()
        .map(|pair| {
            (pair[0].as_str().unwrap_or("").to_owned(), pair[1].as_str().unwrap_or("").to_owned())
        })
        .collect();
    if request.headers != expected_headers {
        return Err(format!(
            "headers\n  actual:   {:?}\n  expected: {expected_headers:?}",
            request.headers
        ));
    }
    match (&request.body, &expected["body"]) {
        (None, Value::Null) => Ok(()),
        (None, body) => Err(format!("no body, expected {body}")),
        (Some(bytes), Value::Null) => {
            Err(format!("a body was sent: {}", String::from_utf8_lossy(bytes)))
        }
        (Some(bytes), body) => {
            let sent: Value = serde_json::from_slice(bytes).map_err(|e| format!("body: {e}"))?;
            same_json(&sent, body).map_err(|e| format!("body: {e}"))
        }
    }
}

/// Parses one response case and compares the result with its expectation.
fn run_response(case: &Value) -> Result<(), String> {
    let api = api_of(case)?;
    let id = case["operation"].as_str().ok_or("operation is missing")?;
    let operation = find_operation(api, id).ok_or_else(|| format!("no operation {id}"))?;
    let status = case["status"].as_u64().and_then(|s| u16::try_from(s).ok()).ok_or("status")?;
    let headers: Vec<(String, String)> = case["headers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|pair| {
            (pair[0].as_str().unwrap_or("").to_owned(), pair[1].as_str().unwrap_or("").to_owned())
        })
        .collect();
    let body = case["body"].as_str().ok_or("body must be a string")?;
    let result = operation.parse_json(&RawResponse::new(status, &headers, body.as_bytes()));
    let expected = &case["expected"];

    if let Some(value) = expected.get("value") {
        let parsed = result.map_err(|e| format!("parse failed: {e}"))?;
        return same_json(&parsed, value);
    }
    if let Some(error) = expected.get("decode_error") {
        let decode = match result {
            Err(ResponseError::Decode(decode)) => decode,
            Err(other) => return Err(format!("expected a decode error, got {other}")),
            Ok(value) => return Err(format!("expected a decode error, parsed {value}")),
        };
        if error["path"].as_str() != Some(decode.path.as_str()) {
            return Err(format!(
                "decode error at `{}` ({}), expected {error}",
                decode.path, decode.message
            ));
        }
        if let Some(message) = error.get("message").and_then(Value::as_str) {
            if message != decode.message {
                return Err(format!(
                    "decode error message `{}`, expected `{message}`",
                    decode.message
                ));
            }
        }
        return Ok(());
    }
    if let Some(error) = expected.get("api_error") {
        let api_error = match result {
            Err(ResponseError::Api(api_error)) => api_error,
            Err(other) => return Err(format!("expected an API error, got {other}")),
            Ok(value) => return Err(format!("expected an API error, parsed {value}")),
        };
        let actual = serde_json::json!({
            "status": api_error.status,
            "kind": api_error.kind.kind_name(),
            "message": api_error.message,
            "declared": api_error.declared,
            "problem_type": api_error.problem_type(),
            "error_id": api_error.error_id(),
            "validation_errors": match &api_error.kind {
                airbyte_core::ErrorBody::KnownException(known) => known
                    .validation_errors
                    .iter()
                    .map(|v| serde_json::json!({"property_path": v.property_path, "message": v.message}))
                    .collect::<Vec<_>>(),
                _ => Vec::new(),
            },
        });
        let object = error.as_object().ok_or("api_error must be an object")?;
        for (key, want) in object {
            if actual.get(key) != Some(want) {
                return Err(format!("api_error.{key} is {}, expected {want}", actual[key]));
            }
        }
        return Ok(());
    }
    Err(format!("unknown expectation {expected}"))
}

/// Per API: operations seen and cases run, for the generated vectors.
#[derive(Default)]
struct Coverage {
    operations: BTreeSet<String>,
    cases: usize,
}

#[test]
/// Every request case passes, and the generated ones cover each operation twice.
fn request_vectors() {
    let files = load_files();
    let mut failures = Vec::new();
    let mut coverage: BTreeMap<&str, Coverage> = BTreeMap::new();
    let mut handwritten = 0;
    for file in &files {
        let default = client(&file.json["client"]).unwrap_or_else(|e| panic!("{}: {e}", file.name));
        for (index, case) in file.json["requests"].as_array().into_iter().flatten().enumerate() {
            if let Err(message) = run_request(&default, case) {
                let label = case.get("name").or(case.get("variant")).cloned().unwrap_or_default();
                failures.push(format!(
                    "{} requests[{index}] {} {label}: {message}",
                    file.name, case["operation"]
                ));
            }
            if file.generated {
                let api = if case["api"] == "config" { "config" } else { "public" };
                let entry = coverage.entry(api).or_default();
                entry.operations.insert(case["operation"].as_str().unwrap_or("").to_owned());
                entry.cases += 1;
            } else {
                handwritten += 1;
            }
        }
    }

    let mut summary = Vec::new();
    for (name, api) in [("config", Api::Config), ("public", Api::Public)] {
        let all: BTreeSet<String> =
            operations(api).iter().map(|op| op.info.id.to_owned()).collect();
        let seen = coverage.remove(name).unwrap_or_default();
        let covered = seen.operations.intersection(&all).count();
        summary.push(format!("{name} {covered}/{} operations ({} cases)", all.len(), seen.cases));
        assert_eq!(
            seen.operations, all,
            "{name}: generated request vectors do not cover exactly every operation"
        );
        assert_eq!(
            seen.cases,
            2 * all.len(),
            "{name}: expected a minimal and a full case per operation"
        );
    }
    report(&format!("request vectors: {}", summary.join(", ")));
    report(&format!("request vectors, hand-written: {handwritten} cases"));
    assert!(
        failures.is_empty(),
        "{} request vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
/// Every response case passes.
fn response_vectors() {
    let files = load_files();
    let mut failures = Vec::new();
    // (group, source) → expectation kind → count.
    let mut counts: BTreeMap<(String, &str), BTreeMap<&str, usize>> = BTreeMap::new();
    // (api, operation, status) of the generated samples.
    let mut sampled: BTreeSet<(String, String, u64)> = BTreeSet::new();
    for file in &files {
        for (index, case) in file.json["responses"].as_array().into_iter().flatten().enumerate() {
            if let Err(message) = run_response(case) {
                let label = ["name", "example", "sample"]
                    .into_iter()
                    .find_map(|key| case.get(key))
                    .cloned()
                    .unwrap_or_default();
                failures.push(format!(
                    "{} responses[{index}] {} {label}: {message}",
                    file.name, case["operation"]
                ));
            }
            if file.generated && case.get("sample").is_some() {
                sampled.insert((
                    case["api"].as_str().unwrap_or("?").to_owned(),
                    case["operation"].as_str().unwrap_or("?").to_owned(),
                    case["status"].as_u64().unwrap_or(0),
                ));
            }
            let group = match (file.generated, case.get("sample").is_some()) {
                (false, _) => ("hand-written".to_owned(), "cases"),
                (true, true) => (case["api"].as_str().unwrap_or("?").to_owned(), "samples"),
                (true, false) => (case["api"].as_str().unwrap_or("?").to_owned(), "spec examples"),
            };
            let kind = ["value", "decode_error", "api_error"]
                .into_iter()
                .find(|k| case["expected"].get(k).is_some())
                .unwrap_or("?");
            *counts.entry(group).or_default().entry(kind).or_default() += 1;
        }
    }
    let summary: Vec<String> = counts
        .iter()
        .map(|((group, source), kinds)| {
            let total: usize = kinds.values().sum();
            let parts: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
            format!("{group} {total} {source} ({})", parts.join(", "))
        })
        .collect();
    report(&format!("response vectors: {}", summary.join("; ")));
    assert!(
        failures.is_empty(),
        "{} response vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    for (name, api) in [("config", Api::Config), ("public", Api::Public)] {
        assert!(
            counts.contains_key(&(name.to_owned(), "spec examples")),
            "no response vectors from {name} spec examples"
        );
        let json_responses: BTreeSet<(String, String, u64)> = operations(api)
            .iter()
            .flat_map(|op| {
                op.info
                    .responses
                    .iter()
                    .filter(|r| r.body == BodyKind::Json)
                    .map(|r| (name.to_owned(), op.info.id.to_owned(), u64::from(r.status)))
            })
            .collect();
        let missing: Vec<_> = json_responses.difference(&sampled).collect();
        assert!(missing.is_empty(), "JSON responses without a sample vector: {missing:?}");
    }
}
