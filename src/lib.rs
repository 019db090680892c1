//! bantam's pure core: everything that decides, parses or formats, with no system calls.
//!
//! The freestanding binary (src/main.rs) is the imperative shell around this library. Here
//! nothing allocates and nothing is unsafe, so it builds for the musl targets with
//! `core` only and is unit-tested on the host with std.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

pub mod cli;
pub mod deadline;
pub mod duration;
pub mod msg;
pub mod path;
pub mod signal;
pub mod status;
pub mod text;

/// What `bantam --version` prints: `NAME VERSION - git.ID`, the form Docker parses from
/// its init's `--version` for `docker info` (split on " - ", then "git." and one token
/// without dots). The token is the version without its dots.
pub const VERSION_LINE: &[u8] = b"bantam 0.1.0 - git.bantam010\n";

#[cfg(test)]
mod tests {
    #[test]
    fn version_line_follows_the_package_version() {
        let v = env!("CARGO_PKG_VERSION");
        let want = format!("bantam {v} - git.bantam{}\n", v.replace('.', ""));
        assert_eq!(super::VERSION_LINE, want.as_bytes());
    }
}
