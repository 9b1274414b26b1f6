//! `uniffi-bindgen`: generates the Kotlin, Swift and Python sources of the UniFFI binding from
//! the built library. A workspace crate so that its version always equals the library's.

fn main() {
    uniffi::uniffi_bindgen_main()
}
