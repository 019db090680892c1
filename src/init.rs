//! The init itself: block signals, start the child, then collect signals forever,
//! forwarding them and reaping zombies until the main child is gone.

use bantam::cli::{self, Config, Mode, Personality, Target, UsageError};
use bantam::deadline::{self, DEFAULT_DRAIN_MS, Instant, is_termination};
use bantam::msg::{self, Msg};
use bantam::path::Candidates;
use bantam::signal::{SIGCHLD, SIGCONT, SIGHUP, SIGINT, SIGKILL, SIGPIPE, SIGSTOP, SIGTERM, SigSet, Signal};
use bantam::status::{Ending, WaitStatus};
use bantam::text;
use core::mem::MaybeUninit;

use crate::sys::{self, Args, CStrArray, Disposition, Errno, Pid};

/// Exit codes of bantam's own failures (SPEC §4.6, §4.9).
const EXIT_FATAL: u8 = 1;
const EXIT_CANNOT_EXEC: u8 = 126;
const EXIT_NOT_FOUND: u8 = 127;

// Inlined into sys::start, its one caller, whose frame it then shares.
#[inline(always)]
pub fn main(args: Args) -> ! {
    let inherited = block_signals();
    let mut cfg = Config::default();
    #[cfg(feature = "vm")]
    crate::vm::start(&mut cfg, args.envp);
    if let Err(err) = cli::parse(&mut cfg, args.argv.iter(), args.envp.iter()) {
        exit_usage(&cfg, err, args.argv);
    }
    // dumb-init collects the fault signals too, when they are sent with kill.
    let wanted = cfg.collected();
    let _ = sys::rt_sigprocmask(sys::SIG_BLOCK, &wanted, None);
    // The program's index in argv, which is never 0 (argv[0] is bantam); 0 for none.
    let program = match cfg.mode {
        Mode::Pause => 0,
        Mode::Run { program } => program,
        _ => print_and_exit(&cfg, args),
    };
    let pid1 = sys::getpid() == 1;
    if !pid1 {
        become_subreaper(&cfg);
    }
    if let Some(sig) = cfg.pdeathsig {
        // The parent's death then arrives as `sig`, blocked and collected like any other.
        if let Err(e) = sys::prctl(sys::PR_SET_PDEATHSIG, usize::from(sig.number())) {
            fatal(Msg::PdeathsigFailed, e);
        }
    }
    // An inherited SIGCHLD set to SIG_IGN would make the kernel reap children by itself,
    // and the child's exit status would be lost; the child gets the setting back.
    let sigchld = sys::rt_sigaction(SIGCHLD, Disposition::Default);
    if cfg.setsid() {
        give_up_terminal();
    }
    let child = if program == 0 { 0 } else { spawn_child(&cfg, args, program, &inherited, sigchld) };
    let to = target(&cfg, child, pid1);
    supervise(&cfg, &wanted, child, to)
}

/// Blocks every signal but the fault signals, so that none is lost or acted on while
/// bantam is PID 1 (the kernel drops unhandled signals sent to a namespace init), and
/// returns the mask bantam was started with, for the child.
fn block_signals() -> SigSet {
    // rt_sigprocmask fails only for an invalid `how` or set pointer (EINVAL, EFAULT),
    // neither of which bantam passes.
    let mut inherited = SigSet::EMPTY;
    let _ = sys::rt_sigprocmask(sys::SIG_BLOCK, &SigSet::all_but_faults(), Some(&mut inherited));
    inherited
}

/// Outside a PID namespace, orphans would go to the host's init; as a child subreaper
/// bantam gets them instead (prctl(2)).
fn become_subreaper(cfg: &Config) {
    if let Err(e) = sys::prctl(sys::PR_SET_CHILD_SUBREAPER, 1) {
        log(cfg.verbosity, Msg::NoSubreaper, e.0.into(), 0);
    }
}

/// dumb-init: the init lets go of its controlling terminal so that the child's new session
/// can take it. As a session leader, that makes the kernel send SIGHUP and SIGCONT to the
/// terminal's foreground group, which may include bantam: those are already pending here
/// (blocked) and are consumed, not forwarded (dumb-init #136). dumb-init instead ignores
/// the next SIGHUP/SIGCONT, which loses a real one when the hand-off sent none.
fn give_up_terminal() {
    if sys::ioctl_tty(0, sys::TIOCNOTTY).is_ok() {
        const HAND_OFF: SigSet = SigSet::EMPTY.with(SIGHUP).with(SIGCONT);
        while sys::rt_sigtimedwait(&HAND_OFF, Some(&Instant::default())).is_ok() {}
    }
}

