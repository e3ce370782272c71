//! The report: everything a scan found, in one self-contained value.
//!
//! Renderers read only this (never the policies or the inputs), so a report
//! saved as JSON can be rendered again or merged with others later. It is
//! the `banscan-report/1` schema documented in the README.

pub mod merge;
pub mod render;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::input::problem::{keep_end, keep_start};
use crate::input::{ItemView, Kind};
use crate::policy::{Confidence, Policy, Severity};

pub const SCHEMA: &str = "banscan-report/3";

/// Report schemas `report render` and `report merge` read: version 2 had
/// no run, policy-set digests, upcoming or baseline marks, which read as
/// absent.
pub const READABLE_SCHEMAS: &[&str] = &["banscan-report/2", SCHEMA];

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    pub schema: String,
    pub tool: Tool,
    pub as_of: String,
    /// When the scan ran and how long it took.
    #[serde(default)]
    pub run: RunInfo,
    /// The policy sets the scan used, each with the digest of its files,
    /// so an auditor can tell which rules a report was made with.
    #[serde(default)]
    pub policy_sets: Vec<PolicySetInfo>,
    /// The reports a `banscan report merge` combined; each input's and
    /// finding's `origins` index this list. Empty for a scan's own report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub origins: Vec<Origin>,
    /// The profiles that judged the files: each file's and finding's
    /// `profile` is an index into this list. One entry with no `path`
    /// when no profile was found.
    pub profiles: Vec<ProfileInfo>,
    pub policies: Vec<PolicyEntry>,
    pub inputs: Vec<InputEntry>,
    pub findings: Vec<Finding>,
    /// Things about the rule set worth knowing: expired or unused waivers.
    pub notices: Vec<Notice>,
    pub summary: Summary,
}

/// A report that went into a merged one: where it came from and what it
/// was made with.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Origin {
    /// The report file as given to `report merge`.
    pub report: String,
    pub tool: Tool,
    pub as_of: String,
    pub run: RunInfo,
    pub policy_sets: Vec<PolicySetInfo>,
    /// The organisations of its profiles.
    pub organizations: Vec<String>,
}

/// When a scan ran.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct RunInfo {
    /// The start, RFC 3339 in UTC (`2026-12-06T22:30:00Z`).
    pub started: String,
    pub duration_ms: u64,
}

