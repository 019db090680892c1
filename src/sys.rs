//! Linux system calls and the initial stack: the one home of bantam's unsafe code.
//!
//! Raw calls go through [`syscall!`]: the number from [`nr`], the instruction from
//! `crate::arch` (`syscall0` .. `syscall6`, each returning the kernel's `-errno`
//! convention, whatever the arch's own), decoded in one place ([`check`]) into
//! `Result<_, Errno>` (execve, which returns only an error, and rt_sigtimedwait, whose
//! signal numbers are told from errors by their range, negate it themselves). Wrappers
//! carry the kernel's names and take typed arguments ([`SigSet`], [`Signal`], [`Pid`]).
#![allow(unsafe_code)]

use bantam::deadline::Instant;
use bantam::msg::Sink;
use bantam::path::PathBuf;
use bantam::signal::{SigSet, Signal};
use core::mem::MaybeUninit;

/// System-call numbers by the kernel's names, for the target being built: one table for
/// every arch, with linux-raw-sys holding each arch's numbers. 32-bit arches take the
/// 64-bit-time calls (Linux 5.1), whose timespec is the one [`Instant`] lays out.
#[allow(dead_code)]
mod nr {
    use linux_raw_sys::general as k;
    pub const CHDIR: usize = k::__NR_chdir as usize;
    pub const CLONE: usize = k::__NR_clone as usize;
    pub const EXECVE: usize = k::__NR_execve as usize;
    pub const EXIT_GROUP: usize = k::__NR_exit_group as usize;
    pub const GETPID: usize = k::__NR_getpid as usize;
    pub const IOCTL: usize = k::__NR_ioctl as usize;
    pub const KILL: usize = k::__NR_kill as usize;
    pub const PRCTL: usize = k::__NR_prctl as usize;
    pub const RT_SIGACTION: usize = k::__NR_rt_sigaction as usize;
    pub const RT_SIGPROCMASK: usize = k::__NR_rt_sigprocmask as usize;
    pub const SETPGID: usize = k::__NR_setpgid as usize;
    pub const SETSID: usize = k::__NR_setsid as usize;
    pub const WAIT4: usize = k::__NR_wait4 as usize;
    pub const WRITE: usize = k::__NR_write as usize;
    // VM mode's (feature `vm`).
    pub const FCNTL: usize = k::__NR_fcntl as usize;
    pub const MKDIRAT: usize = k::__NR_mkdirat as usize;
    pub const MOUNT: usize = k::__NR_mount as usize;
    pub const OPENAT: usize = k::__NR_openat as usize;
    pub const REBOOT: usize = k::__NR_reboot as usize;
    pub const SYNC: usize = k::__NR_sync as usize;
    #[cfg(target_pointer_width = "64")]
    pub const CLOCK_GETTIME: usize = k::__NR_clock_gettime as usize;
    #[cfg(target_pointer_width = "64")]
    pub const RT_SIGTIMEDWAIT: usize = k::__NR_rt_sigtimedwait as usize;
    #[cfg(target_pointer_width = "32")]
    pub const CLOCK_GETTIME: usize = k::__NR_clock_gettime64 as usize;
    #[cfg(target_pointer_width = "32")]
    pub const RT_SIGTIMEDWAIT: usize = k::__NR_rt_sigtimedwait_time64 as usize;
}