/// Starts the program in a child process and returns its pid.
fn spawn_child(cfg: &Config, args: Args, index: usize, inherited: &SigSet, sigchld: Disposition) -> Pid {
    let argv = args.argv.skip(index);
    let name = argv.iter().next().unwrap_or_default();
    match sys::clone_fork() {
        Err(e) => fatal(Msg::CloneFailed, e),
        Ok(0) => exec_child(cfg, name, argv, args.envp, inherited, sigchld),
        Ok(pid) => {
            if cfg.personality == Personality::DumbInit {
                // As dumb-init: the init leaves the caller's directory (so it holds no
                // mount busy); the child started there. The child makes its own session,
                // which it could not if this side made it a group leader first.
                let _ = sys::chdir_root();
            } else {
                // Also set the group from this side, so that a signal forwarded to the
                // group right away cannot find the child still in bantam's group.
                let _ = sys::setpgid(pid, pid);
            }
            log_text(cfg.verbosity, Msg::Started, name, pid as u64);
            pid
        }
    }
}

/// In the child: own process group, the terminal's foreground, the caller's signal state,
/// then the program. Only returns by exiting 127 or 126 (dumb-init: 2).
// Inlined into its one caller, which has its arguments at hand: as a function of its own
// (one that never returns, which the optimizer keeps out of line) they go through memory.
#[inline(always)]
fn exec_child(
    cfg: &Config,
    name: &[u8],
    argv: CStrArray,
    envp: CStrArray,
    inherited: &SigSet,
    sigchld: Disposition,
) -> ! {
    let dumb = cfg.personality == Personality::DumbInit;
    if cfg.setsid() {
        // dumb-init: a session of its own, with stdin's terminal as controlling tty.
        let _ = sys::setsid();
        let _ = sys::ioctl_tty(0, sys::TIOCSCTTY);
    } else if !dumb {
        let _ = sys::setpgid(0, 0);
        // Every signal is still blocked here, so taking the foreground from a background
        // group cannot stop us with SIGTTOU. ENOTTY (no terminal) is the common case.
        let _ = sys::tcsetpgrp(0, sys::getpid());
    }
    if sigchld == Disposition::Ignore {
        let _ = sys::rt_sigaction(SIGCHLD, Disposition::Ignore);
    }
    // dumb-init starts its child with every signal unblocked.
    let _ = sys::rt_sigprocmask(sys::SIG_SETMASK, if dumb { &SigSet::EMPTY } else { inherited }, None);
    let err = exec_search(name, argv, envp);
    log_text(0, Msg::ExecFailed, name, err.0.into());
    sys::exit_group(match err {
        _ if dumb => 2,
        sys::ENOENT => EXIT_NOT_FOUND,
        _ => EXIT_CANNOT_EXEC,
    })
}

/// execvp: tries each PATH candidate; a file found but not executable (EACCES) is
/// remembered while the search goes on, and reported if nothing else runs.
// On aarch64 a function of its own saves and restores five register pairs and sets up a
// 4 KB frame of its own; inlined into the child's code it shares its caller's (about 100
// bytes less). On x86_64, where a saved register is a one-byte push, inlining costs about
// 50 bytes more.
#[cfg_attr(target_arch = "aarch64", inline(always))]
fn exec_search(name: &[u8], argv: CStrArray, envp: CStrArray) -> Errno {
    // A name too long for any candidate (PATH_MAX, below) would never be tried: execvp
    // reports that.
    if name.len() >= 4096 {
        return sys::ENAMETOOLONG;
    }
    let path = envp.iter().find_map(|entry| text::strip_prefix(entry, b"PATH=", false));
    let mut candidates = Candidates::new(name, path);
    let mut bytes = [MaybeUninit::uninit(); 4096]; // PATH_MAX, the NUL included
    let mut buf = sys::StackBuf::new(&mut bytes);
    let mut denied = false;
    while candidates.next_into(&mut buf) {
        match sys::execve(&buf, argv, envp) {
            sys::EACCES => denied = true,
            sys::ENOENT | sys::ENOTDIR => {}
            other => {
                if other == sys::ENOEXEC {
                    // POSIX execvp: a file that is no binary is a shell script.
                    sys::execve_sh(&buf, argv, envp);
                }
                return other;
            }
        }
    }
    if denied { sys::EACCES } else { sys::ENOENT }
}

