//! 32-bit arm (linux/arm/v7 in Thumb-2, linux/arm/v6 in ARM state): the process entry point,
//! and the system-call instruction from the `syscalls` crate (`svc 0`, number in r7,
//! arguments in r0-r5, result in r0). In Thumb code r7 is the frame pointer, which asm!
//! may not name, so the Thumb wrappers move it aside around the instruction.

#![allow(unsafe_code)] // global_asm! is unsafe: it defines the process entry point.

pub use syscalls::raw::{syscall0, syscall1, syscall2, syscall3, syscall4, syscall5};

// The kernel enters `_start` with sp pointing at argc, 8-byte aligned (AAPCS), and lr and
// fp zero. In Thumb code the symbol must say so (.thumb_func): the kernel enters it in the
// state its address's low bit selects, and ARM state would meet Thumb bytes (SIGILL).
macro_rules! entry {
    ($($thumb_func:literal)?) => {
        core::arch::global_asm!(
            ".globl _start",
            ".type _start, %function",
            $($thumb_func,)?
            "_start:",
            "mov r0, sp", // first argument: the initial stack (argc, argv, envp)
            "bl {start}", // never returns
            "udf #0",
            start = sym crate::sys::start,
        );
    };
}

#[cfg(target_feature = "thumb-mode")]
entry!(".thumb_func");
#[cfg(not(target_feature = "thumb-mode"))]
entry!();
