//! loongarch64: the process entry point, and the system-call instruction from the
//! `syscalls` crate (`syscall 0`, number in a7, arguments in a0-a5, result in a0; t0-t8
//! clobbered). Own asm measured the same size, so the maintained crate it is.

#![allow(unsafe_code)] // global_asm! is unsafe: it defines the process entry point.

pub use syscalls::raw::{syscall0, syscall1, syscall2, syscall3, syscall4, syscall5};

// The kernel enters `_start` with sp pointing at argc. The entry is asm so that no prologue
// touches the stack before Rust is handed the initial stack pointer.
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "move $a0, $sp",              // first argument: the initial stack (argc, argv, envp)
    "bstrins.d $sp, $zero, 3, 0", // clear sp's low 4 bits: 16-byte aligned, as the ABI wants
    "bl {start}",                 // never returns
    "break 0",
    start = sym crate::sys::start,
);
