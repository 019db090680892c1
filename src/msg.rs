//! bantam's messages: diagnostics and what it is asked to print (`--help`, `--version`),
//! built as one line on the stack to be written with one call; errno names.
//!
//! Every message is a template with placeholders filled from a few values, so that a call
//! site costs a one-byte id and its values, not one call per piece: `started %s as pid %d`.

use crate::signal::Signal;
use crate::text::nth_word;

/// Where a line is built: [`Line`] here; the binary's own is a buffer it does not zero
/// first (that would be a call to memset for every message).
pub trait Sink {
    /// Appends one byte, or drops it when the line is full.
    fn push_byte(&mut self, byte: u8);

    /// Appends `text`, leaving out NUL bytes (the gaps of an option-letter row).
    fn push(&mut self, text: &[u8]) -> &mut Self
    where
        Self: Sized,
    {
        for &b in text {
            if b != 0 {
                self.push_byte(b);
            }
        }
        self
    }

    /// Appends `n` in decimal: the leading digits first, by recursion (20 levels at most),
    /// which is smaller than filling a digit buffer backwards.
    fn push_number(&mut self, n: u64) -> &mut Self
    where
        Self: Sized,
    {
        let (tens, digit) = crate::div::div_rem::<10>(n);
        if n >= 10 {
            self.push_number(tens);
        }
        self.push(&[b'0' + digit as u8])
    }
}

/// One line of output under construction. Text that does not fit is cut, never a panic.
pub struct Line {
    buf: [u8; LONGEST],
    len: usize,
}

impl Default for Line {
    fn default() -> Self {
        Line { buf: [0; LONGEST], len: 0 }
    }
}

impl Sink for Line {
    fn push_byte(&mut self, byte: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        }
    }
}

impl Line {
    /// A line starting with `prefix` (`bantam: `).
    pub fn new(prefix: &[u8]) -> Line {
        let mut line = Line::default();
        line.push(prefix);
        line
    }

    /// The line so far, with the newline added (the last byte is kept free for it).
    pub fn finish(&mut self) -> &[u8] {
        if self.len >= self.buf.len() {
            self.len = self.buf.len() - 1;
        }
        self.push(b"\n");
        self.buf.get(..self.len).unwrap_or_default()
    }
}

/// bantam's messages, by their place in [`crate::TEMPLATES`]. A call site passes a
/// one-byte id where a template would be an address and a length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Msg {
    /// `--help`: the usage line, with the name and the option letters as texts; then,
    /// given a number other than 0, bantam's own options.
    Usage,
    /// bantam's own options: the rest of [`Msg::Usage`], not a message of its own.
    Options,
    Version,
    TiniVersion,
    License,
    // Usage errors (cli::UsageError): their texts are `: ` or nothing, and the argument.
    UnknownOption,
    MissingValue,
    TakesNoValue,
    PauseTakesNoProgram,
    NoProgram,
    BadEnvironment,
    BadSignal,
    BadDuration,
    BadRewrite,
    BadExitCode,
    Started,
    ExecFailed,
    CloneFailed,
    PdeathsigFailed,
    NoSubreaper,
    GraceOver,
    DrainOver,
    ReapedZombie,
    Exited,
    Killed,
    KilledCore,
    Orphans,
    Dropping,
    Forwarding,
    // VM mode's (messages.rs VM_TEMPLATES), after the debug ones: the binary writes them
    // with init.rs's write_msg, not through the skip of debug messages in its log.
    #[cfg(feature = "vm")]
    VmExited,
    #[cfg(feature = "vm")]
    VmKilled,
    #[cfg(feature = "vm")]
    MountFailed,
    #[cfg(feature = "vm")]
    RebootFailed,
}

/// The longest message, bantam's `--help`: [`format`] needs a line this long.
pub const LONGEST: usize = 640;

// The templates of src/messages.rs, packed by build.rs: `PACKED`, and `PAIRS`, the two
// bytes that each byte from 0x80 on stands for (either may be a pair again, `DEPTH` deep
// at most).
include!(concat!(env!("OUT_DIR"), "/packed.rs"));

/// The level of debug messages.
pub const DEBUG: u8 = 3;
/// The first of the debug messages, which come last in [`Msg`]'s order; all of them are
/// of level [`DEBUG`].
pub const FIRST_DEBUG: Msg = Msg::Dropping;

/// The level of output, which no verbosity silences.
pub const OUTPUT: u8 = 4;

/// The prefix of every diagnostic.
pub const PREFIX: &[u8] = b"bantam: ";