/// The kernel's numbers that bantam and its library spell out (signals, errnos, flags),
/// checked against this arch's headers (linux-raw-sys) whenever a platform is built: every
/// platform bantam ships for numbers them as asm-generic does, and one that did not (mips,
/// sparc, alpha) would stop the build here instead of sending the wrong signals.
#[rustfmt::skip] // the tables in rows, not one name a line
const _: () = {
    use bantam::signal::{self, SIGCHLD as CHLD};
    use linux_raw_sys::{errno as e, general as k, prctl as p};
    // Signals 1..=31 in the order of the library's name table (signal.rs), then the limit.
    let signals = [
        k::SIGHUP, k::SIGINT, k::SIGQUIT, k::SIGILL, k::SIGTRAP, k::SIGABRT, k::SIGBUS, k::SIGFPE,
        k::SIGKILL, k::SIGUSR1, k::SIGSEGV, k::SIGUSR2, k::SIGPIPE, k::SIGALRM, k::SIGTERM,
        k::SIGSTKFLT, k::SIGCHLD, k::SIGCONT, k::SIGSTOP, k::SIGTSTP, k::SIGTTIN, k::SIGTTOU,
        k::SIGURG, k::SIGXCPU, k::SIGXFSZ, k::SIGVTALRM, k::SIGPROF, k::SIGWINCH, k::SIGIO,
        k::SIGPWR, k::SIGSYS,
    ];
    let mut n = 0;
    while n < signals.len() {
        assert!(signals[n] == n as u32 + 1);
        n += 1;
    }
    assert!(k::_NSIG == signal::MAX as u32 && k::SIGRTMIN == 32 && CHLD.number() as u32 == k::SIGCHLD);
    // The errnos msg.rs names (by their asm-generic numbers) and this module tests.
    let errnos = [
        (e::EPERM, 1), (e::ENOENT, 2), (e::ESRCH, 3), (e::EINTR, 4), (e::EIO, 5), (e::E2BIG, 7),
        (e::ENOEXEC, 8), (e::EAGAIN, 11), (e::ENOMEM, 12), (e::EACCES, 13), (e::EFAULT, 14),
        (e::ENOTDIR, 20), (e::EISDIR, 21), (e::EINVAL, 22), (e::ENFILE, 23), (e::EMFILE, 24),
        (e::ETXTBSY, 26), (e::ENOSPC, 28), (e::ENAMETOOLONG, 36), (e::ENOSYS, 38), (e::ELOOP, 40),
    ];
    let mut i = 0;
    while i < errnos.len() {
        assert!(errnos[i].0 == errnos[i].1);
        i += 1;
    }
    assert!(k::SIG_BLOCK as usize == SIG_BLOCK && k::SIG_SETMASK as usize == SIG_SETMASK);
    assert!(k::WNOHANG as usize == WNOHANG && k::CLOCK_MONOTONIC == 1);
    assert!(p::PR_SET_PDEATHSIG as usize == PR_SET_PDEATHSIG);
    assert!(p::PR_SET_CHILD_SUBREAPER as usize == PR_SET_CHILD_SUBREAPER);
};

/// `syscall!(NAME, args...)`: the call numbered `nr::NAME`, each argument as a machine
/// word. Unsafe as the arch's `syscallN` is: the caller vouches for the arguments.
macro_rules! syscall {
    ($nr:ident) => {
        crate::arch::syscall0(nr::$nr)
    };
    ($nr:ident, $a:expr) => {
        crate::arch::syscall1(nr::$nr, $a as usize)
    };
    ($nr:ident, $a:expr, $b:expr) => {
        crate::arch::syscall2(nr::$nr, $a as usize, $b as usize)
    };
    ($nr:ident, $a:expr, $b:expr, $c:expr) => {
        crate::arch::syscall3(nr::$nr, $a as usize, $b as usize, $c as usize)
    };
    ($nr:ident, $a:expr, $b:expr, $c:expr, $d:expr) => {
        crate::arch::syscall4(nr::$nr, $a as usize, $b as usize, $c as usize, $d as usize)
    };
    ($nr:ident, $a:expr, $b:expr, $c:expr, $d:expr, $e:expr) => {
        crate::arch::syscall5(nr::$nr, $a as usize, $b as usize, $c as usize, $d as usize, $e as usize)
    };
}

/// A process or process-group id as the kernel takes it (negative: a group, -1: all).
pub type Pid = i32;

/// An error number from a failed system call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub u32);

pub const ENOENT: Errno = Errno(2);
pub const ESRCH: Errno = Errno(3);
pub const ENOEXEC: Errno = Errno(8);
pub const EAGAIN: Errno = Errno(11);
pub const EACCES: Errno = Errno(13);
pub const ENOTDIR: Errno = Errno(20);
pub const ENAMETOOLONG: Errno = Errno(36);

