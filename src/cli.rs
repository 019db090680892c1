//! The native command line (SPEC §3): options, their `BANTAM_*` environment twins, and
//! the [`Config`] they produce. Parsed in place from argv and envp, allocation-free.

use crate::duration::parse_millis;
use crate::signal::{Rewrite, Signal};
use crate::status::ExitRemap;

/// What bantam was asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Run the program whose name is `argv[program]`; its arguments follow it.
    Run {
        program: usize,
    },
    /// No program: stay up, reap, exit 0 on SIGINT/SIGTERM.
    Pause,
    Help,
    Version,
}

/// Who receives forwarded signals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Child,
    /// The child's process group.
    Group,
    /// Every process in the namespace (`kill(-1, sig)`).
    All,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    pub mode: Mode,
    pub target: Target,
    pub pdeathsig: Option<Signal>,
    pub rewrite: Rewrite,
    pub remap: ExitRemap,
    /// Graceful-shutdown window in milliseconds; 0 is off.
    pub grace_ms: u64,
    pub drain: bool,
    /// 0 silent, 1 errors and warnings, 2 info, 3 debug.
    pub verbosity: u8,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            mode: Mode::Pause,
            target: Target::Child,
            pdeathsig: None,
            rewrite: Rewrite::default(),
            remap: ExitRemap::default(),
            grace_ms: 0,
            drain: false,
            verbosity: 1,
        }
    }
}

/// A command line bantam refuses: `what` says why, `arg` is the offending text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UsageError<'a> {
    pub what: &'static [u8],
    pub arg: &'a [u8],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opt {
    Group,
    All,
    Subreaper,
    Pdeathsig,
    Rewrite,
    RemapExit,
    Grace,
    Drain,
    Pause,
    Verbose,
    Quiet,
    Version,
    Help,
}

impl Opt {
    fn takes_value(self) -> bool {
        matches!(self, Opt::Pdeathsig | Opt::Rewrite | Opt::RemapExit | Opt::Grace)
    }
}

const OPTIONS: [(u8, &[u8], Opt); 13] = [
    (b'g', b"group", Opt::Group),
    (b'a', b"all", Opt::All),
    (b's', b"subreaper", Opt::Subreaper),
    (b'p', b"pdeathsig", Opt::Pdeathsig),
    (b'r', b"rewrite", Opt::Rewrite),
    (b'e', b"remap-exit", Opt::RemapExit),
    (b't', b"grace", Opt::Grace),
    (b'd', b"drain", Opt::Drain),
    (b'P', b"pause", Opt::Pause),
    (b'v', b"verbose", Opt::Verbose),
    (b'q', b"quiet", Opt::Quiet),
    (b'V', b"version", Opt::Version),
    (b'h', b"help", Opt::Help),
];

/// Environment twins. Lists (`REWRITE`, `REMAP_EXIT`) are comma-separated.
const ENV_TWINS: [(&[u8], Opt); 9] = [
    (b"BANTAM_GROUP", Opt::Group),
    (b"BANTAM_ALL", Opt::All),
    (b"BANTAM_SUBREAPER", Opt::Subreaper),
    (b"BANTAM_PDEATHSIG", Opt::Pdeathsig),
    (b"BANTAM_REWRITE", Opt::Rewrite),
    (b"BANTAM_REMAP_EXIT", Opt::RemapExit),
    (b"BANTAM_GRACE", Opt::Grace),
    (b"BANTAM_DRAIN", Opt::Drain),
    (b"BANTAM_VERBOSITY", Opt::Verbose),
];

const UNKNOWN_OPTION: &[u8] = b"unknown option";
const MISSING_VALUE: &[u8] = b"option needs a value";

