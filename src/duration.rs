//! Durations on the command line: `500ms`, `10s`, `2m`, `1h`, or plain seconds.

use crate::signal::parse_number;

/// Parses a duration into milliseconds. The number must be whole and the unit one of
/// `ms`, `s`, `m`, `h` (none means seconds); anything else is refused.
// Out of line on x86_64, where inlining its one caller (cli's apply) costs more than the
// call.
#[cfg_attr(target_arch = "x86_64", inline(never))]
pub fn parse_millis(text: &[u8]) -> Option<u64> {
    // The unit is read from the end; whatever is left must be a whole number.
    let (number, scale): (&[u8], u64) = match text.split_last() {
        Some((b's', rest)) => match rest.split_last() {
            Some((b'm', number)) => (number, 1),
            _ => (rest, 1000),
        },
        Some((b'm', rest)) => (rest, 60_000),
        Some((b'h', rest)) => (rest, 3_600_000),
        _ => (text, 1000),
    };
    u64::from(parse_number(number)?).checked_mul(scale)
}

#[cfg(test)]
mod tests {
    use super::parse_millis;

    #[test]
    fn accepts_every_unit() {
        assert_eq!(parse_millis(b"500ms"), Some(500));
        assert_eq!(parse_millis(b"10s"), Some(10_000));
        assert_eq!(parse_millis(b"2m"), Some(120_000));
        assert_eq!(parse_millis(b"1h"), Some(3_600_000));
        assert_eq!(parse_millis(b"7"), Some(7_000));
        assert_eq!(parse_millis(b"0"), Some(0));
        assert_eq!(parse_millis(b"999999999h"), Some(999_999_999 * 3_600_000));
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            &b""[..],
            b"s",
            b"ms",
            b"-1s",
            b"1.5s",
            b"10 s",
            b"10S",
            b"10sec",
            b"1d",
            b"1m1s",
            b"1234567890",
            b"+1",
            b"0x10",
        ] {
            assert_eq!(parse_millis(bad), None, "{bad:?}");
        }
    }
}
