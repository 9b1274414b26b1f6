//! Time as the caller tells it. The core never reads a clock: every state machine takes `now`.

use std::time::Duration;

/// A point in time, in milliseconds since the Unix epoch, supplied by the caller (the real
/// clock in a transport, a simulated one in tests).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(u64);

impl Timestamp {
    /// The time `millis` milliseconds after the Unix epoch.
    pub const fn from_unix_millis(millis: u64) -> Self {
        Self(millis)
    }

    /// The time `seconds` seconds after the Unix epoch.
    pub const fn from_unix_secs(seconds: u64) -> Self {
        Self(seconds.saturating_mul(1000))
    }

    /// Milliseconds since the Unix epoch.
    pub const fn unix_millis(self) -> u64 {
        self.0
    }

    /// This time plus `duration`, saturating.
    pub fn plus(self, duration: Duration) -> Self {
        Self(self.0.saturating_add(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)))
    }

    /// How long after `earlier` this is; zero if it is not after.
    pub fn since(self, earlier: Timestamp) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }

    /// The current time of the system clock, for transports (never used by the core itself).
    pub fn now_from_system_clock() -> Self {
        let since_epoch =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        Self(u64::try_from(since_epoch.as_millis()).unwrap_or(u64::MAX))
    }
}

/// A tiny deterministic random source (xorshift64*) for retry jitter, seeded by the caller's
/// time so that the same inputs give the same waits.
#[derive(Clone, Debug)]
pub(crate) struct Jitter(u64);

impl Jitter {
    pub(crate) fn seeded(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }

    /// A number in `[0, 1)`.
    pub(crate) fn next_unit(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        let value = x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        value as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates() {
        let t = Timestamp::from_unix_secs(10);
        assert_eq!(t.plus(Duration::from_millis(1500)).unix_millis(), 11_500);
        assert_eq!(t.since(Timestamp::from_unix_secs(4)), Duration::from_secs(6));
        assert_eq!(Timestamp::from_unix_secs(4).since(t), Duration::ZERO);
        assert_eq!(
            Timestamp::from_unix_millis(u64::MAX).plus(Duration::from_secs(1)).unix_millis(),
            u64::MAX
        );
    }

    #[test]
    fn jitter_is_deterministic_and_in_range() {
        let mut a = Jitter::seeded(42);
        let mut b = Jitter::seeded(42);
        for _ in 0..1000 {
            let x = a.next_unit();
            assert_eq!(x, b.next_unit());
            assert!((0.0..1.0).contains(&x));
        }
    }
}