/// Parses argv (with `argv[0]`) and the environment into a [`Config`]. Options stop at
/// the first non-option or at `--`; a flag beats its environment twin.
pub fn parse<'a>(
    argv: impl Iterator<Item = &'a [u8]>,
    env: impl Iterator<Item = &'a [u8]>,
) -> Result<Config, UsageError<'a>> {
    let mut cfg = Config::default();
    apply_env(&mut cfg, env)?;
    let mut flag_verbosity: Option<u8> = None;
    let mut pause = false;
    let mut program = None;
    let mut args = argv.enumerate().skip(1);
    while let Some((index, arg)) = args.next() {
        if arg == b"--" {
            program = Some(index + 1).filter(|_| args.next().is_some());
            break;
        }
        let (opt, value) = if let Some(long) = arg.strip_prefix(b"--") {
            let (name, inline) = match long.iter().position(|&b| b == b'=') {
                Some(eq) => (long.get(..eq).unwrap_or_default(), long.get(eq + 1..)),
                None => (long, None),
            };
            let opt = OPTIONS
                .iter()
                .find(|(_, n, _)| *n == name)
                .map(|&(_, _, o)| o)
                .ok_or(UsageError { what: UNKNOWN_OPTION, arg })?;
            let value = match (opt.takes_value(), inline) {
                (true, Some(v)) => Some(v),
                (true, None) => Some(args.next().ok_or(UsageError { what: MISSING_VALUE, arg })?.1),
                (false, Some(_)) => {
                    return Err(UsageError { what: b"option takes no value", arg });
                }
                (false, None) => None,
            };
            (opt, value)
        } else if arg.len() > 1 && arg.first() == Some(&b'-') {
            // A cluster of short options (`-gv`); one that takes a value ends the cluster
            // and takes the rest of it, or the next argument (`-pTERM`, `-p TERM`).
            let mut rest = arg.get(1..).unwrap_or_default();
            while let Some((&c, tail)) = rest.split_first() {
                let opt = OPTIONS
                    .iter()
                    .find(|(s, _, _)| *s == c)
                    .map(|&(_, _, o)| o)
                    .ok_or(UsageError { what: UNKNOWN_OPTION, arg })?;
                if opt.takes_value() {
                    let value = if tail.is_empty() {
                        args.next().ok_or(UsageError { what: MISSING_VALUE, arg })?.1
                    } else {
                        tail
                    };
                    apply_flag(&mut cfg, &mut flag_verbosity, &mut pause, opt, Some(value))?;
                    break;
                }
                if let Some(early) = apply_flag(&mut cfg, &mut flag_verbosity, &mut pause, opt, None)? {
                    return Ok(early);
                }
                rest = tail;
            }
            continue;
        } else {
            program = Some(index);
            break;
        };
        if let Some(early) = apply_flag(&mut cfg, &mut flag_verbosity, &mut pause, opt, value)? {
            return Ok(early);
        }
    }
    if let Some(level) = flag_verbosity {
        cfg.verbosity = level;
    }
    cfg.mode = match (pause, program) {
        (true, None) => Mode::Pause,
        (true, Some(_)) => return Err(UsageError { what: b"--pause takes no program", arg: b"" }),
        (false, Some(program)) => Mode::Run { program },
        (false, None) => return Err(UsageError { what: b"no program to run", arg: b"" }),
    };
    Ok(cfg)
}

/// Applies one command-line option. Returns a finished config for `--help`/`--version`.
fn apply_flag<'a>(
    cfg: &mut Config,
    flag_verbosity: &mut Option<u8>,
    pause: &mut bool,
    opt: Opt,
    value: Option<&'a [u8]>,
) -> Result<Option<Config>, UsageError<'a>> {
    match opt {
        Opt::Verbose => *flag_verbosity = Some(flag_verbosity.unwrap_or(1).saturating_add(1).min(3)),
        Opt::Quiet => *flag_verbosity = Some(0),
        Opt::Pause => *pause = true,
        Opt::Help | Opt::Version => {
            cfg.mode = if opt == Opt::Help { Mode::Help } else { Mode::Version };
            return Ok(Some(*cfg));
        }
        _ => apply(cfg, opt, value.unwrap_or_default())?,
    }
    Ok(None)
}