/// The kernel returns errors as `-4095..=-1`. Every call bantam makes returns a count, a
/// pid, a signal number or 0 on success, never a negative number, so the sign alone tells.
fn check(ret: usize) -> Result<usize, Errno> {
    let signed = ret as isize;
    if signed < 0 { Err(Errno(signed.unsigned_abs() as u32)) } else { Ok(ret) }
}

/// What the kernel puts on the stack for a new process, and where `_start` finds it:
///
/// ```text
///   sp -> argc
///         argv[0] .. argv[argc-1]   pointers to NUL-terminated strings
///         NULL
///         envp[0] .. envp[n-1]
///         NULL
///         auxv pairs, then the strings themselves
/// ```
#[derive(Clone, Copy)]
pub struct Args {
    pub argv: CStrArray,
    pub envp: CStrArray,
}

/// A NULL-terminated array of pointers to NUL-terminated strings, as argv and envp are.
#[derive(Clone, Copy)]
pub struct CStrArray(*const *const u8);

impl CStrArray {
    pub fn as_ptr(self) -> *const *const u8 {
        self.0
    }

    /// The array from its `n`th entry on. `n` must not pass the terminating NULL, which
    /// holds for every index the argv parser returns (it only counts existing entries).
    pub fn skip(self, n: usize) -> CStrArray {
        // SAFETY: the caller's index is within the array, terminator included.
        CStrArray(unsafe { self.0.add(n) })
    }

    pub fn iter(self) -> CStrIter {
        CStrIter(self.0)
    }
}

#[derive(Clone, Copy)]
pub struct CStrIter(*const *const u8);

impl Iterator for CStrIter {
    type Item = &'static [u8];

    fn next(&mut self) -> Option<&'static [u8]> {
        // SAFETY: the kernel built this NULL-terminated array of NUL-terminated strings on
        // the initial stack, which lives (unchanged) as long as the process.
        unsafe {
            let s = *self.0;
            if s.is_null() {
                return None;
            }
            self.0 = self.0.add(1);
            // A plain loop here is turned into a call to compiler_builtins' word-at-a-time
            // strlen, which is five times the size; a volatile read keeps the byte loop.
            let mut len = 0;
            while core::ptr::read_volatile(s.add(len)) != 0 {
                len += 1;
            }
            Some(core::slice::from_raw_parts(s, len))
        }
    }
}

/// Called by the arch-specific `_start` with the initial stack pointer.
///
/// # Safety
/// `stack` must be the stack pointer the kernel gave `_start`, laid out as [`Args`] shows.
pub unsafe extern "C" fn start(stack: *const usize) -> ! {
    // SAFETY: per the layout above: argc, then argc pointers and a NULL, then envp.
    let args = unsafe {
        let argc = *stack;
        let argv = stack.add(1) as *const *const u8;
        Args { argv: CStrArray(argv), envp: CStrArray(argv.add(argc + 1)) }
    };
    crate::init::main(args)
}

pub fn write(fd: i32, bytes: &[u8]) -> Result<usize, Errno> {
    // SAFETY: the kernel only reads `bytes.len()` bytes from a valid slice.
    check(unsafe { syscall!(WRITE, fd, bytes.as_ptr(), bytes.len()) })
}

pub fn exit_group(code: u8) -> ! {
    // SAFETY: exit_group takes no pointers and does not return.
    unsafe {
        syscall!(EXIT_GROUP, code);
    }
    #[allow(clippy::empty_loop)]
    loop {}
}

pub fn getpid() -> Pid {
    // SAFETY: no arguments; cannot fail.
    unsafe { syscall!(GETPID) as Pid }
}

/// `how` for [`rt_sigprocmask`]: add the set to the blocked signals.
pub const SIG_BLOCK: usize = 0;
/// `how` for [`rt_sigprocmask`]: block exactly the set.
pub const SIG_SETMASK: usize = 2;
/// The kernel's sigset size, the last argument of every rt_sig* call.
const SIGSET_SIZE: usize = 8;