/// Writes `msg` into `line` and returns its level (see [`crate::TEMPLATES`]); a line of
/// any level but [`OUTPUT`] starts with [`PREFIX`]. Placeholders are replaced: `%s` with the
/// next of `texts` (none when they are used up), the others with `a`, then `b` (and `b`
/// again, for any more): `%d` in decimal, taken as signed (a process group prints as
/// `-pgid`), `%S` as a signal (`SIGTERM`, `signal 40`), `%E` as an errno (`ENOENT`); and
/// `%+`, for a number other than 0, goes on into the next template. Any other byte is
/// copied.
pub fn format<S: Sink>(line: &mut S, msg: Msg, texts: &[&[u8]], mut a: u64, b: u64) -> u8 {
    let mut texts = texts.iter();
    // One pass over all the templates: level bytes are counted until the one before `msg`'s
    // template, whose bytes are then written up to the next level byte.
    let mut skip = msg as usize + 1;
    let mut level = 0;
    // After a `%`: the next byte is the placeholder's kind (no template ends with `%`).
    let mut placeholder = false;
    let mut packed = PACKED.iter();
    // The second halves of the pairs being expanded, the next one in the low bits: nine
    // bits each, a byte and a bit that marks the slot used, so 0 is empty (DEPTH <= 7).
    let mut pending: u64 = 0;
    loop {
        let mut byte = if pending != 0 {
            let next = pending as u8;
            pending >>= 9;
            next
        } else {
            match packed.next() {
                Some(&byte) => byte,
                None => break,
            }
        };
        while let Some(&[first, second]) = PAIRS.get(usize::from(byte).wrapping_sub(0x80)) {
            pending = pending << 9 | 0x100 | u64::from(second);
            byte = first;
        }
        if byte <= OUTPUT {
            if skip == 0 {
                break;
            }
            skip -= 1;
            level = byte;
            if skip == 0 && level < OUTPUT {
                line.push(PREFIX);
            }
        } else if skip != 0 {
        } else if placeholder {
            placeholder = false;
            if byte == b's' {
                if let Some(text) = texts.next() {
                    line.push(text);
                }
                continue;
            }
            let n = a;
            a = b;
            match byte {
                // With a number other than 0, the next template belongs to this message: it
                // starts as a message's own does, after one more level byte (both are
                // OUTPUT's, so the level stays and no prefix comes).
                b'+' => skip = usize::from(n != 0),
                b'S' => {
                    push_signal(line, n);
                }
                b'E' => {
                    push_errno(line, n);
                }
                _ if (n as i64) < 0 => {
                    line.push(b"-").push_number((n as i64).unsigned_abs());
                }
                _ => {
                    line.push_number(n);
                }
            }
        } else if byte == b'%' {
            placeholder = true;
        } else {
            line.push(core::slice::from_ref(&byte));
        }
    }
    level
}

/// Appends the signal's name (`SIGTERM`), or `signal N` for one without a name.
pub fn push_signal<S: Sink>(line: &mut S, n: u64) -> &mut S {
    match Signal::new(n as u32).and_then(Signal::name) {
        Some(name) => line.push(b"SIG").push(name),
        None => line.push(b"signal ").push_number(n),
    }
}

/// Names of the errors bantam can report, without their leading `E`, by number 1..=40
/// (asm-generic numbering, shared by x86_64 and aarch64), each followed by a space; an
/// empty word for a number none of the calls it reports on returns (execve, clone, prctl:
/// see their man pages), which is then shown as `errno N`.
const ERRNO_NAMES: &[u8] = b"PERM NOENT   IO  2BIG NOEXEC   AGAIN NOMEM ACCES FAULT      NOTDIR \
ISDIR INVAL NFILE MFILE  TXTBSY  NOSPC        NAMETOOLONG  NOSYS  LOOP ";

