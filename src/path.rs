//! Where a program name is looked up, as execvp does it.

use crate::text::{find, split_once};

/// Used when the environment has no `PATH`.
pub const DEFAULT_PATH: &[u8] = b"/usr/local/bin:/usr/bin:/bin";

/// The NUL-terminated candidate paths for `program`, in the order execvp tries them: the
/// name itself when it contains a `/`, else `dir/program` for each PATH entry (an empty
/// entry means the current directory). Each candidate is written into `buf`; one that
/// does not fit (longer than PATH_MAX) is skipped, as C libraries skip it.
pub struct Candidates<'a> {
    program: &'a [u8],
    /// The PATH entries not tried yet; None once the list is used up.
    rest: Option<&'a [u8]>,
}

impl<'a> Candidates<'a> {
    pub fn new(program: &'a [u8], path: Option<&'a [u8]>) -> Candidates<'a> {
        // A name with a slash is tried as it is: as the one, empty, PATH entry.
        let rest = if find(program, b'/').is_some() { b"" } else { path.unwrap_or(DEFAULT_PATH) };
        // An empty name names no file (execvp: ENOENT), not each PATH directory.
        Candidates { program, rest: Some(rest).filter(|_| !program.is_empty()) }
    }

    /// Writes the next candidate into `buf`, NUL included; false when none is left.
    pub fn next_into<B: PathBuf>(&mut self, buf: &mut B) -> bool {
        loop {
            let Some(rest) = self.rest else { return false };
            let (dir, tail) = split_once(rest, b':');
            self.rest = tail;
            // A path too long for `buf` cannot be executed; try the next directory.
            if join(dir, self.program, buf) {
                return true;
            }
        }
    }
}

/// Where a candidate is written, byte by byte: the binary's buffer is one it does not zero
/// first (4 KB that a memset would clear for nothing), and a slice copy would be a call
/// to memcpy.
pub trait PathBuf {
    /// Empties the buffer.
    fn clear(&mut self);
    /// Appends `byte`; false if the buffer is full.
    fn push(&mut self, byte: u8) -> bool;
}

/// Writes `dir/program` and a NUL into `buf` (just `program` for an empty `dir`); false
/// if they do not fit. One loop copies a part and the byte that ends it: the slash after
/// `dir`, the NUL after `program`. The slash is written even after an empty `dir` and then
/// cleared with it (then the buffer held nothing else), which is smaller than a branch
/// around it; a buffer too small for the slash is too small for the NUL as well.
fn join<B: PathBuf>(dir: &[u8], program: &[u8], buf: &mut B) -> bool {
    buf.clear();
    let (mut part, mut end) = (dir, b'/');
    loop {
        if !(part.iter().all(|&byte| buf.push(byte)) && buf.push(end)) {
            return false;
        }
        if end == 0 {
            return true;
        }
        if dir.is_empty() {
            buf.clear();
        }
        (part, end) = (program, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A buffer of `size` bytes at most.
    struct Buf(Vec<u8>, usize);

    impl PathBuf for Buf {
        fn clear(&mut self) {
            self.0.clear();
        }

        fn push(&mut self, byte: u8) -> bool {
            self.0.len() < self.1 && {
                self.0.push(byte);
                true
            }
        }
    }

    fn all(program: &[u8], path: Option<&[u8]>, size: usize) -> Vec<String> {
        let mut c = Candidates::new(program, path);
        let mut buf = Buf(Vec::new(), size);
        let mut out = vec![];
        while c.next_into(&mut buf) {
            out.push(String::from_utf8(buf.0.clone()).unwrap());
        }
        out
    }

    #[test]
    fn searches_each_path_entry_in_order() {
        assert_eq!(all(b"ls", Some(b"/a:/b/c"), 64), ["/a/ls\0", "/b/c/ls\0"]);
        assert_eq!(all(b"ls", None, 64), ["/usr/local/bin/ls\0", "/usr/bin/ls\0", "/bin/ls\0"]);
    }

    #[test]
    fn empty_entries_mean_the_current_directory() {
        assert_eq!(all(b"x", Some(b":/a:"), 64), ["x\0", "/a/x\0", "x\0"]);
        assert_eq!(all(b"x", Some(b""), 64), ["x\0"]);
    }

    #[test]
    fn an_empty_name_has_no_candidates() {
        assert!(all(b"", Some(b"/a:/b"), 64).is_empty());
        assert!(all(b"", None, 64).is_empty());
    }

    #[test]
    fn a_name_with_a_slash_is_not_searched() {
        assert_eq!(all(b"./run", Some(b"/a:/b"), 64), ["./run\0"]);
        assert_eq!(all(b"/bin/sh", None, 64), ["/bin/sh\0"]);
    }

    #[test]
    fn entries_too_long_are_skipped() {
        assert_eq!(all(b"prog", Some(b"/a-very-long-dir:/b"), 10), ["/b/prog\0"]);
        assert!(all(b"/too/long/for/the/buffer", None, 8).is_empty());
        assert!(all(b"x", Some(b"/a"), 0).is_empty());
        // Exact fits: the slash after an empty entry takes no room in the end.
        assert_eq!(all(b"x", Some(b"::/a"), 2), ["x\0", "x\0"]);
        assert_eq!(all(b"x", Some(b"/a"), 5), ["/a/x\0"]);
        assert!(all(b"x", Some(b"/a"), 4).is_empty());
    }
}