/// Changes the blocked signals by `set` as `how` says; with `old`, stores there the mask
/// that was in force before.
// Inlined: the kernel reads the set from memory, and a caller that has it there already,
// or needs no old mask, then passes just an address.
#[inline(always)]
pub fn rt_sigprocmask(how: usize, set: &SigSet, old: Option<&mut SigSet>) -> Result<(), Errno> {
    let old = old.map_or(core::ptr::null_mut(), |old| &mut old.0 as *mut u64);
    // SAFETY: `set` points to a live 8-byte set, the size we pass, and `old` to another or
    // is null (no old mask wanted).
    check(unsafe { syscall!(RT_SIGPROCMASK, how, &set.0 as *const u64, old, SIGSET_SIZE) }).map(drop)
}

/// Dequeues one pending signal of `set`, waiting at most `timeout` (forever if None).
/// The signals of `set` must be blocked. Times out with EAGAIN.
pub fn rt_sigtimedwait(set: &SigSet, timeout: Option<&Instant>) -> Result<Signal, Errno> {
    let timeout = timeout.map_or(core::ptr::null(), |t| t as *const Instant);
    // SAFETY: the set and timeout point to live memory; no siginfo is asked for.
    let ret = unsafe { syscall!(RT_SIGTIMEDWAIT, &set.0 as *const u64, 0, timeout, SIGSET_SIZE) };
    // It returns a signal's number, 1..=64, or `-errno`, whose low 32 bits are far above
    // 64: one range test tells them apart, without the sign test of `check` (16 bytes less
    // on aarch64).
    Signal::new(ret as u32).ok_or(Errno((ret as u32).wrapping_neg()))
}

/// Signal dispositions bantam uses: default or ignore (it installs no handlers).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    Default = 0,
    Ignore = 1,
}

/// The kernel's `struct sigaction` as rt_sigaction takes it (linux/signal_types.h): the
/// flags are an `unsigned long`, the mask the kernel's 8-byte set in `unsigned long`s.
/// Arches without `sa_restorer` (riscv64, loongarch64) read the mask where `restorer` is:
/// both are zero, and the kernel writes back no more than it reads.
#[repr(C)]
struct KernelSigaction {
    handler: usize,
    flags: usize,
    restorer: usize,
    mask: [usize; SIGSET_SIZE / core::mem::size_of::<usize>()],
}

/// Sets the disposition of `sig`; returns the one before (after an execve, a signal's
/// disposition is either of the two), or `disposition` itself if the call failed (only
/// an invalid signal, or SIGKILL or SIGSTOP, would make it fail).
// Both callers are in main: inlined, the struct is built in its frame and the result needs
// no passing.
#[inline(always)]
pub fn rt_sigaction(sig: Signal, disposition: Disposition) -> Disposition {
    let mut action = KernelSigaction { handler: disposition as usize, flags: 0, restorer: 0, mask: [0; _] };
    let ptr = &mut action as *mut KernelSigaction;
    // SAFETY: the pointer is to a live struct of the kernel's layout, given both as the new
    // and as the old action: the kernel reads the new one before it writes the old one
    // (kernel/signal.c), and leaves it as it is when it fails. SIG_DFL and SIG_IGN need no
    // restorer.
    let _ = unsafe { syscall!(RT_SIGACTION, sig.number(), ptr, ptr, SIGSET_SIZE) };
    if action.handler == Disposition::Ignore as usize { Disposition::Ignore } else { Disposition::Default }
}

/// A fork: `clone` with only the exit signal set, its arguments in this platform's order
/// (src/abi.rs). Returns 0 in the child. (aarch64, riscv64 and loongarch64 have no `fork`
/// call.)
pub fn clone_fork() -> Result<Pid, Errno> {
    const SIGCHLD: usize = 17;
    let [first, second] = bantam::abi::TARGET.clone_fork_args(SIGCHLD);
    // SAFETY: no CLONE_VM: the child gets a copy of the address space, so both sides may
    // keep running Rust code on their own stacks.
    check(unsafe { syscall!(CLONE, first, second, 0, 0, 0) }).map(|pid| pid as Pid)
}

