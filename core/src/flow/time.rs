//! Time as the caller tells it. The core never reads a clock: every state machine takes `now`.

use std::fmt;
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

/// RFC 3339 in UTC, `2026-01-01T00:00:00Z`, with `.mmm` when the milliseconds are not zero:
/// for logs and for fields the APIs take as date-time strings.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let millis = self.0 % 1000;
        // At most u64::MAX / 1000 seconds, so every step below fits an i64.
        let seconds = (self.0 / 1000) as i64;
        let (days, second_of_day) = (seconds / 86_400, seconds % 86_400);
        let (year, month, day) = civil_from_days(days);
        let (hour, minute, second) =
            (second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
        write!(f, "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}")?;
        if millis != 0 {
            write!(f, ".{millis:03}")?;
        }
        f.write_str("Z")
    }
}

/// The proleptic Gregorian date of `days` days after 1970-01-01 (Howard Hinnant's
/// civil-from-days, for days that are not negative).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
    fn displays_as_rfc3339_in_utc() {
        let shown = |millis: u64| Timestamp::from_unix_millis(millis).to_string();
        assert_eq!(shown(0), "1970-01-01T00:00:00Z");
        assert_eq!(shown(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(shown(1_767_225_600_123), "2026-01-01T00:00:00.123Z");
        assert_eq!(shown(1_767_225_599_000), "2025-12-31T23:59:59Z");
        assert_eq!(shown(4_107_542_400_000), "2100-03-01T00:00:00Z");
        assert_eq!(shown(253_402_300_799_999), "9999-12-31T23:59:59.999Z");
        assert_eq!(shown(u64::MAX), "584556019-04-03T14:25:51.615Z");
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
