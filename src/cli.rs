//! The command line (SPEC §2, §3): the personality chosen by argv[0], options, their
//! environment twins, and the [`Config`] they produce. Parsed in place from argv and envp,
//! allocation-free.

use crate::duration::parse_millis;
use crate::msg::Msg;
use crate::signal::{Rewrite, SIGSTOP, SIGTTIN, SIGTTOU, SigSet, Signal, parse_number};
use crate::status::ExitRemap;
use crate::text::{find, split_once, strip_prefix, word_index};

/// The tool bantam stands in for, chosen by the basename of argv[0] (SPEC §2).
///
/// dumb-init comes first: it is the one that most steps test for, and a test for the
/// value 0 is one instruction less on aarch64 (`cbz`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Personality {
    /// dumb-init 1.2.5.
    DumbInit,
    Native,
    /// tini 0.19 (also `docker-init`, `tini-static`).
    Tini,
    /// catatonit 0.2 (also `podman-init`).
    Catatonit,
    /// Kubernetes' pause.
    Pause,
}

impl Personality {
    /// The personality named by `argv0`'s basename; any other name is bantam's own.
    // No inline hint: with the basename by rsplit, x86_64 too is smaller with this in line
    // (an x86_64-only inline(never) measured 52 to 68 bytes more).
    pub fn of(argv0: &[u8]) -> Personality {
        // The basename, after the last `/`: a backwards loop, as the predicate is a closure
        // (no memrchr); rsplit always yields a first part.
        let base = argv0.rsplit(|&b| b == b'/').next().unwrap_or_default();
        use Personality::*;
        // Each name's personality, by its place in the list: a table, not a match.
        const NAMED: [Personality; 7] = [Tini, Tini, Tini, DumbInit, Catatonit, Catatonit, Pause];
        word_index(b"tini docker-init tini-static dumb-init catatonit podman-init pause ", base, false)
            .and_then(|index| NAMED.get(index as usize).copied())
            .unwrap_or(Native)
    }

    /// The short option letters this personality accepts, by [`Opt`] index; 0 where it has
    /// no such option. Long names follow the same table: a personality accepts the long
    /// name of every option it has.
    pub fn short_names(self) -> &'static [u8] {
        // Every personality has a row, so this index cannot fail (no check is emitted);
        // `get` would add an empty row for the case that never happens.
        &SHORT_NAMES[self as usize]
    }

    /// The code of a usage error: the peers' 1, bantam's own 2.
    pub fn usage_exit(self) -> u8 {
        if self == Personality::Native { 2 } else { 1 }
    }
}

/// What bantam was asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// No program: stay up, reap, exit 0 on SIGINT/SIGTERM.
    Pause,
    /// Run the program whose name is `argv[program]`; its arguments follow it.
    Run {
        program: usize,
    },
    Help,
    Version,
    /// tini `-l`, catatonit `-L`: print the license and exit 0.
    License,
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

/// What bantam was asked to do, and how.
///
/// In C order, with the small fields that nearly every step reads first and the tables
/// last: x86 reaches the first 128 bytes of a struct with one-byte displacements, and
/// Rust's own order put the small fields behind the tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct Config {
    /// 0 silent, 1 errors and warnings, 2 info, 3 debug.
    pub verbosity: u8,
    pub personality: Personality,
    pub target: Target,
    pub drain: bool,
    /// tini `-w`: a warning for every zombie reaped that is not the child.
    pub warn_reap: bool,
    /// dumb-init `-c`: no new session for the child, signals to the child alone.
    pub single_child: bool,
    pub pdeathsig: Option<Signal>,
    /// Graceful-shutdown window in milliseconds; 0 is off.
    pub grace_ms: u64,
    pub mode: Mode,
    pub rewrite: Rewrite,
    pub remap: ExitRemap,
    /// VM mode: how the machine ends (reboot(2)'s command); 0 outside VM mode. Set by the
    /// binary before the parse, which leaves it.
    #[cfg(feature = "vm")]
    pub vm_end: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            personality: Personality::Native,
            mode: Mode::Pause,
            target: Target::Child,
            pdeathsig: None,
            rewrite: Rewrite::default(),
            remap: ExitRemap::default(),
            grace_ms: 0,
            drain: false,
            verbosity: 1,
            warn_reap: false,
            single_child: false,
            #[cfg(feature = "vm")]
            vm_end: 0,
        }
    }
}

