//! How a reaped child's wait status becomes bantam's exit code.

/// The raw status word `wait4` fills in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitStatus(pub i32);

/// How a child ended, decoded from its [`WaitStatus`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    Exited(u8),
    Killed { signal: u8, core_dumped: bool },
}

impl WaitStatus {
    /// Decodes the status as `WIFEXITED`/`WIFSIGNALED` do. bantam never asks for stopped
    /// or continued children, so every status it sees is one of the two.
    pub fn ending(self) -> Ending {
        let low = self.0 & 0x7f;
        if low == 0 {
            Ending::Exited(((self.0 >> 8) & 0xff) as u8)
        } else {
            Ending::Killed { signal: low as u8, core_dumped: self.0 & 0x80 != 0 }
        }
    }

    /// The shell's convention: the exit status, or 128 + the signal that killed it.
    pub fn exit_code(self) -> u8 {
        match self.ending() {
            Ending::Exited(code) => code,
            Ending::Killed { signal, .. } => 128u8.wrapping_add(signal),
        }
    }
}

/// `-e CODE`: the exit codes that bantam reports as 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExitRemap([u64; 4]);

impl ExitRemap {
    pub fn add(&mut self, code: u8) {
        if let Some(word) = self.0.get_mut(usize::from(code / 64)) {
            *word |= 1 << (code % 64);
        }
    }

    // In line: x86_64 otherwise keeps a 22-byte function for its one caller.
    #[inline(always)]
    pub fn apply(&self, code: u8) -> u8 {
        match self.0.get(usize::from(code / 64)) {
            Some(word) if word & (1 << (code % 64)) != 0 => 0,
            _ => code,
        }
    }

    /// Parses one exit code, 0 to 255.
    pub fn parse_code(text: &[u8]) -> Option<u8> {
        crate::signal::parse_number(text).and_then(|n| u8::try_from(n).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_statuses_pass_through() {
        for code in 0..=255u8 {
            let status = WaitStatus(i32::from(code) << 8);
            assert_eq!(status.ending(), Ending::Exited(code));
            assert_eq!(status.exit_code(), code);
        }
    }

    #[test]
    fn deaths_by_signal_are_128_plus_n() {
        for n in 1..=64u8 {
            let status = WaitStatus(i32::from(n));
            assert_eq!(status.exit_code(), 128 + n);
            assert_eq!(status.ending(), Ending::Killed { signal: n, core_dumped: false });
        }
        let core = WaitStatus(11 | 0x80);
        assert_eq!(core.ending(), Ending::Killed { signal: 11, core_dumped: true });
        assert_eq!(core.exit_code(), 139);
    }

    #[test]
    fn remap_turns_chosen_codes_into_zero() {
        let mut remap = ExitRemap::default();
        remap.add(143);
        remap.add(0);
        remap.add(255);
        remap.add(64);
        assert_eq!(remap.apply(143), 0);
        assert_eq!(remap.apply(255), 0);
        assert_eq!(remap.apply(64), 0);
        assert_eq!(remap.apply(63), 63);
        assert_eq!(remap.apply(1), 1);
        assert_eq!(remap.apply(0), 0);
    }

    #[test]
    fn exit_codes_parse_in_range_only() {
        assert_eq!(ExitRemap::parse_code(b"0"), Some(0));
        assert_eq!(ExitRemap::parse_code(b"255"), Some(255));
        for bad in [&b"256"[..], b"-1", b"", b"1x", b"0x10", b"99999999999"] {
            assert_eq!(ExitRemap::parse_code(bad), None, "{bad:?}");
        }
    }
}