/// Bytes written front to back into stack memory that is not zeroed first: for a 4 KB
/// path (PATH_MAX) or a message line, a memset would clear them for nothing. The memory is
/// the caller's array, so that one non-generic `push` serves buffers of any size. Only
/// [`StackBuf::push`] and [`StackBuf::write_line`] write it, at `len` or below, and then
/// make `len` the end of what they wrote, so its first `len` bytes are always initialized.
pub struct StackBuf<'a> {
    bytes: &'a mut [MaybeUninit<u8>],
    len: usize,
}

impl<'a> StackBuf<'a> {
    pub fn new(bytes: &'a mut [MaybeUninit<u8>]) -> StackBuf<'a> {
        StackBuf { bytes, len: 0 }
    }

    /// Appends `byte`; false if the buffer is full.
    fn push(&mut self, byte: u8) -> bool {
        let Some(slot) = self.bytes.get_mut(self.len) else { return false };
        slot.write(byte);
        self.len += 1;
        true
    }

    fn as_bytes(&self) -> &[u8] {
        // SAFETY: bytes[..len] are initialized (see the struct), and len <= bytes.len().
        unsafe { core::slice::from_raw_parts(self.bytes.as_ptr().cast::<u8>(), self.len) }
    }

    /// Writes the line and a newline on `fd`, with one call. A full line loses its last
    /// byte to the newline.
    pub fn write_line(&mut self, fd: i32) {
        // (An empty buffer has no room for the newline either: the limit wraps to none.)
        let last = self.len.min(self.bytes.len().wrapping_sub(1));
        if let Some(slot) = self.bytes.get_mut(last) {
            slot.write(b'\n');
            self.len = last + 1;
        }
        let _ = write(fd, self.as_bytes());
    }
}

impl PathBuf for StackBuf<'_> {
    fn clear(&mut self) {
        self.len = 0;
    }

    fn push(&mut self, byte: u8) -> bool {
        StackBuf::push(self, byte)
    }
}

impl Sink for StackBuf<'_> {
    fn push_byte(&mut self, byte: u8) {
        self.push(byte);
    }
}

/// Replaces the process image with the program at `path`, which must end in a NUL byte.
/// Returns only on failure.
pub fn execve(path: &StackBuf<'_>, argv: CStrArray, envp: CStrArray) -> Errno {
    let path = path.as_bytes();
    if path.last() != Some(&0) {
        return ENOENT;
    }
    // SAFETY: path is NUL-terminated (checked above); argv and envp are the kernel-made
    // NULL-terminated arrays from the initial stack.
    let ret = unsafe { syscall!(EXECVE, path.as_ptr(), argv.as_ptr(), envp.as_ptr()) };
    // It returns only with `-errno` (a success does not return at all), so without the
    // sign test of `check`, and the low 32 bits negated are the number.
    Errno((ret as u32).wrapping_neg())
}

/// execvp's fallback for a file the kernel does not know how to run (ENOEXEC: a script
/// without `#!`): `/bin/sh` runs it, as `/bin/sh PATH ARG...`. `argv` is the program's
/// part of the initial stack's argv, which the process may write: the slot before it
/// (argv[0] of bantam's own, or an option) becomes `/bin/sh`, the program's name the path
/// that failed, so nothing is allocated. Returns only on failure (no /bin/sh).
pub fn execve_sh(path: &StackBuf<'_>, argv: CStrArray, envp: CStrArray) {
    const SH: &[u8] = b"/bin/sh\0";
    let slots = argv.as_ptr() as *mut *const u8;
    // SAFETY: the program's index in argv is 1 or more (argv[0] is bantam), so the slot
    // before `argv` is an entry of the same array, in writable stack memory that nothing
    // reads again; `path` ends in a NUL (execve checked it before it failed with
    // ENOEXEC), and SH is NUL-terminated.
    let _ = unsafe {
        *slots = path.as_bytes().as_ptr();
        *slots.sub(1) = SH.as_ptr();
        syscall!(EXECVE, SH.as_ptr(), slots.sub(1), envp.as_ptr())
    };
}

