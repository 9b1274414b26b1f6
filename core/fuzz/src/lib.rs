//! Shared helpers of the fuzz targets: turning fuzzer bytes into operations and responses.

use airbyte_core::dynamic::{operations, DynOperation};
use airbyte_core::Api;

/// Every operation of both APIs, config first, in registry order.
pub fn all_operations() -> Vec<&'static DynOperation> {
    operations(Api::Config).iter().chain(operations(Api::Public)).collect()
}

/// Reads fuzzer bytes front to back.
pub struct Bytes<'a>(pub &'a [u8]);

impl<'a> Bytes<'a> {
    /// The next byte, or 0 when none are left.
    pub fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((first, rest)) => {
                self.0 = rest;
                *first
            }
            None => 0,
        }
    }

    /// The next two bytes, little-endian.
    pub fn u16(&mut self) -> u16 {
        u16::from(self.u8()) | (u16::from(self.u8()) << 8)
    }

    /// The next `n` bytes (fewer at the end).
    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, tail) = self.0.split_at(n.min(self.0.len()));
        self.0 = tail;
        head
    }

    /// Everything left.
    pub fn rest(&mut self) -> &'a [u8] {
        self.take(self.0.len())
    }
}

/// Headers a response may carry, picked by the fuzzer.
pub fn headers(bytes: &mut Bytes<'_>) -> Vec<(String, String)> {
    const CHOICES: [(&str, &str); 8] = [
        ("content-type", "application/json"),
        ("content-type", "text/html; charset=utf-8"),
        ("content-type", "text/plain"),
        ("Content-Type", "application/problem+json"),
        ("retry-after", "3"),
        ("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT"),
        ("location", "https://example.com/next"),
        ("retry-after", "-1"),
    ];
    let mask = bytes.u8();
    CHOICES
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, (n, v))| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

/// A status from two bytes: mostly plausible ones, sometimes anything.
pub fn status(bytes: &mut Bytes<'_>) -> u16 {
    const COMMON: [u16; 16] = [200, 201, 204, 302, 400, 401, 403, 404, 409, 410, 422, 423, 429, 500, 502, 503];
    let raw = bytes.u16();
    if raw & 0x8000 == 0 {
        COMMON[usize::from(raw) % COMMON.len()]
    } else {
        raw & 0x7fff
    }
}
