//! Writes the seed corpus of the fuzz targets from the shared vectors (`tests/vectors`), which
//! hold the spec's own examples and a sample of every request and response:
//! `cargo run --example seed_corpus` (from `core/fuzz`).
#![allow(clippy::print_stdout)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use airbyte_core_fuzz::all_operations;
use serde_json::Value;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// A short stable name for a corpus entry (FNV-1a).
fn name(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3));
    format!("{hash:016x}")
}

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut vector_files = Vec::new();
    files(&root.join("../../tests/vectors"), &mut vector_files);
    vector_files.sort();
    let operations = all_operations();
    let index_of = |api: &str, id: &str| {
        operations.iter().position(|op| op.info.api.as_str() == api && op.info.id == id).map(|i| i as u16)
    };
    let mut written: BTreeSet<(String, String)> = BTreeSet::new();
    let mut write = |target: &str, bytes: Vec<u8>| -> std::io::Result<()> {
        let dir = root.join("corpus").join(target);
        std::fs::create_dir_all(&dir)?;
        let file = name(&bytes);
        if written.insert((target.to_owned(), file.clone())) {
            std::fs::write(dir.join(file), bytes)?;
        }
        Ok(())
    };
    for path in vector_files {
        let Ok(value) = serde_json::from_str::<Value>(&std::fs::read_to_string(&path)?) else { continue };
        for case in value["responses"].as_array().into_iter().flatten() {
            let (Some(api), Some(id)) = (case["api"].as_str(), case["operation"].as_str()) else { continue };
            let Some(index) = index_of(api, id) else { continue };
            let body = case["body"].as_str().unwrap_or("").as_bytes();
            if body.len() > 8192 {
                continue;
            }
            let status = case["status"].as_u64().unwrap_or(200) as u16;
            let mut bytes = index.to_le_bytes().to_vec();
            if status >= 400 {
                bytes.extend_from_slice(&(status - 400).to_le_bytes());
                bytes.push(1);
                bytes.extend_from_slice(body);
                write("error_body", bytes)?;
            } else {
                bytes.extend_from_slice(&(status | 0x8000).to_le_bytes());
                bytes.push(1);
                bytes.extend_from_slice(body);
                write("parse_response", bytes)?;
            }
        }
        for case in value["requests"].as_array().into_iter().flatten() {
            let (Some(api), Some(id)) = (case["api"].as_str(), case["operation"].as_str()) else { continue };
            let Some(index) = index_of(api, id) else { continue };
            let input = case["input"].to_string();
            if input.len() > 8192 {
                continue;
            }
            let host = b"http://127.0.0.1:8000";
            let mut bytes = index.to_le_bytes().to_vec();
            bytes.push(host.len() as u8);
            bytes.extend_from_slice(host);
            bytes.extend_from_slice(input.as_bytes());
            write("build_request", bytes)?;
        }
    }
    for target in ["parse_response", "error_body", "build_request"] {
        let count = written.iter().filter(|(t, _)| t == target).count();
        println!("{target}: {count} seeds");
    }
    Ok(())
}
