//! What the DNS server logs share: the query name as an endpoint, and the
//! time a line opens with.
//!
//! A query name is a DNS name, not a URL nor `host:port`, so it is read as
//! a domain ([`Domain::parse`]: case, one trailing dot, IDNA), or as the
//! address a client asked for by its literal. The root (`.`) is no host:
//! resolvers ask for it to prime their cache, and it is no evidence.
//!
//! A log line a prefilter passes over is still checked, without
//! allocating: [`qname_fits`] answers as [`qname`] does for the ASCII
//! names that almost every line holds.

use crate::ident::{Domain, DomainError, Host, parse_ip};

/// The host a query asked for; `None` for the root.
pub(crate) fn qname(name: &str) -> Result<Option<Host>, DomainError> {
    if name == "." {
        return Ok(None);
    }
    if let Some(ip) = parse_ip(name) {
        return Ok(Some(Host::Ip(ip)));
    }
    Domain::parse(name).map(|d| Some(Host::Domain(d)))
}

/// Whether [`qname`] takes `name`, told without allocating for ASCII.
pub(crate) fn qname_fits(name: &str) -> bool {
    if !name.is_ascii() {
        return qname(name).is_ok();
    }
    if name == "." {
        return true;
    }
    plain_name_fits(name.as_bytes()) || parse_ip(name).is_some()
}

/// Whether `name` is an ASCII host name [`qname`] takes (one trailing dot
/// allowed), told on its bytes: a `true` here needs no UTF-8 check, a
/// `false` is no answer (an address, Unicode, or no name: ask
/// [`qname_fits`]).
pub(crate) fn plain_name_fits(name: &[u8]) -> bool {
    ascii_name_fits(name.strip_suffix(b".").unwrap_or(name))
}

/// What a byte is to [`ascii_name_fits`]: no host byte, a letter, digit
/// or `_`, a `.`, or a `-`.
const BAD: u8 = 0;
const CHAR: u8 = 1;
const DOT: u8 = 2;
const DASH: u8 = 3;

const CLASSES: [u8; 256] = {
    let mut t = [BAD; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = match c {
            b'.' => DOT,
            b'-' => DASH,
            _ if c.is_ascii_alphanumeric() || c == b'_' => CHAR,
            _ => BAD,
        };
        b += 1;
    }
    t
};

/// Whether a byte of class `next` may follow one of class `prev`
/// (index `prev * 4 + next`): never a bad byte, no `..` (an empty label),
/// no `.-` or `-.` (a label starting or ending with `-`).
const PAIRS: [bool; 16] = {
    let mut t = [false; 16];
    let mut i = 0;
    while i < 16 {
        let (prev, next) = ((i / 4) as u8, (i % 4) as u8);
        t[i] = prev != BAD
            && next != BAD
            && !(prev == DOT && (next == DOT || next == DASH))
            && !(prev == DASH && next == DOT);
        i += 1;
    }
    t
};

/// Whether ASCII `name` (no root dot) is labels of 1 to 63 letters,
/// digits, `-` and `_`, not starting or ending with `-`, 253 bytes at
/// most: [`Domain::parse`]'s test. An empty label or one with a `-` at an
/// end shows as a pair of neighbouring bytes (`..`, `.-`, `-.`) or at the
/// name's ends, so one pass of two table lookups a byte tells all but
/// the label length, which only a name of over 63 bytes can break.
fn ascii_name_fits(name: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (name.first(), name.last()) else {
        return false;
    };
    let class = |b: u8| CLASSES[usize::from(b)];
    if name.len() > 253 || class(first) != CHAR || class(last) != CHAR {
        return false;
    }
    let mut prev = CHAR;
    let pairs_fit = name.iter().fold(true, |ok, &b| {
        let next = class(b);
        let fits = PAIRS[usize::from(prev * 4 + next)];
        prev = next;
        ok & fits
    });
    pairs_fit && (name.len() <= 63 || name.split(|&b| b == b'.').all(|label| label.len() <= 63))
}

