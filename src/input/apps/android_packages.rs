//! Android package lists, as `adb shell pm list packages` prints them:
//! `package:<id>` a line, with `-f` `package:<apk path>=<id>` (the path
//! may itself hold `=`, so the id is after the last one), and
//! ` versionCode:<n>`, ` installer=<package>`, ` uid:<n>` after it with
//! `--show-versioncode`, `-i` and `-U`. `adb` on Windows ends lines with
//! `\r`, which the line reader strips.
//!
//! Each package is an app of platform `android` whose bundle id is the
//! package name and whose version is the version code. The list names no
//! device: one list a device is named after it (see [`super::device`]).
//!
//! Lines are independent, so a large list is read in chunks on every core.

use std::sync::Arc;

use super::device;
use crate::input::item::{AppView, ItemView};
use crate::input::problem::InputProblem;
use crate::input::registry::{
    Evidence, FormatSpec, Misfit, Reader, Record, RecordFormat, RecordReader, shapes,
};
use crate::input::sink::{At, Flow, Sink};

pub static SPEC: FormatSpec = FormatSpec {
    name: "android-packages",
    evidence: Evidence::Apps,
    description: "Android package list (adb shell pm list packages)",
    names: &[],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::android_packages),
    reader: Reader::Records(&Format),
};

const HELP: &str = "each line of `pm list packages` is `package:<name>`, or with `-f` \
     `package:<apk path>=<name>`, optionally followed by ` versionCode:<n>`, ` installer=<name>` \
     and ` uid:<n>`";

const PREFIX: &str = "package:";

struct Format;

impl RecordFormat for Format {
    fn start(
        &self,
        source: &Arc<str>,
        _header: Option<&str>,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        Ok(Box::new(List {
            device: device::from_file_name(source).map(str::to_string),
        }))
    }
}

struct List {
    device: Option<String>,
}

impl RecordReader for List {
    fn record(&self, record: Record<'_>, sink: &mut dyn Sink) -> Flow {
        let line = record.text;
        match parse(line) {
            Ok(Some(entry)) => sink.item(
                ItemView::App(AppView {
                    bundle_id: Some(entry.id),
                    version: entry.version_code,
                    platform: Some("android"),
                    device: self.device.as_deref(),
                    ..AppView::default()
                }),
                At {
                    source: record.source,
                    text: line,
                    line: record.line,
                    offset: entry.offset,
                    len: entry.id.len(),
                    byte: record.byte,
                },
            ),
            Ok(None) => Flow::Continue,
            Err(message) => record.skip(sink, message, HELP),
        }
    }

    fn check(&self, line: &[u8]) -> Option<Misfit> {
        parse(&String::from_utf8_lossy(line))
            .err()
            .map(|message| Misfit {
                message,
                help: HELP,
            })
    }
}

/// One package of the list.
#[derive(Debug, PartialEq, Eq)]
struct Entry<'a> {
    id: &'a str,
    /// Byte offset of `id` on the line.
    offset: usize,
    version_code: Option<&'a str>,
}

/// Reads one line: `Ok(None)` for a blank one.
fn parse(line: &str) -> Result<Option<Entry<'_>>, String> {
    if line.trim().is_empty() {
        return Ok(None);
    }
    let Some(rest) = line.strip_prefix(PREFIX) else {
        return Err(format!("`{line}` does not start with `package:`"));
    };
    let base = line.as_ptr() as usize;
    let mut tokens = rest.split_ascii_whitespace();
    let first = tokens.next().unwrap_or_default();
    // `-f`: the id follows the apk path's last `=`.
    let id = first.rsplit_once('=').map_or(first, |(_, id)| id);
    if !application_id(id) {
        return Err(format!("`{id}` is not an Android package name"));
    }
    let mut version_code = None;
    for token in tokens {
        if let Some(code) = token.strip_prefix("versionCode:") {
            if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("`{token}` is not a version code"));
            }
            version_code = Some(code);
        } else if !(token.starts_with("installer=") || token.starts_with("uid:")) {
            return Err(format!(
                "`{token}` is none of `versionCode:`, `installer=` or `uid:`"
            ));
        }
    }
    Ok(Some(Entry {
        id,
        offset: id.as_ptr() as usize - base,
        version_code,
    }))
}

/// An application id: dot-separated Java identifiers (`com.foo.bar`;
/// `android` alone is the framework's).
fn application_id(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|seg| {
            seg.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                && seg.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(id: &'a str, offset: usize, code: Option<&'a str>) -> Option<Entry<'a>> {
        Some(Entry {
            id,
            offset,
            version_code: code,
        })
    }

    /// Plain, `-f` with `=` in the path, `--show-versioncode`, `-i`, `-U`.
    #[test]
    fn every_flag() {
        assert_eq!(
            parse("package:com.zhiliaoapp.musically"),
            Ok(entry("com.zhiliaoapp.musically", 8, None))
        );
        let f = "package:/data/app/~~Xy==/com.ss.android.ugc.trill-Ab==/base.apk=com.ss.android.ugc.trill \
                 versionCode:330403 installer=com.android.vending uid:10234";
        assert_eq!(
            parse(f),
            Ok(entry(
                "com.ss.android.ugc.trill",
                f.find("=com.ss").unwrap() + 1,
                Some("330403")
            ))
        );
        assert_eq!(parse("  "), Ok(None));
    }

    /// A line of no shape is refused, with why.
    #[test]
    fn malformed_lines() {
        assert!(parse("com.whatsapp").unwrap_err().contains("package:"));
        assert!(parse("package:").unwrap_err().contains("package name"));
        assert!(
            parse("package:com.x versionCode:abc")
                .unwrap_err()
                .contains("version code")
        );
        assert!(
            parse("package:com.x extra")
                .unwrap_err()
                .contains("none of")
        );
    }
}
