//! Shapes: tests on a file's first decoded bytes that tell its format
//! whatever the file is called (see [`FormatSpec::shape`]).
//!
//! A shape judges the head only and never parses the file: a line format
//! fits when most of its first content lines do ([`most_lines_fit`]), a
//! JSON document by a key only that format writes near its start. Each is
//! distinctive, so prose, config, code and the plain lines banscan reads
//! (requirements, endpoint lists) are passed over: `shapes_tests.rs` holds
//! the samples and near misses.
//!
//! [`FormatSpec::shape`]: super::FormatSpec::shape

use std::net::IpAddr;

use crate::input::apps::app_csv;
use crate::input::table::{sniff_delimiter, split};

/// How many content lines a line shape judges.
pub const SHAPE_LINES: usize = 20;

/// How many first lines a header or marker line is looked for in.
const HEADER_LINES: usize = 12;

/// The lines of `text`, without a byte-order mark or line endings.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines().map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// The first [`SHAPE_LINES`] lines that are not blank.
fn content_lines(text: &str) -> impl Iterator<Item = &str> {
    lines(text)
        .filter(|l| !l.trim().is_empty())
        .take(SHAPE_LINES)
}

/// Whether most (four in five) of the first [`SHAPE_LINES`] content lines
/// of `text` fit: lines that are blank, or that `skip` passes over
/// (comments, headers, continuation lines), are not counted.
pub fn most_lines_fit(text: &str, skip: impl Fn(&str) -> bool, fit: impl Fn(&str) -> bool) -> bool {
    let (mut seen, mut fitting) = (0usize, 0usize);
    for line in lines(text)
        .filter(|l| !l.trim().is_empty() && !skip(l))
        .take(SHAPE_LINES)
    {
        seen += 1;
        fitting += usize::from(fit(line));
    }
    seen > 0 && fitting * 5 >= seen * 4
}

/// For [`most_lines_fit`]: no line is passed over.
fn no_skip(_: &str) -> bool {
    false
}

/// Whether one of the first [`HEADER_LINES`] lines satisfies `test`.
fn header_line(text: &str, test: impl Fn(&str) -> bool) -> bool {
    lines(text).take(HEADER_LINES).any(test)
}

/// The first content line that is not a comment starting with `comment`.
fn first_line<'a>(text: &'a str, comment: &str) -> &'a str {
    content_lines(text)
        .find(|l| !l.trim_start().starts_with(comment))
        .unwrap_or("")
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn upper_word(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
}

// ---- JSON ----

/// The text after the first `"key":` in `text` (spaces allowed around
/// the colon), or `None` when the key is not there.
fn after_key<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let quoted = format!("\"{key}\"");
    let mut rest = text;
    while let Some(i) = rest.find(&quoted) {
        rest = &rest[i + quoted.len()..];
        if let Some(value) = rest.trim_start().strip_prefix(':') {
            return Some(value.trim_start());
        }
    }
    None
}

fn has_key(text: &str, key: &str) -> bool {
    after_key(text, key).is_some()
}

/// Whether `key`'s value starts with `prefix` (`"\"CycloneDX\""`, `"["`).
fn key_value_starts(text: &str, key: &str, prefix: &str) -> bool {
    after_key(text, key).is_some_and(|v| v.starts_with(prefix))
}

/// Whether the first thing in `text` is a JSON object.
fn json_object(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.trim_start().starts_with('{')
}

/// Whether a line is one JSON object, as JSON-lines logs write them.
fn json_line(line: &str) -> bool {
    let line = line.trim();
    line.starts_with('{') && line.ends_with('}')
}

/// Whether most first lines are JSON objects with every key of `all` and,
/// when `any` is not empty, one of `any`. A first line longer than the
/// head (an osqueryd snapshot of a few hundred apps) is all the head holds
/// of the file: then its start decides.
fn json_lines_with(text: &str, all: &[&str], any: &[&str]) -> bool {
    let keys = |l: &str| {
        all.iter().all(|k| has_key(l, k)) && (any.is_empty() || any.iter().any(|k| has_key(l, k)))
    };
    let one_line = text.trim_end();
    if !one_line.contains('\n') && one_line.starts_with('{') && !one_line.ends_with('}') {
        return keys(one_line);
    }
    most_lines_fit(text, no_skip, |l| json_line(l) && keys(l))
}

