//! Signals: numbers, names, the kernel's 8-byte signal set, and the rewrite table.
//!
//! Numbers are the asm-generic ones, which x86_64 and aarch64 share.

use crate::text::{nth_word, split_once, strip_prefix, word_index};

/// A signal number, 1 to 64.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signal(u8);

pub const SIGHUP: Signal = Signal(1);
pub const SIGINT: Signal = Signal(2);
pub const SIGQUIT: Signal = Signal(3);
pub const SIGILL: Signal = Signal(4);
pub const SIGTRAP: Signal = Signal(5);
pub const SIGABRT: Signal = Signal(6);
pub const SIGBUS: Signal = Signal(7);
pub const SIGFPE: Signal = Signal(8);
pub const SIGKILL: Signal = Signal(9);
pub const SIGUSR1: Signal = Signal(10);
pub const SIGSEGV: Signal = Signal(11);
pub const SIGPIPE: Signal = Signal(13);
pub const SIGTERM: Signal = Signal(15);
pub const SIGCHLD: Signal = Signal(17);
pub const SIGCONT: Signal = Signal(18);
pub const SIGSTOP: Signal = Signal(19);
pub const SIGTSTP: Signal = Signal(20);
pub const SIGTTIN: Signal = Signal(21);
pub const SIGTTOU: Signal = Signal(22);
pub const SIGSYS: Signal = Signal(31);

/// Highest signal number the kernel knows (`_NSIG`).
pub const MAX: u8 = 64;
/// `SIGRTMIN` as C libraries and shells number it: the kernel's 32 and 33 are reserved
/// by threading libraries, so `RTMIN` means 34 for every user-facing tool.
pub const RTMIN: u8 = 34;

/// Names of signals 1..=31, in order, without the `SIG` prefix; then the aliases `IOT`,
/// `POLL`, `CLD` and the real-time bases `RTMIN`, `RTMAX`, numbered by [`EXTRA_NUMBERS`].
/// Each name ends in a space.
const NAMES: &[u8] = b"HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM \
STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS \
IOT POLL CLD RTMIN RTMAX ";
/// Padded to 8 (0 is no signal), so that a masked index needs no check.
const EXTRA_NUMBERS: [u8; 8] = [6, 29, 17, RTMIN, MAX, 0, 0, 0];
/// The real-time bases with the sign of their offsets: RTMIN counts up, RTMAX down.
const RT_BASES: &[u8] = b"RTMIN+ RTMAX- ";
/// How many of [`NAMES`] are the names of signals 1..=31 (the rest are extras).
const CLASSIC: usize = 31;

impl Signal {
    /// The signal numbered `n`, if `n` is 1..=64.
    pub const fn new(n: u32) -> Option<Signal> {
        if n >= 1 && n <= MAX as u32 { Some(Signal(n as u8)) } else { None }
    }

    pub const fn number(self) -> u8 {
        self.0
    }

    /// The name without `SIG` (`TERM`), for signals 1..=31.
    // Always in line on aarch64, where that is smaller than the call (measured).
    #[cfg_attr(target_arch = "aarch64", inline(always))]
    pub fn name(self) -> Option<&'static [u8]> {
        let index = usize::from(self.0).wrapping_sub(1);
        if index < CLASSIC { nth_word(NAMES, index) } else { None }
    }

    /// Parses `TERM`, `SIGTERM`, `sigterm`, `15`, `RTMIN+3`, `SIGRTMAX-1`.
    pub fn parse(text: &[u8]) -> Option<Signal> {
        if let Some(n) = parse_number(text) {
            return Signal::new(n);
        }
        let name = strip_prefix(text, b"SIG", true).unwrap_or(text);
        // An offset only for the real-time bases: RTMIN counts up (`RTMIN+k`), RTMAX down
        // (`RTMAX-k`); both are six bytes before k, so one lookup finds either. k has at
        // most 9 digits, so neither side overflows; RTMAX-k below 1 wraps far above MAX and
        // is refused.
        let rt = name.split_at_checked(6).and_then(|(base, k)| Some((word_index(RT_BASES, base, true)?, k)));
        let n = if let Some((rt, k)) = rt {
            let k = parse_number(k)?;
            if rt == 0 { u32::from(RTMIN) + k } else { u32::from(MAX).wrapping_sub(k) }
        } else {
            let index = word_index(NAMES, name, true)?;
            match index.checked_sub(CLASSIC as u32) {
                None => index + 1,
                // There are 5 extras, so the mask changes no index.
                Some(extra) => u32::from(EXTRA_NUMBERS[extra as usize & 7]),
            }
        };
        Signal::new(n)
    }

    /// Synchronous fault signals: raised by the CPU for the faulting thread. bantam leaves
    /// them unblocked (a blocked fault signal is fatal anyway) and never collects them.
    pub const fn is_fault(self) -> bool {
        matches!(self.0, 4 | 5 | 6 | 7 | 8 | 11 | 31)
    }
}

