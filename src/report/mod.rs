//! The report: everything a scan found, in one self-contained value.
//!
//! Renderers read only this (never the policies or the inputs), so a report
//! saved as JSON can be rendered again or merged with others later. It is
//! the `banscan-report/1` schema documented in the README.

pub mod render;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::input::{Item, ItemKind};
use crate::policy::{Policy, Severity};

pub const SCHEMA: &str = "banscan-report/1";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    pub schema: String,
    pub tool: Tool,
    pub as_of: String,
    pub profile: ProfileInfo,
    pub policies: Vec<PolicyEntry>,
    pub inputs: Vec<InputEntry>,
    pub findings: Vec<Finding>,
    /// Things about the rule set worth knowing: expired or unused waivers.
    pub notices: Vec<Notice>,
    pub summary: Summary,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
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
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Citation {
    pub title: String,
    pub publisher: String,
    pub url: Option<String>,
}

impl PolicyEntry {
    pub fn new(policy: &Policy, not_applied: Option<String>) -> PolicyEntry {
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
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum InputStatus {
    Ok,
    Error,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InputEntry {
    pub path: String,
    pub format: Option<String>,
    pub items: u64,
    pub status: InputStatus,
    /// The first problem, in words; all of them are in `problems`.
    pub error: Option<String>,
    pub problems: Vec<InputProblemEntry>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InputProblemEntry {
    pub message: String,
    pub help: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub len: Option<u32>,
    /// The text of the offending line.
    pub text: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub line: u32,
    pub column: u32,
}

/// What was matched, with the fields its kind has.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ItemInfo {
    pub kind: String,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The dependency path from the project to the package.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<Vec<String>>,
}

impl ItemInfo {
    pub fn new(kind: &ItemKind) -> ItemInfo {
        let mut info = ItemInfo {
            kind: kind.kind_name().into(),
            ..ItemInfo::default()
        };
        match kind {
            ItemKind::Package(p) => {
                info.ecosystem = Some(p.ecosystem.to_string());
                info.name = Some(p.name.clone());
                info.version = p.version.clone().or_else(|| p.requirement.clone());
                info.path = (!p.path.is_empty()).then(|| p.path.clone());
            }
            ItemKind::App(a) => {
                info.name = a.name.clone();
                info.version = a.version.clone();
                info.publisher = a.publisher.clone();
                info.bundle_id = a.bundle_id.clone();
                info.platform = a.platform.clone();
                info.device = a.device.clone();
            }
            ItemKind::Endpoint(e) => {
                info.host = Some(e.host.to_string());
                info.url = e.url.clone();
            }
            ItemKind::File(f) => {
                info.sha256 = Some(f.sha256.to_string());
                info.name = f.name.clone();
            }
        }
        info
    }

    /// What the item is, in one short phrase for messages.
    pub fn describe(&self) -> String {
        let name = self.name.as_deref().unwrap_or("");
        match self.kind.as_str() {
            "package" => match &self.version {
                Some(v) => format!("package {name} {v}"),
                None => format!("package {name}"),
            },
            "app" => {
                let what = self.name.as_deref().or(self.bundle_id.as_deref());
                let mut text = format!("app \"{}\"", what.unwrap_or("?"));
                if let (Some(_), Some(b)) = (&self.name, &self.bundle_id) {
                    text.push_str(&format!(" ({b})"));
                }
                if let Some(p) = &self.publisher {
                    text.push_str(&format!(" by {p}"));
                }
                if let Some(p) = &self.platform {
                    text.push_str(&format!(" on {p}"));
                }
                if let Some(d) = &self.device {
                    text.push_str(&format!(", device {d}"));
                }
                text
            }
            "endpoint" => format!("endpoint {}", self.host.as_deref().unwrap_or("?")),
            _ => format!("file {}", self.sha256.as_deref().unwrap_or("?")),
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
    pub policy: String,
    pub product: Option<String>,
    pub severity: Severity,
    /// The policy identifier that matched, as written in the policy.
    pub identifier: String,
    pub item: ItemInfo,
    /// The first occurrence.
    pub location: Location,
    /// The last occurrence, when there were several.
    pub last_location: Option<Location>,
    /// How many occurrences were folded into this finding.
    pub count: u64,
    pub waiver: Option<WaiverInfo>,
    /// The evidence line of the first occurrence, and the matched part of it.
    pub evidence: Evidence,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Evidence {
    pub text: String,
    pub column: u32,
    pub len: u32,
}

/// What identifies an item for folding and fingerprints: the same package,
/// app on a device or host in the same file is one finding.
pub fn identity(item: &Item) -> String {
    let what = match &item.kind {
        ItemKind::Package(p) => format!(
            "pkg:{}/{}@{}",
            p.ecosystem,
            p.key,
            p.version.as_deref().unwrap_or("")
        ),
        ItemKind::App(a) => format!(
            "app:{}|{}|{}|{}",
            a.device.as_deref().unwrap_or(""),
            a.name.as_deref().unwrap_or(""),
            a.publisher.as_deref().unwrap_or(""),
            a.bundle_id.as_deref().unwrap_or("")
        ),
        ItemKind::Endpoint(e) => format!("host:{}", e.host),
        ItemKind::File(f) => format!("sha256:{}", f.sha256),
    };
    format!("{}\u{0}{what}", item.origin.path)
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
    /// Findings, waived ones included.
    pub findings: u64,
    /// Unwaived findings by severity.
    pub by_severity: BySeverity,
    pub waived: u64,
    pub occurrences: u64,
    pub inputs: u64,
    pub inputs_failed: u64,
    pub items: u64,
    pub policies_applied: u64,
    pub policies_not_applied: u64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct BySeverity {
    pub ban: u64,
    pub restrict: u64,
    pub advisory: u64,
}

impl Report {
    /// Recomputes the summary from the findings and inputs.
    pub fn summarise(&mut self) {
        let mut s = Summary {
            findings: self.findings.len() as u64,
            inputs: self.inputs.len() as u64,
            inputs_failed: self
                .inputs
                .iter()
                .filter(|i| i.status == InputStatus::Error)
                .count() as u64,
            items: self.inputs.iter().map(|i| i.items).sum(),
            policies_applied: self.policies.iter().filter(|p| p.applied).count() as u64,
            policies_not_applied: self.policies.iter().filter(|p| !p.applied).count() as u64,
            ..Summary::default()
        };
        for f in &self.findings {
            s.occurrences += f.count;
            if f.waiver.is_some() {
                s.waived += 1;
                continue;
            }
            match f.severity {
                Severity::Ban => s.by_severity.ban += 1,
                Severity::Restrict => s.by_severity.restrict += 1,
                Severity::Advisory => s.by_severity.advisory += 1,
            }
        }
        self.summary = s;
    }

    pub fn policy(&self, id: &str) -> Option<&PolicyEntry> {
        self.policies.iter().find(|p| p.id == id)
    }

    /// Unwaived findings at or above `min`.
    pub fn violations(&self, fail_on: crate::policy::FailOn) -> usize {
        self.findings
            .iter()
            .filter(|f| f.waiver.is_none() && fail_on.fails(f.severity))
            .count()
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }
}