/// A policy set and its digest: the sha256 of its lockfile text
/// (`<sha256>  <path>` per file, sorted by path), which `banscan policy
/// lock` writes and a profile pins; the built-in set included.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PolicySetInfo {
    /// `builtin`, or the folder or file as given.
    pub source: String,
    pub files: usize,
    pub sha256: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ProfileInfo {
    /// The profile file, when one was used.
    pub path: Option<String>,
    pub organization: Option<String>,
    pub jurisdiction: Option<String>,
    pub sectors: Vec<String>,
    /// True when neither a profile nor flags narrowed the policies: every
    /// policy that is in force applies.
    pub unrestricted: bool,
    /// The ids of the policies that applied under this profile.
    pub applied: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PolicyEntry {
    pub id: String,
    pub title: String,
    pub authority: String,
    pub jurisdiction: String,
    pub severity: Severity,
    pub legal_basis: String,
    pub instrument: Option<String>,
    pub effective: String,
    pub source: Option<Citation>,
    pub remediation: Option<String>,
    pub applied: bool,
    /// Why it was not applied.
    pub reason: Option<String>,
    /// Not applied only because it takes effect after the as-of date:
    /// what an agency prepares for.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub upcoming: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Citation {
    pub title: String,
    pub publisher: String,
    pub url: Option<String>,
}

impl PolicyEntry {
    pub fn new(policy: &Policy, not_applied: Option<String>, upcoming: bool) -> PolicyEntry {
        PolicyEntry {
            id: policy.id.clone(),
            title: policy.title.clone(),
            authority: policy.authority.clone(),
            jurisdiction: policy.jurisdiction.clone(),
            severity: policy.severity,
            legal_basis: policy.legal_basis.clone(),
            instrument: policy.instrument.clone(),
            effective: policy.effective.to_string(),
            source: policy.primary_source().map(|s| Citation {
                title: s.title.clone(),
                publisher: s.publisher.clone(),
                url: s.url.clone(),
            }),
            remediation: policy.remediation.clone(),
            applied: not_applied.is_none(),
            reason: not_applied,
            upcoming,
        }
    }
}

/// Where a file the scan met ended: the coverage contract. Exactly one
/// state per file, so "0 findings" can always be told from "not looked at".
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum InputState {
    /// Read to the end as `format`.
    Read,
    /// Evidence banscan did not read, or not all of: a format it does not
    /// read yet, a file that failed to parse, or a file in which the
    /// literal search found an identifier. Fails the scan unless unread
    /// evidence is allowed.
    Unread,
    /// Looked at and judged to hold no evidence; `reason` says why.
    NotEvidence,
    /// Left out by ignore rules, `--exclude`, the profile's `exclude:` or
    /// `--no-follow`.
    Excluded,
}

impl InputState {
    pub fn name(self) -> &'static str {
        match self {
            InputState::Read => "read",
            InputState::Unread => "unread evidence",
            InputState::NotEvidence => "not evidence",
            InputState::Excluded => "excluded",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InputEntry {
    pub path: String,
    pub state: InputState,
    /// The format it was read as, or recognised as.
    pub format: Option<String>,
    pub items: u64,
    /// Why it was not read (for every state but `read`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The profile that judged it: an index into `profiles`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<usize>,
    /// How the bytes were stored, when not plain UTF-8: `gzip`, `utf-16le`...
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decoded: Vec<String>,
    /// What could not be read, the first 100 (the rest counted in
    /// `problems_omitted`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<InputProblemEntry>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub problems_omitted: u64,
    /// Records that fit no shape of the format, passed over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<SkippedRecords>,
    /// Problems that lost nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<InputProblemEntry>,
    /// Names a block list sends nowhere (`0.0.0.0 name`): checked, and
    /// not uses.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub blocked: u64,
    /// The identifier the literal search found in a file not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caught: Option<Caught>,
    /// Headers of a table that no column was taken from, as written: a
    /// mis-mapped id or device column shows here instead of silently
    /// matching nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored_columns: Vec<String>,
    /// In a merged report, the report it came from: an index into
    /// `origins`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<usize>,
}

impl InputEntry {
    /// A file in `state` for `reason`, with nothing read.
    pub fn unread(path: String, state: InputState, reason: String) -> InputEntry {
        InputEntry {
            path,
            state,
            format: None,
            items: 0,
            reason: Some(reason),
            profile: None,
            decoded: Vec::new(),
            problems: Vec::new(),
            problems_omitted: 0,
            skipped: None,
            warnings: Vec::new(),
            blocked: 0,
            caught: None,
            ignored_columns: Vec::new(),
            origin: None,
        }
    }
}

/// Records passed over because they fit no shape of the format: how many,
/// and the first, so the count can be checked by hand.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SkippedRecords {
    pub count: u64,
    pub first: InputProblemEntry,
}

/// An identifier of an applicable policy found by the literal search in
/// evidence banscan did not read.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Caught {
    pub line: u64,
    pub column: u32,
    pub identifier: String,
    pub product: Option<String>,
    pub policy: String,
    /// The line, cut around the identifier.
    pub text: String,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InputProblemEntry {
    pub message: String,
    pub help: String,
    pub line: Option<u64>,
    pub column: Option<u32>,
    pub len: Option<u32>,
    /// An excerpt of the offending line (cut around the problem when long).
    pub text: Option<String>,
    /// Where the problem lies in `text`: 1-based byte column.
    #[serde(default)]
    pub text_column: Option<u32>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub line: u64,
    pub column: u32,
}

/// Bytes of an item's field kept in a report.
pub const FIELD_MAX: usize = 256;

/// What was matched, with the fields its kind has.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ItemInfo {
    pub kind: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ecosystem: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bundle_id: Option<String>,
    /// A browser extension's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Who asked for the endpoint, in a log that says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// Where in a configuration file the endpoint is (`egress.allow[3]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// On how many devices an export that counts devices instead of
    /// naming them says the app is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The dependency path from the project to the package.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<Vec<String>>,
    /// Whether the project asks for the package itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<crate::input::DepScope>,
}

impl ItemInfo {
    fn empty(kind: Kind) -> ItemInfo {
        ItemInfo {
            kind,
            ecosystem: None,
            name: None,
            version: None,
            publisher: None,
            bundle_id: None,
            extension_id: None,
            platform: None,
            host: None,
            url: None,
            client: None,
            key_path: None,
            device: None,
            device_count: None,
            sha256: None,
            path: None,
            direct: None,
            scope: None,
        }
    }

    /// The item's fields for display, each capped at [`FIELD_MAX`] bytes
    /// with the cut counted: evidence can hold a 100 KB URL, and one
    /// finding must not copy it into the report. Folding and fingerprints
    /// use the whole item ([`identity`]), so capping merges nothing.
    pub fn new(item: ItemView<'_>) -> ItemInfo {
        let mut info = ItemInfo::empty(item.kind());
        let cap = |v: &str| keep_start(v, FIELD_MAX).into_owned();
        let s = |v: Option<&str>| v.map(cap);
        match item {
            ItemView::Package(p) => {
                info.ecosystem = Some(p.ecosystem.to_string());
                info.name = Some(cap(&p.name));
                info.version = s(p.version.as_deref().or(p.requirement.as_deref()));
                info.path = (!p.path.is_empty()).then(|| p.path.iter().map(|n| cap(n)).collect());
                info.direct = p.direct;
                info.scope = p.scope;
                info.device = s(p.device.as_deref());
            }
            ItemView::App(a) => {
                info.name = s(a.name);
                info.version = s(a.version);
                info.publisher = s(a.publisher);
                info.bundle_id = s(a.bundle_id);
                info.extension_id = s(a.extension_id);
                info.platform = s(a.platform);
                info.device = s(a.device);
                info.device_count = a.device_count;
            }
            ItemView::Endpoint(e) => {
                info.host = Some(keep_end(&e.host.to_string(), FIELD_MAX).into_owned());
                info.url = s(e.url);
                info.client = s(e.client);
                info.key_path = s(e.key);
            }
            ItemView::File(f) => {
                info.sha256 = Some(f.sha256.to_string());
                info.name = s(f.name);
            }
        }
        info
    }

    /// What the item is, in one short phrase for messages.
    pub fn describe(&self) -> String {
        let mut text = self.describe_off_device();
        if let Some(d) = &self.device {
            text.push_str(&format!(", device {d}"));
        }
        text
    }

    /// [`describe`](Self::describe) without the device: for a listing
    /// that already says which device, or counts them.
    pub fn describe_off_device(&self) -> String {
        let name = self.name.as_deref().unwrap_or("");
        match self.kind {
            Kind::Package => match &self.version {
                Some(v) => format!("package {name} {v}"),
                None => format!("package {name}"),
            },
            Kind::App => {
                let id = self.bundle_id.as_deref();
                let extension = self.extension_id.as_deref();
                let what = self.name.as_deref().or(id).or(extension);
                let mut text = match extension {
                    Some(_) => format!("browser extension \"{}\"", what.unwrap_or("?")),
                    None => format!("app \"{}\"", what.unwrap_or("?")),
                };
                if let (Some(_), Some(b)) = (&self.name, id) {
                    text.push_str(&format!(" ({b})"));
                }
                if let (Some(_), Some(e)) = (&self.name, extension) {
                    text.push_str(&format!(" (extension id {e})"));
                }
                if let Some(p) = &self.publisher {
                    text.push_str(&format!(" by {p}"));
                }
                if let Some(p) = &self.platform {
                    text.push_str(&format!(" on {p}"));
                }
                // An export that counts devices names none: say how many.
                match self.device_count {
                    Some(1) => text.push_str(", installed on 1 device (the export's count)"),
                    Some(n) => {
                        text.push_str(&format!(", installed on {n} devices (the export's count)"));
                    }
                    None => {}
                }
                text
            }
            Kind::Endpoint => {
                let host = self.host.as_deref().unwrap_or("?");
                match (&self.client, &self.key_path) {
                    (Some(c), _) => format!("endpoint {host} (client {c})"),
                    (None, Some(k)) => format!("endpoint {host} (at {k})"),
                    (None, None) => format!("endpoint {host}"),
                }
            }
            Kind::File => match &self.name {
                // A digest list names the file the digest was taken of.
                Some(name) => format!(
                    "file {name} (sha256 {})",
                    self.sha256.as_deref().unwrap_or("?")
                ),
                None => format!("file {}", self.sha256.as_deref().unwrap_or("?")),
            },
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WaiverInfo {
    pub reason: String,
    pub approved_by: String,
    pub expires: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Finding {
    /// Stable across scans: sha256 of policy, identifier and item identity.
    pub fingerprint: String,
    /// The profile that judged it: an index into `profiles`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<usize>,
    pub policy: String,
    pub product: Option<String>,
    pub severity: Severity,
    /// The policy identifier that matched, as written in the policy.
    pub identifier: String,
    /// Present only when the identifier is unconfirmed: then the severity
    /// was lowered to an advisory, and a reader must know why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    pub item: ItemInfo,
    /// The first occurrence.
    pub location: Location,
    /// The last occurrence, when there were several.
    pub last_location: Option<Location>,
    /// How many occurrences were folded into this finding.
    pub count: u64,
    /// When the first and the last occurrence were, as the log writes
    /// the time (logs only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<String>,
    pub waiver: Option<WaiverInfo>,
    /// In the `--baseline` report already: known, and failing no scan.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub baseline: bool,
    /// In a merged report, every report it was found in: indices into
    /// `origins`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub origins: Vec<usize>,
    /// The evidence line of the first occurrence, and the matched part of it.
    pub evidence: Evidence,
    /// For a package in a lockfile, where the manifest beside it declares
    /// the direct dependency its path starts with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared: Option<Declared>,
    /// The status event that decides the finding on the scan's day, when
    /// the policy records one: an injunction makes it not enforceable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_status: Option<LegalStatusInfo>,
    /// While a phase-out runs, the next compliance date: the finding then
    /// fails a scan only under `--fail-on phase-out` (or advisory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<DeadlineInfo>,
}

impl Finding {
    /// In a phase-out: matched, but not yet due.
    pub fn phase_out(&self) -> bool {
        self.deadline.is_some()
    }
}

/// A policy's legal state on the scan's day, with who decided it and
/// where that is written.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LegalStatusInfo {
    /// `in-force`, `enjoined`, `stayed`, `vacated`, `lifted`, `renewed`
    /// or `superseded`.
    pub state: String,
    pub since: String,
    /// The court and docket, or the authority and instrument.
    pub by: String,
    /// False for enjoined, vacated, lifted and superseded: the finding is
    /// then an advisory, kept so an auditor sees what would violate it.
    pub enforceable: bool,
    pub source: Citation,
}

/// The next compliance date of a phase-out.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct DeadlineInfo {
    pub date: String,
    /// `stop-buying`, `stop-updating`, `remove` or `other`.
    pub action: String,
    pub text: String,
    pub days_left: i64,
    /// The last deadline: from then on, the policy's full severity.
    pub phase_out_until: String,
}

/// A direct dependency's line in the project's manifest: what to edit to
/// remove a package a lockfile resolved.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Declared {
    /// The direct dependency, as the finding's path names it.
    pub dependency: String,
    pub location: Location,
    pub evidence: Evidence,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Evidence {
    pub text: String,
    pub column: u32,
    pub len: u32,
}

/// What identifies an item for folding and fingerprints: the same package,
/// app on a device or host in the same file is one finding. `source` is
/// the normalised report path, so how a path was typed does not matter.
pub fn identity(item: ItemView<'_>, source: &str) -> String {
    let what = match item {
        ItemView::Package(p) => format!(
            "pkg:{}/{}@{}{}",
            p.ecosystem,
            p.key,
            p.version.as_deref().unwrap_or(""),
            p.device
                .as_deref()
                .map(|d| format!("|{d}"))
                .unwrap_or_default()
        ),
        ItemView::App(a) => format!(
            "app:{}|{}|{}|{}",
            a.device.unwrap_or(""),
            a.name.unwrap_or(""),
            a.publisher.unwrap_or(""),
            // An extension's id stands where its bundle id stood before
            // extension ids were their own field, so its fingerprints hold.
            a.bundle_id.or(a.extension_id).unwrap_or("")
        ),
        ItemView::Endpoint(e) => match e.client {
            Some(client) => format!("host:{}|{client}", e.host),
            None => format!("host:{}", e.host),
        },
        ItemView::File(f) => format!("sha256:{}", f.sha256),
    };
    format!("{source}\u{0}{what}")
}

pub fn fingerprint(policy: &str, identifier: &str, identity: &str) -> String {
    let mut h = Sha256::new();
    for part in [policy, identifier, identity] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Notice {
    pub code: String,
    pub message: String,
    pub location: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Summary {
    /// Findings, waived and baseline ones included.
    pub findings: u64,
    /// Findings by severity, neither waived nor in the baseline: the ones
    /// that fail a scan.
    pub by_severity: BySeverity,
    pub waived: u64,
    /// Unwaived findings already in the `--baseline` report.
    #[serde(default)]
    pub baseline: u64,
    pub occurrences: u64,
    /// Items read from the files read.
    pub items: u64,
    /// Files by state.
    pub files: FileCounts,
    /// Records passed over in files read, and warnings, in all files.
    pub skipped_records: u64,
    pub warnings: u64,
    pub policies_applied: u64,
    pub policies_not_applied: u64,
    /// Devices with an unwaived finding: what an auditor of an inventory
    /// counts, where findings count apps times policies.
    #[serde(default)]
    pub devices: DeviceCounts,
}

/// Distinct `item.device` values among unwaived findings. Findings with no
/// device (packages, endpoints, apps from an export without a device
/// column) are not counted here.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct DeviceCounts {
    /// Devices with at least one unwaived finding.
    pub affected: u64,
    /// Per policy id, the devices it has an unwaived finding on; policies
    /// without one are left out.
    pub by_policy: BTreeMap<String, u64>,
    /// Per product id, the same; findings on inline identifiers (no
    /// product) are counted under their policy only.
    pub by_product: BTreeMap<String, u64>,
    /// Devices that exports count without naming them (Intune's aggregate
    /// "Discovered apps"), among unwaived findings. Not in `affected`,
    /// which counts names: a count cannot be told apart from named devices
    /// nor from another row's count, so it is a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted_by_exports: Option<CountedDevices>,
}

/// Devices counted by exports: rows may count the same devices (one
/// device with two banned apps is in both rows' counts), so at least the
/// largest row's count and at most the sum of the rows' counts.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct CountedDevices {
    pub at_least: u64,
    pub at_most: u64,
}

impl DeviceCounts {
    fn of(findings: &[Finding]) -> DeviceCounts {
        let mut all = BTreeSet::new();
        let mut by_policy: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut by_product: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        // A counted row once, however many policies it matched.
        let mut counted_rows: BTreeMap<(&str, u64), u64> = BTreeMap::new();
        for f in findings.iter().filter(|f| f.waiver.is_none()) {
            let Some(device) = f.item.device.as_deref() else {
                if let Some(n) = f.item.device_count {
                    counted_rows.insert((&f.location.path, f.location.line), n);
                }
                continue;
            };
            all.insert(device);
            by_policy.entry(&f.policy).or_default().insert(device);
            if let Some(product) = &f.product {
                by_product.entry(product).or_default().insert(device);
            }
        }
        let counted = |m: BTreeMap<&str, BTreeSet<&str>>| {
            m.into_iter()
                .map(|(k, v)| (k.to_string(), v.len() as u64))
                .collect()
        };
        let counted_by_exports = (!counted_rows.is_empty()).then(|| CountedDevices {
            at_least: counted_rows.values().copied().max().unwrap_or(0),
            at_most: counted_rows
                .values()
                .fold(0u64, |sum, n| sum.saturating_add(*n)),
        });
        DeviceCounts {
            affected: all.len() as u64,
            by_policy: counted(by_policy),
            by_product: counted(by_product),
            counted_by_exports,
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FileCounts {
    pub read: u64,
    pub unread: u64,
    pub not_evidence: u64,
    pub excluded: u64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct BySeverity {
    pub ban: u64,
    pub restrict: u64,
    pub advisory: u64,
    /// Findings in a phase-out, whatever their severity: matched, not yet
    /// due, and failing a scan only when `--fail-on` says so.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub phase_out: u64,
}

impl Report {
    /// Recomputes the summary from the findings and inputs.
    pub fn summarise(&mut self) {
        let mut s = Summary {
            findings: self.findings.len() as u64,
            items: self.inputs.iter().map(|i| i.items).sum(),
            skipped_records: self
                .inputs
                .iter()
                .filter_map(|i| i.skipped.as_ref())
                .map(|s| s.count)
                .sum(),
            warnings: self.inputs.iter().map(|i| i.warnings.len() as u64).sum(),
            policies_applied: self.policies.iter().filter(|p| p.applied).count() as u64,
            policies_not_applied: self.policies.iter().filter(|p| !p.applied).count() as u64,
            devices: DeviceCounts::of(&self.findings),
            ..Summary::default()
        };
        for input in &self.inputs {
            *match input.state {
                InputState::Read => &mut s.files.read,
                InputState::Unread => &mut s.files.unread,
                InputState::NotEvidence => &mut s.files.not_evidence,
                InputState::Excluded => &mut s.files.excluded,
            } += 1;
        }
        for f in &self.findings {
            s.occurrences += f.count;
            if f.waiver.is_some() {
                s.waived += 1;
                continue;
            }
            if f.baseline {
                s.baseline += 1;
                continue;
            }
            match f.severity {
                _ if f.phase_out() => s.by_severity.phase_out += 1,
                Severity::Ban => s.by_severity.ban += 1,
                Severity::Restrict => s.by_severity.restrict += 1,
                Severity::Advisory => s.by_severity.advisory += 1,
            }
        }
        self.summary = s;
    }

    /// Marks the findings whose fingerprint `old` has as `baseline`, and
    /// counts them again.
    pub fn mark_baseline(&mut self, old: &Report) {
        let known: BTreeSet<&str> = old
            .findings
            .iter()
            .map(|f| f.fingerprint.as_str())
            .collect();
        for f in &mut self.findings {
            f.baseline = known.contains(f.fingerprint.as_str());
        }
        self.summarise();
    }

    pub fn policy(&self, id: &str) -> Option<&PolicyEntry> {
        self.policies.iter().find(|p| p.id == id)
    }

    /// Unwaived findings at or above `min`.
    pub fn violations(&self, fail_on: crate::policy::FailOn) -> usize {
        self.findings
            .iter()
            .filter(|f| f.waiver.is_none() && fail_on.fails(f.severity, f.phase_out()))
            .count()
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }
}
