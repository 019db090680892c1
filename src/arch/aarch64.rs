//! aarch64: the process entry point, and the memcpy/memset that compiled code calls. The
//! system-call ABI itself comes from the `sc` crate (`svc 0`, number in x8, arguments in
//! x0-x5, result in x0).

#![allow(unsafe_code)] // global_asm! is unsafe: it defines the process entry point.
// The kernel enters `_start` with sp pointing at argc, 16-byte aligned. The entry is asm so
// that no prologue touches the stack before Rust is handed the initial stack pointer.
core::arch::global_asm!(
    ".globl _start",
    ".type _start, %function",
    "_start:",
    "mov x29, xzr",   // outermost frame: no caller's frame pointer
    "mov x30, xzr",   // and no return address
    "mov x0, sp",     // first argument: the initial stack (argc, argv, envp)
    "and sp, x0, #-16", // keep sp 16-byte aligned, as AAPCS64 requires
    "bl {start}",     // never returns
    "udf #0",
    start = sym crate::sys::start,
);

// LLVM emits calls to memcpy and memset for struct copies, zeroed buffers and
// copy_from_slice. compiler_builtins' versions (weak symbols) are tuned for large copies;
// bantam copies a few hundred bytes at most, so byte loops do, in a sixth of the size.
// Each function has its own section so that an unused one is dropped.
core::arch::global_asm!(
    ".section .text.memcpy, \"ax\", %progbits",
    ".globl memcpy",
    ".type memcpy, %function",
    "memcpy:",           // memcpy(x0 dst, x1 src, x2 n) -> dst
    "mov x3, x0",        // x3 walks dst; x0 stays the return value
    "1: cbz x2, 2f",     // done when n is 0
    "ldrb w4, [x1], #1", // one byte from src, src += 1
    "strb w4, [x3], #1", // to dst, dst += 1
    "sub x2, x2, #1",
    "b 1b",
    "2: ret",
    ".size memcpy, . - memcpy",
    "",
    ".section .text.memset, \"ax\", %progbits",
    ".globl memset",
    ".type memset, %function",
    "memset:",           // memset(x0 dst, w1 byte, x2 n) -> dst
    "mov x3, x0",        // x3 walks dst; x0 stays the return value
    "1: cbz x2, 2f",     // done when n is 0
    "strb w1, [x3], #1", // store the byte, dst += 1
    "sub x2, x2, #1",
    "b 1b",
    "2: ret",
    ".size memset, . - memset",
);
