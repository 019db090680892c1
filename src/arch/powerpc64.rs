//! powerpc64 (little-endian, ELFv2): the process entry point, and the system-call
//! instruction as a few lines of asm (`sc`, number in r0, arguments in r3-r8, result in
//! r3; a failure sets cr0.SO and leaves a positive errno in r3, turned here into the
//! `-errno` the layer above expects).

#![allow(unsafe_code)] // asm is unsafe: the entry point and the system-call instruction.

use core::arch::asm;

// The kernel enters `_start` with r1 pointing at argc. ELFv2 code finds its constants
// through r2 (the TOC pointer), which nothing has set yet, and every callee stores its
// return address in its caller's frame (16 bytes above r1), which here would overwrite
// argv: so `_start` sets r2 and builds a minimal frame first. The link is static and not
// position-independent, so the TOC's absolute address is known at link time.
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "lis 2, .TOC.@ha",    // r2 = the TOC pointer: its high half (adjusted for the low's sign)
    "addi 2, 2, .TOC.@l", // and its low half
    "mr 3, 1",            // first argument: the initial stack (argc, argv, envp)
    "clrrdi 1, 1, 4",     // keep r1 16-byte aligned, as the ELFv2 ABI requires
    "li 0, 0",
    "stdu 0, -32(1)",     // a 32-byte minimal frame whose back chain (0) ends the chain
    "bl {start}",         // never returns
    "trap",
    start = sym crate::sys::start,
);

// Own asm rather than the `syscalls` crate: its powerpc64 wrappers do not declare ctr and
// xer clobbered, which the kernel's system-call ABI leaves volatile
// (Documentation/arch/powerpc/syscall64-abi.rst), so a loop counted in ctr around a call
// could go wrong. `sc` may change r0, r3-r12, cr0, ctr and xer; the argument registers
// not used as inputs are declared clobbered.
macro_rules! sc {
    ($n:expr $(, $a0:expr $(, $reg:tt = $arg:expr)*)? ; $($clobber:tt)*) => {{
        let ret: usize;
        // SAFETY: the caller vouches for the arguments (see syscall0..syscall5).
        unsafe {
            asm!(
                "sc",
                "bns+ 1f",  // no summary overflow: r3 is the result
                "neg 3, 3", // else r3 holds a positive errno: make it -errno
                "1:",
                inlateout("r0") $n => _,
                $(in("r3") $a0, $(inlateout($reg) $arg => _,)*)?
                lateout("r3") ret,
                $(lateout($clobber) _,)*
                lateout("r9") _, lateout("r10") _, lateout("r11") _, lateout("r12") _,
                lateout("cr0") _, lateout("ctr") _, lateout("xer") _,
                options(nostack),
            );
        }
        ret
    }};
}

/// # Safety
/// As for any system call: the arguments must be valid for call `n`.
#[inline(always)]
pub unsafe fn syscall0(n: usize) -> usize {
    sc!(n; "r4" "r5" "r6" "r7" "r8")
}

/// # Safety
/// As for any system call: the arguments must be valid for call `n`.
#[inline(always)]
pub unsafe fn syscall1(n: usize, a0: usize) -> usize {
    sc!(n, a0; "r4" "r5" "r6" "r7" "r8")
}

/// # Safety
/// As for any system call: the arguments must be valid for call `n`.
#[inline(always)]
pub unsafe fn syscall2(n: usize, a0: usize, a1: usize) -> usize {
    sc!(n, a0, "r4" = a1; "r5" "r6" "r7" "r8")
}

/// # Safety
/// As for any system call: the arguments must be valid for call `n`.
#[inline(always)]
pub unsafe fn syscall3(n: usize, a0: usize, a1: usize, a2: usize) -> usize {
    sc!(n, a0, "r4" = a1, "r5" = a2; "r6" "r7" "r8")
}

/// # Safety
/// As for any system call: the arguments must be valid for call `n`.
#[inline(always)]
pub unsafe fn syscall4(n: usize, a0: usize, a1: usize, a2: usize, a3: usize) -> usize {
    sc!(n, a0, "r4" = a1, "r5" = a2, "r6" = a3; "r7" "r8")
}

/// # Safety
/// As for any system call: the arguments must be valid for call `n`.
#[inline(always)]
pub unsafe fn syscall5(n: usize, a0: usize, a1: usize, a2: usize, a3: usize, a4: usize) -> usize {
    sc!(n, a0, "r4" = a1, "r5" = a2, "r6" = a3, "r7" = a4; "r8")
}