/// Appends the errno's name (`ENOENT`), or `errno N` for one without a name here.
pub fn push_errno<S: Sink>(line: &mut S, errno: u64) -> &mut S {
    match nth_word(ERRNO_NAMES, (errno as usize).wrapping_sub(1)) {
        Some(name) if !name.is_empty() => line.push(b"E").push(name),
        _ => line.push(b"errno ").push_number(errno),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn builds_a_line() {
        let mut line = Line::new(b"bantam: ");
        line.push(b"exec ").push(b"x").push(b": ");
        push_errno(&mut line, 2);
        assert_eq!(line.finish(), b"bantam: exec x: ENOENT\n");
    }

    #[test]
    fn numbers() {
        for (n, text) in [(0u64, "0"), (7, "7"), (10, "10"), (65535, "65535")] {
            let mut line = Line::default();
            line.push_number(n);
            assert_eq!(line.finish(), format!("{text}\n").as_bytes());
        }
        let mut line = Line::default();
        line.push_number(u64::MAX);
        assert_eq!(line.finish(), format!("{}\n", u64::MAX).as_bytes());
    }

    #[test]
    fn errno_names() {
        let name = |e| {
            let mut line = Line::default();
            push_errno(&mut line, e);
            line.finish().to_vec()
        };
        assert_eq!(name(1), b"EPERM\n");
        assert_eq!(name(13), b"EACCES\n");
        assert_eq!(name(20), b"ENOTDIR\n");
        assert_eq!(name(36), b"ENAMETOOLONG\n");
        assert_eq!(name(40), b"ELOOP\n");
        assert_eq!(name(41), b"errno 41\n");
        assert_eq!(name(0), b"errno 0\n");
        // A number none of bantam's calls returns has no name here.
        assert_eq!(name(17), b"errno 17\n");
        for (n, e) in
            [(2, "ENOENT"), (7, "E2BIG"), (8, "ENOEXEC"), (11, "EAGAIN"), (12, "ENOMEM"), (26, "ETXTBSY")]
        {
            assert_eq!(name(n), format!("{e}\n").as_bytes());
        }
    }

    /// A usage error's text: its line without the prefix, the texts (and the punctuation
    /// around them) and the newline.
    pub(crate) fn text_of(msg: Msg) -> String {
        let (_, line) = message(msg, &["", ""], 0, 0);
        let text = line.strip_prefix("bantam: ").and_then(|l| l.strip_suffix('\n')).unwrap();
        text.trim_start_matches(": ").trim_end_matches(": ''").trim_end_matches(": ").to_owned()
    }

    fn message(msg: Msg, texts: &[&str], a: u64, b: u64) -> (u8, String) {
        let texts: Vec<&[u8]> = texts.iter().map(|t| t.as_bytes()).collect();
        let mut line = Line::default();
        let level = format(&mut line, msg, &texts, a, b);
        (level, String::from_utf8(line.finish().to_vec()).unwrap())
    }

    #[test]
    fn messages_and_their_verbosity() {
        // The message, its texts and numbers, its level, and the line.
        type Case = (Msg, &'static [&'static str], u64, u64, u8, &'static str);
        let cases: [Case; 20] = [
            (Msg::Version, &[], 0, 0, 4, "bantam 0.1.0 - git.bantam010"),
            (Msg::TiniVersion, &[], 0, 0, 4, "tini version 0.19.0 - git.bantam010"),
            (Msg::License, &[], 0, 0, 0, "bantam: MIT OR Apache-2.0"),
            (Msg::Usage, &["tini", "g\0sp"], 0, 0, 4, "usage: tini [-gsp] [--] PROGRAM [ARG]..."),
            (Msg::BadSignal, &["-p", ""], 0, 0, 0, "bantam: -p: not a signal bantam can take: ''"),
            (Msg::UnknownOption, &["", "-x"], 0, 0, 0, "bantam: unknown option: -x"),
            (Msg::Started, &["sh"], 42, 0, 2, "bantam: started sh as pid 42"),
            (Msg::ExecFailed, &["x"], 13, 0, 0, "bantam: exec x: EACCES"),
            (Msg::CloneFailed, &[], 11, 0, 0, "bantam: clone: EAGAIN"),
            (Msg::PdeathsigFailed, &[], 22, 0, 0, "bantam: pdeathsig: EINVAL"),
            (Msg::NoSubreaper, &[], 22, 0, 1, "bantam: warning: cannot become a subreaper: EINVAL"),
            (Msg::GraceOver, &[], 0, 0, 1, "bantam: warning: grace window over: SIGKILL"),
            (Msg::DrainOver, &[], 2, 0, 1, "bantam: warning: drain window over: SIGKILL to 2 processes"),
            (Msg::ReapedZombie, &[], 77, 0, 1, "bantam: warning: reaped zombie 77"),
            (Msg::Exited, &[], 5, 0, 2, "bantam: child exited with 5"),
            (Msg::Killed, &[], 10, 0, 2, "bantam: child killed by SIGUSR1"),
            (Msg::KilledCore, &[], 11, 0, 2, "bantam: child killed by SIGSEGV (core dumped)"),
            (Msg::Orphans, &[], 2000, 0, 2, "bantam: orphans reaped: 2000"),
            (Msg::Dropping, &[], 10, 0, 3, "bantam: dropping SIGUSR1"),
            (Msg::Forwarding, &[], 10, -7i64 as u64, 3, "bantam: forwarding SIGUSR1 to -7"),
        ];
        for (msg, texts, a, b, level, want) in cases {
            assert_eq!(message(msg, texts, a, b), (level, format!("{want}\n")), "{msg:?}");
            // The binary skips debug messages by their place (init.rs's log).
            assert_eq!(msg >= FIRST_DEBUG, level == DEBUG, "{msg:?}");
        }
    }

    /// VM mode's lines: the status line's fixed form, at every verbosity above 0.
    #[cfg(feature = "vm")]
    #[test]
    fn vm_messages() {
        assert_eq!(message(Msg::VmExited, &[], 7, 7), (1, "bantam: exit status 7\n".into()));
        assert_eq!(message(Msg::VmKilled, &[], 15, 143), (1, "bantam: killed by SIGTERM (143)\n".into()));
        assert_eq!(
            message(Msg::MountFailed, &["/sys"], 1, 0),
            (1, "bantam: warning: mount /sys: EPERM\n".into())
        );
        assert_eq!(message(Msg::RebootFailed, &[], 1, 0), (0, "bantam: reboot: EPERM\n".into()));
    }

    #[test]
    fn output_lines_are_the_librarys() {
        for (msg, line) in [
            (Msg::Version, crate::VERSION_LINE),
            (Msg::TiniVersion, crate::TINI_VERSION_LINE),
            (Msg::License, crate::LICENSE_LINE),
        ] {
            let mut out = Line::default();
            format(&mut out, msg, &[], 0, 0);
            assert_eq!(out.finish(), line);
        }
    }

    /// bantam's `--help` (the black-box tests check its content): the usage line, then the
    /// options, each fitting a line of [`LONGEST`].
    #[test]
    fn help() {
        let letters = crate::cli::Personality::Native.short_names();
        let mut usage = Line::default();
        assert_eq!(format(&mut usage, Msg::Usage, &[b"bantam", letters], 0, 0), OUTPUT);
        assert_eq!(usage.finish(), b"usage: bantam [-gaspretdvPqVh] [--] PROGRAM [ARG]...\n");
        let mut line = Line::default();
        assert_eq!(format(&mut line, Msg::Usage, &[b"bantam", letters], 1, 0), OUTPUT);
        let help = String::from_utf8(line.finish().to_vec()).unwrap();
        assert!(
            help.starts_with("usage: bantam [-gaspretdvPqVh] [--] PROGRAM [ARG]...\n-g --group\t"),
            "{help}"
        );
        assert!(help.ends_with("-h --help\n") && help.len() < LONGEST, "{help}");
        assert!(help.lines().count() <= 24 && help.lines().all(|l| l.len() <= 80));
    }

    /// The packed templates expand to src/messages.rs's texts, byte for byte, within the
    /// expansion stack's depth.
    #[test]
    fn packed_templates_expand_to_the_texts() {
        // As format expands them: a stack of second halves.
        let (mut text, mut pending, mut deepest) = (Vec::new(), Vec::new(), 0);
        for &packed in &PACKED {
            pending.push(packed);
            while let Some(mut byte) = pending.pop() {
                while let Some(&[first, second]) = PAIRS.get(usize::from(byte).wrapping_sub(0x80)) {
                    pending.push(second);
                    byte = first;
                }
                deepest = deepest.max(pending.len());
                text.push(byte);
            }
        }
        let mut templates = crate::TEMPLATES.to_owned();
        if cfg!(feature = "vm") {
            templates.push_str(crate::VM_TEMPLATES);
        }
        assert_eq!(text, templates.as_bytes());
        assert!(deepest <= DEPTH && DEPTH <= 7);
        assert!(PACKED.len() + 2 * PAIRS.len() < crate::TEMPLATES.len());
    }

    #[test]
    fn fills_placeholders() {
        // Texts used up print as nothing; a usage error without an argument has no colon.
        assert_eq!(message(Msg::NoProgram, &["", ""], 0, 0).1, "bantam: no program to run\n");
        assert_eq!(message(Msg::ExecFailed, &[], 99, 0).1, "bantam: exec : errno 99\n");
        assert_eq!(message(Msg::Killed, &[], 40, 0).1, "bantam: child killed by signal 40\n");
        assert_eq!(message(Msg::Killed, &[], 0, 0).1, "bantam: child killed by signal 0\n");
        assert_eq!(message(Msg::Forwarding, &[], 15, 7).1, "bantam: forwarding SIGTERM to 7\n");
        // %d is signed: a process group, and the extremes.
        for n in [i64::MIN, -1, 0, i64::MAX] {
            assert_eq!(
                message(Msg::Forwarding, &[], 9, n as u64).1,
                format!("bantam: forwarding SIGKILL to {n}\n")
            );
        }
        assert_eq!(message(Msg::Orphans, &[], u64::MAX, 0).1, format!("bantam: orphans reaped: {}\n", -1));
    }

    #[test]
    fn long_lines_are_cut_not_overflowed() {
        let mut line = Line::new(b"bantam: ");
        for _ in 0..100 {
            line.push(b"0123456789");
        }
        let out = line.finish();
        assert_eq!(out.len(), LONGEST);
        assert_eq!(out.last(), Some(&b'\n'));
    }
}
