//! Tells the binary whether it is being built the supported way.
//!
//! The freestanding binary needs memcpy/memset from compiler_builtins' `mem` feature, which
//! only a `-Z build-std` build provides; scripts/build sets BANTAM_BUILD_STD=1 when it does
//! that. Without it, src/main.rs stops with a one-line hint instead of a linker error.
use std::env;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(bantam_build_std)");
    println!("cargo::rerun-if-env-changed=BANTAM_BUILD_STD");
    println!("cargo::rerun-if-changed=linker/bantam.ld");
    if env::var_os("BANTAM_BUILD_STD").is_some_and(|v| v == "1") {
        println!("cargo::rustc-cfg=bantam_build_std");
        let dir = env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
        println!("cargo::rustc-link-arg-bins=-T{dir}/linker/bantam.ld");
    }
}
