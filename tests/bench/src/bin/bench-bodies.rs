//! Writes the benchmark inputs into a folder, for the Python and Node benchmarks and the memory
//! measurement: one JSON body per workload (`<name>.json`), `manifest.json` listing them, and
//! `requests.json` with the sample input of every operation.
//!
//! Usage: `bench-bodies <folder> [--tiny]` (`--tiny`: a few items per body).

use std::io::Write;
use std::path::PathBuf;

use airbyte_bench::bodies::WORKLOADS;
use airbyte_bench::requests::{samples, vectors_dir};
use serde_json::{json, Value};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let tiny = args.iter().any(|a| a == "--tiny");
    let Some(folder) = args.iter().find(|a| !a.starts_with("--")).map(PathBuf::from) else {
        return Err("usage: bench-bodies <folder> [--tiny]".to_owned());
    };
    std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let write = |name: &str, bytes: &[u8]| {
        let path = folder.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))
    };

    let mut manifest = Vec::new();
    for workload in WORKLOADS {
        let items = if tiny { workload.tiny_items } else { workload.items };
        let body = workload.body(items);
        let file = format!("{}.json", workload.name);
        write(&file, &body)?;
        manifest.push(json!({
            "name": workload.name,
            "api": workload.api.as_str(),
            "operation": workload.operation,
            "items": items,
            "unit": workload.unit,
            "file": file,
            "bytes": body.len(),
        }));
    }
    write("manifest.json", &serde_json::to_vec_pretty(&manifest).unwrap_or_default())?;

    let requests: Vec<Value> = samples(&vectors_dir())?
        .into_iter()
        .map(|s| json!({"api": s.api.as_str(), "operation": s.operation, "input": s.input}))
        .collect();
    write("requests.json", &serde_json::to_vec(&requests).unwrap_or_default())?;

    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "wrote {} bodies and {} request inputs to {}",
        manifest.len(),
        requests.len(),
        folder.display()
    );
    Ok(())
}
