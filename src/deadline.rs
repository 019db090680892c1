//! Deadlines for graceful shutdown (SPEC §5): CLOCK_MONOTONIC readings in whole
//! milliseconds (the unit of --grace), and the timeout rt_sigtimedwait should wait for.
//! Deadlines are plain millisecond counts: a subtraction, where timespecs would need a
//! carry and a borrow.

use crate::signal::{SIGINT, SIGQUIT, SIGTERM, Signal};

/// A CLOCK_MONOTONIC reading or a span of time, laid out as the kernel's timespec.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Instant {
    pub sec: i64,
    pub nsec: i64,
}

impl Instant {
    /// The reading in whole milliseconds. CLOCK_MONOTONIC counts from boot: 2^64 ms is
    /// 584 million years away, so no check for overflow.
    pub fn as_millis(self) -> u64 {
        // nsec is below 10^9: a 32-bit division (no 64-bit routine on 32-bit arches).
        let ms = crate::div::div32::<1_000_000>(self.nsec as u32);
        (self.sec as u64).wrapping_mul(1000).wrapping_add(u64::from(ms))
    }

    /// A span of `ms` milliseconds.
    pub fn from_millis(ms: u64) -> Instant {
        let (sec, ms) = crate::div::div_rem::<1000>(ms);
        Instant { sec: sec as i64, nsec: i64::from(ms * 1_000_000) }
    }
}

/// The time left from `now` until `deadline` (both in milliseconds), or None once the
/// deadline has come.
pub fn remaining(deadline: u64, now: u64) -> Option<Instant> {
    deadline.checked_sub(now).filter(|&left| left > 0).map(Instant::from_millis)
}

/// Signals that ask the program to stop, after which `--grace` arms its deadline.
/// SIGHUP is left out on purpose: servers commonly take it as "reload", and a reload must
/// not end with a SIGKILL.
pub fn is_termination(sig: Signal) -> bool {
    sig == SIGTERM || sig == SIGINT || sig == SIGQUIT
}

/// The drain window when `--drain` is given without `--grace`. Docker's and Compose's
/// default stop timeout is 10 s, after which they SIGKILL bantam: a child that stops at
/// once leaves the drain 8 s, and 2 s for bantam's own SIGKILL, the reaping and the exit
/// (README: Stopping).
pub const DEFAULT_DRAIN_MS: u64 = 8_000;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::{SIGHUP, SIGUSR1};

    const fn at(sec: i64, nsec: i64) -> Instant {
        Instant { sec, nsec }
    }

    #[test]
    fn readings_in_milliseconds() {
        assert_eq!(at(1, 0).as_millis(), 1000);
        assert_eq!(at(1, 500_000_000).as_millis(), 1500);
        assert_eq!(at(2, 999_999).as_millis(), 2000);
        assert_eq!(at(125, 999_999_999).as_millis(), 125_999);
        assert_eq!(at(18_446_744_073_709_551, 615_999_999).as_millis(), u64::MAX);
    }

    #[test]
    fn spans_from_milliseconds() {
        assert_eq!(Instant::from_millis(0), at(0, 0));
        assert_eq!(Instant::from_millis(500), at(0, 500_000_000));
        assert_eq!(Instant::from_millis(120_000), at(120, 0));
        assert_eq!(Instant::from_millis(1_999), at(1, 999_000_000));
        assert_eq!(Instant::from_millis(u64::MAX), at((u64::MAX / 1000) as i64, 615_000_000));
    }

    #[test]
    fn remaining_time_until_a_deadline() {
        assert_eq!(remaining(3000, 1500), Some(at(1, 500_000_000)));
        assert_eq!(remaining(3000, 2999), Some(at(0, 1_000_000)));
        assert_eq!(remaining(3000, 3000), None);
        assert_eq!(remaining(3000, 4000), None);
        // The farthest deadline: the whole span is left.
        assert_eq!(remaining(u64::MAX, 0), Some(Instant::from_millis(u64::MAX)));
    }

    /// supervise adds a window to the clock without a check for overflow: the command line
    /// must never give one near 2^64 ms.
    #[test]
    fn windows_leave_room_for_the_clock() {
        use crate::duration::parse_millis;
        let longest = parse_millis(b"999999999h").unwrap();
        assert_eq!(parse_millis(b"1000000000h"), None);
        assert_eq!(parse_millis(b"4294967296ms"), None);
        assert!(longest < 1 << 52 && DEFAULT_DRAIN_MS < longest);
    }

    #[test]
    fn termination_signals() {
        assert!(is_termination(SIGTERM) && is_termination(SIGINT) && is_termination(SIGQUIT));
        assert!(!is_termination(SIGHUP) && !is_termination(SIGUSR1));
    }
}