impl Config {
    /// dumb-init's default mode: the child leads a new session with the terminal.
    pub fn setsid(&self) -> bool {
        self.personality == Personality::DumbInit && !self.single_child
    }

    /// The signals bantam blocks and collects: dumb-init forwards every signal, even the
    /// fault signals when they come from kill; the others leave those to the kernel.
    pub fn collected(&self) -> SigSet {
        if self.personality == Personality::DumbInit { SigSet::FULL } else { SigSet::all_but_faults() }
    }
}

/// A command line bantam refuses: `what` says why, `arg` is the offending text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UsageError<'a> {
    pub what: Msg,
    pub arg: &'a [u8],
}

/// An option, by its place in [`LONG_NAMES`] and in each personality's row of
/// [`SHORT_NAMES`]; the first nine are also the places of their twins in [`ENV_NAMES`].
/// Options that take a value are 3..=6.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Opt(u32);

impl Opt {
    const GROUP: Opt = Opt(0);
    const ALL: Opt = Opt(1);
    const PDEATHSIG: Opt = Opt(3);
    const REWRITE: Opt = Opt(4);
    const REMAP_EXIT: Opt = Opt(5);
    const GRACE: Opt = Opt(6);
    const DRAIN: Opt = Opt(7);
    const VERBOSE: Opt = Opt(8);
    const PAUSE: Opt = Opt(9);
    const QUIET: Opt = Opt(10);
    const VERSION: Opt = Opt(11);
    const HELP: Opt = Opt(12);
    const WARN: Opt = Opt(13);
    const LICENSE: Opt = Opt(14);
    const SINGLE_CHILD: Opt = Opt(15);

    fn takes_value(self) -> bool {
        matches!(self.0, 3..=6)
    }
}

// Word lists rather than tables of slices: 16 options cost 16 bytes of pointers less each.
const LONG_NAMES: &[u8] =
    b"group all subreaper pdeathsig rewrite remap-exit grace drain verbose pause quiet \
version help warn license single-child ";
/// One row of 16 per personality (dumb-init, native, tini, catatonit, pause), 0 where it
/// lacks the option. tini's `-V` stands for its `--version`; pause has no options.
const SHORT_NAMES: [[u8; 16]; 5] = [
    *b"\0\0\0\0r\0\0\0v\0\0Vh\0\0c",
    *b"gaspretdvPqVh\0\0\0",
    *b"g\0sp\0e\0\0v\0\0Vhwl\0",
    *b"g\0\0\0\0\0\0\0\0P\0Vh\0L\0",
    [0; 16],
];
/// Environment twins, after `BANTAM_`. Lists (`REWRITE`, `REMAP_EXIT`) are comma-separated.
/// The prefix is cut from the same string, where it costs no bytes of its own.
const ENV_PREFIX_AND_NAMES: &[u8] =
    b"BANTAM_GROUP ALL SUBREAPER PDEATHSIG REWRITE REMAP_EXIT GRACE DRAIN VERBOSITY ";
const ENV_PREFIX: &[u8] = ENV_PREFIX_AND_NAMES.split_at(7).0;
const ENV_NAMES: &[u8] = ENV_PREFIX_AND_NAMES.split_at(7).1;

/// tini's variables, which act by their presence (even empty), by name; then dumb-init's,
/// which act on one value each, so they are matched as whole entries.
const PEER_ENV: &[u8] = b"TINI_KILL_PROCESS_GROUP TINI_VERBOSITY DUMB_INIT_SETSID=0 DUMB_INIT_DEBUG=1 ";