/// The main loop: sleep in rt_sigtimedwait until a signal comes, then reap or forward.
/// The wait has a timeout only while a deadline is armed, so an idle bantam never wakes.
/// `child` is 0 in pause mode (no program). Signals go to `to`: forwarded ones and the
/// grace window's SIGKILL; once draining, the drain's, to the rest (SPEC §5).
///
/// One state: whether the main child has been reaped (`status`). Before that, a deadline
/// is the grace window's end; after it, bantam is draining (SPEC §5: without `--drain`
/// it exits at once) and the deadline is the drain's end.
// Inlined into main, its one caller, as exec_child is.
#[inline(always)]
fn supervise(cfg: &Config, wanted: &SigSet, child: Pid, mut to: Pid) -> ! {
    // Opaque to the optimizer: it would otherwise load every Config field the loop reads
    // before the loop, and most of them then live on the stack (x86_64 has few callee-saved
    // registers). Reading a field where it is used is smaller.
    let cfg = core::hint::black_box(cfg);
    // When to act without a signal, in milliseconds of CLOCK_MONOTONIC; 0 while none is
    // armed (a deadline is always now plus a window of 1 ms or more). The sum cannot
    // overflow: the clock counts from boot, and a window is below 10^9 hours, under
    // 2^52 ms (deadline.rs's tests check what the command line takes).
    let mut deadline = 0;
    // The main child's raw wait status once it is reaped (16 bits, so never negative);
    // -1 until then.
    let mut status = -1;
    let mut orphans = 0;
    // The window a stop request arms, and the one a drain without a stop request has: the
    // grace window, else the drain's default. Read once, not at each of its two uses
    // (8 bytes less on aarch64).
    let budget = if cfg.grace_ms > 0 { cfg.grace_ms } else { DEFAULT_DRAIN_MS };
    loop {
        let event = if deadline == 0 {
            sys::rt_sigtimedwait(wanted, None)
        } else {
            match deadline::remaining(deadline, now_millis()) {
                Some(timeout) => sys::rt_sigtimedwait(wanted, Some(&timeout)),
                // A deadline already passed is handled as rt_sigtimedwait's timeout would be.
                None => Err(sys::EAGAIN),
            }
        };
        let draining = status >= 0;
        match event {
            Ok(SIGCHLD) => {}
            Ok(sig) => {
                if draining {
                    // The main child is gone, and a late SIGTERM neither restarts nor
                    // lengthens the window.
                } else if child != 0 {
                    // A stop request arms the stop budget, counted from here. A drain that
                    // follows ends with it (README: Graceful shutdown).
                    if forward_signal(cfg, sig, to) && is_termination(sig) && deadline == 0 {
                        deadline = now_millis().wrapping_add(budget);
                    }
                    if cfg.personality == Personality::DumbInit && matches!(sig.number(), 20..=22) {
                        // dumb-init suspends itself with its child; SIGCONT resumes it.
                        let _ = sys::kill(sys::getpid(), SIGSTOP);
                    }
                } else if sig == SIGTERM || sig == SIGINT {
                    // Pause mode ends as asked (SPEC §2: exit 0 on SIGINT or SIGTERM).
                    exit(cfg, WaitStatus(0), 0);
                }
                continue;
            }
            // Without `--grace` the budget's end kills nothing; a drain after it has a
            // window of its own (the runtime's SIGKILL is due soon anyway).
            Err(sys::EAGAIN) if !draining && cfg.grace_ms == 0 => {
                deadline = 0;
                continue;
            }
            Err(sys::EAGAIN) => {
                // The grace window or the drain's ended: SIGKILL what is left of it.
                deadline = 0;
                let _ = sys::kill(to, SIGKILL);
                // After the drain's, what it killed is reaped (counted, and as orphans too)
                // before bantam exits. Blocking: every child in `to` got the SIGKILL, and
                // the children of those that die are bantam's (and in `to`) before their
                // parent's SIGCHLD.
                let mut killed = 0;
                while draining && sys::wait4(to, 0).is_ok() {
                    killed += 1;
                }
                orphans += killed;
                log(cfg.verbosity, if draining { Msg::DrainOver } else { Msg::GraceOver }, killed, 0);
            }
            // EINTR. Nothing else can come: besides a timeout and an interruption,
            // rt_sigtimedwait(2) fails only for an invalid set size or timeout, or a bad
            // pointer, none of which bantam passes.
            Err(_) => continue,
        }
        // SIGCHLD coalesces: reap every child that has exited, until none is left waiting.
        let none_left = loop {
            match sys::wait4(-1, sys::WNOHANG) {
                Ok((0, _)) => break false,
                Ok((pid, raw)) if pid == child => {
                    status = raw;
                    // Said when it happens, before the drain's messages.
                    let (msg, n) = match WaitStatus(raw).ending() {
                        Ending::Exited(code) => (Msg::Exited, code),
                        Ending::Killed { signal, core_dumped } => {
                            (if core_dumped { Msg::KilledCore } else { Msg::Killed }, signal)
                        }
                    };
                    log(cfg.verbosity, msg, n.into(), 0);
                }
                Ok((pid, _)) => {
                    orphans += 1;
                    if cfg.warn_reap {
                        log(cfg.verbosity, Msg::ReapedZombie, pid as u64, 0);
                    }
                }
                // ECHILD: no children at all. (With WNOHANG, wait4 never sleeps, so it
                // cannot be interrupted: kernel/exit.c do_wait.)
                Err(_) => break true,
            }
        };
        if status < 0 {
            continue;
        }
        if !cfg.drain || none_left || draining && deadline == 0 {
            exit_with_child(cfg, child, WaitStatus(status), orphans);
        }
        if !draining {
            // `--drain`: SIGTERM (and SIGCONT, for stopped ones) to everything that is
            // left, then wait for it until the window ends (SPEC §5).
            // What the drain reaches: as PID 1, every other process of the namespace
            // (kill(-1) skips the caller); as a subreaper, the main child's process group,
            // for without /proc there is no other way to name the descendants (and kill(-1)
            // would reach the machine). Asked here, not kept through the loop: smaller.
            to = if sys::getpid() == 1 { -1 } else { -child };
            let _ = sys::kill(to, SIGTERM);
            let _ = sys::kill(to, SIGCONT);
            // After a stop request, the drain ends with its budget (still armed), so the
            // whole shutdown fits in it; else it has a window of its own, as long.
            if deadline == 0 {
                deadline = now_millis().wrapping_add(budget);
            }
        }
    }
}

