//! VM mode (SPEC §8): bantam as the kernel's own init, the first process of a micro-VM.
//!
//! There nothing has mounted /dev, /proc, /sys or /run, fds 0-2 are closed when the kernel
//! found no console, and init must never exit: the kernel panics when it does ("Attempted
//! to kill init!"). So bantam sets the machine up before the program runs and, when the
//! program has ended, says how on the console and powers the machine off (or reboots it).

use bantam::cli::Config;
use bantam::msg::Msg;
use bantam::signal::{SIGTERM, Signal};
use bantam::status::{Ending, WaitStatus};
use bantam::text::{split_once, strip_prefix};

use crate::init::write_msg;
use crate::sys::vm::{self as calls, EBUSY};
use crate::sys::{self, CStrArray};

/// SIGPWR, 30 on x86_64 and aarch64 (and every arch but alpha, mips, parisc, sparc); a
/// number in range, so the constant is never the fallback.
const SIGPWR: Signal = match Signal::new(30) {
    Some(sig) => sig,
    None => SIGTERM,
};

/// The kernel's file systems that programs expect, mounted where missing, in this order
/// (/dev/pts is inside /dev's): each one's directory and type, NUL-terminated, in one
/// string (a table of references to them would take four times the bytes); and its flags.
const MOUNTS: &[u8] = b"/dev\0devtmpfs\0/dev/pts\0devpts\0/proc\0proc\0/sys\0sysfs\0/run\0tmpfs\0";
const MOUNT_FLAGS: [u8; 5] = [
    calls::MS_NOSUID,
    calls::MS_NOSUID | calls::MS_NOEXEC,
    calls::MS_NOSUID | calls::MS_NODEV | calls::MS_NOEXEC,
    calls::MS_NOSUID | calls::MS_NODEV | calls::MS_NOEXEC,
    calls::MS_NOSUID | calls::MS_NODEV,
];

/// Decides VM mode and, in it, sets the machine up for the program: records in `cfg` how
/// the machine ends. Outside VM mode, leaves everything as it is.
///
/// VM mode is on when bantam is PID 1 of the initial PID namespace. The probe is
/// reboot(LINUX_REBOOT_CMD_CAD_OFF), wanted anyway (Ctrl-Alt-Del then comes to init as
/// SIGINT instead of resetting the machine): it succeeds only there, for root with
/// CAP_SYS_BOOT; in a container it fails with EPERM, or EINVAL when privileged
/// (kernel/pid_namespace.c, reboot_pid_ns). Only a PID 1 asks, and only a PID 1 is ever in
/// VM mode: on a host, root's call would change the machine's Ctrl-Alt-Del, and its power
/// off would be the host's. `BANTAM_VM=1` or `0` overrides the probe (the kernel passes the
/// `NAME=VALUE` words of its command line that it does not know to init's environment); in
/// a container, VM mode's power off ends the container's PID namespace.
pub fn start(cfg: &mut Config, envp: CStrArray) {
    let mut forced = None;
    let mut end = calls::LINUX_REBOOT_CMD_POWER_OFF;
    for entry in envp.iter() {
        if let Some(value) = strip_prefix(entry, b"BANTAM_VM=", false) {
            // Any other value leaves it to the probe.
            forced = match value {
                b"0" => Some(false),
                b"1" => Some(true),
                _ => None,
            };
        } else if strip_prefix(entry, b"BANTAM_VM_END=reboot", false) == Some(b"") {
            // Firecracker has no power-off: its VM ends when the guest reboots. (The whole
            // entry, by the prefix test already in use: 4 bytes less than eq on aarch64.)
            end = calls::LINUX_REBOOT_CMD_RESTART;
        }
    }
    if sys::getpid() != 1 || forced == Some(false) {
        return;
    }
    if calls::reboot(calls::LINUX_REBOOT_CMD_CAD_OFF).is_err() && forced != Some(true) {
        return;
    }
    cfg.vm_end = end;
    // SIGPWR asks init to shut down (sysvinit's power failure, LXC's stop): the program
    // gets it as the SIGTERM it understands, unless a rewrite rule of the command line,
    // parsed after this, says otherwise.
    cfg.rewrite.set(SIGPWR, Some(SIGTERM));
    mount_filesystems(cfg.verbosity);
    open_console();
}

/// Mounts [`MOUNTS`] with [`MOUNT_FLAGS`], creating the directories first. A file system
/// already mounted there is fine: the kernel refuses the same one twice on a mount point
/// with EBUSY.
fn mount_filesystems(verbosity: u8) {
    // Each name is passed as the rest of the string from its start: the kernel reads it to
    // its NUL.
    let mut rest = MOUNTS;
    for &flags in &MOUNT_FLAGS {
        let (dir, Some(fstype)) = split_once(rest, 0) else { break };
        let (_, Some(next)) = split_once(fstype, 0) else { break };
        // EEXIST is the common case; any other failure shows in the mount's.
        let _ = calls::mkdirat(rest, 0o755);
        match calls::mount(fstype, rest, flags) {
            Ok(()) | Err(EBUSY) => {}
            Err(e) => write_msg(verbosity, Msg::MountFailed, e.0.into(), 2, &[dir], 0),
        }
        rest = next;
    }
}

/// Opens /dev/console for each of fds 0-2 that is closed, as the kernel does for init
/// when it finds a console (init/main.c, console_on_rootfs). An open takes the lowest free
/// fd, and the ones below `fd` are open by then, so it lands on `fd`. /dev/console never
/// becomes a controlling terminal (drivers/tty/tty_io.c), so no O_NOCTTY is needed.
/// F_GETFD fails only for an fd that is not open (EBADF).
fn open_console() {
    for fd in 0..3 {
        if calls::fcntl(fd, calls::F_GETFD, 0).is_err() {
            let _ = calls::openat(b"/dev/console\0", calls::O_RDWR);
        }
    }
}

/// Exits with `code`; in VM mode, ends the machine instead, once the program has ended
/// (after the drain, if any): one line on the console in a fixed form a host can parse, at
/// every verbosity above 0, then sync and power off (or reboot). `status` is how the
/// program ended (as a wait status: bantam's own endings are exits), shown as the shell
/// shows it: `exit status N`, or `killed by SIGTERM (143)`. When reboot(2) fails, which it
/// reports, bantam exits as it would in a container.
pub fn exit(cfg: &Config, status: WaitStatus, code: u8) -> ! {
    if cfg.vm_end != 0 {
        let (msg, n) = match status.ending() {
            Ending::Exited(n) => (Msg::VmExited, n),
            Ending::Killed { signal, .. } => (Msg::VmKilled, signal),
        };
        // The second number shows only for a signal: the shell's 128 + N.
        write_msg(cfg.verbosity, msg, n.into(), 2, &[], u64::from(n) + 128);
        sys::vm::sync();
        if let Err(e) = calls::reboot(cfg.vm_end) {
            write_msg(cfg.verbosity, Msg::RebootFailed, e.0.into(), 2, &[], 0);
        }
    }
    sys::exit_group(code)
}
