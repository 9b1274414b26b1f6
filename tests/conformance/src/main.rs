//! `airbyte-conformance`: checks the core against Prism, an OpenAPI validator we did not write.
//!
//! 1. Requests: every operation of both specs is built twice from the generated sample inputs
//!    (`tests/vectors/generated`: required fields only, then every optional field), sent to a
//!    Prism mock of its spec, and must raise no request violation.
//! 2. Responses: every answer of the mock — its static examples, then bodies it generates with
//!    several fixed seeds — must parse with the core and serialize back to an equal JSON value,
//!    unless Prism itself reports that the body breaks the spec.
//! 3. The stand-in server: the client flows run through `prism proxy` in front of the stand-in,
//!    with violations turned into errors, so the stand-in cannot drift from the specs.
//!
//! Failures the specs cause (the real server disagrees with them) are listed with a reason in
//! `tests/conformance/exceptions.json`; an entry that is no longer needed fails the run.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod prism;
mod specs;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use airbyte_core::dynamic::find_operation;
use airbyte_core::{Api, Auth, ClientConfig, Request, Response};
use serde::Deserialize;
use serde_json::Value;

use prism::Prism;

#[derive(Debug, Deserialize)]
struct Exception {
    api: String,
    operation: String,
    stage: String,
    reason: String,
}

struct Args {
    prism: PathBuf,
    specs: PathBuf,
    vectors: PathBuf,
    exceptions: PathBuf,
    seeds: Vec<u32>,
    work: PathBuf,
    proxy: bool,
}

fn parse_args() -> Result<Args, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut args = Args {
        prism: PathBuf::new(),
        specs: root.join("../shared/specs"),
        vectors: root.join("tests/vectors/generated"),
        exceptions: root.join("tests/conformance/exceptions.json"),
        seeds: vec![1, 2, 3],
        work: root.join("target/conformance"),
        proxy: true,
    };
    let mut iter = std::env::args().skip(1);
    while let Some(arg) = iter.next() {
        let mut value = || iter.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--prism" => args.prism = value()?.into(),
            "--specs" => args.specs = value()?.into(),
            "--seeds" => {
                args.seeds = value()?.split(',').filter_map(|s| s.trim().parse().ok()).collect();
            }
            "--no-proxy" => args.proxy = false,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.prism.as_os_str().is_empty() {
        return Err(
            "usage: airbyte-conformance --prism <path to the prism binary> [--seeds 1,2,3]".into(),
        );
    }
    Ok(args)
}

/// A request case from the generated vectors.
struct Case {
    api: Api,
    operation: String,
    variant: String,
    input: Value,
}

fn load_cases(dir: &Path) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    for (api_dir, api) in [("config", Api::Config), ("public", Api::Public)] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(api_dir))
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
            let value: Value =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            for case in value["requests"].as_array().into_iter().flatten() {
                cases.push(Case {
                    api,
                    operation: case["operation"].as_str().unwrap_or_default().to_owned(),
                    variant: case["variant"].as_str().unwrap_or_default().to_owned(),
                    input: case["input"].clone(),
                });
            }
        }
    }
    Ok(cases)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn send(
    agent: &ureq::Agent,
    request: &Request,
    extra: &[(&str, &str)],
) -> Result<Response, String> {
    let mut builder =
        ureq::http::Request::builder().method(request.method.as_str()).uri(&request.url);
    for (name, value) in
        request.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).chain(extra.iter().copied())
    {
        builder = builder.header(name, value);
    }
    let http = builder.body(request.body.clone().unwrap_or_default()).map_err(|e| e.to_string())?;
    let mut response = agent.run(http).map_err(|e| e.to_string())?;
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let body = response.body_mut().read_to_vec().map_err(|e| e.to_string())?;
    Ok(Response { status: response.status().as_u16(), headers, body })
}

