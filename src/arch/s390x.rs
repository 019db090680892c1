//! s390x: the process entry point, and the system-call instruction (`svc 0`, number in r1,
//! arguments in r2-r6, result in r2; the kernel changes no other register).

#![allow(unsafe_code)] // asm is unsafe: the entry point and the system-call instruction.

use core::arch::asm;

// The kernel enters `_start` with r15 pointing at argc. Every callee may store its
// registers in a 160-byte save area its caller provides at 0(r15) (the s390x ELF ABI),
// which here would overwrite argc and argv: so `_start` makes room first, with a zero
// back chain that ends the chain of frames.
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "lgr %r2, %r15",      // first argument: the initial stack (argc, argv, envp)
    "aghi %r15, -160",    // the register save area the callee may write
    "xc 0(8, %r15), 0(%r15)", // its back chain: 0, the outermost frame
    "brasl %r14, {start}", // never returns
    ".short 0",           // an invalid opcode, should it return
    start = sym crate::sys::start,
);

// Own asm rather than the `syscalls` crate: its s390x wrappers lack `options(nostack)`,
// so LLVM gives every function that makes a call a stack frame of its own (measured: 56
// bytes more).
macro_rules! svc {
    ($n:expr $(, $a0:expr $(, $reg:tt = $arg:expr)*)?) => {{
        let ret: usize;
        // SAFETY: the caller vouches for the arguments (see syscall0..syscall5).
        unsafe {
            asm!(
                "svc 0",
                in("r1") $n,
                $(in("r2") $a0, $(in($reg) $arg,)*)?
                lateout("r2") ret,
                options(nostack),
            )
        };
        ret
    }};
}

/// # Safety
/// As for any system call: the arguments must be valid for call `n`.
#[inline(always)]
pub unsafe fn syscall0(n: usize) -> usize {
    svc!(n)
}

/// # Safety
/// As for any system call: the arguments must be valid for call `n`.
#[inline(always)]
pub unsafe fn syscall1(n: usize, a0: usize) -> usize {
    svc!(n, a0)
}

/// # Safety
/// As for any system call: the arguments must be valid for call `n`.
#[inline(always)]
pub unsafe fn syscall2(n: usize, a0: usize, a1: usize) -> usize {
    svc!(n, a0, "r3" = a1)
}

/// # Safety
/// As for any system call: the arguments must be valid for call `n`.
#[inline(always)]
pub unsafe fn syscall3(n: usize, a0: usize, a1: usize, a2: usize) -> usize {
    svc!(n, a0, "r3" = a1, "r4" = a2)
}

/// # Safety
/// As for any system call: the arguments must be valid for call `n`.
#[inline(always)]
pub unsafe fn syscall4(n: usize, a0: usize, a1: usize, a2: usize, a3: usize) -> usize {
    svc!(n, a0, "r3" = a1, "r4" = a2, "r5" = a3)
}

/// # Safety
/// As for any system call: the arguments must be valid for call `n`.
#[inline(always)]
pub unsafe fn syscall5(n: usize, a0: usize, a1: usize, a2: usize, a3: usize, a4: usize) -> usize {
    svc!(n, a0, "r3" = a1, "r4" = a2, "r5" = a3, "r6" = a4)
}