/// Exits with the main child's code: its exit status or 128+signal, then `-e` remapped.
// Inlined into its one caller, as exec_child is.
#[inline(always)]
fn exit_with_child(cfg: &Config, child: Pid, status: WaitStatus, orphans: u64) -> ! {
    if cfg.personality == Personality::DumbInit {
        // dumb-init: SIGTERM (as rewritten) to what is left of the child's session.
        forward_signal(cfg, SIGTERM, target(cfg, child, false));
    }
    log(cfg.verbosity, Msg::Orphans, orphans, 0);
    exit(cfg, status, cfg.remap.apply(status.exit_code()))
}

/// Exits with `code`; in VM mode, ends the machine as `status` says (see vm.rs's `exit`).
#[cfg_attr(not(feature = "vm"), allow(unused_variables))]
fn exit(cfg: &Config, status: WaitStatus, code: u8) -> ! {
    #[cfg(feature = "vm")]
    crate::vm::exit(cfg, status, code);
    #[cfg(not(feature = "vm"))]
    sys::exit_group(code)
}

fn now_millis() -> u64 {
    sys::clock_gettime_monotonic().as_millis()
}

/// Where forwarded signals go. kill(-1) from a namespace init reaches every process of
/// the namespace but itself; outside a namespace it would reach the whole machine, so
/// there `--all` falls back to the child's process group.
fn target(cfg: &Config, child: Pid, pid1: bool) -> Pid {
    match cfg.target {
        Target::Child => child,
        Target::All if pid1 => -1,
        Target::Group | Target::All => -child,
    }
}

/// Sends `sig`, after rewriting, to `target` (see [`target`]); false if it was dropped.
fn forward_signal(cfg: &Config, sig: Signal, target: Pid) -> bool {
    let Some(out) = cfg.rewrite.apply(sig) else {
        log(cfg.verbosity, Msg::Dropping, sig.number().into(), 0);
        return false;
    };
    // A negative target is a process group (-1: all), printed with its sign.
    log(cfg.verbosity, Msg::Forwarding, out.number().into(), target as u64);
    // The child's process group is below -1 (the child is never PID 1; -1 is all).
    if sys::kill(target, out) == Err(sys::ESRCH) && target < -1 {
        // The child left its process group (setsid): it still gets the signal.
        let _ = sys::kill(-target, out);
    }
    true
}

/// A diagnostic: `bantam: ` and `msg` filled in with `a` and `b`, if `verbosity` reaches
/// the message's level (see [`write_msg`]).
#[inline(never)]
fn log(verbosity: u8, msg: Msg, a: u64, b: u64) {
    // The debug messages, last in Msg's order, are the ones of every forwarded signal:
    // below debug level they are skipped before the templates are walked to find their
    // level, which would take microseconds per signal.
    if verbosity < msg::DEBUG && msg >= msg::FIRST_DEBUG {
        return;
    }
    write_msg(verbosity, msg, a, 2, &[], b);
}

