//! `rpm -qa` output: the RPM packages installed on one machine, either
//! plain `name-version-release.arch` a line, or tab-separated from
//! `rpm -qa --qf '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\n'`.
//!
//! The plain form is split from the right, as names hold dashes and dots
//! (`python3-libs-3.12.3-2.fc40.x86_64`): the architecture after the last
//! dot, then the release and the version after the last two dashes. The
//! version of an item is `version-release`, as a purl writes it, after
//! `epoch:` when the `--qf` form gives one (`(none)` when unset), as
//! `rpm -q --qf '%{EVR}'` writes it, so that ranges compare epochs. `gpg-pubkey` entries are the
//! signing keys rpm trusts, not software, and hold no item.
//!
//! Lines are independent, so a large export is read in chunks on every core.

use std::sync::Arc;

use crate::ident::Ecosystem;
use crate::input::item::{ItemView, Package};
use crate::input::problem::InputProblem;
use crate::input::registry::{
    Evidence, FormatSpec, Misfit, Reader, Record, RecordFormat, RecordReader, shapes,
};
use crate::input::sink::{At, Flow, Sink};

pub static SPEC: FormatSpec = FormatSpec {
    name: "rpm-qa",
    evidence: Evidence::Packages,
    description: "rpm -qa output (name-version-release.arch, or tab-separated --qf)",
    names: &[],
    maybe: &[],
    sniff: None,
    shape: Some(shapes::rpm_qa),
    reader: Reader::Records(&RpmQa),
};

const HELP: &str = "each line of `rpm -qa` is `name-version-release.arch`; for an export \
     made to be read, use `rpm -qa --qf '%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\n'`";

/// The name rpm lists its trusted signing keys under.
const SIGNING_KEY: &str = "gpg-pubkey";

struct RpmQa;

impl RecordFormat for RpmQa {
    fn start(
        &self,
        _source: &Arc<str>,
        _header: Option<&str>,
    ) -> Result<Box<dyn RecordReader>, InputProblem> {
        Ok(Box::new(RpmQa))
    }
}

impl RecordReader for RpmQa {
    fn record(&self, record: Record<'_>, sink: &mut dyn Sink) -> Flow {
        let line = record.text;
        match parse(line) {
            Ok(Some(nevra)) => emit(record, &nevra, sink),
            Ok(None) => Flow::Continue,
            Err(message) => record.skip(sink, message, HELP),
        }
    }

    fn holds_item(&self, line: &[u8]) -> bool {
        std::str::from_utf8(line).is_ok_and(|l| matches!(parse(l), Ok(Some(_))))
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

/// One package: name, epoch (when set), version and release as rpm names
/// them.
#[derive(Debug, PartialEq, Eq)]
struct Nevra<'a> {
    name: &'a str,
    epoch: Option<&'a str>,
    version: &'a str,
    release: &'a str,
}

/// Reads one line: `Ok(None)` for a blank line or a signing key.
fn parse(line: &str) -> Result<Option<Nevra<'_>>, String> {
    let line = line.trim_end();
    if line.is_empty() {
        return Ok(None);
    }
    let nevra = if line.contains('\t') {
        tabbed(line)?
    } else {
        plain(line)?
    };
    Ok((nevra.name != SIGNING_KEY).then_some(nevra))
}

/// `name\tepoch\tversion\trelease\tarch`.
fn tabbed(line: &str) -> Result<Nevra<'_>, String> {
    let fields: Vec<&str> = line.split('\t').collect();
    let [name, epoch, version, release, _arch] = fields.as_slice() else {
        return Err(format!(
            "`{line}` has {} tab-separated fields, not the 5 of name, epoch, version, release \
             and architecture",
            fields.len()
        ));
    };
    if name.is_empty() || version.is_empty() || release.is_empty() {
        return Err(format!("`{line}` lacks a name, version or release"));
    }
    if *epoch != "(none)" && !epoch.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "`{epoch}` is not an RPM epoch (a number or `(none)`)"
        ));
    }
    Ok(Nevra {
        name,
        epoch: Some(*epoch).filter(|e| *e != "(none)"),
        version,
        release,
    })
}

