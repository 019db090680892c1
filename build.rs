//! Tells the binary whether it is being built the supported way, and packs its messages.
//!
//! The freestanding binary needs memcpy/memset from compiler_builtins' `mem` feature, which
//! only a `-Z build-std` build provides; scripts/build sets BANTAM_BUILD_STD=1 when it does
//! that. Without it, src/main.rs stops with a one-line hint instead of a linker error.
//!
//! The message templates (src/messages.rs) are packed by byte-pair encoding: the most
//! frequent pair of adjacent bytes becomes one new byte (0x80 and up, which ASCII text
//! never uses), again and again while a pair still pays for its two bytes in the table.
//! msg.rs expands them as it writes a line. The result depends only on the texts, so the
//! same source still gives the same binary.
use std::collections::BTreeMap;
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

#[allow(dead_code)]
mod messages {
    include!("src/messages.rs");
}

/// A pair used this many times saves at least one byte after its two in the table.
const MIN_USES: usize = 3;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(bantam_build_std)");
    println!("cargo::rerun-if-env-changed=BANTAM_BUILD_STD");
    println!("cargo::rerun-if-changed=linker/bantam.ld");
    println!("cargo::rerun-if-changed=src/messages.rs");
    // The library's src/abi.rs picks the row of the arch being built by this name.
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    println!("cargo::rustc-env=BANTAM_TARGET_ARCH={arch}");
    if env::var_os("BANTAM_BUILD_STD").is_some_and(|v| v == "1") {
        println!("cargo::rustc-cfg=bantam_build_std");
        let dir = env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
        println!("cargo::rustc-link-arg-bins=-T{dir}/linker/bantam.ld");
    }
    // VM mode's messages follow the others in its build only (Cargo's feature variable).
    let mut templates = String::from(messages::TEMPLATES);
    if env::var_os("CARGO_FEATURE_VM").is_some() {
        templates.push_str(messages::VM_TEMPLATES);
    }
    let (packed, pairs) = pack(templates.as_bytes());
    let mut out = String::from("// Written by build.rs from src/messages.rs: see there and msg.rs.\n");
    let _ = writeln!(out, "const PACKED: [u8; {}] = {packed:?};", packed.len());
    let _ = writeln!(out, "const PAIRS: [[u8; 2]; {}] = {pairs:?};", pairs.len());
    // msg.rs keeps the pending halves of an expansion in one u64, nine bits each.
    let depth = depth(&pairs);
    assert!(depth <= 7, "message pairs nest too deep: {depth}");
    let _ = writeln!(out, "#[cfg(test)]\nconst DEPTH: usize = {depth};");
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out_dir).join("packed.rs"), out).expect("cannot write packed.rs");
}

/// How many second halves are waiting at most while a byte is expanded: the height of
/// its tree of pairs less one.
fn depth(pairs: &[[u8; 2]]) -> usize {
    fn height(pairs: &[[u8; 2]], byte: u8) -> usize {
        match pairs.get(usize::from(byte).wrapping_sub(0x80)) {
            Some(&[first, second]) => 1 + height(pairs, first).max(height(pairs, second)),
            None => 0,
        }
    }
    (0..pairs.len()).map(|i| height(pairs, 0x80 + i as u8)).max().unwrap_or(0)
}

/// Byte-pair encodes `text`: the packed bytes, and the pair each byte from 0x80 on stands
/// for. Ties go to the smallest pair, so the result is always the same.
fn pack(text: &[u8]) -> (Vec<u8>, Vec<[u8; 2]>) {
    assert!(text.is_ascii(), "message templates must be ASCII");
    let mut packed = text.to_vec();
    let mut pairs = Vec::new();
    while pairs.len() < 128 {
        // Uses as the replacement below counts them: left to right, not overlapping
        // (`aaa` holds one `aa`). Per pair: its count and where its last use ended.
        let mut uses: BTreeMap<[u8; 2], (usize, usize)> = BTreeMap::new();
        for (at, pair) in packed.windows(2).enumerate() {
            let (count, end) = uses.entry([pair[0], pair[1]]).or_default();
            if *count == 0 || at >= *end {
                *count += 1;
                *end = at + 2;
            }
        }
        let best = uses
            .iter()
            .map(|(pair, (count, _))| (pair, count))
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)));
        let Some((&pair, &count)) = best else { break };
        if count < MIN_USES {
            break;
        }
        let byte = 0x80 + pairs.len() as u8;
        let mut next = Vec::with_capacity(packed.len());
        let mut i = 0;
        while i < packed.len() {
            if packed[i..].starts_with(&pair) {
                next.push(byte);
                i += 2;
            } else {
                next.push(packed[i]);
                i += 1;
            }
        }
        packed = next;
        pairs.push(pair);
    }
    (packed, pairs)
}
