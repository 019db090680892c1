//! Durations on the command line: `500ms`, `10s`, `2m`, `1h`, or plain seconds.

use crate::signal::parse_number;

/// Parses a duration into milliseconds. The number must be whole and the unit one of
/// `ms`, `s`, `m`, `h` (none means seconds); anything else is refused.
pub fn parse_millis(text: &[u8]) -> Option<u64> {
    let digits = text.iter().take_while(|b| b.is_ascii_digit()).count();
    let (number, unit) = text.split_at_checked(digits)?;
    let scale: u64 = match unit {
        b"" | b"s" => 1000,
        b"ms" => 1,
        b"m" => 60_000,
        b"h" => 3_600_000,
        _ => return None,
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