// ---- apps ----

/// A Debian package name, optionally arch-qualified (`libc6:amd64`).
fn deb_name(s: &str) -> bool {
    let (name, arch) = match s.split_once(':') {
        Some((name, arch)) => (name, Some(arch)),
        None => (s, None),
    };
    name.len() >= 2
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+.-".contains(&b))
        && arch.is_none_or(arch_word)
}

fn arch_word(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A Debian version: `[epoch:]upstream[-revision]`, upstream from a digit.
fn deb_version(s: &str) -> bool {
    let upstream = match s.split_once(':') {
        Some((epoch, rest)) if digits(epoch) => rest,
        Some(_) => return false,
        None => s,
    };
    upstream.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && upstream
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".+~-:".contains(&b))
}

/// Words of dpkg's `${Status}` (want, error flag, state).
const DPKG_STATUS_WORDS: &[&str] = &[
    "unknown",
    "install",
    "hold",
    "deinstall",
    "purge",
    "ok",
    "reinstreq",
    "not-installed",
    "config-files",
    "half-installed",
    "unpacked",
    "half-configured",
    "triggers-awaited",
    "triggers-pending",
    "installed",
];

/// dpkg's `${Status}` (`install ok installed`) or `${db:Status-Abbrev}`
/// (`ii `, `rc `, `iUR`).
fn dpkg_status(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() == 3 && words.iter().all(|w| DPKG_STATUS_WORDS.contains(w)) {
        return true;
    }
    dpkg_abbrev(s.trim_end())
}

fn dpkg_abbrev(s: &str) -> bool {
    let b = s.as_bytes();
    (2..=3).contains(&b.len())
        && b"uirhp".contains(&b[0])
        && b"ncHUFWti".contains(&b[1])
        && b.get(2).is_none_or(|&c| c == b'R')
}

/// `dpkg-query -W` output: `name\tversion`, or a `-f` with tabs adding
/// the architecture and `${Status}` or `${db:Status-Abbrev}`.
pub fn dpkg_query(text: &str) -> bool {
    most_lines_fit(text, no_skip, |line| {
        let fields: Vec<&str> = line.split('\t').collect();
        fields.len() >= 2
            && deb_name(fields[0])
            && deb_version(fields[1])
            && fields[2..]
                .iter()
                .all(|f| f.is_empty() || arch_word(f) || dpkg_status(f))
    })
}

/// `dpkg -l`: its `Desired=Unknown/Install/...` header, or (header cut
/// off, `dpkg -l | grep ^ii`) `ii  name  version  arch  description` lines.
pub fn dpkg_list(text: &str) -> bool {
    if header_line(text, |l| {
        l.starts_with("Desired=Unknown/Install/Remove/Purge/Hold")
    }) {
        return true;
    }
    let header = |l: &str| l.starts_with('|') || l.starts_with("+++-");
    most_lines_fit(text, header, |line| {
        let t: Vec<&str> = line.split_whitespace().collect();
        t.len() >= 4 && dpkg_abbrev(t[0]) && deb_name(t[1]) && deb_version(t[2]) && arch_word(t[3])
    })
}

/// The Debian package database (`/var/lib/dpkg/status`): stanzas opening
/// with `Package:` and a `Status:` of dpkg's words.
pub fn dpkg_status_file(text: &str) -> bool {
    first_line(text, "#").starts_with("Package: ")
        && header_line(text, |l| {
            l.strip_prefix("Status: ")
                .is_some_and(|s| s.split_whitespace().count() == 3 && dpkg_status(s))
        })
}

/// RPM architectures, as `rpm -qa` ends its names.
pub(crate) const RPM_ARCHES: &[&str] = &[
    "x86_64",
    "noarch",
    "i386",
    "i486",
    "i586",
    "i686",
    "athlon",
    "aarch64",
    "armv7hl",
    "armv7l",
    "armv6hl",
    "armhfp",
    "ppc",
    "ppc64",
    "ppc64le",
    "ppc64p7",
    "s390",
    "s390x",
    "riscv64",
    "loongarch64",
    "ia64",
    "src",
    "nosrc",
];

fn rpm_part(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._+~^".contains(&b))
}

