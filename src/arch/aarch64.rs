//! aarch64: the process entry point, and the system-call instruction from the `sc` crate
//! (`svc 0`, number in x8, arguments in x0-x5, result in x0).

#![allow(unsafe_code)] // global_asm! is unsafe: it defines the process entry point.

pub use sc::{syscall0, syscall1, syscall2, syscall3, syscall4, syscall5};

// The kernel enters `_start` with sp pointing at argc, 16-byte aligned, and every other
// register zero (arch/arm64 start_thread), so x29 and x30 already mark the outermost frame.
// The entry is asm so that no prologue touches the stack before Rust is handed the initial
// stack pointer.
core::arch::global_asm!(
    ".globl _start",
    ".type _start, %function",
    "_start:",
    "mov x0, sp",     // first argument: the initial stack (argc, argv, envp)
    "and sp, x0, #-16", // keep sp 16-byte aligned, as AAPCS64 requires
    "bl {start}",     // never returns
    "udf #0",
    start = sym crate::sys::start,
);