/// A diagnostic with a text for its `%s`.
// The one-text array costs less built at each of the two call sites than passed on
// through a function of its own (on x86_64 too since the stop budget: 24 bytes).
#[inline(always)]
fn log_text(verbosity: u8, msg: Msg, text: &[u8], a: u64) {
    write_msg(verbosity, msg, a, 2, &[text], 0);
}

/// `msg` filled in with `texts`, `a` and `b` (see [`msg::format`]), as one line on `fd`
/// with one write, if `verbosity` reaches the message's level.
// `a` third: log passes it on in the register it came in; `b`, most often 0, last: on
// x86_64 the seventh word goes on the stack (4 bytes less on aarch64, 3 on x86_64).
#[inline(never)]
pub(crate) fn write_msg(verbosity: u8, msg: Msg, a: u64, fd: i32, texts: &[&[u8]], b: u64) {
    let mut bytes = [MaybeUninit::uninit(); msg::LONGEST];
    let mut line = sys::StackBuf::new(&mut bytes);
    // A write to a pipe that nobody reads raises SIGPIPE in bantam, where it waits,
    // blocked, to be collected and forwarded like any other: a loop at -vv (each forwarded
    // signal is logged), a dead child at -v. The kernel sends it to the writing thread
    // (pipe_write: send_sig to current), so it waits in the thread's own pending set,
    // which rt_sigtimedwait empties before the process's (dequeue_signal), where a SIGPIPE
    // sent with kill(2) waits: taking one after each write takes exactly the one a failed
    // write (EPIPE) raised, or none (the zero timeout then returns at once), and bantam's
    // messages stay best-effort. (Testing for the error first measured 8 bytes more.)
    if verbosity >= msg::format(&mut line, msg, texts, a, b) {
        line.write_line(fd);
        const PIPE: SigSet = SigSet::EMPTY.with(SIGPIPE);
        let _ = sys::rt_sigtimedwait(&PIPE, Some(&Instant::default()));
    }
}

/// `--help`, `--version` or the license, on the peer's stream (dumb-init's is stderr).
// Inlined into its one caller, as exec_child is.
#[inline(always)]
fn print_and_exit(cfg: &Config, args: Args) -> ! {
    let fd = if cfg.personality == Personality::DumbInit { 2 } else { 1 };
    let msg = match (cfg.mode, cfg.personality) {
        (Mode::Help, _) => Msg::Usage,
        (Mode::Version, Personality::Tini) => Msg::TiniVersion,
        (Mode::Version, _) => Msg::Version,
        _ => Msg::License,
    };
    // The peers name themselves as invoked and list only their option letters; bantam
    // names itself by its own name, on any path, and explains its options.
    let native = cfg.personality == Personality::Native;
    let name = if native {
        msg::PREFIX.get(..6).unwrap_or_default()
    } else {
        args.argv.iter().next().unwrap_or_default()
    };
    // A number other than 0 makes bantam's usage line go on with its options (Msg::Usage).
    write_msg(msg::OUTPUT, msg, native.into(), fd, &[name, cfg.personality.short_names()], 0);
    exit(cfg, WaitStatus(0), 0)
}

/// A usage error. A bad value is named with the argument that holds its option: the one
/// before the value's own (`-p ''`, `-r TERM:FOO` for its `FOO`), or the value's own
/// (`-pX`, `--grace=X`).
// Inlined into its one caller, as exec_child is.
#[inline(always)]
fn exit_usage(cfg: &Config, err: UsageError, argv: CStrArray) -> ! {
    // The bad values are the last usage errors. argv's strings lie in order, one after
    // the other: the option's argument is the last one that starts with `-` before the
    // value. (A value of its own that holds the bad text, a rule whose TO is refused,
    // starts with its FROM, a signal, never with `-`.)
    let at = err.arg.as_ptr();
    let mut option: &[u8] = b"";
    for entry in argv.iter() {
        if entry.as_ptr() >= at || err.what < Msg::BadSignal {
            break;
        }
        if entry.first() == Some(&b'-') {
            option = entry;
        }
    }
    write_msg(0, err.what, 0, 2, &[option, err.arg], 0);
    let code = cfg.personality.usage_exit();
    exit(cfg, WaitStatus(i32::from(code) << 8), code)
}

/// A setup step failed: `bantam: <what>: <ERRNO>`, exit 1.
// Inlined into its two callers: a call to log and one to exit_group each.
#[inline(always)]
fn fatal(msg: Msg, err: Errno) -> ! {
    log(0, msg, err.0.into(), 0);
    sys::exit_group(EXIT_FATAL)
}
