//! The bantam executable: a freestanding, static container init.
//!
//! No libc and no heap: `_start` is asm (src/arch), system calls are the thin wrappers in
//! [`sys`], and the init's steps are in [`init`]. Everything that parses or decides lives
//! in the `bantam` library, which is unit-tested on the host.
#![no_std]
#![no_main]
#![deny(unsafe_code)]
// Inline asm on powerpc64 is still behind a feature gate (scripts/build builds with
// RUSTC_BOOTSTRAP=1 for -Z build-std anyway).
#![cfg_attr(target_arch = "powerpc64", feature(asm_experimental_arch))]

// memcpy/memset come from compiler_builtins' `mem` feature, which needs core rebuilt with
// -Z build-std; scripts/build does that and tells build.rs so.
#[cfg(not(bantam_build_std))]
compile_error!("build bantam with scripts/build (it rebuilds core with -Z build-std for memcpy/memset)");

#[cfg_attr(target_arch = "x86_64", path = "arch/x86_64.rs")]
#[cfg_attr(target_arch = "aarch64", path = "arch/aarch64.rs")]
#[cfg_attr(target_arch = "x86", path = "arch/x86.rs")]
#[cfg_attr(target_arch = "arm", path = "arch/arm.rs")]
#[cfg_attr(target_arch = "riscv64", path = "arch/riscv64.rs")]
#[cfg_attr(target_arch = "powerpc64", path = "arch/powerpc64.rs")]
#[cfg_attr(target_arch = "s390x", path = "arch/s390x.rs")]
#[cfg_attr(target_arch = "loongarch64", path = "arch/loongarch64.rs")]
mod arch;
mod init;
mod sys;
#[cfg(feature = "vm")]
mod vm;

/// bantam has no panicking paths by design; if one is ever reached, exit as a fatal error
/// rather than hang as PID 1.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    sys::exit_group(1)
}
