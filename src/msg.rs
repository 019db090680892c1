//! Diagnostic lines, built on the stack and written with one call, and errno names.
//!
//! Every message is a template with placeholders filled from a few values, so that a call
//! site costs a template and its values, not one call per piece: `started %s as pid %d`.

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
        if n >= 10 {
            self.push_number(n / 10);
        }
        self.push(&[b'0' + (n % 10) as u8])
    }
}

/// One line of output under construction. Text that does not fit is cut, never a panic.
pub struct Line {
    buf: [u8; 256],
    len: usize,
}

impl Default for Line {
    fn default() -> Self {
        Line { buf: [0; 256], len: 0 }
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

/// Writes `template` into `line`, replacing each placeholder with the next value of its
/// kind: `%s` a text, `%d` a number in decimal, taken as signed (a process group prints
/// as `-pgid`), `%S` a number as a signal (`SIGTERM`,
/// `signal 40`), `%E` a number as an errno (`ENOENT`). A placeholder without a value left
/// is dropped; any other byte is copied.
pub fn format<S: Sink>(line: &mut S, template: &[u8], texts: &[&[u8]], numbers: &[u64]) {
    let (mut texts, mut numbers) = (texts.iter(), numbers.iter());
    let mut rest = template;
    while let Some((&b, tail)) = rest.split_first() {
        rest = tail;
        let kind = match (b, rest.split_first()) {
            (b'%', Some((&kind, tail))) => {
                rest = tail;
                kind
            }
            _ => {
                line.push(core::slice::from_ref(&b));
                continue;
            }
        };
        if kind == b's' {
            line.push(texts.next().copied().unwrap_or_default());
            continue;
        }
        let Some(&n) = numbers.next() else { continue };
        match kind {
            b'S' => push_signal(line, n),
            b'E' => push_errno(line, n),
            _ if (n as i64) < 0 => line.push(b"-").push_number((n as i64).unsigned_abs()),
            _ => line.push_number(n),
        };
    }
}

/// Appends the signal's name (`SIGTERM`), or `signal N` for one without a name.
pub fn push_signal<S: Sink>(line: &mut S, n: u64) -> &mut S {
    match Signal::new(n as u32).and_then(Signal::name) {
        Some(name) => line.push(b"SIG").push(name),
        None => line.push(b"signal ").push_number(n),
    }
}

/// Names of the errors bantam can report, by number 1..=40 (asm-generic numbering, shared
/// by x86_64 and aarch64), each followed by a space; an empty word for a number none of
/// its calls returns (execve, clone, prctl, rt_sigprocmask, rt_sigtimedwait: see their
/// man pages), which is then shown as `errno N`.
const ERRNO_NAMES: &[u8] = b"EPERM ENOENT   EIO  E2BIG ENOEXEC   EAGAIN ENOMEM EACCES EFAULT      ENOTDIR \
EISDIR EINVAL ENFILE EMFILE  ETXTBSY  ENOSPC        ENAMETOOLONG  ENOSYS  ELOOP ";

/// Appends the errno's name (`ENOENT`), or `errno N` for one without a name here.
pub fn push_errno<S: Sink>(line: &mut S, errno: u64) -> &mut S {
    match nth_word(ERRNO_NAMES, (errno as usize).wrapping_sub(1)) {
        Some(name) if !name.is_empty() => line.push(name),
        _ => line.push(b"errno ").push_number(errno),
    }
}

#[cfg(test)]
mod tests {
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

    fn formatted(template: &str, texts: &[&str], numbers: &[u64]) -> String {
        let texts: Vec<&[u8]> = texts.iter().map(|t| t.as_bytes()).collect();
        let mut line = Line::new(b"bantam: ");
        format(&mut line, template.as_bytes(), &texts, numbers);
        String::from_utf8(line.finish().to_vec()).unwrap()
    }

    #[test]
    fn fills_templates() {
        assert_eq!(formatted("started %s as pid %d", &["sh"], &[42]), "bantam: started sh as pid 42\n");
        assert_eq!(formatted("exec %s: %E", &["x"], &[2]), "bantam: exec x: ENOENT\n");
        assert_eq!(formatted("%E", &[], &[99]), "bantam: errno 99\n");
        assert_eq!(formatted("forwarding %S to %d", &[], &[15, 7]), "bantam: forwarding SIGTERM to 7\n");
        assert_eq!(formatted("got %S", &[], &[40]), "bantam: got signal 40\n");
        assert_eq!(formatted("got %S", &[], &[0]), "bantam: got signal 0\n");
        assert_eq!(formatted("%s: %s (see)", &["bad", "x"], &[]), "bantam: bad: x (see)\n");
        // Placeholders without values vanish; a lone % at the end stays.
        assert_eq!(formatted("a%sb%dc%", &[], &[]), "bantam: abc%\n");
        assert_eq!(formatted("%d%d%d", &[], &[1, 2]), "bantam: 12\n");
        // %d is signed: a process group, and the extremes.
        assert_eq!(formatted("to %d", &[], &[-42i64 as u64]), "bantam: to -42\n");
        assert_eq!(formatted("%d", &[], &[i64::MIN as u64]), format!("bantam: {}\n", i64::MIN));
        assert_eq!(formatted("%d", &[], &[i64::MAX as u64]), format!("bantam: {}\n", i64::MAX));
    }

    #[test]
    fn long_lines_are_cut_not_overflowed() {
        let mut line = Line::new(b"bantam: ");
        for _ in 0..100 {
            line.push(b"0123456789");
        }
        let out = line.finish();
        assert_eq!(out.len(), 256);
        assert_eq!(out.last(), Some(&b'\n'));
    }
}