/// Parses argv (with `argv[0]`, which names the personality) and the environment into
/// `cfg`, which starts as [`Config::default`]. Options stop at the first non-option or at
/// `--`; a flag beats its environment twin.
pub fn parse<'a>(
    cfg: &mut Config,
    argv: impl Iterator<Item = &'a [u8]>,
    env: impl Iterator<Item = &'a [u8]>,
) -> Result<(), UsageError<'a>> {
    let mut argv = argv;
    cfg.personality = Personality::of(argv.next().unwrap_or_default());
    for entry in env {
        apply_env(cfg, entry).map_err(|()| UsageError { what: Msg::BadEnvironment, arg: entry })?;
    }
    // parse_args returns only the error text (two registers rather than a struct in
    // memory); the argument it is about is kept on the side.
    let mut culprit: &[u8] = b"";
    parse_args(cfg, &mut culprit, argv).map_err(|what| UsageError { what, arg: culprit })
}

/// argv with the index of the next argument: a program's index is what Mode::Run holds.
/// (Enumerate would return index and text as one three-word value, through memory.)
struct Cursor<I> {
    iter: I,
    next_index: usize,
}

impl<'a, I: Iterator<Item = &'a [u8]>> Cursor<I> {
    // One call on x86_64 rather than three copies (see Personality::of).
    #[cfg_attr(target_arch = "x86_64", inline(never))]
    fn next(&mut self) -> Option<&'a [u8]> {
        self.next_index += 1;
        self.iter.next()
    }
}

// Always in line in parse, its one caller: the hint alone still saves a few bytes on both
// arches over the compiler's own choice.
#[inline(always)]
fn parse_args<'a>(
    cfg: &mut Config,
    culprit: &mut &'a [u8],
    argv: impl Iterator<Item = &'a [u8]>,
) -> Result<(), Msg> {
    let mut args = Cursor { iter: argv, next_index: 1 };
    if cfg.personality == Personality::Pause {
        // pause takes no program and no options but `-v`, in any place and any case (only
        // `v` and `V` are `v` with the case bit set).
        // The mode is still the default, Pause.
        if args.iter.any(|arg| matches!(arg, [b'-', v] if v | 0x20 == b'v')) {
            cfg.mode = Mode::Version;
        }
        return Ok(());
    }
    let shorts = cfg.personality.short_names();
    // The rest of a cluster of short options (`-gv`) still to apply. One that takes a
    // value ends the cluster and takes the rest of it, or the next argument (`-pTERM`,
    // `-p TERM`).
    let mut cluster: &[u8] = b"";
    // -v and -q beat BANTAM_VERBOSITY, so they are counted on the side, from the default 1
    // (bit 7 says neither was given: a plain u8 is smaller code than an Option); -P
    // decides the mode only once the program is known.
    let mut verbosity = 0x80 | 1;
    let mut pause = false;
    let program = loop {
        // Each turn finds one option and its inline value (`--opt=VALUE`, `-oVALUE`).
        let (opt, inline) = if let Some((&c, tail)) = cluster.split_first() {
            let opt = Opt(find(shorts, c).ok_or(Msg::UnknownOption)? as u32);
            let takes_value = opt.takes_value();
            cluster = if takes_value { b"" } else { tail };
            (opt, Some(tail).filter(|tail| takes_value && !tail.is_empty()))
        } else {
            let index = args.next_index;
            let Some(arg) = args.next() else { break None };
            *culprit = arg;
            // A lone `-` is a program name, as in many tools.
            let Some(rest) = strip_prefix(arg, b"-", false).filter(|rest| !rest.is_empty()) else {
                break Some(index);
            };
            let Some((b'-', long)) = rest.split_first() else {
                cluster = rest;
                continue;
            };
            if long.is_empty() {
                let index = args.next_index;
                break args.next().map(|_| index);
            }
            let (name, inline) = split_once(long, b'=');
            // LONG_NAMES has a word for each of the 16 options, so the mask changes nothing;
            // it shows the compiler that the index is within a row.
            match word_index(LONG_NAMES, name, false) {
                Some(index) if shorts.get(index as usize & 15) != Some(&0) => (Opt(index), inline),
                _ => return Err(Msg::UnknownOption),
            }
        };
        let value = match (opt.takes_value(), inline) {
            (true, Some(value)) => value,
            (true, None) => args.next().ok_or(Msg::MissingValue)?,
            (false, Some(_)) => return Err(Msg::TakesNoValue),
            (false, None) => b"",
        };
        match opt {
            // dumb-init has one verbose level: debug.
            Opt::VERBOSE if cfg.personality == Personality::DumbInit => verbosity = 3,
            // One more, from the default while unset (the low bits), up to 3.
            Opt::VERBOSE => verbosity = ((verbosity & 3) + 1).min(3),
            Opt::QUIET => verbosity = 0,
            Opt::PAUSE => pause = true,
            Opt::HELP | Opt::VERSION | Opt::LICENSE => {
                cfg.mode = match opt {
                    Opt::HELP => Mode::Help,
                    Opt::VERSION => Mode::Version,
                    _ => Mode::License,
                };
                return Ok(());
            }
            // A bad value is the culprit, not the argument it came in.
            _ => apply(cfg, opt, value).map_err(|bad| {
                *culprit = bad;
                // A rule's side is refused as a signal; a whole value by its option's kind.
                if bad.len() < value.len() { Msg::BadSignal } else { BAD_VALUE[opt.0 as usize & 3] }
            })?,
        }
    };
    if verbosity <= 3 {
        cfg.verbosity = verbosity;
    }
    *culprit = b"";
    // The mode is still the default, Pause; catatonit -P ignores a program.
    match (pause, program) {
        (true, Some(_)) if cfg.personality != Personality::Catatonit => return Err(Msg::PauseTakesNoProgram),
        (true, _) => {}
        (false, Some(program)) => cfg.mode = Mode::Run { program },
        (false, None) => return Err(Msg::NoProgram),
    }
    settle_personality(cfg);
    Ok(())
}