/// `name-version-release.arch`, or a signing key's `gpg-pubkey-<id>-<date>`.
fn plain(line: &str) -> Result<Nevra<'_>, String> {
    let refuse = || format!("`{line}` is not `name-version-release.arch`");
    if line.contains(char::is_whitespace) {
        return Err(refuse());
    }
    // A signing key has no architecture: its release is a hex date.
    let nvr = match line.rsplit_once('.') {
        Some((nvr, arch)) if arch_word(arch) => nvr,
        _ if line.starts_with("gpg-pubkey-") => line,
        _ => return Err(refuse()),
    };
    let (nv, release) = nvr.rsplit_once('-').ok_or_else(refuse)?;
    let (name, version) = nv.rsplit_once('-').ok_or_else(refuse)?;
    let starts_alnum = |s: &str| s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric());
    if !starts_alnum(name) || !starts_alnum(version) || release.is_empty() {
        return Err(refuse());
    }
    Ok(Nevra {
        name,
        epoch: None,
        version,
        release,
    })
}

/// An RPM architecture word (`x86_64`, `noarch`, `aarch64`): not a
/// release's last part (`fc40`, `el9_4` are, but hold digits after letters
/// the same way), so only known architectures are taken.
fn arch_word(s: &str) -> bool {
    shapes::RPM_ARCHES.contains(&s)
}

fn emit(record: Record<'_>, nevra: &Nevra<'_>, sink: &mut dyn Sink) -> Flow {
    let package = Package {
        device: crate::input::apps::device::from_file_name(record.source).map(str::to_string),
        ecosystem: Ecosystem::Rpm,
        name: nevra.name.to_string(),
        key: Ecosystem::Rpm.package_key(None, nevra.name),
        version: Some(match nevra.epoch {
            Some(epoch) => format!("{epoch}:{}-{}", nevra.version, nevra.release),
            None => format!("{}-{}", nevra.version, nevra.release),
        }),
        requirement: None,
        path: Vec::new(),
        direct: None,
        scope: None,
    };
    sink.item(
        ItemView::Package(&package),
        At {
            source: record.source,
            text: record.text,
            line: record.line,
            offset: 0,
            len: nevra.name.len(),
            byte: record.byte,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nevra<'a>(name: &'a str, version: &'a str, release: &'a str) -> Option<Nevra<'a>> {
        Some(Nevra {
            name,
            epoch: None,
            version,
            release,
        })
    }

    /// Plain names split from the right, dashes and dots in the name kept.
    #[test]
    fn plain_lines() {
        assert_eq!(
            parse("python3-libs-3.12.3-2.fc40.x86_64"),
            Ok(nevra("python3-libs", "3.12.3", "2.fc40"))
        );
        assert_eq!(
            parse("kesl-12.1.0-1234.x86_64\r"),
            Ok(nevra("kesl", "12.1.0", "1234"))
        );
        assert_eq!(parse("gpg-pubkey-a15b79cc-63d04c2c"), Ok(None));
        assert_eq!(parse(""), Ok(None));
    }

    /// The `--qf` form: `(none)` epochs, and signing keys hold no item.
    #[test]
    fn tabbed_lines() {
        assert_eq!(
            parse("kesl\t(none)\t12.1.0\t1234\tx86_64"),
            Ok(nevra("kesl", "12.1.0", "1234"))
        );
        assert_eq!(
            parse("openssl-libs\t1\t3.2.1\t2.fc40\tx86_64"),
            Ok(nevra("openssl-libs", "3.2.1", "2.fc40").map(|n| Nevra {
                epoch: Some("1"),
                ..n
            }))
        );
        assert_eq!(
            parse("gpg-pubkey\t(none)\ta15b79cc\t63d04c2c\t(none)"),
            Ok(None)
        );
    }

    /// Lines of no shape are refused, with why.
    #[test]
    fn malformed_lines() {
        assert!(parse("kesl").is_err());
        assert!(parse("kesl-12.1.0.x86_64").is_err());
        assert!(parse("kesl-12.1.0-1.weird").is_err());
        assert!(parse("kesl 12.1.0-1.x86_64").is_err());
        assert!(
            parse("kesl\tx\t1\t1\tx86_64")
                .unwrap_err()
                .contains("epoch")
        );
        assert!(parse("kesl\t1\t2").unwrap_err().contains("3 tab-separated"));
    }
}
