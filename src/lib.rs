//! bantam's pure core: everything that decides, parses or formats, with no system calls.
//!
//! The freestanding binary (src/main.rs) is the imperative shell around this library. Here
//! nothing allocates and nothing is unsafe, so it builds for the musl targets with
//! `core` only and is unit-tested on the host with std.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

include!("messages.rs");

pub mod abi;
pub mod cli;
pub mod deadline;
pub mod div;
pub mod duration;
pub mod msg;
pub mod path;
pub mod signal;
pub mod status;
pub mod text;

/// What `bantam --version` prints: `NAME VERSION - git.ID`, the form Docker parses from
/// its init's `--version` for `docker info` (split on " - ", then "git." and one token
/// without dots). The token is the version without its dots.
pub const VERSION_LINE: &[u8] = concat!(version_line!(), "\n").as_bytes();
/// `--version` in the tini personality: tini's version for scripts that check it, bantam's
/// in the `git.` token, in the same form for Docker.
pub const TINI_VERSION_LINE: &[u8] = concat!(tini_version_line!(), "\n").as_bytes();
/// tini `-l`, catatonit `-L`.
pub const LICENSE_LINE: &[u8] = concat!("bantam: ", license!(), "\n").as_bytes();

#[cfg(test)]
mod tests {
    #[test]
    fn version_line_follows_the_package_version() {
        let v = env!("CARGO_PKG_VERSION");
        let want = format!("bantam {v} - git.bantam{}\n", v.replace('.', ""));
        assert_eq!(super::VERSION_LINE, want.as_bytes());
        let tini = format!("tini version 0.19.0 - git.bantam{}\n", v.replace('.', ""));
        assert_eq!(super::TINI_VERSION_LINE, tini.as_bytes());
    }

    /// Docker's rule for its init's `--version` (daemon/info_unix.go): split on " - "
    /// into two parts; the first starts with "tini version ", the second is "git." and
    /// one token without dots.
    #[test]
    fn tini_version_line_passes_dockers_parser() {
        let line = std::str::from_utf8(super::TINI_VERSION_LINE).unwrap().trim();
        let parts: Vec<&str> = line.split(" - ").collect();
        assert_eq!(parts.len(), 2);
        assert!(parts[0].starts_with("tini version "));
        let id = parts[1].strip_prefix("git.").unwrap();
        assert!(!id.is_empty() && !id.contains('.') && !id.contains(' '));
    }
}
