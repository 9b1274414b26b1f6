//! Golden tests of the generator: each directory under `tests/golden/` holds a tiny `spec.yaml`
//! that exercises one construct, and the committed output of running the generator library on
//! it (`airbyte_codegen::lower::lower`, `emit_rust::emit`, `emit_python::emit`, `emit_ts::emit`,
//! `emit_uniffi::emit`, `vectors::generate`):
//!
//! - `expected/warnings.txt`: the warnings, one per line;
//! - `expected/rust.txt`: every emitted file (before rustfmt), each after a `// ==== name` line;
//! - `expected/typescript.txt`: the TypeScript declarations;
//! - `expected/uniffi.txt`: the same for the UniFFI binding's generated code;
//! - `expected/vectors.txt`: every vector file, each after a `// ==== name` line;
//! - `expected/python.txt`: the Python module and stub, each after a `// ==== name` line;
//! - `expected/error.txt` instead of the two above when generation fails.
//!
//! Run with `UPDATE_GOLDEN=1` to rewrite the expected files after an intended change, and review
//! the diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use airbyte_codegen::ir::ApiKind;
use airbyte_codegen::{emit_python, emit_rust, emit_ts, emit_uniffi, lower, spec, vectors};

/// `core/codegen/tests/golden`.
fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// The case directories, in name order.
fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", golden_dir().display()))
        .map(|entry| entry.unwrap_or_else(|e| panic!("golden directory: {e}")).path())
        .filter(|path| path.join("spec.yaml").is_file())
        .collect();
    cases.sort();
    cases
}

/// Files joined into one text, each after a `// ==== name` line.
fn concatenate(files: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (name, text) in files {
        out.push_str("// ==== ");
        out.push_str(name);
        out.push('\n');
        out.push_str(text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// What the generator makes of one spec: expected file name → contents.
fn generate(spec_path: &Path) -> BTreeMap<&'static str, String> {
    let mut out = BTreeMap::new();
    let result = spec::Spec::load(spec_path).and_then(|spec| {
        let api = lower::lower(&spec, ApiKind::Public)?;
        let rust = emit_rust::emit(&api)?;
        let typescript = emit_ts::emit(&api)?;
        let vectors = vectors::generate(&api)?;
        let python = emit_python::emit(&api)?;
        let warnings = api.warnings.clone();
        let uniffi = emit_uniffi::emit(&[api])?;
        Ok((warnings, rust, typescript, vectors, python, uniffi))
    });
    match result {
        Ok((warnings, rust, typescript, vectors, python, uniffi)) => {
            out.insert("python.txt", concatenate(&python));
            out.insert("warnings.txt", warnings.iter().map(|w| format!("{w}\n")).collect());
            out.insert("rust.txt", concatenate(&rust));
            out.insert("typescript.txt", typescript);
            out.insert("uniffi.txt", concatenate(&uniffi));
            out.insert("vectors.txt", concatenate(&vectors));
        }
        Err(error) => {
            out.insert("error.txt", format!("{error}\n"));
        }
    }
    out
}

#[test]
/// Each case's output equals its committed `expected/` files.
fn generator_output_matches_the_committed_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let cases = cases();
    assert!(cases.len() >= 15, "expected the golden cases, found {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let expected_dir = case.join("expected");
        let produced = generate(&case.join("spec.yaml"));
        if update {
            let _ = std::fs::remove_dir_all(&expected_dir);
            std::fs::create_dir_all(&expected_dir)
                .unwrap_or_else(|e| panic!("{}: {e}", expected_dir.display()));
            for (file, text) in &produced {
                std::fs::write(expected_dir.join(file), text)
                    .unwrap_or_else(|e| panic!("{name}/{file}: {e}"));
            }
            continue;
        }
        let mut committed: Vec<String> = std::fs::read_dir(&expected_dir)
            .map(|entries| {
                entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect()
            })
            .unwrap_or_default();
        committed.sort();
        let produced_names: Vec<String> = produced.keys().map(|k| (*k).to_owned()).collect();
        if committed != produced_names {
            failures
                .push(format!("{name}: expected files {committed:?}, produced {produced_names:?}"));
            continue;
        }
        for (file, text) in &produced {
            let path = expected_dir.join(file);
            let want = std::fs::read_to_string(&path).unwrap_or_default();
            if &want != text {
                let line = want
                    .lines()
                    .zip(text.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| want.lines().count().min(text.lines().count()));
                failures.push(format!(
                    "{name}/{file} differs from line {}:\n  committed: {}\n  produced:  {}",
                    line + 1,
                    want.lines().nth(line).unwrap_or("<end>"),
                    text.lines().nth(line).unwrap_or("<end>")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden files differ (run with UPDATE_GOLDEN=1 to accept):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// One output file of a case, generated afresh (the committed copy is compared above).
fn expected(case: &str, file: &str) -> String {
    let produced = generate(&golden_dir().join(case).join("spec.yaml"));
    produced.get(file).cloned().unwrap_or_else(|| panic!("{case} produces no {file}"))
}

#[test]
/// `anyOf` fails generation and the message names the schema.
fn unsupported_constructs_fail_with_a_message_naming_the_schema() {
    assert_eq!(
        expected("unsupported_any_of", "error.txt"),
        "#/components/schemas/Thing: `anyOf` is not supported\n"
    );
}

#[test]
/// `required` entries naming no property and dangling references are warnings.
fn spec_mistakes_are_warnings_not_failures() {
    assert_eq!(
        expected("required_missing", "warnings.txt"),
        "#/components/schemas/CreateDefinitionRequest: `required` names `grant_type`, which is \
         not a property; ignored\n\
         #/components/schemas/CreateDefinitionRequest: `required` names `workspaceId`, which is \
         not a property; ignored\n"
    );
    let dangling = expected("dangling_ref", "warnings.txt");
    assert_eq!(
        dangling,
        "#/components/schemas/DataplaneCreateRequest/properties/group: reference \
         `#/components/schemas/DataplaneGroup` does not resolve; using raw JSON\n\
         operation `createDataplane`/responses/200: reference \
         `#/components/schemas/DataplaneCreateResponseBody` does not resolve; using raw JSON\n\
         operation `listEmbeddedOrganizations`: response reference \
         `#/components/responses/MissingResponse` does not resolve\n"
    );
}

#[test]
/// A field whose named type is an alias of raw JSON (a connector configuration) is hidden in
/// `Debug`, in the core's models and in the UniFFI records alike.
fn json_behind_an_alias_is_redacted() {
    let rust = expected("free_form_and_maps", "rust.txt");
    assert!(rust.contains(
        "out.field(\"configuration\", &self.configuration.as_ref().map(|_| rt::Redacted));"
    ));
    let uniffi = expected("free_form_and_maps", "uniffi.txt");
    assert!(uniffi.contains(
        "out.field(\"configuration\", &self.configuration.as_ref().map(|_| convert::Redacted));"
    ));
    assert!(uniffi.contains("/// `configuration`: JSON text, optional; hidden in `Debug`."));
}

#[test]
/// UniFFI types cannot contain themselves: the field that closes a cycle crosses as JSON text,
/// the rest of the model stays typed.
fn uniffi_records_cut_cycles_with_json_text() {
    let uniffi = expected("recursive", "uniffi.txt");
    assert!(uniffi.contains("JSON text of "), "{uniffi}");
    assert!(uniffi.contains("convert::from_json_text("), "{uniffi}");
}
