//! Runs every response vector under `tests/vectors/` through each operation's typed parse
//! function, converts the record back to the core's type and checks that it serializes to
//! what the JSON path gives (the vector's expected value; key order aside, since maps cross as
//! hash maps), and that failures are the same. This checks the generated conversions of every model in both directions.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::ErrorKind;
use crate::http::{HttpHeader, HttpResponse};
use crate::sans_io::{parse_response, ApiKind, RoundTrip};

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.map(|e| e.path()).unwrap_or_default())
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

fn round_trip_of(api: ApiKind, id: &str) -> Option<RoundTrip> {
    let table = match api {
        ApiKind::Config => crate::generated::config::round_trips::ALL,
        ApiKind::Public => crate::generated::public::round_trips::ALL,
    };
    table.binary_search_by(|(op, _)| (*op).cmp(id)).ok().map(|index| table[index].1)
}

#[test]
fn typed_parsers_agree_with_the_json_path_on_every_response_vector() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut files = Vec::new();
    json_files(&root, &mut files);
    let (mut cases, mut values, mut errors, mut failures) = (0, 0, 0, Vec::new());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        for case in json["responses"].as_array().into_iter().flatten() {
            cases += 1;
            let api = if case["api"] == "config" { ApiKind::Config } else { ApiKind::Public };
            let id = case["operation"].as_str().unwrap_or_default();
            let response = HttpResponse {
                status: case["status"].as_u64().and_then(|s| u16::try_from(s).ok()).unwrap_or(0),
                headers: case["headers"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|pair| HttpHeader {
                        name: pair[0].as_str().unwrap_or_default().to_owned(),
                        value: pair[1].as_str().unwrap_or_default().to_owned(),
                    })
                    .collect(),
                body: case["body"].as_str().unwrap_or_default().as_bytes().to_vec(),
            };
            let label = format!("{} {id} {}", file.display(), case["status"]);
            let Some(round_trip) = round_trip_of(api, id) else {
                failures.push(format!("{label}: no typed parser"));
                continue;
            };
            let typed = round_trip(response.clone());
            let json = parse_response(api, id.to_owned(), response);
            match (&typed, &json) {
                (Ok(typed), Ok(json)) => {
                    values += 1;
                    // Maps cross as hash maps, so only the order of keys may differ.
                    let same = serde_json::from_str::<Value>(typed).ok()
                        == serde_json::from_str::<Value>(json).ok();
                    if !same {
                        failures.push(format!("{label}:\n  typed: {typed}\n  json:  {json}"));
                    }
                    if let Some(expected) = case["expected"].get("value") {
                        let expected = expected.to_string();
                        if *json != expected {
                            failures.push(format!("{label}: json {json}, expected {expected}"));
                        }
                    }
                }
                (Err(a), Err(b)) => {
                    errors += 1;
                    if a != b {
                        failures.push(format!("{label}:\n  typed: {a:?}\n  json:  {b:?}"));
                    }
                    if a.kind() == ErrorKind::Internal {
                        failures.push(format!("{label}: internal error {a}"));
                    }
                }
                _ => failures.push(format!("{label}: typed {typed:?}, json {json:?}")),
            }
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(values + errors, cases);
    assert!(values > 400 && errors > 50, "{values} values and {errors} errors of {cases} cases");
}