/// One line of `rpm -qa`: `name-version-release.arch` (`gpg-pubkey-…`
/// entries have no arch), or of `rpm -qa --qf
/// '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\n'`.
fn rpm_line(line: &str) -> bool {
    let line = line.trim_end();
    let fields: Vec<&str> = line.split('\t').collect();
    if let [name, epoch, version, release, arch] = fields.as_slice() {
        return !name.is_empty()
            && (digits(epoch) || *epoch == "(none)")
            && rpm_part(version)
            && rpm_part(release)
            && (RPM_ARCHES.contains(arch) || *arch == "(none)");
    }
    if line.contains(char::is_whitespace) {
        return false;
    }
    if let Some(key) = line.strip_prefix("gpg-pubkey-") {
        return key.split_once('-').is_some_and(|(a, b)| hex8(a) && hex8(b));
    }
    let Some((nvr, arch)) = line.rsplit_once('.') else {
        return false;
    };
    let Some((nv, release)) = nvr.rsplit_once('-') else {
        return false;
    };
    let Some((name, version)) = nv.rsplit_once('-') else {
        return false;
    };
    RPM_ARCHES.contains(&arch)
        && rpm_part(release)
        && rpm_part(version)
        && version.bytes().any(|b| b.is_ascii_digit())
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
}

