//! Policies, products and profiles: the rule side of banscan.
//!
//! `read` turns YAML into the model and `validate` checks its values,
//! `load` gathers files into one checked library, `select` decides which
//! policies apply to whom on which day, `compile` turns those into the ban
//! set the matcher and exporters walk, `lock` pins a rule set by digest,
//! `schema` describes the format. Running a policy's own examples needs the
//! matcher, which is built on this module, so it lives above both, in
//! [`crate::check`].

pub mod builtin;
pub mod compile;
pub mod diff;
pub mod load;
pub mod lock;
pub mod read;
pub mod schema;
pub mod select;
pub mod skeleton;
pub mod timeline;
pub mod validate;
pub mod vocab;

use std::sync::Arc;

use jiff::civil::Date;
use miette::SourceSpan;

use crate::diag::SourceFile;
use crate::ident::{Domain, Ecosystem, Sha256};
pub use crate::ident::{VersionRange, VersionRangeError, VersionRangeKind};
pub use vocab::{Confidence, Severity};

/// Where a definition was written, for diagnostics that point back at it.
#[derive(Clone, Debug)]
pub struct Place {
    pub file: Arc<SourceFile>,
    pub span: SourceSpan,
}

impl Place {
    /// `path:line`, for listings.
    pub fn describe(&self) -> String {
        let (line, _) = crate::diag::line_column(self.file.inner(), self.span.offset());
        format!("{}:{line}", self.file.name())
    }
}

/// A banned piece of software and every way to recognise it.
#[derive(Clone, Debug)]
pub struct Product {
    pub id: String,
    pub place: Place,
    pub name: String,
    pub vendor: Option<String>,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    pub identifiers: Identifiers,
    pub sources: Vec<Source>,
}

#[derive(Clone, Debug, Default)]
pub struct Identifiers {
    pub packages: Vec<PackageRule>,
    pub apps: Vec<AppRule>,
    pub endpoints: Vec<EndpointRule>,
    pub files: Vec<FileRule>,
}

impl Identifiers {
    /// How many identifiers of every kind there are.
    pub fn len(&self) -> usize {
        self.packages.len() + self.apps.len() + self.endpoints.len() + self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.packages.is_empty()
            && self.apps.is_empty()
            && self.endpoints.is_empty()
            && self.files.is_empty()
    }
}

/// A package identifier: a purl whose name may end in `*`.
#[derive(Clone, Debug)]
pub struct PackageRule {
    /// The purl as written, for reports.
    pub purl: String,
    pub ecosystem: Ecosystem,
    /// The lookup key; with `prefix`, the key up to the `*`.
    pub key: String,
    pub prefix: bool,
    pub versions: Option<VersionRange>,
    pub note: Option<String>,
    /// Unconfirmed (a P fact): its findings are advisory at most.
    pub confidence: Confidence,
    pub place: Place,
}

/// An installed-app identifier. Name and publisher are case-insensitive
/// globs; every field given must match.
#[derive(Clone, Debug)]
pub struct AppRule {
    pub name: Option<String>,
    pub publisher: Option<String>,
    pub bundle_id: Option<String>,
    /// A browser extension's id, compared without case: Chrome's 32
    /// letters, Firefox's `{uuid}` or `name@domain`, a Safari extension's
    /// bundle id. Matched only against an item's extension id, never its
    /// bundle id: an app and an extension sharing an id are two things.
    pub extension_id: Option<String>,
    pub platform: Option<String>,
    /// The versions banned, on [loose versions](crate::ident::LooseVersion);
    /// an app without a version, or with one that cannot be read, is
    /// inside, as for packages.
    pub versions: Option<VersionRange>,
    /// Unconfirmed (a P fact): its findings are advisory at most.
    pub confidence: Confidence,
    pub place: Place,
}

impl AppRule {
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(n) = &self.name {
            parts.push(format!("name \"{n}\""));
        }
        if let Some(p) = &self.publisher {
            parts.push(format!("publisher \"{p}\""));
        }
        if let Some(b) = &self.bundle_id {
            parts.push(format!("bundle id {b}"));
        }
        if let Some(e) = &self.extension_id {
            parts.push(format!("extension id {e}"));
        }
        if let Some(p) = &self.platform {
            parts.push(format!("on {p}"));
        }
        if let Some(v) = &self.versions {
            parts.push(format!("versions {}", v.text.trim()));
        }
        format!("app {}", parts.join(", "))
    }
}