/// Prism's violations of a response, split by where they are.
fn violations(response: &Response) -> (Vec<String>, Vec<String>) {
    let Some(header) = response.as_raw().header("sl-violations") else {
        return (Vec::new(), Vec::new());
    };
    let list: Vec<Value> = serde_json::from_str(header).unwrap_or_default();
    let mut request = Vec::new();
    let mut response_side = Vec::new();
    for violation in list {
        if violation["severity"] != "Error" {
            continue;
        }
        let location: Vec<String> = violation["location"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
            .collect();
        let text =
            format!("{}: {}", location.join("."), violation["message"].as_str().unwrap_or(""));
        if location.first().map(String::as_str) == Some("request") {
            request.push(text);
        } else {
            response_side.push(text);
        }
    }
    (request, response_side)
}

/// What happened to one operation.
#[derive(Default)]
struct OpResult {
    built: bool,
    request_failures: Vec<String>,
    response_failures: BTreeMap<String, Vec<String>>,
    responses_checked: usize,
    invalid_mock_bodies: usize,
    spec_examples: usize,
    mock_could_not_answer: usize,
}

/// Whether the answer is Prism's own error for a response it cannot produce.
fn is_mock_failure(response: &Response) -> bool {
    let body: Value = serde_json::from_slice(&response.body).unwrap_or_default();
    response.status >= 500
        && body["type"].as_str().is_some_and(|t| t.contains("stoplight.io/prism/errors"))
}

/// Every example value written in a spec (`example`, `examples.*.value`), as JSON text.
fn spec_examples(paths: &[&Path]) -> Result<BTreeSet<String>, String> {
    fn walk(value: &Value, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(object) => {
                if let Some(example) = object.get("example") {
                    out.insert(example.to_string());
                }
                if let Some(Value::Object(examples)) = object.get("examples") {
                    for example in examples.values() {
                        if let Some(value) = example.get("value") {
                            out.insert(value.to_string());
                        }
                    }
                }
                object.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for path in paths {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let value: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        walk(&value, &mut out);
    }
    Ok(out)
}

/// Parses a mock's answer with the core and compares the re-serialized value with the body.
fn check_response(api: Api, operation: &str, response: &Response) -> Result<(), String> {
    let dyn_op = find_operation(api, operation).ok_or("unknown operation")?;
    if !(200..400).contains(&response.status) {
        return Err(format!(
            "the mock answered {}: {}",
            response.status,
            String::from_utf8_lossy(&response.body)
        ));
    }
    let parsed = dyn_op.parse_json(&response.as_raw()).map_err(|e| e.to_string())?;
    let is_json = response.as_raw().header("content-type").is_some_and(|c| c.contains("json"));
    if is_json && !response.body.is_empty() {
        let original: Value =
            serde_json::from_slice(&response.body).map_err(|e| format!("mock body: {e}"))?;
        if parsed != original {
            let at = first_difference(&parsed, &original, String::new()).unwrap_or_default();
            return Err(format!("re-serialized value differs at {at}"));
        }
    }
    Ok(())
}

/// Where two JSON values first differ, with both sides.
fn first_difference(got: &Value, sent: &Value, path: String) -> Option<String> {
    match (got, sent) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys()) {
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => {
                        if let Some(found) = first_difference(x, y, format!("{path}.{key}")) {
                            return Some(found);
                        }
                    }
                    (x, y) => return Some(format!("{path}.{key}: core {x:?}, mock {y:?}")),
                }
            }
            None
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, format!("{path}[{i}]"))),
        (a, b) if a == b => None,
        (a, b) => Some(format!("{path}: core {a}, mock {b}")),
    }
}

