//! Stable diagnostic codes. Codes are part of the interface: scripts and
//! waivers may key on them, so a code is never renamed or reused.
//!
//! Each code lives in one namespace saying who has to act: `policy` (a
//! policy, product or profile file is wrong), `input` (a scanned file could
//! not be read), `finding` (banned software was found), `waiver` (an
//! exception needs attention), `usage` (the command line is wrong),
//! `brief` (a news brief given to `policy draft` cannot be read as asked)
//! and `internal` (banscan itself is wrong).

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    YamlSyntax,
    YamlLimit,
    UnknownDocument,
    EmptyFile,
    UnknownKey,
    MissingKey,
    WrongType,
    BadId,
    BadDate,
    DateOrder,
    BadSeverity,
    BadSector,
    BadJurisdiction,
    BadPurl,
    BadGlob,
    BadVersionRange,
    BadEndpoint,
    BadSha256,
    BadPlatform,
    BadValue,
    EmptyIdentifiers,
    DuplicateId,
    UnknownProduct,
    NoSources,
    NoExamples,
    NoExamplesWarning,
    StaleStatus,
    UnconfirmedSeverity,
    Placeholder,
    ExampleFailed,
    UnknownPolicy,
    PolicyFileUnreadable,
    PinMismatch,
    InputUnreadable,
    InputMalformed,
    BannedPackage,
    BannedApp,
    BannedEndpoint,
    BannedFile,
    WaiverExpired,
    WaiverUnused,
    WaiverUnknownPolicy,
    UsageBadFlag,
    UsageWrite,
    UsageBadReport,
    BriefUnreadable,
    BriefNotEnglish,
    BriefNoTitle,
    BriefNoYear,
    BriefVagueDate,
    Internal,
}