fn hex8(s: &str) -> bool {
    s.len() == 8 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `rpm -qa`, default or with the tab-separated `--qf` of FORMATS.md.
pub fn rpm_qa(text: &str) -> bool {
    most_lines_fit(text, no_skip, rpm_line)
}

/// A Java package name, as Android application ids are (`com.foo.bar`).
fn java_package(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|seg| {
            seg.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                && seg.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
}

/// One line of `pm list packages` with any of `-f`, `--show-versioncode`,
/// `-i`, `-U`.
fn android_line(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("package:") else {
        return false;
    };
    let mut tokens = rest.split_whitespace();
    let Some(first) = tokens.next() else {
        return false;
    };
    let name = match first.rsplit_once('=') {
        Some((path, name)) if path.starts_with('/') => name,
        Some(_) => return false,
        None => first,
    };
    (name.contains('.') || name == "android")
        && java_package(name)
        && tokens.all(|t| {
            t.strip_prefix("versionCode:").is_some_and(digits)
                || t.strip_prefix("installer=")
                    .is_some_and(|i| i == "null" || java_package(i))
                || t.strip_prefix("uid:")
                    .is_some_and(|u| u.split(',').all(digits))
        })
}

/// Android's `pm list packages`: `package:com.foo.bar` lines.
pub fn android_packages(text: &str) -> bool {
    most_lines_fit(text, no_skip, android_line)
}

/// osquery columns of the software tables (`programs`, `apps`,
/// `deb_packages`, `rpm_packages`, `chrome_extensions`, …) besides `name`.
const OSQUERY_COLUMNS: &[&str] = &[
    "version",
    "bundle_identifier",
    "bundle_short_version",
    "bundle_version",
    "publisher",
    "identifying_number",
    "install_location",
    "uninstall_string",
    "release",
    "revision",
    "arch",
    "browser_type",
];

/// osquery results: `osqueryi --json` (an array of flat objects whose
/// values are all strings, with `name` and a software column), or the
/// osqueryd result log (JSON lines with `hostIdentifier` and `columns`).
pub fn osquery_json(text: &str) -> bool {
    let trimmed = text.strip_prefix('\u{feff}').unwrap_or(text).trim_start();
    if let Some(rest) = trimmed.strip_prefix('[') {
        let rest = rest.trim_start();
        if !rest.starts_with('{') {
            return false;
        }
        let first = serde_json::Deserializer::from_str(rest)
            .into_iter::<serde_json::Map<String, serde_json::Value>>()
            .next();
        return first.and_then(Result::ok).is_some_and(|row| {
            row.contains_key("name")
                && row.values().all(serde_json::Value::is_string)
                && OSQUERY_COLUMNS.iter().any(|c| row.contains_key(*c))
        });
    }
    json_lines_with(
        text,
        &["hostIdentifier"],
        &["columns", "snapshot", "diffResults"],
    )
}

/// `system_profiler SPApplicationsDataType -json` (or `-xml`).
pub fn macos_apps(text: &str) -> bool {
    (json_object(text) && key_value_starts(text, "SPApplicationsDataType", "["))
        || (text.trim_start().starts_with("<?xml")
            && text.contains("<plist")
            && text.contains("<string>SPApplicationsDataType</string>"))
}

/// Defender Vulnerability Management software inventory: JSON lines (or
/// an API page) with `deviceId`, `softwareName` and `softwareVersion`.
/// A Defender API response saved to a file: an OData page
/// (`"@odata.context"`) whose records have `softwareName`. The JSON-lines
/// export has no `@odata.context`.
pub fn defender_api_page(text: &str) -> bool {
    json_object(text) && has_key(text, "@odata.context") && has_key(text, "softwareName")
}

pub fn defender_software(text: &str) -> bool {
    json_object(text)
        && ["deviceId", "softwareName", "softwareVersion"]
            .iter()
            .all(|k| has_key(text, k))
}

/// An app inventory table whatever its name: the app-csv header test, and
/// a next line with as many cells, so a sentence whose commas happen to
/// separate "Name" and "version" is not one.
pub fn app_table(text: &str) -> bool {
    if !app_csv::looks_like(text) {
        return false;
    }
    let mut rows = lines(text).filter(|l| !l.starts_with("#TYPE "));
    let Some(header) = rows.next() else {
        return false;
    };
    let delimiter = sniff_delimiter(header);
    let width = split(header, delimiter).cells.len();
    let long_cell = split(header, delimiter)
        .cells
        .iter()
        .any(|c| c.text.len() > 40);
    !long_cell
        && rows
            .filter(|l| !l.trim().is_empty())
            .take(5)
            .any(|l| split(l, delimiter).cells.len() == width)
}

// ---- endpoints ----

/// `1733390000.123`: seconds and milliseconds since the epoch.
fn epoch_ms(s: &str) -> bool {
    s.split_once('.')
        .is_some_and(|(secs, ms)| (9..=11).contains(&secs.len()) && digits(secs) && digits(ms))
}

/// One line of Squid's native access.log: time, elapsed, client,
/// `RESULT/status`, bytes, method, URL, user, `HIER/peer`, type.
fn squid_line(line: &str) -> bool {
    let t: Vec<&str> = line.split_whitespace().collect();
    t.len() >= 10
        && epoch_ms(t[0])
        && digits(t[1])
        && t[3]
            .split_once('/')
            .is_some_and(|(code, status)| upper_word(code) && digits(status))
        && digits(t[4])
        && (upper_word(t[5]) || t[5] == "-")
        && t[8]
            .split_once('/')
            .is_some_and(|(hier, peer)| upper_word(hier) && !peer.is_empty())
}

/// Squid's native access.log (`logformat squid`).
pub fn squid_access(text: &str) -> bool {
    most_lines_fit(text, no_skip, squid_line)
}

/// One BIND `queries` line, old (`client 10.0.0.1#5353: query: name IN A
/// +`) or new (`client @0x7f… 10.0.0.1#5353 (name): query: name IN A +E(0)K
/// (10.0.0.2)`), with any date or syslog prefix.
fn bind_line(line: &str) -> bool {
    let Some(at) = line
        .match_indices("client ")
        .find(|&(i, _)| i == 0 || line.as_bytes()[i - 1] == b' ')
        .map(|(i, _)| i + "client ".len())
    else {
        return false;
    };
    let mut rest = &line[at..];
    if let Some(id) = rest.strip_prefix("@0x") {
        let Some((hex, after)) = id.split_once(' ') else {
            return false;
        };
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return false;
        }
        rest = after;
    }
    let Some((ip, after)) = rest.split_once('#') else {
        return false;
    };
    if ip.parse::<IpAddr>().is_err() {
        return false;
    }
    let port_end = after
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(after.len());
    let (port, tail) = after.split_at(port_end);
    if !digits(port) || !(tail.starts_with(':') || tail.starts_with(" (")) {
        return false;
    }
    let Some((_, query)) = tail.split_once("query: ") else {
        return false;
    };
    let q: Vec<&str> = query.split_whitespace().collect();
    q.len() >= 3
        && ["IN", "CH", "HS", "ANY", "NONE"].contains(&q[1])
        && q[2]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// BIND's query log.
pub fn bind_query_log(text: &str) -> bool {
    most_lines_fit(text, no_skip, bind_line)
}

/// Whether a line was logged by dnsmasq (`dnsmasq[633]: …`, or its DHCP
/// side's `dnsmasq-dhcp[633]: …`).
fn dnsmasq_line(line: &str) -> bool {
    line.match_indices("dnsmasq").any(|(i, _)| {
        let mut rest = &line[i + "dnsmasq".len()..];
        if let Some(sub) = rest.strip_prefix('-') {
            rest = sub.trim_start_matches(|c: char| c.is_ascii_lowercase());
        }
        let after_pid = match rest.strip_prefix('[') {
            Some(r) => r
                .split_once(']')
                .filter(|(pid, _)| digits(pid))
                .map(|(_, r)| r),
            None => Some(rest),
        };
        after_pid.is_some_and(|r| r.starts_with(": "))
    })
}

/// A dnsmasq or Pi-hole query log: dnsmasq lines, one a `query[…]`.
pub fn dnsmasq_log(text: &str) -> bool {
    most_lines_fit(text, no_skip, dnsmasq_line)
        && content_lines(text).any(|l| dnsmasq_line(l) && l.contains("query["))
}

/// Columns that make a Zeek log one banscan means: dns.log's `query`,
/// ssl.log's `server_name`, http.log's `host`.
const ZEEK_HOST_FIELDS: &[&str] = &["query", "server_name", "host"];

/// A Zeek dns, ssl or http log: TSV with its `#separator` first line and a
/// `#fields` line naming a host column, or JSON lines with `ts`, `uid`
/// and a host column.
pub fn zeek_log(text: &str) -> bool {
    if lines(text)
        .next()
        .is_some_and(|l| l.starts_with("#separator "))
    {
        return header_line(text, |l| {
            l.strip_prefix("#fields")
                .is_some_and(|f| f.split('\t').any(|c| ZEEK_HOST_FIELDS.contains(&c)))
        });
    }
    json_lines_with(
        text,
        &["ts", "uid", "id.orig_h"],
        &["query", "server_name", "host", "cipher", "established"],
    )
}

/// Suricata's eve.json: JSON lines with `timestamp` and `event_type`.
pub fn suricata_eve(text: &str) -> bool {
    json_lines_with(text, &["timestamp", "event_type"], &[])
}

/// A name as the Windows DNS debug log writes it: `(3)www(7)example(3)com(0)`.
pub fn dns_wire_name(s: &str) -> bool {
    let mut rest = s;
    let mut labels = 0;
    loop {
        let Some(inner) = rest.strip_prefix('(') else {
            return false;
        };
        let Some((n, after)) = inner.split_once(')') else {
            return false;
        };
        let Ok(n) = n.parse::<usize>() else {
            return false;
        };
        if n == 0 {
            return after.is_empty() && labels > 0;
        }
        if after.len() < n || !after.is_char_boundary(n) || n > 63 {
            return false;
        }
        rest = &after[n..];
        labels += 1;
    }
}

/// A packet line of the Windows DNS Server debug log.
fn windows_dns_line(line: &str) -> bool {
    let t: Vec<&str> = line.split_whitespace().collect();
    t.contains(&"PACKET")
        && (t.contains(&"UDP") || t.contains(&"TCP"))
        && (t.contains(&"Snd") || t.contains(&"Rcv"))
}

/// The Windows DNS Server debug log: its `DNS Server log file creation`
/// header, or `PACKET` lines (indented packet details passed over).
pub fn windows_dns_log(text: &str) -> bool {
    if header_line(text, |l| l.starts_with("DNS Server log file creation at")) {
        return true;
    }
    let detail = |l: &str| l.starts_with([' ', '\t']);
    most_lines_fit(text, detail, windows_dns_line)
        && content_lines(text).any(|l| l.split_whitespace().any(dns_wire_name))
}

// ---- packages ----

/// CycloneDX JSON: `"bomFormat": "CycloneDX"`.
pub fn cyclonedx_json(text: &str) -> bool {
    json_object(text) && key_value_starts(text, "bomFormat", "\"CycloneDX\"")
}

/// CycloneDX XML: a `<bom>` in its namespace.
pub fn cyclonedx_xml(text: &str) -> bool {
    text.contains("<bom") && text.contains("xmlns=\"http://cyclonedx.org/schema/bom/")
}

/// SPDX JSON: `"spdxVersion": "SPDX-…"`.
pub fn spdx_json(text: &str) -> bool {
    json_object(text) && key_value_starts(text, "spdxVersion", "\"SPDX-")
}

/// SPDX tag-value, opening with `SPDXVersion: SPDX-…`.
pub fn spdx_tag_value(text: &str) -> bool {
    !json_object(text) && first_line(text, "#").starts_with("SPDXVersion: SPDX-")
}

/// SPDX YAML: top-level `spdxVersion` and `SPDXID`.
pub fn spdx_yaml(text: &str) -> bool {
    if json_object(text) {
        return false;
    }
    let top = |key: &str, value: &str| {
        lines(text).take(SHAPE_LINES * 5).any(|l| {
            l.strip_prefix(key).is_some_and(|v| {
                v.trim_start()
                    .trim_start_matches(['"', '\''])
                    .starts_with(value)
            })
        })
    };
    top("spdxVersion:", "SPDX-") && top("SPDXID:", "SPDXRef-")
}

/// npm's package-lock.json or npm-shrinkwrap.json.
pub fn npm_lock(text: &str) -> bool {
    json_object(text)
        && after_key(text, "lockfileVersion")
            .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()))
        && has_key(text, "requires")
}