// Out of line: a call (two moves) is smaller than the call inlined (three, with the number).
#[inline(never)]
pub fn kill(pid: Pid, sig: Signal) -> Result<(), Errno> {
    // SAFETY: no pointers.
    check(unsafe { syscall!(KILL, pid as isize, sig.number()) }).map(drop)
}

pub const WNOHANG: usize = 1;

/// Waits for a child (`pid` -1: any); returns its pid and raw status, or pid 0 with
/// WNOHANG when none has changed state.
#[inline(always)]
pub fn wait4(pid: Pid, options: usize) -> Result<(Pid, i32), Errno> {
    let mut status: i32 = 0;
    // SAFETY: status points to a live i32; no rusage is asked for.
    let reaped = check(unsafe { syscall!(WAIT4, pid as isize, &mut status as *mut i32, options, 0) })?;
    Ok((reaped as Pid, status))
}

pub fn setpgid(pid: Pid, pgid: Pid) -> Result<(), Errno> {
    // SAFETY: no pointers.
    check(unsafe { syscall!(SETPGID, pid, pgid) }).map(drop)
}

// The kernel's headers and bantam's table of platform differences agree (src/abi.rs).
const _: () = assert!(linux_raw_sys::ioctl::TIOCSPGRP == bantam::abi::TARGET.tiocspgrp);

/// Makes `pgrp` the foreground process group of the terminal on `fd` (tcsetpgrp).
pub fn tcsetpgrp(fd: i32, pgrp: Pid) -> Result<(), Errno> {
    const TIOCSPGRP: usize = linux_raw_sys::ioctl::TIOCSPGRP as usize;
    // SAFETY: the pointer is to a live pid for the kernel to read.
    check(unsafe { syscall!(IOCTL, fd, TIOCSPGRP, &pgrp as *const Pid) }).map(drop)
}

pub const TIOCSCTTY: usize = linux_raw_sys::ioctl::TIOCSCTTY as usize;
pub const TIOCNOTTY: usize = linux_raw_sys::ioctl::TIOCNOTTY as usize;

/// A terminal ioctl whose argument is the number 0: TIOCSCTTY (take the terminal as the
/// controlling tty, without stealing it) or TIOCNOTTY (give it up).
pub fn ioctl_tty(fd: i32, request: usize) -> Result<(), Errno> {
    // SAFETY: both requests take a plain integer argument, no pointer.
    check(unsafe { syscall!(IOCTL, fd, request, 0) }).map(drop)
}

pub fn setsid() -> Result<Pid, Errno> {
    // SAFETY: no arguments.
    check(unsafe { syscall!(SETSID) }).map(|pid| pid as Pid)
}

/// chdir("/").
pub fn chdir_root() -> Result<(), Errno> {
    // SAFETY: the path is a NUL-terminated static string.
    check(unsafe { syscall!(CHDIR, c"/".as_ptr()) }).map(drop)
}

pub const PR_SET_PDEATHSIG: usize = 1;
pub const PR_SET_CHILD_SUBREAPER: usize = 36;

// Out of line: its two callers pass two numbers each (x86_64 3 bytes less; aarch64 keeps
// it out of line by itself).
#[inline(never)]
pub fn prctl(option: usize, arg: usize) -> Result<(), Errno> {
    // SAFETY: the options bantam uses take plain integers, no pointers.
    check(unsafe { syscall!(PRCTL, option, arg, 0, 0, 0) }).map(drop)
}

/// The current CLOCK_MONOTONIC time (a raw call: a static binary has no vDSO lookup).
pub fn clock_gettime_monotonic() -> Instant {
    const CLOCK_MONOTONIC: usize = 1;
    let mut now = Instant::default();
    // SAFETY: the pointer is to a live struct of the kernel's timespec layout (repr(C)).
    let _ = check(unsafe { syscall!(CLOCK_GETTIME, CLOCK_MONOTONIC, &mut now as *mut Instant) });
    now
}

