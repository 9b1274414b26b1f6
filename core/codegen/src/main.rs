//! `airbyte-codegen`: generates the models and operations of `airbyte-core` from the Airbyte
//! OpenAPI specs.
//!
//! ```text
//! airbyte-codegen [--config-spec FILE] [--public-spec FILE] [--out DIR] [--vectors-out DIR]
//!                 [--python-out DIR] [--ts-out DIR] [--uniffi-out DIR] [--check]
//! ```
//!
//! Without arguments it reads `config.yaml` and `api.yaml` from `../shared/specs` next to the
//! workspace, rewrites `core/src/generated`, the request/response vectors in
//! `tests/vectors/generated`, the Python binding's typed modules in
//! `bindings-python/python/airbyte_core/api`, the TypeScript declarations of the JavaScript
//! package in `bindings-wasm/js/types` and the UniFFI binding's types in
//! `bindings-uniffi/src/generated`. `--check` writes nothing and fails when the committed files
//! differ from what the specs give. Any spec file can be given, for example one downloaded from
//! your own server.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use airbyte_codegen::{emit_python, emit_rust, emit_ts, emit_uniffi, ir, lower, spec, vectors};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

struct Args {
    config_spec: PathBuf,
    public_spec: PathBuf,
    out: PathBuf,
    vectors_out: PathBuf,
    python_out: PathBuf,
    ts_out: PathBuf,
    uniffi_out: PathBuf,
    check: bool,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn parse_args() -> Result<Args, String> {
    let root = workspace_root();
    let specs = root.join("../shared/specs");
    let mut args = Args {
        config_spec: specs.join("config.yaml"),
        public_spec: specs.join("api.yaml"),
        out: root.join("core/src/generated"),
        vectors_out: root.join("tests/vectors/generated"),
        python_out: root.join("bindings-python/python/airbyte_core/api"),
        ts_out: root.join("bindings-wasm/js/types"),
        uniffi_out: root.join("bindings-uniffi/src/generated"),
        check: false,
    };
    let mut iter = std::env::args().skip(1);
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| iter.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--config-spec" => args.config_spec = value("--config-spec")?.into(),
            "--public-spec" => args.public_spec = value("--public-spec")?.into(),
            "--specs" => {
                let dir = PathBuf::from(value("--specs")?);
                args.config_spec = dir.join("config.yaml");
                args.public_spec = dir.join("api.yaml");
            }
            "--out" => args.out = value("--out")?.into(),
            "--vectors-out" => args.vectors_out = value("--vectors-out")?.into(),
            "--python-out" => args.python_out = value("--python-out")?.into(),
            "--ts-out" => args.ts_out = value("--ts-out")?.into(),
            "--uniffi-out" => args.uniffi_out = value("--uniffi-out")?.into(),
            "--check" => args.check = true,
            "-h" | "--help" => {
                return Err(
                    "usage: airbyte-codegen [--specs DIR | --config-spec FILE --public-spec FILE] \
                            [--out DIR] [--vectors-out DIR] [--python-out DIR] \
                            [--ts-out DIR] [--uniffi-out DIR] [--check]"
                        .to_owned(),
                )
            }
            other => return Err(format!("unknown argument `{other}`; see --help")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(message) => {
            eprintln!("airbyte-codegen: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let args = parse_args()?;
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut vector_files: BTreeMap<String, String> = BTreeMap::new();
    let mut python_files: BTreeMap<String, String> = BTreeMap::new();
    python_files.insert("__init__.py".to_owned(), emit_python::package_init());
    let mut ts_files: BTreeMap<String, String> = BTreeMap::new();
    let mut apis = Vec::new();
    for (path, kind) in
        [(&args.config_spec, ir::ApiKind::Config), (&args.public_spec, ir::ApiKind::Public)]
    {
        let spec = spec::Spec::load(path)?;
        let api = lower::lower(&spec, kind).map_err(|e| format!("{}: {e}", spec.file))?;
        for warning in &api.warnings {
            eprintln!("warning: {}: {warning}", spec.file);
        }
        eprintln!(
            "{}: {} operations, {} models",
            spec.file,
            api.operations.len(),
            api.models.len()
        );
        for (name, text) in emit_rust::emit(&api)? {
            files.insert(format!("{}/{name}", kind.module()), text);
        }
        vector_files.extend(vectors::generate(&api)?);
        python_files.extend(emit_python::emit(&api)?);
        ts_files.insert(emit_ts::file_name(kind).to_owned(), emit_ts::emit(&api)?);
        apis.push(api);
    }
    let formatted = format_all(&files)?;
    let uniffi = format_all(&emit_uniffi::emit(&apis)?)?;
    let trees = [
        ("generated code", &args.out, &formatted),
        ("vectors", &args.vectors_out, &vector_files),
        ("Python modules", &args.python_out, &python_files),
        ("TypeScript declarations", &args.ts_out, &ts_files),
        ("UniFFI binding code", &args.uniffi_out, &uniffi),
    ];

    if args.check {
        let mut failed = false;
        for (what, root, files) in trees {
            let differences = compare(root, files)?;
            if differences.is_empty() {
                eprintln!("{what} up to date ({} files)", files.len());
                continue;
            }
            for difference in &differences {
                eprintln!("differs: {}: {difference}", root.display());
            }
            eprintln!(
                "{} {what} files differ; run `cargo run -p airbyte-codegen` and commit",
                differences.len()
            );
            failed = true;
        }
        return Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS });
    }
    for (what, root, files) in trees {
        write_tree(root, files)?;
        eprintln!("wrote {} {what} files under {}", files.len(), root.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the files into a scratch directory, formats them with rustfmt and reads them back.
fn format_all(files: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, String> {
    let scratch = std::env::temp_dir().join(format!("airbyte-codegen-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    write_tree(&scratch, files)?;
    let top_level = |name: &str| name == "mod.rs" || name.ends_with("/mod.rs");
    // rustfmt formats the modules a root declares, so the shallowest `mod.rs` files suffice.
    let mut roots: Vec<&String> = files.keys().filter(|name| top_level(name)).collect();
    let shallowest = roots.iter().map(|n| n.matches('/').count()).min().unwrap_or(0);
    roots.retain(|n| n.matches('/').count() == shallowest);
    let roots: Vec<PathBuf> = roots.into_iter().map(|name| scratch.join(name)).collect();
    let rustfmt_config = workspace_root().join("rustfmt.toml");
    let status = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".to_owned()))
        .arg("--edition")
        .arg("2021")
        .arg("--config-path")
        .arg(&rustfmt_config)
        .args(&roots)
        .status()
        .map_err(|e| format!("cannot run rustfmt: {e}"))?;
    if !status.success() {
        return Err(format!("rustfmt failed on the generated code in {}", scratch.display()));
    }
    let mut formatted = BTreeMap::new();
    for name in files.keys() {
        let text =
            std::fs::read_to_string(scratch.join(name)).map_err(|e| format!("{name}: {e}"))?;
        formatted.insert(name.clone(), text);
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(formatted)
}

fn write_tree(root: &Path, files: &BTreeMap<String, String>) -> Result<(), String> {
    let existing = list_files(root);
    for stale in existing.iter().filter(|name| !files.contains_key(*name)) {
        std::fs::remove_file(root.join(stale)).map_err(|e| format!("{stale}: {e}"))?;
    }
    for (name, text) in files {
        let path = root.join(name);
        if std::fs::read_to_string(&path).is_ok_and(|current| &current == text) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

fn list_files(root: &Path) -> Vec<String> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative =
                if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
            if entry.path().is_dir() {
                walk(&entry.path(), &relative, out);
            } else {
                out.push(relative);
            }
        }
    }
    let mut out = Vec::new();
    walk(root, "", &mut out);
    out.sort();
    out
}

fn compare(root: &Path, files: &BTreeMap<String, String>) -> Result<Vec<String>, String> {
    let mut differences = Vec::new();
    for name in list_files(root) {
        if !files.contains_key(&name) {
            differences.push(format!("{name} (not generated any more)"));
        }
    }
    for (name, text) in files {
        match std::fs::read_to_string(root.join(name)) {
            Ok(current) if &current == text => {}
            Ok(_) => differences.push(name.clone()),
            Err(_) => differences.push(format!("{name} (missing)")),
        }
    }
    Ok(differences)
}
