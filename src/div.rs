//! Division of a 64-bit number by a small constant (10, 1000), without the 64-bit division
//! routine on 32-bit arches: there `/` on a u64 calls compiler_builtins' `__udivdi3`
//! (`__aeabi_uldivmod` on arm), several hundred bytes. Here the number is divided in 32- and
//! 16-bit pieces, as by hand. 64-bit arches divide natively.
//!
//! arm (v6, and v7-A without the optional divide instructions) has no division at all, and
//! LLVM, optimizing for size, calls a routine even for a constant divisor; so there each
//! piece is divided by a multiplication with the divisor's reciprocal, checked at compile
//! time to be exact for every 32-bit number.

/// `(n / D, n % D)` for `1 <= D <= 65535`.
#[inline(always)]
pub fn div_rem<const D: u32>(n: u64) -> (u64, u32) {
    if cfg!(target_pointer_width = "64") {
        (n / D as u64, (n % D as u64) as u32)
    } else {
        div_rem_pieces::<D>(n)
    }
}

/// `n / D` for a 32-bit `n`: an arm multiplication, elsewhere the divide instruction.
#[inline(always)]
pub fn div32<const D: u32>(n: u32) -> u32 {
    div_rem32::<D>(n).0
}

/// `(n / D, n % D)` for a 32-bit `n` (one divide instruction gives both where there is one).
#[inline(always)]
fn div_rem32<const D: u32>(n: u32) -> (u32, u32) {
    if cfg!(target_arch = "arm") {
        let q = by_reciprocal::<D>(n);
        (q, n - q * D)
    } else {
        (n / D, n % D)
    }
}

/// `div_rem` in pieces: the high 32 bits, then the low ones 16 at a time, each step taking
/// the last remainder (< D) into the next piece's top, so that every dividend fits 32 bits.
#[inline(always)]
fn div_rem_pieces<const D: u32>(n: u64) -> (u64, u32) {
    const { assert!(D <= 0xffff, "the remainder and 16 bits must fit 32") };
    let (hi, lo) = ((n >> 32) as u32, n as u32);
    let (q2, r2) = div_rem32::<D>(hi);
    let (q1, r1) = div_rem32::<D>(r2 << 16 | lo >> 16);
    let (q0, r0) = div_rem32::<D>(r1 << 16 | (lo & 0xffff));
    ((q2 as u64) << 32 | (q1 << 16 | q0) as u64, r0)
}

/// `n / D` as `n * M >> S`, with `M` the reciprocal rounded up: `M = ceil(2^S / D)` for
/// `S = 32 + floor(log2 D)`. Its excess `e = M * D - 2^S` adds `n * e / (D * 2^S)` to the
/// quotient, less than `1 / D` (so the floor is unchanged) when `e <= 2^S / 2^32`.
#[inline(always)]
fn by_reciprocal<const D: u32>(n: u32) -> u32 {
    ((n as u64 * Reciprocal::<D>::M as u64) >> Reciprocal::<D>::S) as u32
}

struct Reciprocal<const D: u32>;

impl<const D: u32> Reciprocal<D> {
    const S: u32 = 32 + (31 - D.leading_zeros());
    const M: u32 = {
        let m = (1u64 << Self::S).div_ceil(D as u64);
        let excess = m * D as u64 - (1u64 << Self::S);
        assert!(m <= u32::MAX as u64 && excess <= 1 << (Self::S - 32), "no exact 32-bit reciprocal");
        m as u32
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers() -> Vec<u64> {
        let mut numbers = vec![0, 1, 9, 10, 11, 999, 1000, 1001, 65_535, 65_536, u32::MAX as u64];
        numbers.extend([1 << 32, (1 << 32) + 7, (1 << 48) - 1, u64::MAX - 1, u64::MAX]);
        // And a spread of others (a fixed linear congruential sequence).
        let mut x = 0x1234_5678_9abc_def0_u64;
        for _ in 0..10_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            numbers.extend([x, x >> 20, x >> 40]);
        }
        numbers
    }

    fn check_pieces<const D: u32>() {
        for n in numbers() {
            assert_eq!(div_rem_pieces::<D>(n), (n / D as u64, (n % D as u64) as u32), "{n} / {D}");
            assert_eq!(div_rem::<D>(n), div_rem_pieces::<D>(n));
        }
    }

    fn check_reciprocal<const D: u32>() {
        for n in numbers() {
            let n = n as u32;
            assert_eq!(by_reciprocal::<D>(n), n / D, "{n} / {D}");
        }
        // Where a reciprocal's error would show first: just below each multiple of D.
        for q in [1, 2, u32::MAX / D - 1, u32::MAX / D] {
            for n in [q * D - 1, q * D] {
                assert_eq!(by_reciprocal::<D>(n), n / D, "{n} / {D}");
            }
        }
        assert_eq!(by_reciprocal::<D>(u32::MAX), u32::MAX / D);
    }

    #[test]
    fn pieces_and_reciprocals_divide_as_the_machine_does() {
        // The divisors bantam uses (10: decimal digits; 1000 and 10^6: milliseconds), and a few
        // whose reciprocals also pass the compile-time check.
        check_pieces::<10>();
        check_pieces::<1000>();
        check_pieces::<60>();
        check_reciprocal::<10>();
        check_reciprocal::<1000>();
        check_reciprocal::<1_000_000>();
        check_reciprocal::<3>();
        check_reciprocal::<60>();
    }
}