#[derive(Clone, Debug)]
pub struct EndpointRule {
    pub text: String,
    pub host: HostRule,
    /// Unconfirmed (a P fact): its findings are advisory at most.
    pub confidence: Confidence,
    pub place: Place,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum HostRule {
    /// A domain and, unless `subdomains_only` (`*.example.com`), itself.
    Domain {
        domain: Domain,
        subdomains_only: bool,
    },
    Ip(std::net::IpAddr),
    Net(ipnet::IpNet),
}

#[derive(Clone, Debug)]
pub struct FileRule {
    pub sha256: Sha256,
    pub name: Option<String>,
    /// Unconfirmed (a P fact): its findings are advisory at most.
    pub confidence: Confidence,
    pub place: Place,
}

/// A source a policy or product cites.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Source {
    pub title: String,
    pub publisher: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
}

/// One ban by one authority.
#[derive(Clone, Debug)]
pub struct Policy {
    pub id: String,
    pub place: Place,
    pub title: String,
    pub authority: String,
    pub jurisdiction: String,
    pub issued: Date,
    pub effective: Date,
    /// The last day the policy applies, if it ends.
    pub expires: Option<Date>,
    pub legal_basis: String,
    pub instrument: Option<String>,
    pub sources: Vec<Source>,
    pub sectors: Vec<String>,
    /// When non-empty, the policy binds only these organisations (names
    /// and aliases), e.g. one agency's internal memo.
    pub organizations: Vec<String>,
    pub scope: Option<String>,
    pub severity: Severity,
    pub confidence: Confidence,
    pub rationale: Option<String>,
    pub remediation: Option<String>,
    pub exceptions: Option<String>,
    pub notes: Option<String>,
    pub bans: Vec<Ban>,
    /// Identifiers the policy itself leaves out (`except:`), such as the
    /// Threat Intelligence hosts under a `kaspersky.com` ban: an item one
    /// of them matches is no finding of this policy, whatever bans it.
    pub exemptions: Vec<Identifiers>,
    pub examples: Vec<Example>,
    /// Compliance dates: until the last, a match is a phase-out.
    pub deadlines: Vec<timeline::Deadline>,
    /// Dated changes of legal status, in date order.
    pub status: Vec<timeline::StatusEvent>,
    /// When the status was last checked against sources.
    pub status_checked: Option<Date>,
}

impl Policy {
    /// The first source with a URL, the one a finding cites.
    pub fn primary_source(&self) -> Option<&Source> {
        self.sources
            .iter()
            .find(|s| s.url.is_some())
            .or(self.sources.first())
    }
}

#[derive(Clone, Debug)]
pub enum Ban {
    /// A product, optionally narrowed to some kinds of its identifiers
    /// (`only: [apps]` for a ban on the app but not the web service).
    Product {
        id: String,
        only: Option<Vec<IdentifierKind>>,
        place: Place,
    },
    Inline(Identifiers),
}

/// The kinds of identifier a product has, as named under `identifiers:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentifierKind {
    Packages,
    Apps,
    Endpoints,
    Files,
}

impl IdentifierKind {
    pub const ALL: [IdentifierKind; 4] = [
        IdentifierKind::Packages,
        IdentifierKind::Apps,
        IdentifierKind::Endpoints,
        IdentifierKind::Files,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdentifierKind::Packages => "packages",
            IdentifierKind::Apps => "apps",
            IdentifierKind::Endpoints => "endpoints",
            IdentifierKind::Files => "files",
        }
    }

    pub fn parse(s: &str) -> Option<IdentifierKind> {
        IdentifierKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One of a policy's own test cases.
#[derive(Clone, Debug)]
pub struct Example {
    pub violating: bool,
    /// Described for messages by the report's `ItemInfo` where it is
    /// shown: policy code does not depend on the report.
    pub item: crate::input::ItemKind,
    pub place: Place,
}

/// Who is being checked.
#[derive(Clone, Debug, Default)]
pub struct Profile {
    pub path: Option<String>,
    pub organization: Option<String>,
    pub jurisdiction: Option<String>,
    pub sectors: Vec<String>,
    /// Policy sets to load: `builtin` or a folder/file (resolved against
    /// the profile's folder). Empty means the built-in set.
    pub policies: Vec<PolicySetRef>,
    /// Where each of `policies` was written, in the same order, so a
    /// missing folder is reported at its entry rather than as a bare path.
    pub policy_places: Vec<Place>,
    pub fail_on: Option<FailOn>,
    /// Records passed over in files read fail the scan.
    pub strict: Option<bool>,
    /// Unread evidence is listed, not fatal.
    pub allow_unread: Option<bool>,
    /// Globs, relative to the profile's folder, of files and folders a
    /// scan leaves out.
    pub exclude: Vec<String>,
    pub waivers: Vec<Waiver>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicySetRef {
    Builtin,
    Path(std::path::PathBuf),
    /// A folder that is used only while its files match its
    /// `policies.lock` and that lockfile matches the digest the profile
    /// pins: updating a vendored rule set is then one reviewed change of
    /// one line.
    Pinned(Pin),
}

impl PolicySetRef {
    /// The folder or file of a set loaded from disk.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            PolicySetRef::Builtin => None,
            PolicySetRef::Path(p) => Some(p),
            PolicySetRef::Pinned(pin) => Some(&pin.path),
        }
    }
}