/// The peers' fixed signal handling, after the user's options (which it does not undo).
// Out of line: inlined, it costs the long parse_args more registers than it saves; but on
// aarch64, in line is 4 bytes smaller (measured).
#[cfg_attr(not(target_arch = "aarch64"), inline(never))]
#[cfg_attr(target_arch = "aarch64", inline(always))]
fn settle_personality(cfg: &mut Config) {
    if cfg.personality == Personality::Tini {
        // tini sets SIGTTIN and SIGTTOU to SIG_IGN in the init: never forwarded.
        cfg.rewrite.set(SIGTTIN, None);
        cfg.rewrite.set(SIGTTOU, None);
    }
    if cfg.setsid() {
        // dumb-init: the child's whole session, and job control stops the group (the init
        // then stops itself) unless the user rewrote those signals.
        cfg.target = Target::Group;
        cfg.rewrite.stop_job_control();
    }
}

/// The signals a parent's death may be turned into: those bantam collects, and SIGKILL.
/// SIGSTOP would stop bantam (it cannot be blocked), and the fault signals are left to the
/// kernel (SPEC §4.1): bantam would dump core, not handle them as sent. SIGKILL ends
/// bantam at once (as PID 1, with the whole namespace), as tini's own `-p SIGKILL` does.
const PDEATHSIGS: SigSet = SigSet::all_but_faults().without(SIGSTOP);

/// The error of a bad value, by option (3..=6, so by the index's two low bits).
const BAD_VALUE: [Msg; 4] = [Msg::BadRewrite, Msg::BadExitCode, Msg::BadDuration, Msg::BadSignal];

