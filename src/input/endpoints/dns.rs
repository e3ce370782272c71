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

use super::list::first_other;
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
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    ascii_name_fits(trimmed.as_bytes()) || parse_ip(name).is_some()
}

/// Whether ASCII `name` (no root dot) is labels of 1 to 63 letters,
/// digits, `-` and `_`, not starting or ending with `-`, 253 bytes at
/// most: [`Domain::parse`]'s test, in one pass over the bytes.
fn ascii_name_fits(name: &[u8]) -> bool {
    // Host bytes only (eight at a time), then each label's length and
    // ends, found at its dots.
    if name.is_empty() || name.len() > 253 || first_other(name).is_some() {
        return false;
    }
    let mut start = 0;
    memchr::memchr_iter(b'.', name)
        .chain([name.len()])
        .all(|end| {
            let label = &name[start..end];
            start = end + 1;
            (1..=63).contains(&label.len()) && label[0] != b'-' && label[label.len() - 1] != b'-'
        })
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
            &format!("{}.example", "a.".repeat(130)),
        ] {
            assert_eq!(qname_fits(name), qname(name).is_ok(), "{name:?}");
        }
        assert_eq!(qname(".").unwrap(), None);
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