/// The time a log line opens with, as written: BIND's `15-Jan-2024
/// 10:22:01.123`, syslog's `May  1 10:00:00`, or ISO 8601
/// (`2024-05-01T10:00:00.123Z`, or with a space before the time). `None`
/// when the line opens otherwise (BIND without `print-time`).
pub(crate) fn leading_time(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    let digits = |from: usize, n: usize| {
        b.get(from..from + n)
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    // `HH:MM:SS` at `at`, then any fraction: where it ends.
    let clock = |at: usize| {
        let ok = digits(at, 2)
            && b.get(at + 2) == Some(&b':')
            && digits(at + 3, 2)
            && b.get(at + 5) == Some(&b':')
            && digits(at + 6, 2);
        ok.then(|| {
            let mut end = at + 8;
            if b.get(end) == Some(&b'.') {
                end += 1;
                while b.get(end).is_some_and(u8::is_ascii_digit) {
                    end += 1;
                }
            }
            end
        })
    };
    // ISO 8601: `YYYY-MM-DD` then `T` or a space and the clock, then a zone.
    if digits(0, 4) && b.get(4) == Some(&b'-') && digits(5, 2) && b.get(7) == Some(&b'-') {
        if !digits(8, 2) || !matches!(b.get(10), Some(b'T' | b' ')) {
            return None;
        }
        let mut end = clock(11)?;
        if b.get(end) == Some(&b'Z') {
            end += 1;
        } else if matches!(b.get(end), Some(b'+' | b'-')) && digits(end + 1, 2) {
            end += 3;
            if b.get(end) == Some(&b':') && digits(end + 1, 2) {
                end += 3;
            } else if digits(end, 2) {
                end += 2;
            }
        }
        return Some(&line[..end]);
    }
    // BIND: `DD-Mon-YYYY HH:MM:SS.mmm`.
    let day = if digits(0, 2) {
        2
    } else if digits(0, 1) {
        1
    } else {
        0
    };
    if day > 0
        && b.get(day) == Some(&b'-')
        && b.get(day + 1..day + 4)
            .is_some_and(|m| m.iter().all(u8::is_ascii_alphabetic))
        && b.get(day + 4) == Some(&b'-')
        && digits(day + 5, 4)
        && b.get(day + 9) == Some(&b' ')
    {
        return clock(day + 10).map(|end| &line[..end]);
    }
    // syslog: `Mon DD HH:MM:SS`, the day padded with a space.
    if b.get(..3)
        .is_some_and(|m| m.iter().all(u8::is_ascii_alphabetic))
        && b.get(3) == Some(&b' ')
    {
        // `May  1` and `May 15` put the clock at the same place.
        let at = if (b.get(4) == Some(&b' ') && digits(5, 1)) || digits(4, 2) {
            6
        } else if digits(4, 1) {
            5
        } else {
            return None;
        };
        if b.get(at) == Some(&b' ') {
            return clock(at + 1).map(|end| &line[..end]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cheap check agrees with the parse on names of every kind.
    #[test]
    fn qname_fits_agrees_with_qname() {
        for name in [
            ".",
            "deepseek.com",
            "DeepSeek.COM.",
            "xn--bcher-kva.example",
            "_ldap._tcp.dc._msdcs.corp.example",
            "203.0.113.5",
            "2001:db8::1",
            "a..b",
            "",
            "..",
            "-a.example",
            "a-.example",
            "ana\\226\\128\\153s\\032macbook._companion-link._tcp.local",
            "ana’s macbook.local",
            "bücher.example",
            "WORKGROUP",
            "8.8.8.8.in-addr.arpa",
            &"a".repeat(64),
            &format!("{}.example", "a".repeat(63)),
            "a.-b.example",
            "a.b-.example",
            "a.b.",
            "a.b..",
            &format!("{}.example", "a.".repeat(130)),
        ] {
            assert_eq!(qname_fits(name), qname(name).is_ok(), "{name:?}");
        }
        assert_eq!(qname(".").unwrap(), None);
    }

    proptest::proptest! {
        /// On names made of the bytes that decide the shape, the one-pass
        /// check and the parse agree.
        #[test]
        fn qname_fits_agrees_on_random_names(name in "[a-c0-9._-]{0,70}") {
            proptest::prop_assert_eq!(qname_fits(&name), qname(&name).is_ok(), "{:?}", name);
            proptest::prop_assert!(!plain_name_fits(name.as_bytes()) || qname(&name).is_ok());
        }
    }

    #[test]
    fn leading_times() {
        for (line, time) in [
            (
                "15-Jan-2024 10:22:01.123 queries: info: client",
                Some("15-Jan-2024 10:22:01.123"),
            ),
            ("5-Jan-2024 10:22:01 client", Some("5-Jan-2024 10:22:01")),
            (
                "May  1 10:00:00 dnsmasq[633]: query[A]",
                Some("May  1 10:00:00"),
            ),
            ("Dec 15 03:00:00 host dnsmasq[1]:", Some("Dec 15 03:00:00")),
            (
                "2024-05-01T10:00:00.123456+00:00 host named[1]:",
                Some("2024-05-01T10:00:00.123456+00:00"),
            ),
            (
                "2024-01-15T10:22:01.123Z client",
                Some("2024-01-15T10:22:01.123Z"),
            ),
            ("2024-01-15 10:22:01 client", Some("2024-01-15 10:22:01")),
            ("client 10.0.0.1#53: query: a IN A +", None),
            ("May 1st", None),
            ("", None),
        ] {
            assert_eq!(leading_time(line), time, "{line}");
        }
    }
}
