//! i686 (linux/386): the process entry point, and the system-call instruction from the
//! `syscalls` crate (`int 0x80`, number in eax, arguments in ebx ecx edx esi edi, result in
//! eax). LLVM keeps esi for itself, so the crate swaps the fourth argument into it around
//! the instruction, as musl's i386 code does.

#![allow(unsafe_code)] // global_asm! is unsafe: it defines the process entry point.

pub use syscalls::raw::{syscall0, syscall1, syscall2, syscall3, syscall4, syscall5};

// The kernel enters `_start` with esp pointing at argc and ebp zero (the outermost frame).
// The i386 SysV ABI passes the argument on the stack and wants esp 16-byte aligned at the
// call, so the entry aligns it, leaves 12 bytes, and pushes the initial stack pointer.
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "mov eax, esp",   // the initial stack (argc, argv, envp)
    "and esp, -16",
    "sub esp, 12",
    "push eax",       // first argument; esp is 16-byte aligned again
    "call {start}",   // never returns
    "ud2",
    start = sym crate::sys::start,
);
