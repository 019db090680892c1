//! x86_64: the process entry point, and the memcpy/memset that compiled code calls. The
//! system-call ABI itself comes from the `sc` crate (number in rax, arguments in rdi rsi rdx
//! r10 r8 r9, rcx and r11 clobbered).

#![allow(unsafe_code)] // global_asm! is unsafe: it defines the process entry point.
// The kernel enters `_start` with rsp pointing at argc, 16-byte aligned, and no return
// address. A Rust `_start` would assume a pushed return address and misalign every callee,
// so the entry is asm that hands the stack pointer to Rust.
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "xor ebp, ebp",   // outermost frame: no caller's frame pointer
    "mov rdi, rsp",   // first argument: the initial stack (argc, argv, envp)
    "and rsp, -16",   // the SysV ABI wants rsp 16-byte aligned before a call
    "call {start}",   // never returns
    "ud2",
    start = sym crate::sys::start,
);

// LLVM emits calls to memcpy and memset for struct copies, zeroed buffers and
// copy_from_slice. compiler_builtins' versions (weak symbols) are tuned for large copies;
// bantam copies a few hundred bytes at most, so `rep movsb`/`rep stosb` do, in a tenth of
// the size. Each function has its own section so that an unused one is dropped.
core::arch::global_asm!(
    ".section .text.memcpy, \"ax\", @progbits",
    ".globl memcpy",
    ".type memcpy, @function",
    "memcpy:",      // memcpy(rdi dst, rsi src, rdx n) -> dst
    "mov rax, rdi", // return value: dst
    "mov rcx, rdx", // count for rep
    "rep movsb",    // copy rcx bytes [rsi] -> [rdi] (DF is clear, per the ABI)
    "ret",
    ".size memcpy, . - memcpy",
    "",
    ".section .text.memset, \"ax\", @progbits",
    ".globl memset",
    ".type memset, @function",
    "memset:",      // memset(rdi dst, esi byte, rdx n) -> dst
    "mov r8, rdi",  // keep dst for the return value
    "mov eax, esi", // rep stosb stores al
    "mov rcx, rdx", // count for rep
    "rep stosb",    // fill rcx bytes at [rdi]
    "mov rax, r8",
    "ret",
    ".size memset, . - memset",
);
