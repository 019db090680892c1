//! The init itself: block signals, start the child, then collect signals forever,
//! forwarding them and reaping zombies until the main child is gone.

use bantam::cli::{self, Config, Mode, Target, UsageError};
use bantam::msg::{self, Line};
use bantam::path::Candidates;
use bantam::signal::{SIGCHLD, SIGINT, SIGTERM, SigSet, Signal};
use bantam::status::{Ending, WaitStatus};
use bantam::text;

use crate::sys::{self, Args, CStrArray, Errno, Pid};

const PREFIX: &[u8] = b"bantam: ";
const VERSION: &[u8] = concat!("bantam ", env!("CARGO_PKG_VERSION"), "\n").as_bytes();
const HELP: &[u8] = b"usage: bantam [OPTION]... [--] PROGRAM [ARG]...   or   bantam -P
Runs PROGRAM, forwards signals to it, reaps zombies, exits with its status.
-g --group         signal its process group     BANTAM_GROUP=1
-a --all           signal every process         BANTAM_ALL=1
-s --subreaper     (automatic if not PID 1)     BANTAM_SUBREAPER=1
-p --pdeathsig SIG get SIG when the parent dies BANTAM_PDEATHSIG=SIG
-r --rewrite F:T   forward F as T (T=0: drop)   BANTAM_REWRITE=F:T,...
-e --remap-exit N  exit 0 if the child exits N  BANTAM_REMAP_EXIT=N,...
-t --grace TIME    TIME to stop, then SIGKILL   BANTAM_GRACE=TIME
-d --drain         stop the rest when it ends   BANTAM_DRAIN=1
-v --verbose (repeat), -q --quiet               BANTAM_VERBOSITY=0..3
-P --pause         no PROGRAM; exit 0 on INT/TERM
-V --version, -h --help
SIG: TERM, SIGTERM, 15, RTMIN+2. TIME: 500ms, 10s, 2m. Exit: the child's,
128+SIG, 127 not found, 126 cannot exec, 2 usage, 1 fatal.
";

/// Exit codes of bantam's own failures (SPEC §4.6, §4.9).
const EXIT_FATAL: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_CANNOT_EXEC: u8 = 126;
const EXIT_NOT_FOUND: u8 = 127;

pub fn main(args: Args) -> ! {
    let inherited = block_signals();
    let mut cfg = Config::default();
    if let Err(err) = cli::parse(&mut cfg, args.argv.iter(), args.envp.iter()) {
        exit_usage(err);
    }
    let program = match cfg.mode {
        Mode::Help => print_and_exit(HELP),
        Mode::Version => print_and_exit(VERSION),
        Mode::Pause => None,
        Mode::Run { program } => Some(program),
    };
    let pid1 = sys::getpid() == 1;
    if !pid1 {
        become_subreaper(&cfg);
    }
    if let Some(sig) = cfg.pdeathsig {
        // The parent's death then arrives as `sig`, blocked and collected like any other.
        if let Err(e) = sys::prctl(sys::PR_SET_PDEATHSIG, usize::from(sig.number())) {
            fatal(b"prctl(PR_SET_PDEATHSIG)", e);
        }
    }
    // An inherited SIGCHLD set to SIG_IGN would make the kernel reap children by itself,
    // and the child's exit status would be lost; the child gets the setting back.
    let sigchld_ignored = sys::rt_sigaction(SIGCHLD, sys::Disposition::Default).unwrap_or(false);
    // A match rather than Option::map: the closure would be compiled as a function of its
    // own that gets its five captures through memory.
    #[allow(clippy::manual_map)]
    let child = match program {
        Some(index) => Some(spawn_child(&cfg, args, index, inherited, sigchld_ignored)),
        None => None,
    };
    supervise(&cfg, child, pid1)
}

