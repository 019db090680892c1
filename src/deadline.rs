//! Deadlines for graceful shutdown (SPEC §5): instants on CLOCK_MONOTONIC and the
//! timeout rt_sigtimedwait should wait for, computed without overflow.

use crate::signal::{SIGINT, SIGQUIT, SIGTERM, Signal};

/// A CLOCK_MONOTONIC instant or a span of time, laid out as the kernel's timespec.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant {
    pub sec: i64,
    pub nsec: i64,
}

impl Instant {
    /// `self` plus `ms` milliseconds, saturating far in the future.
    pub fn after_millis(self, ms: u64) -> Instant {
        let secs = i64::try_from(ms / 1000).unwrap_or(i64::MAX);
        let mut nsec = self.nsec + ((ms % 1000) as i64) * 1_000_000;
        let mut sec = self.sec.saturating_add(secs);
        if nsec >= 1_000_000_000 {
            nsec -= 1_000_000_000;
            sec = sec.saturating_add(1);
        }
        Instant { sec, nsec }
    }

    /// The time left from `now` until `self`, or None once `self` has passed.
    pub fn remaining_from(self, now: Instant) -> Option<Instant> {
        if self <= now {
            return None;
        }
        let (mut sec, mut nsec) = (self.sec - now.sec, self.nsec - now.nsec);
        if nsec < 0 {
            nsec += 1_000_000_000;
            sec -= 1;
        }
        Some(Instant { sec, nsec })
    }
}

/// Signals that ask the program to stop, after which `--grace` arms its deadline.
/// SIGHUP is left out on purpose: servers commonly take it as "reload", and a reload must
/// not end with a SIGKILL.
pub fn is_termination(sig: Signal) -> bool {
    sig == SIGTERM || sig == SIGINT || sig == SIGQUIT
}

/// The drain window when `--drain` is given without `--grace`: Docker's default stop
/// timeout, so a `docker stop` that follows is not cut short by bantam.
pub const DEFAULT_DRAIN_MS: u64 = 10_000;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::{SIGHUP, SIGUSR1};

    const fn at(sec: i64, nsec: i64) -> Instant {
        Instant { sec, nsec }
    }

    #[test]
    fn adds_milliseconds_with_carry() {
        assert_eq!(at(1, 0).after_millis(500), at(1, 500_000_000));
        assert_eq!(at(1, 700_000_000).after_millis(500), at(2, 200_000_000));
        assert_eq!(at(1, 999_999_999).after_millis(1), at(2, 999_999));
        assert_eq!(at(5, 0).after_millis(120_000), at(125, 0));
        assert_eq!(at(i64::MAX, 0).after_millis(u64::MAX).sec, i64::MAX);
    }

    #[test]
    fn remaining_time_until_a_deadline() {
        assert_eq!(at(3, 0).remaining_from(at(1, 500_000_000)), Some(at(1, 500_000_000)));
        assert_eq!(at(3, 200).remaining_from(at(3, 100)), Some(at(0, 100)));
        assert_eq!(at(3, 0).remaining_from(at(3, 0)), None);
        assert_eq!(at(3, 0).remaining_from(at(4, 0)), None);
    }

    #[test]
    fn termination_signals() {
        assert!(is_termination(SIGTERM) && is_termination(SIGINT) && is_termination(SIGQUIT));
        assert!(!is_termination(SIGHUP) && !is_termination(SIGUSR1));
    }
}