/// Sets what `opt` controls; shared by flags and environment twins.
fn apply<'a>(cfg: &mut Config, opt: Opt, value: &'a [u8]) -> Result<(), UsageError<'a>> {
    let bad = |what| UsageError { what, arg: value };
    match opt {
        Opt::Group => cfg.target = Target::Group,
        Opt::All => cfg.target = Target::All,
        Opt::Drain => cfg.drain = true,
        Opt::Pdeathsig => cfg.pdeathsig = Some(Signal::parse(value).ok_or(bad(b"bad signal"))?),
        Opt::Grace => cfg.grace_ms = parse_millis(value).ok_or(bad(b"bad duration"))?,
        Opt::Rewrite => {
            let (from, to) = Rewrite::parse_rule(value).ok_or(bad(b"bad rewrite (want FROM:TO)"))?;
            cfg.rewrite.set(from, to);
        }
        Opt::RemapExit => cfg.remap.add(ExitRemap::parse_code(value).ok_or(bad(b"bad exit code"))?),
        // -s is accepted for compatibility: bantam becomes a subreaper by itself whenever
        // it is not PID 1.
        _ => {}
    }
    Ok(())
}

/// Applies the `BANTAM_*` variables found in `env`.
fn apply_env<'a>(cfg: &mut Config, env: impl Iterator<Item = &'a [u8]>) -> Result<(), UsageError<'a>> {
    for entry in env {
        let Some(eq) = entry.iter().position(|&b| b == b'=') else { continue };
        let (name, value) = (entry.get(..eq).unwrap_or_default(), entry.get(eq + 1..).unwrap_or_default());
        let Some(&(_, opt)) = ENV_TWINS.iter().find(|(n, _)| *n == name) else { continue };
        let bad = UsageError { what: b"bad value in the environment", arg: entry };
        match opt {
            Opt::Verbose => {
                cfg.verbosity = crate::signal::parse_number(value).filter(|&n| n <= 3).ok_or(bad)? as u8;
            }
            Opt::Group | Opt::All | Opt::Subreaper | Opt::Drain => {
                if parse_bool(value).ok_or(bad)? {
                    apply(cfg, opt, value)?;
                }
            }
            Opt::Rewrite | Opt::RemapExit => {
                for item in value.split(|&b| b == b',').filter(|i| !i.is_empty()) {
                    apply(cfg, opt, item).map_err(|_| bad)?;
                }
            }
            _ => apply(cfg, opt, value).map_err(|_| bad)?,
        }
    }
    Ok(())
}