/// Bun's text lockfile (`bun.lock`, JSON with trailing commas).
pub fn bun_lock(text: &str) -> bool {
    json_object(text)
        && after_key(text, "lockfileVersion")
            .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()))
        && has_key(text, "workspaces")
        && !has_key(text, "requires")
}

/// yarn.lock: classic (`# yarn lockfile v1`) or berry (`__metadata:` with
/// `cacheKey:`).
pub fn yarn_lock(text: &str) -> bool {
    header_line(text, |l| l.trim() == "# yarn lockfile v1")
        || (lines(text).take(SHAPE_LINES).any(|l| l == "__metadata:")
            && lines(text)
                .take(SHAPE_LINES)
                .any(|l| l.starts_with(' ') && l.trim_start().starts_with("cacheKey:")))
}

/// pnpm-lock.yaml: its first key is `lockfileVersion`.
pub fn pnpm_lock(text: &str) -> bool {
    first_line(text, "#")
        .strip_prefix("lockfileVersion:")
        .is_some_and(|v| {
            v.trim_start()
                .trim_start_matches(['\'', '"'])
                .starts_with(|c: char| c.is_ascii_digit())
        })
}

/// Whether a line of the first ones is exactly `line`.
fn has_line(text: &str, line: &str) -> bool {
    lines(text)
        .take(SHAPE_LINES * 5)
        .any(|l| l.trim_end() == line)
}

