//! Where the kernel's interface differs between the platforms bantam ships for, stated once
//! per Rust `target_arch` so that the host's unit tests cover every platform, not only its
//! own. The binary takes its row through [`TARGET`]; ioctl numbers it takes from
//! linux-raw-sys (the kernel's headers), and each platform's build checks that they agree
//! with the row (src/sys.rs).

/// One platform's row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Abi {
    /// Rust's `target_arch`.
    pub arch: &'static str,
    /// `clone` takes the new stack before the flags (the kernel's CONFIG_CLONE_BACKWARDS2:
    /// s390); everywhere else the flags come first.
    pub clone_stack_first: bool,
    /// TIOCSPGRP: 0x5410 in the legacy numbering most arches keep (asm-generic/ioctls.h);
    /// powerpc numbers its terminal ioctls as `_IOW('t', 118, int)`, in its own encoding.
    pub tiocspgrp: u32,
}

const GENERIC: Abi = Abi { arch: "", clone_stack_first: false, tiocspgrp: 0x5410 };

pub const TABLE: [Abi; 8] = [
    Abi { arch: "x86_64", ..GENERIC },
    Abi { arch: "aarch64", ..GENERIC },
    Abi { arch: "x86", ..GENERIC },
    Abi { arch: "arm", ..GENERIC },
    Abi { arch: "riscv64", ..GENERIC },
    Abi { arch: "powerpc64", tiocspgrp: 0x8004_7476, ..GENERIC },
    Abi { arch: "s390x", clone_stack_first: true, ..GENERIC },
    Abi { arch: "loongarch64", ..GENERIC },
];

/// The row of the arch being built (build.rs passes its name); a platform without one
/// stops the build here.
pub const TARGET: Abi = match of(env!("BANTAM_TARGET_ARCH")) {
    Some(abi) => abi,
    None => panic!("no row in src/abi.rs for this target_arch"),
};

/// The row of `arch`, if it has one.
pub const fn of(arch: &str) -> Option<Abi> {
    let mut i = 0;
    while i < TABLE.len() {
        if same(TABLE[i].arch.as_bytes(), arch.as_bytes()) {
            return Some(TABLE[i]);
        }
        i += 1;
    }
    None
}

/// `a == b` where that is not const yet.
const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl Abi {
    /// clone's first two arguments for a fork: `flags`, and the new stack 0 (the child goes
    /// on with its copy of the caller's). The three after them (tid pointers, tls), whose
    /// order varies as well, are all 0 for a fork.
    pub const fn clone_fork_args(self, flags: usize) -> [usize; 2] {
        if self.clone_stack_first { [0, flags] } else { [flags, 0] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rust's `target_arch` of a target triple of the build map.
    fn arch_of(target: &str) -> &str {
        match target.split('-').next().unwrap() {
            "i686" => "x86",
            "armv7" | "arm" | "thumbv7neon" => "arm",
            "riscv64gc" => "riscv64",
            "powerpc64le" => "powerpc64",
            other => other,
        }
    }

    #[test]
    fn every_platform_of_the_build_map_has_a_row() {
        let map = include_str!("../scripts/platforms");
        let targets: Vec<&str> = map
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .map(|line| line.split_whitespace().nth(2).unwrap())
            .collect();
        assert!(targets.len() >= 9, "{targets:?}");
        for target in targets {
            assert!(of(arch_of(target)).is_some(), "no row for {target}");
        }
    }

    /// The ioctl encoding of powerpc (and mips, sparc): direction in the top three bits
    /// (write: 4), then 13 bits of size, the type and the number (asm/ioctl.h).
    fn powerpc_iow(kind: u8, nr: u8, size: u32) -> u32 {
        4 << 29 | size << 16 | u32::from(kind) << 8 | u32::from(nr)
    }

    #[test]
    fn tiocspgrp_per_platform() {
        for abi in TABLE {
            let want = match abi.arch {
                "powerpc64" => powerpc_iow(b't', 118, 4), // _IOW('t', 118, int)
                _ => 0x5410,
            };
            assert_eq!(abi.tiocspgrp, want, "{}", abi.arch);
        }
        // The host's row against the host's headers.
        assert_eq!(TARGET.tiocspgrp, linux_raw_sys::ioctl::TIOCSPGRP);
    }

    #[test]
    fn clone_fork_arguments_per_platform() {
        const SIGCHLD: usize = 17;
        for abi in TABLE {
            let want = if abi.arch == "s390x" { [0, SIGCHLD] } else { [SIGCHLD, 0] };
            assert_eq!(abi.clone_fork_args(SIGCHLD), want, "{}", abi.arch);
        }
    }
}