/// A whole decimal number of at most 9 digits (so it cannot overflow); nothing else.
pub fn parse_number(text: &[u8]) -> Option<u32> {
    // 1 to 9 digits: an empty text wraps around to a huge length.
    if text.len().wrapping_sub(1) > 8 {
        return None;
    }
    text.iter().try_fold(0, |n: u32, &b| {
        let digit = b.wrapping_sub(b'0');
        if digit < 10 { Some(n * 10 + u32::from(digit)) } else { None }
    })
}

/// The kernel's signal set: one bit per signal, bit `n-1` for signal `n` (8 bytes, not
/// the 128 of a C library's `sigset_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct SigSet(pub u64);

impl SigSet {
    pub const EMPTY: SigSet = SigSet(0);
    pub const FULL: SigSet = SigSet(u64::MAX);

    pub const fn with(self, sig: Signal) -> SigSet {
        SigSet(self.0 | 1 << (sig.0 - 1))
    }

    pub const fn without(self, sig: Signal) -> SigSet {
        SigSet(self.0 & !(1 << (sig.0 - 1)))
    }

    pub const fn contains(self, sig: Signal) -> bool {
        self.0 & (1 << (sig.0 - 1)) != 0
    }

    /// The set bantam blocks for its whole life: everything but the fault signals (SPEC
    /// §4.1). SIGKILL and SIGSTOP cannot be blocked; the kernel ignores those bits.
    pub const fn all_but_faults() -> SigSet {
        SigSet::FULL
            .without(SIGILL)
            .without(SIGTRAP)
            .without(SIGABRT)
            .without(SIGBUS)
            .without(SIGFPE)
            .without(SIGSEGV)
            .without(SIGSYS)
    }
}

/// What a collected signal becomes before it is forwarded: `-r FROM:TO`. Entry `n - 1`
/// holds the signal that signal `n` is sent as; 0 (the default) keeps it, [`DROP`] drops it.
/// With 0 as "unchanged", the default table is all zeros.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rewrite([u8; MAX as usize]);

impl Default for Rewrite {
    fn default() -> Self {
        Rewrite([0; MAX as usize])
    }
}

/// The rewrite entry of a dropped signal: not a signal number.
const DROP: u8 = u8::MAX;

impl Rewrite {
    pub fn set(&mut self, from: Signal, to: Option<Signal>) {
        // A signal is 1 to 64, so the mask changes no index: it shows the compiler that
        // the index is within the table (no check).
        self.0[usize::from(from.0.wrapping_sub(1)) & 63] = to.map_or(DROP, |s| s.0);
    }

    /// The signal to send for `sig`, or None when the rewrite drops it.
    pub fn apply(&self, sig: Signal) -> Option<Signal> {
        match self.0.get(usize::from(sig.0).wrapping_sub(1)) {
            Some(0) | None => Some(sig),
            Some(&n) => Signal::new(u32::from(n)),
        }
    }

    /// Job control (TSTP, TTIN, TTOU) that no rule changes is sent as STOP: dumb-init's
    /// default, which stops the child's whole group.
    pub fn stop_job_control(&mut self) {
        // A half-open range: an inclusive one carries an "exhausted" flag through the loop.
        for n in SIGTSTP.0..SIGTTOU.0 + 1 {
            if let Some(slot) = self.0.get_mut(usize::from(n - 1)) {
                // A rule to itself keeps the signal as it is, as no rule does.
                if *slot == 0 || *slot == n {
                    *slot = SIGSTOP.0;
                }
            }
        }
    }

