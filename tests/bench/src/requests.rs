//! One sample input per operation of both APIs: the `full` request case of the generated vectors
//! (`tests/vectors/generated`: every parameter, the body, optional fields filled in), which the
//! core's vector tests check builds the request the spec describes; or the `minimal` case.

use std::path::{Path, PathBuf};

use airbyte_core::Api;
use serde_json::Value;

/// An operation and the input to build its request from.
#[derive(Clone, Debug)]
pub struct Sample {
    /// The API of the operation.
    pub api: Api,
    /// The operation id.
    pub operation: String,
    /// Parameters under their spec names, the body under `body` (what `build_json` takes).
    pub input: Value,
}

/// `tests/vectors/generated` of this workspace.
pub fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/generated")
}

/// The `full` request case of every operation under `dir`, sorted by API and operation id.
pub fn samples(dir: &Path) -> Result<Vec<Sample>, String> {
    samples_of(dir, "full")
}

/// The request case `variant` (`full` or `minimal`: required parameters and fields only) of
/// every operation under `dir`, sorted by API and operation id.
pub fn samples_of(dir: &Path, variant: &str) -> Result<Vec<Sample>, String> {
    let mut samples = Vec::new();
    for api_dir in ["config", "public"] {
        let api = if api_dir == "config" { Api::Config } else { Api::Public };
        let folder = dir.join(api_dir);
        let entries =
            std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let file: Value = serde_json::from_str(&text)
                .map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
            let cases = file["requests"].as_array().map(Vec::as_slice).unwrap_or_default();
            for case in cases {
                if case["variant"] != variant || case["expected"].get("build_error").is_some() {
                    continue;
                }
                let operation = case["operation"].as_str().unwrap_or_default().to_owned();
                samples.push(Sample { api, operation, input: case["input"].clone() });
            }
        }
    }
    samples.sort_by(|a, b| (a.api.as_str(), &a.operation).cmp(&(b.api.as_str(), &b.operation)));
    Ok(samples)
}
