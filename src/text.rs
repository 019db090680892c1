//! Byte-string helpers: comparison, search and word lists.
//!
//! These are plain byte loops on purpose. core's slice equality, `contains`,
//! `eq_ignore_ascii_case` and `split` pull `memcmp`, word-at-a-time `memchr` or vectorised
//! code into the binary, several times its size for the few short strings bantam looks at.

/// Whether `text` equals `pattern`; with `fold`, ASCII letters of `text` match the
/// uppercase letters of `pattern` whatever their case (`pattern` must be uppercase).
pub fn eq(text: &[u8], pattern: &[u8], fold: bool) -> bool {
    text.len() == pattern.len() && strip_prefix(text, pattern, fold).is_some()
}

/// `text` without its leading `prefix` (compared as [`eq`] does), or None.
pub fn strip_prefix<'a>(text: &'a [u8], prefix: &[u8], fold: bool) -> Option<&'a [u8]> {
    let (head, rest) = text.split_at_checked(prefix.len())?;
    let same = head.iter().zip(prefix).all(|(&b, &p)| (if fold { b.to_ascii_uppercase() } else { b }) == p);
    if same { Some(rest) } else { None }
}

/// The position of the first `byte` in `text`.
// In line on aarch64 too, whose low inlining threshold (.cargo/config.toml) would keep a
// 56-byte out-of-line copy of the iterator's search for two short loops.
#[cfg_attr(target_arch = "aarch64", inline(always))]
pub fn find(text: &[u8], byte: u8) -> Option<usize> {
    text.iter().position(|&b| b == byte)
}

/// Splits `text` at the first `byte`: the part before it, and the rest after it (None
/// when `byte` does not occur).
// Always in line on x86_64: it is there anyway, but with the hint the inliner settles it
// first, which leaves smaller callers (measured).
#[cfg_attr(target_arch = "x86_64", inline(always))]
pub fn split_once(text: &[u8], byte: u8) -> (&[u8], Option<&[u8]>) {
    let mut rest = text;
    while let Some((&b, tail)) = rest.split_first() {
        if b == byte {
            let head = text.get(..text.len() - rest.len()).unwrap_or_default();
            return (head, Some(tail));
        }
        rest = tail;
    }
    (text, None)
}

/// The index of `word` in `list`, a run of words each followed by one space, compared as
/// [`eq`] does.
// One pass over the list with no calls: a leaf needs no frame.
pub fn word_index(list: &[u8], word: &[u8], fold: bool) -> Option<u32> {
    let mut index = 0;
    // How many bytes of `word` the list's current word matches so far; past its length
    // once it differs.
    let differs = word.len() + 1;
    let mut matched = 0;
    for &p in list {
        if p == b' ' {
            if matched == word.len() {
                return Some(index);
            }
            index += 1;
            matched = 0;
        } else {
            matched = match word.get(matched) {
                Some(&b) if (if fold { b.to_ascii_uppercase() } else { b }) == p => matched + 1,
                _ => differs,
            };
        }
    }
    None
}

/// The `n`th word (from 0) of `list`, a run of words each followed by one space.
// Out of line, but in line on aarch64, where that is 4 bytes smaller (measured).
#[cfg_attr(not(target_arch = "aarch64"), inline(never))]
#[cfg_attr(target_arch = "aarch64", inline(always))]
pub fn nth_word(list: &[u8], n: usize) -> Option<&[u8]> {
    // The current word runs from `word` up to `rest`.
    let (mut word, mut rest, mut left) = (list, list, n);
    while let Some((&b, tail)) = rest.split_first() {
        if b == b' ' {
            if left == 0 {
                return word.get(..word.len() - rest.len());
            }
            left -= 1;
            word = tail;
        }
        rest = tail;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_exactly_or_folding_case() {
        assert!(eq(b"TERM", b"TERM", false));
        assert!(!eq(b"term", b"TERM", false));
        assert!(eq(b"term", b"TERM", true));
        assert!(eq(b"TeRm", b"TERM", true));
        assert!(eq(b"", b"", true));
        assert!(!eq(b"TER", b"TERM", true));
        assert!(!eq(b"TERMS", b"TERM", true));
        // Only ASCII letters fold: no other byte stands in for a digit or a sign.
        assert!(eq(b"usr1", b"USR1", true));
        assert!(!eq(b"USR\x11", b"USR1", true));
        assert!(!eq(b"\xc5", b"\xe5", true));
    }

    #[test]
    fn strips_prefixes() {
        assert_eq!(strip_prefix(b"sigterm", b"SIG", true), Some(&b"term"[..]));
        assert_eq!(strip_prefix(b"sigterm", b"SIG", false), None);
        assert_eq!(strip_prefix(b"SI", b"SIG", true), None);
        assert_eq!(strip_prefix(b"--x", b"--", false), Some(&b"x"[..]));
        assert_eq!(strip_prefix(b"x", b"", false), Some(&b"x"[..]));
    }

    #[test]
    fn finds_and_splits() {
        assert_eq!(find(b"a=b=c", b'='), Some(1));
        assert_eq!(find(b"abc", b'='), None);
        assert_eq!(split_once(b"a=b=c", b'='), (&b"a"[..], Some(&b"b=c"[..])));
        assert_eq!(split_once(b"=", b'='), (&b""[..], Some(&b""[..])));
        assert_eq!(split_once(b"abc", b'='), (&b"abc"[..], None));
    }

    #[test]
    fn word_lists() {
        let list = b"HUP INT QUIT ";
        assert_eq!(word_index(list, b"HUP", false), Some(0));
        assert_eq!(word_index(list, b"quit", true), Some(2));
        assert_eq!(word_index(list, b"quit", false), None);
        assert_eq!(word_index(list, b"QUI", false), None);
        assert_eq!(word_index(list, b"INT QUIT", false), None);
        assert_eq!(word_index(list, b"", false), None);
        assert_eq!(nth_word(list, 0), Some(&b"HUP"[..]));
        assert_eq!(nth_word(list, 2), Some(&b"QUIT"[..]));
        assert_eq!(nth_word(list, 3), None);
        assert_eq!(nth_word(list, usize::MAX), None);
    }
}
