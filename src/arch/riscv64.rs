//! riscv64: the process entry point, and the system-call instruction from the `sc` crate
//! (`ecall`, number in a7, arguments in a0-a5, result in a0).

#![allow(unsafe_code)] // global_asm! is unsafe: it defines the process entry point.

pub use sc::{syscall0, syscall1, syscall2, syscall3, syscall4, syscall5};

// The kernel enters `_start` with sp pointing at argc, 16-byte aligned, and ra zero. gp
// (the global pointer) is left alone: the static link relaxes no access through it.
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "mv a0, sp",      // first argument: the initial stack (argc, argv, envp)
    "andi sp, sp, -16", // the psABI wants sp 16-byte aligned
    "call {start}",   // never returns
    "unimp",
    start = sym crate::sys::start,
);