    /// Parses one rule `FROM:TO`: signals by name or number, TO `0` or `none` drops. An
    /// error is the text at fault: the rule without `:`, else the side that is no signal.
    pub fn parse_rule(text: &[u8]) -> Result<(Signal, Option<Signal>), &[u8]> {
        let (from, to_text) = split_once(text, b':');
        // A rule without `:` is refused whole, before its FROM is parsed.
        let to_text = to_text.ok_or(text)?;
        let from = Signal::parse(from).ok_or(from)?;
        // A signal first, then the words that drop (no signal is named `0` or `NONE`). Only
        // letters fold, so `0` is matched exactly.
        let to = match Signal::parse(to_text) {
            Some(to) => Some(to),
            None if word_index(b"0 NONE ", to_text, true).is_some() => None,
            None => return Err(to_text),
        };
        Ok((from, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_for_every_classic_signal() {
        for n in 1..=31 {
            let sig = Signal::new(n).unwrap();
            let name = sig.name().unwrap();
            assert_eq!(Signal::parse(name), Some(sig));
            let mut prefixed = b"sig".to_vec();
            prefixed.extend(name.iter().map(u8::to_ascii_lowercase));
            assert_eq!(Signal::parse(&prefixed), Some(sig), "{prefixed:?}");
        }
        assert_eq!(Signal::new(32).unwrap().name(), None);
    }

    #[test]
    fn parses_numbers_names_and_realtime() {
        assert_eq!(Signal::parse(b"15"), Some(SIGTERM));
        assert_eq!(Signal::parse(b"TERM"), Some(SIGTERM));
        assert_eq!(Signal::parse(b"SigTerm"), Some(SIGTERM));
        assert_eq!(Signal::parse(b"USR1").unwrap().number(), 10);
        assert_eq!(Signal::parse(b"WINCH").unwrap().number(), 28);
        assert_eq!(Signal::parse(b"IOT"), Some(SIGABRT));
        assert_eq!(Signal::parse(b"RTMIN").unwrap().number(), 34);
        assert_eq!(Signal::parse(b"SIGRTMIN+3").unwrap().number(), 37);
        assert_eq!(Signal::parse(b"rtmax").unwrap().number(), 64);
        assert_eq!(Signal::parse(b"RTMAX-2").unwrap().number(), 62);
        assert_eq!(Signal::parse(b"64").unwrap().number(), 64);
    }

    #[test]
    fn rejects_bad_signals() {
        for bad in [
            &b""[..],
            b"0",
            b"65",
            b"-1",
            b"+3",
            b"TERMX",
            b"SIG",
            b"RTMIN+31",
            b"RTMIN-1",
            b"RTMAX+1",
            b"RTMAX-65",
            b"RTMIN+",
            b"TERM+1",
            b"IOT-1",
            b"RTMIN+1+1",
            b"-RTMIN",
            b"99999999999999",
            b" 15",
            b"15 ",
            b"1 5",
            b"\xff",
        ] {
            assert_eq!(Signal::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn numbers_parse_whole_or_not_at_all() {
        assert_eq!(parse_number(b"0"), Some(0));
        assert_eq!(parse_number(b"007"), Some(7));
        assert_eq!(parse_number(b"999999999"), Some(999_999_999));
        assert_eq!(parse_number(b"1234567890"), None);
        assert_eq!(parse_number(b"12a"), None);
        assert_eq!(parse_number(b""), None);
    }

    #[test]
    fn fault_signals_stay_out_of_the_blocked_set() {
        let set = SigSet::all_but_faults();
        for n in 1..=64 {
            let sig = Signal::new(n).unwrap();
            assert_eq!(set.contains(sig), !sig.is_fault(), "signal {n}");
        }
        assert!(set.contains(SIGTERM) && set.contains(SIGCHLD));
    }

    #[test]
    fn rewrite_rules() {
        let mut table = Rewrite::default();
        assert_eq!(table.apply(SIGTERM), Some(SIGTERM));
        let (from, to) = Rewrite::parse_rule(b"TERM:QUIT").unwrap();
        table.set(from, to);
        assert_eq!(table.apply(SIGTERM), Some(SIGQUIT));
        let (from, to) = Rewrite::parse_rule(b"1:none").unwrap();
        table.set(from, to);
        assert_eq!(table.apply(SIGHUP), None);
        assert_eq!(Rewrite::parse_rule(b"2:0"), Ok((SIGINT, None)));
        assert_eq!(Rewrite::parse_rule(b"RTMIN+1:SIGUSR1"), Ok((Signal::new(35).unwrap(), Signal::new(10))));
        // The error is the text at fault: a rule without `:` whole, else the side that is
        // no signal.
        for (bad, at_fault) in [
            (&b"TERM"[..], &b"TERM"[..]),
            (b"", b""),
            (b":", b""),
            (b"TERM:", b""),
            (b":TERM", b""),
            (b"TERM:QUIT:HUP", b"QUIT:HUP"),
            (b"0:TERM", b"0"),
            (b"TERM:65", b"65"),
            (b"FOO:BAR", b"FOO"),
        ] {
            assert_eq!(Rewrite::parse_rule(bad), Err(at_fault), "{bad:?}");
        }
    }

    #[test]
    fn job_control_stops_unless_rewritten() {
        let mut table = Rewrite::default();
        table.set(SIGTTIN, Some(SIGTTIN));
        table.set(SIGTTOU, Some(SIGHUP));
        table.set(SIGCONT, None);
        table.stop_job_control();
        // Kept as itself counts as not rewritten.
        assert_eq!(table.apply(SIGTSTP), Some(SIGSTOP));
        assert_eq!(table.apply(SIGTTIN), Some(SIGSTOP));
        assert_eq!(table.apply(SIGTTOU), Some(SIGHUP));
        assert_eq!(table.apply(SIGCONT), None);
        assert_eq!(table.apply(SIGTERM), Some(SIGTERM));
        let mut dropped = Rewrite::default();
        dropped.set(SIGTSTP, None);
        dropped.stop_job_control();
        assert_eq!(dropped.apply(SIGTSTP), None);
    }
}
