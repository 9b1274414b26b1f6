//! Lists every operation type of the core for the request-building benchmark: reads the
//! generated `OPERATIONS` tables (`core/src/generated/<api>/ops/mod.rs`) and writes
//! `$OUT_DIR/operations.rs`, a slice of `typed::<Type>` entries, so that each operation is
//! benchmarked through its own Rust type, as a Rust caller builds it.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").unwrap_or_default();
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let generated = Path::new(&manifest).join("../../core/src/generated");
    let mut list = String::from("/// Every operation, through its own type.\n");
    list.push_str("static TYPED: &[fn() -> Typed] = &[\n");
    let mut count = 0;
    for api in ["config_api", "public_api"] {
        let table = generated.join(api).join("ops/mod.rs");
        println!("cargo:rerun-if-changed={}", table.display());
        let text = std::fs::read_to_string(&table).unwrap_or_default();
        for line in text.lines() {
            let name = line
                .trim()
                .strip_prefix("crate::dynamic::DynOperation::of::<")
                .and_then(|rest| rest.strip_suffix(">(),"));
            if let Some(name) = name {
                let _ = writeln!(list, "    typed::<airbyte_core::{api}::ops::{name}>,");
                count += 1;
            }
        }
    }
    list.push_str("];\n");
    if count == 0 {
        println!("cargo:warning=no operations found under {}", generated.display());
    }
    let _ = std::fs::write(Path::new(&out).join("operations.rs"), list);
}
