//! Peak resident memory of parsing one response body, for BENCHMARKS.md.
//!
//! Usage: `bench-memory <typed|value> <api> <operation> <body-file>`. Reads the body, notes the
//! peak resident set size so far (`VmHWM` of `/proc/self/status`: the program plus the body), then
//! parses the body once, typed through the operation (`DynOperation::parse`, what every binding
//! calls) or untyped into a `serde_json::Value`, and prints one JSON line: the body size, the
//! peak before and after parsing and the resident size while the result is alive, in bytes.
//! Linux only; run each mode in its own process, since the peak only grows.

use std::io::Write;

use airbyte_core::dynamic::find_operation;
use airbyte_core::{Api, RawResponse};

/// A `kB` field of `/proc/self/status`, in bytes.
fn status_bytes(field: &str) -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| e.to_string())?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kib| kib * 1024)
        .ok_or_else(|| format!("no {field} in /proc/self/status"))
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, api, operation, file] = args.as_slice() else {
        return Err("usage: bench-memory <typed|value> <api> <operation> <body-file>".to_owned());
    };
    let api = match api.as_str() {
        "public" => Api::Public,
        "config" => Api::Config,
        other => return Err(format!("unknown api {other}")),
    };
    let operation = find_operation(api, operation).ok_or("unknown operation")?;
    let body = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
    let before = status_bytes("VmHWM")?;

    let retained = match mode.as_str() {
        "typed" => {
            let headers = [("content-type".to_owned(), "application/json".to_owned())];
            let output = operation
                .parse(&RawResponse::new(200, &headers, &body))
                .map_err(|e| e.to_string())?;
            let rss = status_bytes("VmRSS")?;
            drop(output);
            rss
        }
        "value" => {
            let value: serde_json::Value =
                serde_json::from_slice(&body).map_err(|e| e.to_string())?;
            let rss = status_bytes("VmRSS")?;
            drop(value);
            rss
        }
        other => return Err(format!("unknown mode {other}")),
    };
    let peak = status_bytes("VmHWM")?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{{\"mode\":\"{mode}\",\"body_bytes\":{},\"peak_before_bytes\":{before},\
         \"peak_bytes\":{peak},\"rss_with_result_bytes\":{retained}}}",
        body.len()
    );
    Ok(())
}