/// Blocks every signal but the fault signals, so that none is lost or acted on while
/// bantam is PID 1 (the kernel drops unhandled signals sent to a namespace init), and
/// returns the mask bantam was started with, for the child.
fn block_signals() -> SigSet {
    match sys::rt_sigprocmask_block(SigSet::all_but_faults()) {
        Ok(old) => old,
        Err(e) => fatal(b"rt_sigprocmask", e),
    }
}

/// Outside a PID namespace, orphans would go to the host's init; as a child subreaper
/// bantam gets them instead (prctl(2)).
fn become_subreaper(cfg: &Config) {
    if let Err(e) = sys::prctl(sys::PR_SET_CHILD_SUBREAPER, 1) {
        log(cfg, 1, b"warning: cannot become a subreaper: %E", &[u64::from(e.0)]);
    }
}

/// Starts the program in a child process and returns its pid.
fn spawn_child(cfg: &Config, args: Args, index: usize, inherited: SigSet, sigchld_ignored: bool) -> Pid {
    let argv = args.argv.from_index(index);
    let name = argv.iter().next().unwrap_or_default();
    match sys::clone_fork() {
        Err(e) => fatal(b"clone", e),
        Ok(0) => exec_child(name, argv, args.envp, inherited, sigchld_ignored),
        Ok(pid) => {
            // Also set the group from this side, so that a signal forwarded to the group
            // right away cannot find the child still in bantam's group.
            let _ = sys::setpgid(pid, pid);
            if cfg.verbosity >= 2 {
                say(b"started %s as pid %d", &[name], &[pid as u64]);
            }
            pid
        }
    }
}

/// In the child: own process group, the terminal's foreground, the caller's signal state,
/// then the program. Only returns by exiting 127 or 126.
fn exec_child(name: &[u8], argv: CStrArray, envp: CStrArray, inherited: SigSet, sigchld_ignored: bool) -> ! {
    let _ = sys::setpgid(0, 0);
    // Every signal is still blocked here, so taking the foreground from a background
    // group cannot stop us with SIGTTOU. ENOTTY (no terminal) is the common case.
    let _ = sys::tcsetpgrp(0, sys::getpid());
    if sigchld_ignored {
        let _ = sys::rt_sigaction(SIGCHLD, sys::Disposition::Ignore);
    }
    let _ = sys::rt_sigprocmask_setmask(inherited);
    let err = exec_search(name, argv, envp);
    say(b"exec %s: %E", &[name], &[u64::from(err.0)]);
    sys::exit_group(if err == sys::ENOENT { EXIT_NOT_FOUND } else { EXIT_CANNOT_EXEC })
}

/// execvp: tries each PATH candidate; a file found but not executable (EACCES) is
/// remembered while the search goes on, and reported if nothing else runs.
fn exec_search(name: &[u8], argv: CStrArray, envp: CStrArray) -> Errno {
    let path = envp.iter().find_map(|entry| text::strip_prefix(entry, b"PATH=", false));
    let mut candidates = Candidates::new(name, path);
    let mut buf = [0u8; 4096];
    let mut denied = false;
    while let Some(candidate) = candidates.next_into(&mut buf) {
        match sys::execve(candidate, argv, envp) {
            sys::EACCES => denied = true,
            sys::ENOENT | sys::ENOTDIR => {}
            other => return other,
        }
    }
    if denied { sys::EACCES } else { sys::ENOENT }
}

/// The main loop: sleep in rt_sigtimedwait until a signal comes (no timeout, so no
/// wake-ups while idle), then reap or forward.
fn supervise(cfg: &Config, child: Option<Pid>, pid1: bool) -> ! {
    let wanted = SigSet::all_but_faults();
    let mut orphans: u64 = 0;
    loop {
        let sig = match sys::rt_sigtimedwait(wanted, None) {
            Ok(sig) => sig,
            Err(sys::EINTR) | Err(sys::EAGAIN) => continue,
            Err(e) => fatal(b"rt_sigtimedwait", e),
        };
        if sig == SIGCHLD {
            if let Some(status) = reap_zombies(child, &mut orphans) {
                exit_with_child(cfg, status, orphans);
            }
        } else if let Some(child) = child {
            forward_signal(cfg, sig, child, pid1);
        } else if sig == SIGTERM || sig == SIGINT {
            log(cfg, 2, b"pause: got %S", &[u64::from(sig.number())]);
            sys::exit_group(0);
        }
    }
}