/// VM mode's calls (src/vm.rs): the kernel's file systems, the console, the machine's end.
/// Only the *at calls and fcntl: aarch64 and the newer arches have no mkdir, open or dup2.
#[cfg(feature = "vm")]
pub mod vm {
    use super::{Errno, check, nr};

    pub const EBUSY: Errno = Errno(16);

    /// The directory argument of the *at calls that makes a relative path the cwd's.
    const AT_FDCWD: isize = -100;

    /// A path for the kernel: a NUL-terminated string at the start of `path`, which must
    /// end with a NUL (as a constant string of several NUL-terminated names does), so that
    /// the kernel's read stops within it; ENOENT for a slice that does not.
    fn c_path(path: &[u8]) -> Result<*const u8, Errno> {
        if path.last() == Some(&0) { Ok(path.as_ptr()) } else { Err(super::ENOENT) }
    }

    pub fn mkdirat(path: &[u8], mode: usize) -> Result<(), Errno> {
        let path = c_path(path)?;
        // SAFETY: the path is NUL-terminated within its slice (c_path).
        check(unsafe { syscall!(MKDIRAT, AT_FDCWD, path, mode) }).map(drop)
    }

    pub const O_RDWR: usize = 2;

    pub fn openat(path: &[u8], flags: usize) -> Result<i32, Errno> {
        let path = c_path(path)?;
        // SAFETY: the path is NUL-terminated within its slice (c_path); no mode is read
        // without O_CREAT.
        check(unsafe { syscall!(OPENAT, AT_FDCWD, path, flags, 0) }).map(|fd| fd as i32)
    }

    pub const F_GETFD: usize = 1;

    /// An fcntl whose argument is a number (F_GETFD: whether `fd` is open).
    pub fn fcntl(fd: i32, cmd: usize, arg: usize) -> Result<usize, Errno> {
        // SAFETY: the commands bantam uses take a plain integer, no pointer.
        check(unsafe { syscall!(FCNTL, fd, cmd, arg) })
    }

    pub const MS_NOSUID: u8 = 2;
    pub const MS_NODEV: u8 = 4;
    pub const MS_NOEXEC: u8 = 8;

    /// Mounts a file system of type `fstype` (also given as its source, which the kernel's
    /// own file systems ignore) on `target`, with `flags` and no options; both strings as
    /// for [`mkdirat`].
    pub fn mount(fstype: &[u8], target: &[u8], flags: u8) -> Result<(), Errno> {
        let (fstype, target) = (c_path(fstype)?, c_path(target)?);
        // SAFETY: both strings are NUL-terminated within their slices (c_path); no data is
        // passed.
        check(unsafe { syscall!(MOUNT, fstype, target, fstype, flags, 0) }).map(drop)
    }

    pub fn sync() {
        // SAFETY: no arguments; cannot fail.
        unsafe {
            syscall!(SYNC);
        }
    }

    /// reboot(2)'s commands: Ctrl-Alt-Del sends SIGINT to init; halt and power off; restart.
    pub const LINUX_REBOOT_CMD_CAD_OFF: u32 = 0;
    pub const LINUX_REBOOT_CMD_POWER_OFF: u32 = 0x4321_fedc;
    pub const LINUX_REBOOT_CMD_RESTART: u32 = 0x0123_4567;

    /// reboot(2) with `cmd`: for POWER_OFF and RESTART, returns only on failure.
    pub fn reboot(cmd: u32) -> Result<(), Errno> {
        const LINUX_REBOOT_MAGIC1: usize = 0xfee1_dead;
        const LINUX_REBOOT_MAGIC2: usize = 672_274_793;
        // SAFETY: no pointers: the commands bantam uses take no argument.
        check(unsafe { syscall!(REBOOT, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, 0) }).map(drop)
    }
}