/// Sets what `opt` controls; shared by flags and environment twins. An error is the text at
/// fault: `value`, or the side of a rule that is not a signal (the caller knows where it
/// came from, and says what is wrong by the option).
fn apply<'a>(cfg: &mut Config, opt: Opt, value: &'a [u8]) -> Result<(), &'a [u8]> {
    // Whether the value was taken: an arm says so rather than returning early, so that every
    // refused value leaves by one path (measured smaller on aarch64); a rule names its own
    // culprit.
    let applied = match opt {
        Opt::GROUP | Opt::ALL => {
            cfg.target = if opt == Opt::GROUP { Target::Group } else { Target::All };
            Some(())
        }
        // The three switches by where they are: one store, not three arms.
        Opt::DRAIN | Opt::WARN | Opt::SINGLE_CHILD => {
            *match opt {
                Opt::DRAIN => &mut cfg.drain,
                Opt::WARN => &mut cfg.warn_reap,
                _ => &mut cfg.single_child,
            } = true;
            Some(())
        }
        // Stored before it is checked: a refused value ends the parse, so nothing reads the
        // None it leaves.
        Opt::PDEATHSIG => {
            cfg.pdeathsig = Signal::parse(value).filter(|&sig| PDEATHSIGS.contains(sig));
            cfg.pdeathsig.map(drop)
        }
        Opt::GRACE => parse_millis(value).map(|ms| cfg.grace_ms = ms),
        Opt::REWRITE => return Rewrite::parse_rule(value).map(|(from, to)| cfg.rewrite.set(from, to)),
        Opt::REMAP_EXIT => ExitRemap::parse_code(value).map(|code| cfg.remap.add(code)),
        // -s is accepted for compatibility: bantam becomes a subreaper by itself whenever
        // it is not PID 1.
        _ => Some(()),
    };
    applied.ok_or(value)
}

