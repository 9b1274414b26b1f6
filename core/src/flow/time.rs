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

    /// Reads an RFC 3339 date-time such as `2026-01-01T00:00:00Z` or
    /// `2026-01-01T02:00:00.25+02:00`, and the shorter form Java prints when the seconds are zero
    /// (`2026-01-01T00:00Z`), as the APIs' date-time fields carry them. Digits finer than a
    /// millisecond are dropped. `None` when the text is not such a time, or names one before the
    /// Unix epoch, which a `Timestamp` cannot hold.
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        let (date, time) = text.split_once(['T', 't', ' '])?;
        let mut date_fields = date.split('-');
        let year = fixed_digits(date_fields.next()?, 4)?;
        let month = fixed_digits(date_fields.next()?, 2)?;
        let day = fixed_digits(date_fields.next()?, 2)?;
        if date_fields.next().is_some()
            || !(1..=12).contains(&month)
            || !(1..=days_in_month(year, month)).contains(&day)
        {
            return None;
        }

        let (clock, offset_seconds) = split_utc_offset(time)?;
        let (clock, fraction) = match clock.split_once('.') {
            Some((clock, fraction)) => (clock, Some(fraction)),
            None => (clock, None),
        };
        let mut clock_fields = clock.split(':');
        let hour = fixed_digits(clock_fields.next()?, 2)?;
        let minute = fixed_digits(clock_fields.next()?, 2)?;
        let second = match clock_fields.next() {
            Some(second) => fixed_digits(second, 2)?,
            None if fraction.is_none() => 0,
            None => return None,
        };
        // A leap second (`:60`) is accepted and lands on the first second of the next minute.
        if clock_fields.next().is_some() || hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let millis = match fraction {
            Some(digits) => fraction_millis(digits)?,
            None => 0,
        };

        let seconds =
            days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
                - offset_seconds;
        let seconds = u64::try_from(seconds).ok()?;
        seconds.checked_mul(1000)?.checked_add(millis).map(Self)
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

/// `text` as a number if it is exactly `width` ASCII digits (no sign, no spaces).
fn fixed_digits(text: &str, width: usize) -> Option<i64> {
    if text.len() != width || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The milliseconds of a fraction of a second written as its digits after the point (`5` is
/// 500, `123456` is 123).
fn fraction_millis(digits: &str) -> Option<u64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let millis = digits.bytes().chain(std::iter::repeat(b'0')).take(3);
    Some(millis.fold(0, |total, digit| total * 10 + u64::from(digit - b'0')))
}

/// Splits the clock of a date-time from its UTC offset (`Z` or `±HH:MM`), the offset in seconds
/// east of UTC.
fn split_utc_offset(time: &str) -> Option<(&str, i64)> {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    let sign_at = time.len().checked_sub(6)?;
    let (clock, offset) = time.split_at_checked(sign_at)?;
    let sign = match offset.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hours, minutes) = offset[1..].split_once(':')?;
    let (hours, minutes) = (fixed_digits(hours, 2)?, fixed_digits(minutes, 2)?);
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some((clock, sign * (hours * 3600 + minutes * 60)))
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the proleptic Gregorian date `year-month-day`, negative before it
/// (Howard Hinnant's days-from-civil, the inverse of [`civil_from_days`]).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
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
    fn parses_rfc3339_date_times() {
        let millis = |text: &str| Timestamp::parse_rfc3339(text).map(Timestamp::unix_millis);
        assert_eq!(millis("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(millis("2026-01-01T01:02:03Z"), Some(1_767_229_323_000));
        assert_eq!(millis("2026-01-01t01:02:03z"), Some(1_767_229_323_000));
        assert_eq!(millis("2026-01-01 01:02:03Z"), Some(1_767_229_323_000));
        assert_eq!(millis("2026-01-01T00:00Z"), Some(1_767_225_600_000));
        assert_eq!(millis("2026-01-01T02:00:00+02:00"), Some(1_767_225_600_000));
        assert_eq!(millis("2025-12-31T19:30:00-04:30"), Some(1_767_225_600_000));
        assert_eq!(millis("2000-02-29T00:00:00.5Z"), Some(951_782_400_500));
        assert_eq!(millis("2000-02-29T00:00:00.123999Z"), Some(951_782_400_123));
        assert_eq!(millis("2016-12-31T23:59:60Z"), Some(1_483_228_800_000));
        assert_eq!(millis("9999-12-31T23:59:59.999Z"), Some(253_402_300_799_999));

        for text in [
            "",
            "yesterday",
            "2026-01-01",
            "2026-01-01T00:00:00",
            "1969-12-31T23:59:59Z",
            "1970-01-01T01:00:00+02:00",
            "2026-13-01T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01T00:60:00Z",
            "2026-01-01T00:00:61Z",
            "2026-01-01T00:00.5Z",
            "2026-01-01T00:00:00.Z",
            "2026-01-01T00:00:00+2:00",
            "2026-01-01T00:00:00+0200",
            "2026-01-01T00:00:00+24:00",
            "+2026-01-01T00:00:00Z",
            "2026-1-01T00:00:00Z",
            "2026-01-01T00:00:00:00Z",
            "2026-01-01T00:00:0€Z",
        ] {
            assert_eq!(Timestamp::parse_rfc3339(text), None, "{text:?}");
        }
    }

    #[test]
    fn parsing_reads_what_display_writes() {
        for millis in
            [0, 951_782_400_000, 1_767_225_600_123, 4_107_542_400_000, 253_402_300_799_999]
        {
            let time = Timestamp::from_unix_millis(millis);
            assert_eq!(Timestamp::parse_rfc3339(&time.to_string()), Some(time));
        }
        for days in [0, 59, 10_957, 20_454, 2_932_896] {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(days_from_civil(year, month, day), days);
        }
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(0, 3, 1), -719_468);
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