/// `{ path: vendor/tw-rules, lock: "sha256:<hex>" }` in a profile.
#[derive(Clone, Debug)]
pub struct Pin {
    pub path: std::path::PathBuf,
    /// The lower-case hex sha256 of the folder's `policies.lock`.
    pub sha256: String,
    /// The profile entry, for a refusal that points at the line to change.
    pub place: Option<Place>,
}

// Where a pin was written does not make it another pin.
impl PartialEq for Pin {
    fn eq(&self, other: &Pin) -> bool {
        self.path == other.path && self.sha256 == other.sha256
    }
}

impl Eq for Pin {}

/// The lowest level that makes a scan fail: a severity, or `phase-out`,
/// which sits between advisory and restrict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    At(Severity),
    /// Phase-out findings fail too, as restrict and ban ones do.
    PhaseOut,
    Never,
}

impl FailOn {
    pub fn parse(s: &str) -> Option<FailOn> {
        match s {
            "never" => Some(FailOn::Never),
            "phase-out" => Some(FailOn::PhaseOut),
            _ => Severity::parse(s).map(FailOn::At),
        }
    }

    /// Whether a finding of `severity` fails the scan; one in a phase-out
    /// ranks as `phase-out` (an advisory stays an advisory).
    pub fn fails(self, severity: Severity, phase_out: bool) -> bool {
        // Advisory 0, phase-out 1, restrict 2, ban 3.
        let rank = |s: Severity| match s {
            Severity::Advisory => 0,
            Severity::Restrict => 2,
            Severity::Ban => 3,
        };
        let level = if phase_out && severity > Severity::Advisory {
            1
        } else {
            rank(severity)
        };
        match self {
            FailOn::Never => false,
            FailOn::PhaseOut => level >= 1,
            FailOn::At(min) => level >= rank(min),
        }
    }
}

/// An approved exception.
#[derive(Clone, Debug)]
pub struct Waiver {
    pub policy: String,
    pub product: Option<String>,
    /// A glob on the item's identity (`pkg:npm/@ai-sdk/deepseek`, an app
    /// name, a host).
    pub item: Option<String>,
    pub device: Option<String>,
    pub reason: String,
    pub approved_by: String,
    pub expires: Date,
    pub place: Place,
}

/// Everything loaded: products and policies from every file.
#[derive(Clone, Debug, Default)]
pub struct Library {
    pub products: Vec<Product>,
    pub policies: Vec<Policy>,
}

impl Library {
    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    pub fn policy(&self, id: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.id == id)
    }

    /// The product ids a policy bans.
    pub fn banned_products<'a>(&'a self, policy: &'a Policy) -> impl Iterator<Item = &'a str> {
        policy.bans.iter().filter_map(|b| match b {
            Ban::Product { id, .. } => Some(id.as_str()),
            Ban::Inline(_) => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{FailOn, Severity};

    /// `phase-out` sits between advisory and restrict: a phase-out finding
    /// fails under `phase-out` and `advisory`, never under the default.
    #[test]
    fn phase_out_ranks_between_advisory_and_restrict() {
        let cases = [
            ("restrict", Severity::Ban, true, false),
            ("restrict", Severity::Ban, false, true),
            ("phase-out", Severity::Ban, true, true),
            ("phase-out", Severity::Advisory, false, false),
            ("phase-out", Severity::Restrict, false, true),
            ("advisory", Severity::Restrict, true, true),
            ("ban", Severity::Ban, true, false),
            ("never", Severity::Ban, false, false),
        ];
        for (fail_on, severity, phase_out, fails) in cases {
            let f = FailOn::parse(fail_on).unwrap();
            assert_eq!(
                f.fails(severity, phase_out),
                fails,
                "{fail_on} {severity} {phase_out}"
            );
        }
    }
}