/// Applies one environment entry if it is a `BANTAM_*` variable or the peer's own. An error
/// means its value is bad.
fn apply_env(cfg: &mut Config, entry: &[u8]) -> Result<(), ()> {
    let (name, Some(value)) = split_once(entry, b'=') else { return Ok(()) };
    // The peer's own variables, read only in its personality: tini's by name, dumb-init's
    // as whole entries. An entry has a `=` and a name has none, so one list serves both,
    // and each personality can match only its own words: its second arm needs no index.
    let key = if cfg.personality == Personality::DumbInit { entry } else { name };
    match (cfg.personality, word_index(PEER_ENV, key, false)) {
        (Personality::Tini, Some(0)) => cfg.target = Target::Group,
        // atoi, as tini reads it: anything that is not a number is 0.
        (Personality::Tini, Some(_)) => cfg.verbosity = parse_number(value).unwrap_or(0).min(3) as u8,
        (Personality::DumbInit, Some(2)) => cfg.single_child = true,
        (Personality::DumbInit, Some(_)) => cfg.verbosity = 3,
        _ => {}
    }
    let Some(opt) = strip_prefix(name, ENV_PREFIX, false).and_then(|n| word_index(ENV_NAMES, n, false))
    else {
        return Ok(());
    };
    let opt = Opt(opt);
    if opt == Opt::VERBOSE {
        cfg.verbosity = parse_number(value).filter(|&n| n <= 3).ok_or(())? as u8;
        return Ok(());
    }
    // A switch's value says whether to apply it at all: `1`/`true`/`yes` turn it on,
    // `0`/`false`/`no`/empty leave it; anything else is refused so a typo does not silently
    // turn a feature off. Case does not matter. (The last word of the list is the empty one.)
    if !opt.takes_value() && word_index(b"1 TRUE YES 0 FALSE NO  ", value, true).ok_or(())? > 2 {
        return Ok(());
    }
    // The lists are comma-separated; their empty items are skipped.
    let list = matches!(opt, Opt::REWRITE | Opt::REMAP_EXIT);
    let mut rest = Some(value);
    while let Some(text) = rest {
        let (item, tail) = if list { split_once(text, b',') } else { (text, None) };
        if !(list && item.is_empty()) {
            apply(cfg, opt, item).map_err(|_| ())?;
        }
        rest = tail;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::{SIGHUP, SIGKILL, SIGQUIT, SIGSTOP, SIGTERM, SIGTSTP, SIGUSR1};

    fn run(args: &[&str], env: &[&str]) -> Result<Config, (String, String)> {
        run_as("bantam", args, env)
    }

    fn run_as(name: &str, args: &[&str], env: &[&str]) -> Result<Config, (String, String)> {
        let argv: Vec<&[u8]> = std::iter::once(name).chain(args.iter().copied()).map(str::as_bytes).collect();
        let envp: Vec<&[u8]> = env.iter().map(|e| e.as_bytes()).collect();
        let mut cfg = Config::default();
        parse(&mut cfg, argv.iter().copied(), envp.iter().copied())
            .map(|()| cfg)
            .map_err(|e| (crate::msg::tests::text_of(e.what), String::from_utf8_lossy(e.arg).into_owned()))
    }

    fn program_of(args: &[&str]) -> usize {
        match run(args, &[]).unwrap().mode {
            Mode::Run { program } => program,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn option_tables_line_up() {
        let expected = [
            (b'g', "group", Some("GROUP"), Opt::GROUP),
            (b'a', "all", Some("ALL"), Opt::ALL),
            (b's', "subreaper", Some("SUBREAPER"), Opt(2)),
            (b'p', "pdeathsig", Some("PDEATHSIG"), Opt::PDEATHSIG),
            (b'r', "rewrite", Some("REWRITE"), Opt::REWRITE),
            (b'e', "remap-exit", Some("REMAP_EXIT"), Opt::REMAP_EXIT),
            (b't', "grace", Some("GRACE"), Opt::GRACE),
            (b'd', "drain", Some("DRAIN"), Opt::DRAIN),
            (b'v', "verbose", Some("VERBOSITY"), Opt::VERBOSE),
            (b'P', "pause", None, Opt::PAUSE),
            (b'q', "quiet", None, Opt::QUIET),
            (b'V', "version", None, Opt::VERSION),
            (b'h', "help", None, Opt::HELP),
            (0, "warn", None, Opt::WARN),
            (0, "license", None, Opt::LICENSE),
            (0, "single-child", None, Opt::SINGLE_CHILD),
        ];
        assert_eq!(Personality::Native.short_names().len(), expected.len());
        assert_eq!(crate::text::nth_word(LONG_NAMES, expected.len()), None);
        assert_eq!(crate::text::nth_word(ENV_NAMES, 9), None);
        for (i, (short, long, env, opt)) in expected.into_iter().enumerate() {
            assert_eq!(opt.0 as usize, i);
            assert_eq!(Personality::Native.short_names().get(i), Some(&short));
            assert_eq!(crate::text::nth_word(LONG_NAMES, i), Some(long.as_bytes()));
            if let Some(env) = env {
                assert_eq!(crate::text::nth_word(ENV_NAMES, i), Some(env.as_bytes()));
            }
            assert_eq!(opt.takes_value(), ["pdeathsig", "rewrite", "remap-exit", "grace"].contains(&long));
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
        assert_eq!(err(&["-p", "NOPE", "ls"], &[]), ("not a signal bantam can take".into(), "NOPE".into()));
        assert_eq!(err(&["-p", "0", "ls"], &[]).0, "not a signal bantam can take");
        // A parent's death as a signal bantam would not handle as sent is refused: SIGSTOP
        // cannot be blocked, the fault signals are left to the kernel.
        for sig in ["STOP", "19", "SEGV", "BUS", "FPE", "ILL", "TRAP", "ABRT", "SYS"] {
            assert_eq!(err(&["-p", sig, "ls"], &[]), ("not a signal bantam can take".into(), sig.into()));
        }
        for ok in ["TERM", "HUP", "USR1", "RTMIN+1", "PIPE", "CHLD", "CONT", "KILL"] {
            assert!(run(&["-p", ok, "ls"], &[]).is_ok(), "{ok}");
        }
        // A rule without `:` is named whole; else the side that is not a signal, alone.
        assert_eq!(err(&["-r", "TERM", "ls"], &[]), ("bad rewrite (want FROM:TO)".into(), "TERM".into()));
        for (rule, side) in [
            ("TERM:BOGUS", "BOGUS"),
            ("BOGUS:TERM", "BOGUS"),
            ("BOGUS:ALSO", "BOGUS"),
            ("TERM:", ""),
            (":TERM", ""),
            ("TERM:QUIT:HUP", "QUIT:HUP"),
            ("0:TERM", "0"),
            ("TERM:65", "65"),
        ] {
            assert_eq!(
                err(&["-r", rule, "ls"], &[]),
                ("not a signal bantam can take".into(), side.into()),
                "{rule}"
            );
            assert_eq!(err(&[&format!("--rewrite={rule}"), "ls"], &[]).1, side, "{rule}");
        }
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
    fn personality_is_the_basename_of_argv0() {
        use Personality::*;
        for (name, p) in [
            ("tini", Tini),
            ("/sbin/docker-init", Tini),
            ("./tini-static", Tini),
            ("/usr/bin/dumb-init", DumbInit),
            ("catatonit", Catatonit),
            ("/run/podman-init", Catatonit),
            ("/pause", Pause),
            ("bantam", Native),
            ("init", Native),
            ("", Native),
            ("/", Native),
            ("tini/", Native),
            ("TINI", Native),
            ("xtini", Native),
        ] {
            assert_eq!(Personality::of(name.as_bytes()), p, "{name}");
            assert_eq!(run_as(name, &["-h"], &[]).map(|c| c.personality), Ok(p), "{name}");
        }
    }

    #[test]
    fn tini_options_and_environment() {
        let cfg = run_as(
            "tini",
            &["-s", "-g", "-w", "-vv", "-p", "SIGKILL", "-e", "3", "-e", "4", "--", "ls"],
            &[],
        )
        .unwrap();
        assert_eq!(cfg.mode, Mode::Run { program: 12 });
        assert_eq!((cfg.target, cfg.verbosity, cfg.warn_reap), (Target::Group, 3, true));
        assert_eq!(cfg.pdeathsig, Some(SIGKILL));
        assert_eq!((cfg.remap.apply(3), cfg.remap.apply(4), cfg.remap.apply(5)), (0, 0, 5));
        // The init ignores SIGTTIN and SIGTTOU; everything else goes through.
        assert_eq!(cfg.rewrite.apply(SIGTTIN), None);
        assert_eq!(cfg.rewrite.apply(SIGTTOU), None);
        assert_eq!(cfg.rewrite.apply(SIGTSTP), Some(SIGTSTP));
        assert_eq!(run_as("tini", &["ls"], &[]).unwrap().target, Target::Child);
        // Presence is enough, even empty.
        assert_eq!(run_as("tini", &["ls"], &["TINI_KILL_PROCESS_GROUP="]).unwrap().target, Target::Group);
        assert_eq!(
            run_as("tini", &["ls"], &["TINI_SUBREAPER="]).unwrap(),
            run_as("tini", &["ls"], &[]).unwrap()
        );
        assert_eq!(run_as("tini", &["ls"], &["TINI_VERBOSITY=3"]).unwrap().verbosity, 3);
        assert_eq!(run_as("tini", &["ls"], &["TINI_VERBOSITY=x"]).unwrap().verbosity, 0);
        // Other personalities do not read tini's variables.
        assert_eq!(run_as("bantam", &["ls"], &["TINI_KILL_PROCESS_GROUP=1"]).unwrap().target, Target::Child);
        assert_eq!(run_as("tini", &["--version"], &[]).unwrap().mode, Mode::Version);
        assert_eq!(run_as("tini", &["-l"], &[]).unwrap().mode, Mode::License);
        assert_eq!(run_as("tini", &["-h"], &[]).unwrap().mode, Mode::Help);
        // Options stop at the program (tini's getopt would permute: a documented difference).
        assert_eq!(run_as("tini", &["ls", "-l"], &[]).unwrap().mode, Mode::Run { program: 1 });
        for bad in [
            &["-a", "ls"][..],
            &["-t", "1s", "ls"],
            &["-r", "1:2", "ls"],
            &["-d", "ls"],
            &[],
            &["-e", "256", "x"],
        ] {
            assert!(run_as("tini", bad, &[]).is_err(), "{bad:?}");
        }
        assert_eq!(Personality::Tini.usage_exit(), 1);
    }

    #[test]
    fn dumb_init_options_and_environment() {
        let cfg = run_as("dumb-init", &["ls", "-c"], &[]).unwrap();
        assert!(cfg.setsid());
        assert_eq!(cfg.target, Target::Group);
        assert_eq!(cfg.collected(), SigSet::FULL);
        // Job control stops the child's group, unless rewritten by the user.
        for sig in [SIGTSTP, SIGTTIN, SIGTTOU] {
            assert_eq!(cfg.rewrite.apply(sig), Some(SIGSTOP));
        }
        let cfg = run_as("dumb-init", &["-r", "20:10", "--rewrite=15:0", "ls"], &[]).unwrap();
        assert_eq!(cfg.rewrite.apply(SIGTSTP), Some(SIGUSR1));
        assert_eq!(cfg.rewrite.apply(SIGTERM), None);
        assert_eq!(cfg.rewrite.apply(SIGTTIN), Some(SIGSTOP));
        for single in [
            run_as("dumb-init", &["-c", "ls"], &[]),
            run_as("dumb-init", &["--single-child", "ls"], &[]),
            run_as("dumb-init", &["ls"], &["DUMB_INIT_SETSID=0"]),
        ] {
            let cfg = single.unwrap();
            assert!(!cfg.setsid());
            assert_eq!(cfg.target, Target::Child);
            assert_eq!(cfg.rewrite.apply(SIGTSTP), Some(SIGTSTP));
        }
        assert!(run_as("dumb-init", &["ls"], &["DUMB_INIT_SETSID=1"]).unwrap().setsid());
        assert_eq!(run_as("dumb-init", &["-v", "ls"], &[]).unwrap().verbosity, 3);
        assert_eq!(run_as("dumb-init", &["ls"], &["DUMB_INIT_DEBUG=1"]).unwrap().verbosity, 3);
        assert_eq!(run_as("dumb-init", &["ls"], &["DUMB_INIT_DEBUG=0"]).unwrap().verbosity, 1);
        assert_eq!(run_as("dumb-init", &["-V"], &[]).unwrap().mode, Mode::Version);
        assert_eq!(run_as("dumb-init", &["--help"], &[]).unwrap().mode, Mode::Help);
        for bad in [&["-g", "ls"][..], &["-r", "15", "ls"], &["--group", "ls"], &[]] {
            assert!(run_as("dumb-init", bad, &[]).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn catatonit_and_pause() {
        let cfg = run_as("podman-init", &["--", "ls"], &[]).unwrap();
        assert_eq!((cfg.mode, cfg.target), (Mode::Run { program: 2 }, Target::Child));
        assert_eq!(run_as("catatonit", &["-g", "ls"], &[]).unwrap().target, Target::Group);
        assert_eq!(run_as("catatonit", &["-P"], &[]).unwrap().mode, Mode::Pause);
        assert_eq!(run_as("catatonit", &["-P", "ls"], &[]).unwrap().mode, Mode::Pause);
        assert_eq!(run_as("catatonit", &["-L"], &[]).unwrap().mode, Mode::License);
        assert_eq!(run_as("catatonit", &["-V"], &[]).unwrap().mode, Mode::Version);
        assert!(run_as("catatonit", &["-s", "ls"], &[]).is_err());
        assert!(run_as("catatonit", &[], &[]).is_err());
        assert_eq!(run_as("pause", &[], &[]).unwrap().mode, Mode::Pause);
        assert_eq!(run_as("pause", &["x", "--whatever"], &[]).unwrap().mode, Mode::Pause);
        assert_eq!(run_as("pause", &["x", "-v"], &[]).unwrap().mode, Mode::Version);
        assert_eq!(run_as("pause", &["-V"], &[]).unwrap().mode, Mode::Version);
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