fn run_mock_pass(
    label: &str,
    cases: &[Case],
    mocks: &BTreeMap<&str, Prism>,
    results: &mut BTreeMap<(String, String), OpResult>,
    check_requests: bool,
    spec_examples: &BTreeSet<String>,
) -> Result<(), String> {
    let agent = agent();
    for case in cases {
        let api_name = case.api.as_str();
        let mock = &mocks[api_name];
        let config = ClientConfig::self_managed("http://127.0.0.1:1")
            .and_then(|c| c.with_public_root(&mock.url))
            .and_then(|c| c.with_config_root(&mock.url))
            .map_err(|e| e.to_string())?;
        let entry = results.entry((api_name.to_owned(), case.operation.clone())).or_default();
        let Some(operation) = find_operation(case.api, &case.operation) else {
            entry.request_failures.push("not in this build".into());
            continue;
        };
        let request =
            match operation.build_json(&case.input, &config, &Auth::Bearer("conformance".into())) {
                Ok(request) => request,
                Err(error) => {
                    entry.request_failures.push(format!("{}: build failed: {error}", case.variant));
                    continue;
                }
            };
        entry.built = true;
        let response = match send(&agent, &request, &[]) {
            Ok(response) => response,
            Err(error) => {
                entry.request_failures.push(format!("{}: send failed: {error}", case.variant));
                continue;
            }
        };
        let (request_violations, response_violations) = violations(&response);
        if !request_violations.is_empty() {
            // Reported once, by the pass that checks requests; later passes skip the case.
            if check_requests {
                entry.request_failures.push(format!(
                    "{}: {}",
                    case.variant,
                    request_violations.join("; ")
                ));
            }
            continue;
        }
        if is_mock_failure(&response) {
            // Prism cannot make up a body without a schema (`text/html` with none, JSON with none).
            entry.mock_could_not_answer += 1;
            continue;
        }
        if let Ok(body) = serde_json::from_slice::<Value>(&response.body) {
            if spec_examples.contains(&body.to_string()) {
                // One of the spec's own examples: the vectors test each against its schema.
                entry.spec_examples += 1;
                continue;
            }
        }
        if !response_violations.is_empty() {
            // Prism's own example breaks the spec: not a body the spec allows.
            entry.invalid_mock_bodies += 1;
            continue;
        }
        entry.responses_checked += 1;
        if let Err(error) = check_response(case.api, &case.operation, &response) {
            entry
                .response_failures
                .entry(label.to_owned())
                .or_default()
                .push(format!("{}: {error}", case.variant));
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("airbyte-conformance: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<bool, String> {
    let args = parse_args()?;
    let exceptions: Vec<Exception> = serde_json::from_str(
        &std::fs::read_to_string(&args.exceptions)
            .map_err(|e| format!("{}: {e}", args.exceptions.display()))?,
    )
    .map_err(|e| format!("{}: {e}", args.exceptions.display()))?;
    let fixes: Vec<String> = exceptions
        .iter()
        .filter_map(|e| e.stage.strip_prefix("spec-fix:"))
        .map(str::to_owned)
        .collect();
    let prepared = specs::prepare(&args.specs, &args.work, &fixes)?;
    for note in &prepared.notes {
        println!("{note}");
    }
    let (config_spec, public_spec) = (prepared.config, prepared.public);
    let examples = spec_examples(&[&config_spec, &public_spec])?;
    let cases = load_cases(&args.vectors)?;

    let mut results: BTreeMap<(String, String), OpResult> = BTreeMap::new();
    {
        let mut mocks = BTreeMap::new();
        mocks.insert("config", Prism::start(&args.prism, &["mock"], &config_spec, &[])?);
        mocks.insert("public", Prism::start(&args.prism, &["mock"], &public_spec, &[])?);
        run_mock_pass("static", &cases, &mocks, &mut results, true, &examples)?;
    }
    for seed in &args.seeds {
        let seed_text = seed.to_string();
        let mode = ["mock", "--dynamic", "--seed", seed_text.as_str()];
        let mut mocks = BTreeMap::new();
        mocks.insert("config", Prism::start(&args.prism, &mode, &config_spec, &[])?);
        mocks.insert("public", Prism::start(&args.prism, &mode, &public_spec, &[])?);
        run_mock_pass(
            &format!("dynamic seed {seed}"),
            &cases,
            &mocks,
            &mut results,
            false,
            &examples,
        )?;
    }

    let mut ok = report(&results, &exceptions);
    if args.proxy {
        ok &= proxy::run(&args.prism, &config_spec, &public_spec)?;
    }
    Ok(ok)
}

/// Prints the coverage table and the failures; returns whether everything passed.
fn report(results: &BTreeMap<(String, String), OpResult>, exceptions: &[Exception]) -> bool {
    let mut ok = true;
    let mut used: BTreeSet<usize> = BTreeSet::new();
    let mut excepted = |api: &str, operation: &str, stage: &str| {
        let found = exceptions
            .iter()
            .position(|e| e.api == api && e.operation == operation && e.stage == stage);
        if let Some(index) = found {
            used.insert(index);
        }
        found.is_some()
    };
    println!();
    println!("| API | operations | built | requests accepted | responses parsed | exceptions |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let mut failures = Vec::new();
    let mut details = Vec::new();
    for (api, title) in [("config", "Configuration API"), ("public", "public API")] {
        let ops: Vec<(&String, &OpResult)> =
            results.iter().filter(|((a, _), _)| a == api).map(|((_, o), r)| (o, r)).collect();
        let total = ops.len();
        let built = ops.iter().filter(|(_, r)| r.built).count();
        let mut accepted = 0;
        let mut parsed = 0;
        let mut exception_count = 0;
        for (operation, result) in &ops {
            if result.request_failures.is_empty() {
                accepted += 1;
            } else if excepted(api, operation, "request") {
                exception_count += 1;
            } else {
                failures.push(format!(
                    "{api} {operation}: request: {}",
                    result.request_failures.join(" | ")
                ));
            }
            let mut response_ok = true;
            for (stage, problems) in &result.response_failures {
                let stage_kind = if stage.starts_with("dynamic") {
                    "dynamic-response"
                } else {
                    "static-response"
                };
                if excepted(api, operation, stage_kind) {
                    exception_count += 1;
                } else {
                    response_ok = false;
                    failures.push(format!("{api} {operation}: {stage}: {}", problems.join(" | ")));
                }
            }
            if response_ok {
                parsed += 1;
            }
        }
        println!("| {title} | {total} | {built}/{total} | {accepted}/{total} | {parsed}/{total} | {exception_count} |");
        let sum = |f: fn(&OpResult) -> usize| ops.iter().map(|(_, r)| f(r)).sum::<usize>();
        details.push(format!(
            "{title}: {} responses parsed and compared; skipped: {} spec examples (tested by the \
             vectors), {} bodies Prism flagged as breaking the spec, {} bodies Prism cannot make up",
            sum(|r| r.responses_checked),
            sum(|r| r.spec_examples),
            sum(|r| r.invalid_mock_bodies),
            sum(|r| r.mock_could_not_answer),
        ));
    }
    println!();
    for line in &details {
        println!("{line}");
    }
    for (index, exception) in exceptions.iter().enumerate() {
        if used.contains(&index) || exception.stage.starts_with("spec-fix:") {
            println!(
                "exception: {} {} ({}): {}",
                exception.api, exception.operation, exception.stage, exception.reason
            );
        } else {
            ok = false;
            println!(
                "stale exception (no longer needed, remove it): {} {} ({})",
                exception.api, exception.operation, exception.stage
            );
        }
    }
    for failure in &failures {
        println!("FAIL {failure}");
    }
    ok && failures.is_empty()
}

mod proxy;
