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