impl Code {
    pub const ALL: [Code; 51] = [
        Code::YamlSyntax,
        Code::YamlLimit,
        Code::UnknownDocument,
        Code::EmptyFile,
        Code::UnknownKey,
        Code::MissingKey,
        Code::WrongType,
        Code::BadId,
        Code::BadDate,
        Code::DateOrder,
        Code::BadSeverity,
        Code::BadSector,
        Code::BadJurisdiction,
        Code::BadPurl,
        Code::BadGlob,
        Code::BadVersionRange,
        Code::BadEndpoint,
        Code::BadSha256,
        Code::BadPlatform,
        Code::BadValue,
        Code::EmptyIdentifiers,
        Code::DuplicateId,
        Code::UnknownProduct,
        Code::NoSources,
        Code::NoExamples,
        Code::NoExamplesWarning,
        Code::StaleStatus,
        Code::UnconfirmedSeverity,
        Code::Placeholder,
        Code::ExampleFailed,
        Code::UnknownPolicy,
        Code::PolicyFileUnreadable,
        Code::PinMismatch,
        Code::InputUnreadable,
        Code::InputMalformed,
        Code::BannedPackage,
        Code::BannedApp,
        Code::BannedEndpoint,
        Code::BannedFile,
        Code::WaiverExpired,
        Code::WaiverUnused,
        Code::WaiverUnknownPolicy,
        Code::UsageBadFlag,
        Code::UsageWrite,
        Code::UsageBadReport,
        Code::BriefUnreadable,
        Code::BriefNotEnglish,
        Code::BriefNoTitle,
        Code::BriefNoYear,
        Code::BriefVagueDate,
        Code::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::YamlSyntax => "banscan::policy::yaml_syntax",
            Code::YamlLimit => "banscan::policy::yaml_limit",
            Code::UnknownDocument => "banscan::policy::unknown_document",
            Code::EmptyFile => "banscan::policy::empty_file",
            Code::UnknownKey => "banscan::policy::unknown_key",
            Code::MissingKey => "banscan::policy::missing_key",
            Code::WrongType => "banscan::policy::wrong_type",
            Code::BadId => "banscan::policy::bad_id",
            Code::BadDate => "banscan::policy::bad_date",
            Code::DateOrder => "banscan::policy::date_order",
            Code::BadSeverity => "banscan::policy::bad_severity",
            Code::BadSector => "banscan::policy::bad_sector",
            Code::BadJurisdiction => "banscan::policy::bad_jurisdiction",
            Code::BadPurl => "banscan::policy::bad_purl",
            Code::BadGlob => "banscan::policy::bad_glob",
            Code::BadVersionRange => "banscan::policy::bad_version_range",
            Code::BadEndpoint => "banscan::policy::bad_endpoint",
            Code::BadSha256 => "banscan::policy::bad_sha256",
            Code::BadPlatform => "banscan::policy::bad_platform",
            Code::BadValue => "banscan::policy::bad_value",
            Code::EmptyIdentifiers => "banscan::policy::empty_identifiers",
            Code::DuplicateId => "banscan::policy::duplicate_id",
            Code::UnknownProduct => "banscan::policy::unknown_product",
            Code::NoSources => "banscan::policy::no_sources",
            Code::NoExamples => "banscan::policy::no_examples",
            Code::NoExamplesWarning => "banscan::policy::no_examples_warning",
            Code::StaleStatus => "banscan::policy::stale_status",
            Code::UnconfirmedSeverity => "banscan::policy::unconfirmed_severity",
            Code::Placeholder => "banscan::policy::placeholder",
            Code::ExampleFailed => "banscan::policy::example_failed",
            Code::UnknownPolicy => "banscan::policy::unknown_policy",
            Code::PolicyFileUnreadable => "banscan::policy::unreadable",
            Code::PinMismatch => "banscan::policy::pin_mismatch",
            Code::InputUnreadable => "banscan::input::unreadable",
            Code::InputMalformed => "banscan::input::malformed",
            Code::BannedPackage => "banscan::finding::banned_package",
            Code::BannedApp => "banscan::finding::banned_app",
            Code::BannedEndpoint => "banscan::finding::banned_endpoint",
            Code::BannedFile => "banscan::finding::banned_file",
            Code::WaiverExpired => "banscan::waiver::expired",
            Code::WaiverUnused => "banscan::waiver::unused",
            Code::WaiverUnknownPolicy => "banscan::waiver::unknown_policy",
            Code::UsageBadFlag => "banscan::usage::bad_flag",
            Code::UsageWrite => "banscan::usage::cannot_write",
            Code::UsageBadReport => "banscan::usage::bad_report",
            Code::BriefUnreadable => "banscan::brief::unreadable",
            Code::BriefNotEnglish => "banscan::brief::not_english",
            Code::BriefNoTitle => "banscan::brief::no_title",
            Code::BriefNoYear => "banscan::brief::no_year",
            Code::BriefVagueDate => "banscan::brief::vague_date",
            Code::Internal => "banscan::internal::bug",
        }
    }

    /// What the code means, in one line: for `--help`-style listings and
    /// for whoever meets the code in a log without the message.
    pub fn describe(self) -> &'static str {
        match self {
            Code::YamlSyntax => "a policy file is not valid YAML",
            Code::YamlLimit => "a policy file is too deep, too large or uses too many aliases",
            Code::UnknownDocument => "a document is not a product, a policy or a profile",
            Code::EmptyFile => "a policy or profile file holds no document at all",
            Code::UnknownKey => "a key that this kind of entry does not have",
            Code::MissingKey => "a required key is missing",
            Code::WrongType => "a value has the wrong type (text, list or mapping)",
            Code::BadId => "an id is not lower-case words joined by hyphens",
            Code::BadDate => "a date is not a real YYYY-MM-DD date",
            Code::DateOrder => {
                "dates are out of order (effective before issued, expiry before effective)"
            }
            Code::BadSeverity => "a severity is not ban, restrict or advisory",
            Code::BadSector => "a sector is not in the vocabulary, or none is given",
            Code::BadJurisdiction => "a jurisdiction is not an ISO code, EU or GLOBAL",
            Code::BadPurl => "a package identifier is not a valid package URL",
            Code::BadGlob => "a name pattern is not a valid glob",
            Code::BadVersionRange => "a version range is not in its ecosystem's syntax",
            Code::BadEndpoint => "an endpoint is not a domain, IP address or CIDR block",
            Code::BadSha256 => "a digest is not 64 hexadecimal characters",
            Code::BadPlatform => "a platform is not in the vocabulary",
            Code::BadValue => "a policy value is empty or not one of the allowed ones",
            Code::EmptyIdentifiers => "a product, ban or identifier matches nothing",
            Code::DuplicateId => "two products or two policies share an id",
            Code::UnknownProduct => "a ban names a product that does not exist",
            Code::NoSources => "a policy cites no source",
            Code::NoExamples => "a policy lacks violating or compliant examples",
            Code::NoExamplesWarning => {
                "a user policy used in a scan has no examples, so nothing tested it"
            }
            Code::StaleStatus => {
                "a policy's legal status was last checked more than 90 days before the scan's day"
            }
            Code::UnconfirmedSeverity => "an unconfirmed policy is more than an advisory",
            Code::Placeholder => {
                "a value still holds a `<FILL IN: ...>` placeholder from `policy new`"
            }
            Code::ExampleFailed => "a policy's own example is not matched as it says",
            Code::UnknownPolicy => "a policy id that no loaded policy has",
            Code::PolicyFileUnreadable => "a policy or profile file cannot be read",
            Code::PinMismatch => {
                "a pinned rule set differs from its lockfile, or the lockfile from the pin"
            }
            Code::InputUnreadable => "a scanned file cannot be read",
            Code::InputMalformed => "a scanned file has lines that cannot be parsed",
            Code::BannedPackage => "a banned package is used",
            Code::BannedApp => "a banned app is installed",
            Code::BannedEndpoint => "a banned network endpoint is used",
            Code::BannedFile => "a banned file is present",
            Code::WaiverExpired => "a waiver has expired and no longer waives anything",
            Code::WaiverUnused => "a waiver waived no finding",
            Code::WaiverUnknownPolicy => {
                "a waiver names a policy that no loaded policy has, so it can never waive anything"
            }
            Code::UsageBadFlag => "a command-line flag or argument has a bad value",
            Code::UsageWrite => "an output file cannot be written",
            Code::UsageBadReport => {
                "a saved report (--baseline, report merge, report render) cannot be read"
            }
            Code::BriefUnreadable => "a brief given to `policy draft` is empty or not text",
            Code::BriefNotEnglish => "a brief is not in English, the only language read yet",
            Code::BriefNoTitle => {
                "a brief has no title line, so it is read as one untitled article"
            }
            Code::BriefNoYear => "a brief's date has no year and no --year was given",
            Code::BriefVagueDate => {
                "a brief gives a month without a day; the date is left to fill in"
            }
            Code::Internal => "banscan itself failed; please report it",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMESPACES: [&str; 7] = [
        "policy", "input", "finding", "waiver", "usage", "brief", "internal",
    ];

    /// Codes are an interface: each is unique, in a known namespace, and
    /// named in lower-case words and digits.
    #[test]
    fn codes_are_unique_and_namespaced() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "duplicate code {code}");
            let mut parts = s.split("::");
            assert_eq!(parts.next(), Some("banscan"), "{s}");
            let namespace = parts.next().unwrap_or_default();
            assert!(NAMESPACES.contains(&namespace), "{s}: unknown namespace");
            let name = parts.next().unwrap_or_default();
            assert!(
                !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{s}: bad name"
            );
            assert_eq!(parts.next(), None, "{s}");
            assert!(!code.describe().is_empty(), "{s}: no description");
        }
    }

    /// A renamed, dropped or reworded code shows up in review as a changed
    /// snapshot, not silently.
    #[test]
    fn codes_snapshot() {
        let width = Code::ALL
            .iter()
            .map(|c| c.as_str().len())
            .max()
            .unwrap_or(0);
        let text: String = Code::ALL
            .iter()
            .map(|c| format!("{:width$}  {}\n", c.as_str(), c.describe()))
            .collect();
        insta::assert_snapshot!(text);
    }
}
