//! Small helpers: time formats, percent-decoding, query strings, base64url.

use airbyte_core::Timestamp;

/// `YYYY-MM-DDTHH:MM[:SS]Z` the way Java's `OffsetDateTime.toString()` prints a UTC instant
/// with whole seconds: the seconds are left out when they are zero.
pub(crate) fn java_time(epoch_secs: i64) -> String {
    let text = rfc3339(epoch_secs);
    match text.strip_suffix(":00Z") {
        Some(minutes) => format!("{minutes}Z"),
        None => text,
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339) of `epoch_secs` (not before 1970).
pub(crate) fn rfc3339(epoch_secs: i64) -> String {
    Timestamp::from_unix_secs(u64::try_from(epoch_secs).unwrap_or(0)).to_string()
}

/// Epoch seconds of an RFC 3339 date-time (seconds may be left out, as Java prints them);
/// `None` for anything else and for times before 1970, which the stand-in never stores.
pub(crate) fn parse_time(text: &str) -> Option<i64> {
    let time = Timestamp::parse_rfc3339(text)?;
    i64::try_from(time.unix_millis() / 1000).ok()
}

/// An ISO-8601 duration the way Java's `Duration.toString()` prints it (`PT1H2M3S`, `PT0S`).
pub(crate) fn java_duration(secs: i64) -> String {
    let secs = secs.max(0);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = String::from("PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || (h == 0 && m == 0) {
        out.push_str(&format!("{s}S"));
    }
    out
}

/// Percent-decodes `text`; with `plus_is_space`, `+` becomes a space (form encoding).
pub(crate) fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits `a=1&b=2` into decoded pairs (form encoding: `+` is a space).
pub(crate) fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name, true), percent_decode(value, true))
        })
        .collect()
}

/// Percent-encodes a query component (everything but RFC 3986 unreserved characters and `,`).
pub(crate) fn query_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~,".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// base64url without padding.
pub(crate) fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// Decodes base64url (padding optional); `None` when it is not base64url.
#[cfg(test)]
pub(crate) fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_print_like_java() {
        assert_eq!(java_time(1_767_225_600), "2026-01-01T00:00Z");
        assert_eq!(java_time(1_767_225_600 + 3723), "2026-01-01T01:02:03Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(parse_time("2026-01-01T01:02:03Z"), Some(1_767_225_600 + 3723));
        assert_eq!(parse_time("2026-01-01T00:00Z"), Some(1_767_225_600));
        assert_eq!(parse_time("2026-01-01T02:00:00+02:00"), Some(1_767_225_600));
        assert_eq!(parse_time("2000-02-29T00:00:00.5Z"), Some(951_782_400));
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(java_duration(0), "PT0S");
        assert_eq!(java_duration(3600 + 60), "PT1H1M");
        assert_eq!(java_duration(29_172), "PT8H6M12S");
    }

    #[test]
    fn percent_and_base64() {
        assert_eq!(percent_decode("a%20b+c%zz%4", true), "a b c%zz%4");
        assert_eq!(percent_decode("a+b", false), "a+b");
        assert_eq!(
            parse_query("workspaceIds=a%2Cb&x&limit=10"),
            vec![
                ("workspaceIds".to_owned(), "a,b".to_owned()),
                ("x".to_owned(), String::new()),
                ("limit".to_owned(), "10".to_owned())
            ]
        );
        assert_eq!(query_encode("updatedAt|DESC a,b"), "updatedAt%7CDESC%20a,b");
        for input in [&b""[..], b"f", b"fo", b"foo", b"foob", b"{\"alg\":\"HS256\"}"] {
            assert_eq!(base64url_decode(&base64url(input)).unwrap(), input);
        }
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
        assert!(base64url_decode("a b").is_none());
    }
}