fn has_line_starting(text: &str, prefix: &str) -> bool {
    lines(text)
        .take(SHAPE_LINES * 5)
        .any(|l| l.starts_with(prefix))
}

/// Cargo.lock: Cargo's `@generated` comment, or `[[package]]` tables with
/// a crates.io-style `source` or `checksum`.
pub fn cargo_lock(text: &str) -> bool {
    header_line(text, |l| {
        l.starts_with("# This file is automatically @generated by Cargo.")
    }) || (has_line(text, "[[package]]")
        && (has_line_starting(text, "source = \"registry+")
            || has_line_starting(text, "source = \"sparse+")
            || has_line_starting(text, "checksum = \""))
        && !has_line_starting(text, "python-versions = "))
}

/// uv.lock: `version = N` first, then `requires-python` before any table;
/// or `[[package]]` with an inline `source = { registry = … }`.
pub fn uv_lock(text: &str) -> bool {
    let starts_with_version = first_line(text, "#")
        .strip_prefix("version = ")
        .is_some_and(|v| digits(v.trim()));
    let requires_python = lines(text)
        .take_while(|l| !l.starts_with('['))
        .any(|l| l.starts_with("requires-python = "));
    (starts_with_version && requires_python)
        || (has_line(text, "[[package]]") && has_line_starting(text, "source = { registry = "))
}

