//! x86_64: the process entry point, and the system-call instruction from the `sc` crate
//! (number in rax, arguments in rdi rsi rdx r10 r8 r9, rcx and r11 clobbered).

#![allow(unsafe_code)] // global_asm! is unsafe: it defines the process entry point.

pub use sc::{syscall0, syscall1, syscall2, syscall3, syscall4, syscall5};

// The kernel enters `_start` with rsp pointing at argc, 16-byte aligned, no return address,
// and the other registers zero (ELF_PLAT_INIT), so rbp already marks the outermost frame. A
// Rust `_start` would assume a pushed return address and misalign every callee, so the
// entry is asm that hands the stack pointer to Rust.
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "mov rdi, rsp",   // first argument: the initial stack (argc, argv, envp)
    "and rsp, -16",   // the SysV ABI wants rsp 16-byte aligned before a call
    "call {start}",   // never returns
    "ud2",
    start = sym crate::sys::start,
);