/// `1`/`true`/`yes` enable, `0`/`false`/`no`/empty disable; anything else is refused so a
/// typo does not silently turn a feature off.
fn parse_bool(value: &[u8]) -> Option<bool> {
    let is = |words: [&[u8]; 3]| words.iter().any(|w| value.eq_ignore_ascii_case(w));
    if is([b"1", b"true", b"yes"]) {
        Some(true)
    } else if value.is_empty() || is([b"0", b"false", b"no"]) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::{SIGHUP, SIGKILL, SIGQUIT, SIGTERM, SIGUSR1};

    fn run(args: &[&str], env: &[&str]) -> Result<Config, (String, String)> {
        let argv: Vec<&[u8]> =
            std::iter::once("bantam").chain(args.iter().copied()).map(str::as_bytes).collect();
        let envp: Vec<&[u8]> = env.iter().map(|e| e.as_bytes()).collect();
        parse(argv.iter().copied(), envp.iter().copied()).map_err(|e| {
            (String::from_utf8_lossy(e.what).into_owned(), String::from_utf8_lossy(e.arg).into_owned())
        })
    }

    fn program_of(args: &[&str]) -> usize {
        match run(args, &[]).unwrap().mode {
            Mode::Run { program } => program,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn options_stop_at_the_program() {
        assert_eq!(program_of(&["ls", "-l"]), 1);
        assert_eq!(program_of(&["-g", "ls", "-g"]), 2);
        assert_eq!(program_of(&["--", "-g"]), 2);
        assert_eq!(program_of(&["-v", "--", "ls", "--"]), 3);
        assert_eq!(run(&["-g", "ls", "-x"], &[]).unwrap().target, Target::Group);
        // A lone "-" is a program name, as in many tools.
        assert_eq!(program_of(&["-"]), 1);
    }

    #[test]
    fn every_option_has_its_effect() {
        let cfg =
            run(&["-a", "-p", "HUP", "-r", "TERM:QUIT", "-e", "143", "-t", "500ms", "-d", "x"], &[]).unwrap();
        assert_eq!(cfg.target, Target::All);
        assert_eq!(cfg.pdeathsig, Some(SIGHUP));
        assert_eq!(cfg.rewrite.apply(SIGTERM), Some(SIGQUIT));
        assert_eq!(cfg.remap.apply(143), 0);
        assert_eq!(cfg.grace_ms, 500);
        assert!(cfg.drain);
        let long = run(
            &[
                "--group",
                "--pdeathsig=KILL",
                "--rewrite",
                "HUP:0",
                "--remap-exit=3",
                "--grace",
                "2m",
                "--drain",
                "--subreaper",
                "x",
            ],
            &[],
        )
        .unwrap();
        assert_eq!(long.target, Target::Group);
        assert_eq!(long.pdeathsig, Some(SIGKILL));
        assert_eq!(long.rewrite.apply(SIGHUP), None);
        assert_eq!(long.remap.apply(3), 0);
        assert_eq!(long.grace_ms, 120_000);
        assert!(long.drain);
    }

    #[test]
    fn short_options_cluster_and_take_attached_values() {
        let cfg = run(&["-gvd", "-pTERM", "-e3", "x"], &[]).unwrap();
        assert_eq!(cfg.target, Target::Group);
        assert_eq!(cfg.verbosity, 2);
        assert!(cfg.drain);
        assert_eq!(cfg.pdeathsig, Some(SIGTERM));
        assert_eq!(cfg.remap.apply(3), 0);
        assert_eq!(run(&["-gp", "USR1", "x"], &[]).unwrap().pdeathsig, Some(SIGUSR1));
    }

    #[test]
    fn verbosity_counts_and_quiet_silences() {
        assert_eq!(run(&["x"], &[]).unwrap().verbosity, 1);
        assert_eq!(run(&["-v", "x"], &[]).unwrap().verbosity, 2);
        assert_eq!(run(&["-vvvv", "x"], &[]).unwrap().verbosity, 3);
        assert_eq!(run(&["-q", "x"], &[]).unwrap().verbosity, 0);
        assert_eq!(run(&["x"], &["BANTAM_VERBOSITY=3"]).unwrap().verbosity, 3);
        assert_eq!(run(&["-q", "x"], &["BANTAM_VERBOSITY=3"]).unwrap().verbosity, 0);
        assert_eq!(run(&["-v", "x"], &["BANTAM_VERBOSITY=0"]).unwrap().verbosity, 2);
    }

    #[test]
    fn environment_twins() {
        let env = [
            "BANTAM_GROUP=1",
            "BANTAM_PDEATHSIG=SIGUSR1",
            "BANTAM_REWRITE=TERM:QUIT,HUP:none",
            "BANTAM_REMAP_EXIT=1,2",
            "BANTAM_GRACE=10s",
            "BANTAM_DRAIN=true",
            "BANTAM_SUBREAPER=1",
            "OTHER=whatever",
        ];
        let cfg = run(&["x"], &env).unwrap();
        assert_eq!(cfg.target, Target::Group);
        assert_eq!(cfg.pdeathsig, Some(SIGUSR1));
        assert_eq!(cfg.rewrite.apply(SIGTERM), Some(SIGQUIT));
        assert_eq!(cfg.rewrite.apply(SIGHUP), None);
        assert_eq!((cfg.remap.apply(1), cfg.remap.apply(2), cfg.remap.apply(3)), (0, 0, 3));
        assert_eq!(cfg.grace_ms, 10_000);
        assert!(cfg.drain);
        assert_eq!(run(&["x"], &["BANTAM_ALL=1"]).unwrap().target, Target::All);
        assert_eq!(run(&["x"], &["BANTAM_ALL=0", "BANTAM_DRAIN="]).unwrap(), run(&["x"], &[]).unwrap());
    }

    #[test]
    fn flags_beat_their_environment_twins() {
        let cfg = run(
            &["-a", "-p", "HUP", "-t", "1s", "-r", "TERM:INT", "x"],
            &["BANTAM_GROUP=1", "BANTAM_PDEATHSIG=TERM", "BANTAM_GRACE=5s", "BANTAM_REWRITE=TERM:QUIT"],
        )
        .unwrap();
        assert_eq!(cfg.target, Target::All);
        assert_eq!(cfg.pdeathsig, Some(SIGHUP));
        assert_eq!(cfg.grace_ms, 1000);
        assert_eq!(cfg.rewrite.apply(SIGTERM), Signal::new(2));
    }

    #[test]
    fn pause_help_and_version() {
        assert_eq!(run(&["-P"], &[]).unwrap().mode, Mode::Pause);
        assert_eq!(run(&["--pause", "-v"], &[]).unwrap().mode, Mode::Pause);
        assert_eq!(run(&["-h"], &[]).unwrap().mode, Mode::Help);
        assert_eq!(run(&["--help", "--bogus"], &[]).unwrap().mode, Mode::Help);
        assert_eq!(run(&["-V"], &[]).unwrap().mode, Mode::Version);
        assert_eq!(run(&["-gV"], &[]).unwrap().mode, Mode::Version);
        assert_eq!(run(&["--version"], &[]).unwrap().mode, Mode::Version);
    }

    #[test]
    fn usage_errors_name_the_problem() {
        let err = |args: &[&str], env: &[&str]| run(args, env).unwrap_err();
        assert_eq!(err(&[], &[]).0, "no program to run");
        assert_eq!(err(&["--"], &[]).0, "no program to run");
        assert_eq!(err(&["-g"], &[]).0, "no program to run");
        assert_eq!(err(&["-P", "ls"], &[]).0, "--pause takes no program");
        assert_eq!(err(&["-x", "ls"], &[]), ("unknown option".into(), "-x".into()));
        assert_eq!(err(&["-gx", "ls"], &[]), ("unknown option".into(), "-gx".into()));
        assert_eq!(err(&["--bogus", "ls"], &[]), ("unknown option".into(), "--bogus".into()));
        assert_eq!(err(&["--grou", "ls"], &[]).0, "unknown option");
        assert_eq!(err(&["--group=1", "ls"], &[]).0, "option takes no value");
        assert_eq!(err(&["-p"], &[]).0, "option needs a value");
        assert_eq!(err(&["--rewrite"], &[]).0, "option needs a value");
        assert_eq!(err(&["-p", "NOPE", "ls"], &[]), ("bad signal".into(), "NOPE".into()));
        assert_eq!(err(&["-p", "0", "ls"], &[]).0, "bad signal");
        assert_eq!(err(&["-r", "TERM", "ls"], &[]).0, "bad rewrite (want FROM:TO)");
        assert_eq!(err(&["-r", "TERM:BOGUS", "ls"], &[]).0, "bad rewrite (want FROM:TO)");
        assert_eq!(err(&["-e", "256", "ls"], &[]).0, "bad exit code");
        assert_eq!(err(&["-e", "-1", "ls"], &[]).0, "bad exit code");
        assert_eq!(err(&["-t", "5x", "ls"], &[]).0, "bad duration");
        assert_eq!(err(&["--grace=", "ls"], &[]).0, "bad duration");
        for env in [
            "BANTAM_GROUP=2",
            "BANTAM_VERBOSITY=4",
            "BANTAM_VERBOSITY=",
            "BANTAM_GRACE=x",
            "BANTAM_PDEATHSIG=",
            "BANTAM_REWRITE=TERM",
            "BANTAM_REMAP_EXIT=1,x",
            "BANTAM_DRAIN=maybe",
        ] {
            let (what, arg) = err(&["ls"], &[env]);
            assert_eq!((what.as_str(), arg.as_str()), ("bad value in the environment", env));
        }
    }

    #[test]
    fn odd_environment_entries_are_ignored() {
        let cfg =
            run(&["x"], &["", "=", "BANTAM_GROUP", "NOEQUALS", "BANTAM_GROUPX=1", "bantam_group=1"]).unwrap();
        assert_eq!(cfg, run(&["x"], &[]).unwrap());
    }

    #[test]
    fn never_panics_on_random_input() {
        // A small deterministic fuzz: every short sequence of tricky tokens must give
        // either a config or an error.
        let tokens = [
            "-",
            "--",
            "-p",
            "-pp",
            "--p",
            "-r",
            "=",
            "--rewrite=",
            "-e",
            "1:2",
            "x",
            "-vq",
            "--pause",
            "-P",
            "-t",
            "",
        ];
        for a in tokens {
            for b in tokens {
                for c in tokens {
                    let _ = run(&[a, b, c], &["BANTAM_REWRITE=,,", "BANTAM_REMAP_EXIT=,"]);
                }
            }
        }
    }
}