/// poetry.lock: Poetry's `@generated` comment, or `[[package]]` tables
/// with `python-versions`.
pub fn poetry_lock(text: &str) -> bool {
    header_line(text, |l| {
        l.starts_with("# This file is automatically @generated by Poetry")
    }) || (has_line(text, "[[package]]") && has_line_starting(text, "python-versions = "))
}

/// Pipfile.lock: `_meta` with `pipfile-spec`.
pub fn pipfile_lock(text: &str) -> bool {
    json_object(text) && has_key(text, "_meta") && has_key(text, "pipfile-spec")
}

/// go.mod: `module path` first, and a `go 1.N` or `require` directive.
pub fn go_mod(text: &str) -> bool {
    let module = first_line(text, "//")
        .strip_prefix("module ")
        .is_some_and(|m| !m.trim().is_empty());
    module
        && lines(text).any(|l| {
            l.strip_prefix("go ")
                .is_some_and(|v| v.trim().starts_with(|c: char| c.is_ascii_digit()))
                || l.starts_with("require (")
                || l.strip_prefix("require ").is_some_and(|r| {
                    r.split_whitespace()
                        .nth(1)
                        .is_some_and(|v| v.starts_with('v'))
                })
        })
}

/// go.sum: `module version[/go.mod] h1:hash=` lines.
pub fn go_sum(text: &str) -> bool {
    most_lines_fit(text, no_skip, |line| {
        let t: Vec<&str> = line.split_whitespace().collect();
        t.len() == 3 && t[1].starts_with('v') && t[2].starts_with("h1:") && t[2].ends_with('=')
    })
}

/// A Gradle lockfile: its generated comment, or `group:name:version=confs`.
pub fn gradle_lock(text: &str) -> bool {
    if header_line(text, |l| {
        l.starts_with("# This is a Gradle generated file for dependency locking.")
    }) {
        return true;
    }
    let comment = |l: &str| l.starts_with('#');
    most_lines_fit(text, comment, |line| {
        let Some((coords, confs)) = line.split_once('=') else {
            return false;
        };
        let parts: Vec<&str> = coords.split(':').collect();
        let conf_ok = confs.is_empty()
            || confs
                .split(',')
                .all(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_alphanumeric()));
        conf_ok
            && (coords == "empty"
                || (parts.len() == 3
                    && parts
                        .iter()
                        .all(|p| !p.is_empty() && !p.contains(char::is_whitespace))))
    }) && content_lines(text).any(|l| l.split_once('=').is_some_and(|(c, _)| c.contains(':')))
}

/// Gemfile.lock: a `GEM`, `GIT` or `PATH` section with `  specs:`.
pub fn gemfile_lock(text: &str) -> bool {
    ["GEM", "GIT", "PATH", "PLUGIN SOURCE"].contains(&first_line(text, "#").trim_end())
        && has_line(text, "  specs:")
}

/// composer.lock: `_readme` and `content-hash`.
pub fn composer_lock(text: &str) -> bool {
    json_object(text) && has_key(text, "_readme") && has_key(text, "content-hash")
}

/// NuGet's packages.lock.json: `dependencies` with `resolved` and
/// `contentHash`.
pub fn nuget_lock(text: &str) -> bool {
    json_object(text)
        && ["dependencies", "type", "resolved", "contentHash"]
            .iter()
            .all(|k| has_key(text, k))
}

/// Package.resolved: `pins` with `identity` (v2, v3) or `repositoryURL` (v1).
pub fn swift_resolved(text: &str) -> bool {
    json_object(text)
        && has_key(text, "pins")
        && (has_key(text, "identity") || has_key(text, "repositoryURL"))
}

/// Podfile.lock: `PODS:` first, then `  - Name (version)` lines.
pub fn cocoapods_lock(text: &str) -> bool {
    let mut content = content_lines(text);
    content.next() == Some("PODS:") && content.next().is_some_and(|l| l.starts_with("  - "))
}

/// pubspec.lock: pub's `# Generated by pub` comment.
pub fn pub_lock(text: &str) -> bool {
    lines(text)
        .next()
        .is_some_and(|l| l.starts_with("# Generated by pub"))
}

/// mix.lock: an Elixir map of `{:hex, :name, "version", …}` tuples.
pub fn mix_lock(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).trim_start();
    text.starts_with("%{") && text.contains("{:hex, :")
}