/// SIGCHLD coalesces: reap every child that has exited, until none is left waiting.
/// Returns the main child's status once it is among them.
fn reap_zombies(child: Option<Pid>, orphans: &mut u64) -> Option<WaitStatus> {
    let mut main_status = None;
    loop {
        match sys::wait4(-1, sys::WNOHANG) {
            Ok((0, _)) => break,
            Ok((pid, status)) if Some(pid) == child => main_status = Some(WaitStatus(status)),
            Ok(_) => *orphans += 1,
            Err(sys::EINTR) => {}
            Err(_) => break, // ECHILD: no children at all
        }
    }
    main_status
}

/// Sends `sig`, after rewriting, to the configured target.
fn forward_signal(cfg: &Config, sig: Signal, child: Pid, pid1: bool) {
    let Some(out) = cfg.rewrite.apply(sig) else {
        log(cfg, 3, b"dropping %S", &[u64::from(sig.number())]);
        return;
    };
    // kill(-1) from a namespace init reaches every process of the namespace but itself;
    // outside a namespace it would reach the whole machine, so there `--all` falls back
    // to the child's process group.
    let target = match cfg.target {
        Target::Child => child,
        Target::All if pid1 => -1,
        Target::Group | Target::All => -child,
    };
    log(cfg, 3, b"forwarding %S to %d", &[u64::from(out.number()), target as u64]);
    if sys::kill(target, out) == Err(sys::ESRCH) && target == -child {
        // The child left its process group (setsid): it still gets the signal.
        let _ = sys::kill(child, out);
    }
}

/// Exits with the main child's code: its exit status or 128+signal, then `-e` remapped.
fn exit_with_child(cfg: &Config, status: WaitStatus, orphans: u64) -> ! {
    const KILLED: &[u8] = b"child killed by %S (core dumped)";
    let (template, n) = match status.ending() {
        Ending::Exited(code) => (&b"child exited with %d"[..], code),
        Ending::Killed { signal, core_dumped: true } => (KILLED, signal),
        // The same words without " (core dumped)".
        Ending::Killed { signal, core_dumped: false } => (KILLED.get(..18).unwrap_or(KILLED), signal),
    };
    log(cfg, 2, template, &[u64::from(n)]);
    log(cfg, 2, b"reaped %d orphans", &[orphans]);
    sys::exit_group(cfg.remap.apply(status.exit_code()))
}

/// One diagnostic line (see [`say`]) without texts, if the verbosity allows `level`.
fn log(cfg: &Config, level: u8, template: &[u8], numbers: &[u64]) {
    if cfg.verbosity >= level {
        say(template, &[], numbers);
    }
}

/// `bantam: ` and `template` filled in (see [`msg::format`]) on stderr, with one write.
fn say(template: &[u8], texts: &[&[u8]], numbers: &[u64]) {
    // Built in place: Line::new would build the line and then copy it here.
    let mut line = Line::default();
    line.push(PREFIX);
    msg::format(&mut line, template, texts, numbers);
    let _ = sys::write(2, line.finish());
}

fn print_and_exit(text: &[u8]) -> ! {
    let _ = sys::write(1, text);
    sys::exit_group(0)
}

fn exit_usage(err: UsageError) -> ! {
    let colon: &[u8] = if err.arg.is_empty() { b"" } else { b": " };
    say(b"%s%s%s (see bantam --help)", &[err.what, colon, err.arg], &[]);
    sys::exit_group(EXIT_USAGE)
}

/// A setup step failed: `bantam: <what>: <ERRNO>`, exit 1.
fn fatal(what: &[u8], err: Errno) -> ! {
    say(b"%s: %E", &[what], &[u64::from(err.0)]);
    sys::exit_group(EXIT_FATAL)
}
