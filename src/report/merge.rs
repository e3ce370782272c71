//! `banscan report merge`: many sites' or devices' reports as one, so an
//! agency runs banscan where the data lives and reads one report.
//!
//! Findings are deduplicated by fingerprint (the same policy, identifier
//! and item in the same file is one finding wherever it was reported) and
//! each keeps the reports it came from; inputs are kept whole, each with
//! its report, since two sites' `inventory.csv` are different files.

use std::collections::HashMap;

use super::{Origin, PolicySetInfo, Report, RunInfo, SCHEMA, Tool};

/// Merges `reports` (each with the name it was given by) into one; the
/// merged report's `run` is the merge's own, given by the caller.
pub fn merge(reports: Vec<(String, Report)>, run: RunInfo) -> Report {
    let mut merged = Report {
        schema: SCHEMA.into(),
        tool: Tool::default(),
        as_of: String::new(),
        run,
        policy_sets: Vec::new(),
        origins: Vec::new(),
        profiles: Vec::new(),
        policies: Vec::new(),
        inputs: Vec::new(),
        findings: Vec::new(),
        notices: Vec::new(),
        summary: Default::default(),
    };
    let mut finding_at: HashMap<String, usize> = HashMap::new();
    for (name, report) in reports {
        let origin = merged.origins.len();
        merged.origins.push(Origin {
            report: name,
            tool: report.tool,
            as_of: report.as_of.clone(),
            run: report.run,
            policy_sets: report.policy_sets.clone(),
            organizations: report
                .profiles
                .iter()
                .filter_map(|p| p.organization.clone())
                .collect(),
        });
        // The latest as-of date: a merged report is as current as its
        // newest part (each origin keeps its own).
        if report.as_of > merged.as_of {
            merged.as_of = report.as_of;
        }
        for set in report.policy_sets {
            add_set(&mut merged.policy_sets, set);
        }
        let profile_base = merged.profiles.len();
        merged.profiles.extend(report.profiles);
        for policy in report.policies {
            match merged.policies.iter_mut().find(|p| p.id == policy.id) {
                Some(known) if policy.applied && !known.applied => *known = policy,
                Some(_) => {}
                None => merged.policies.push(policy),
            }
        }
        for mut input in report.inputs {
            input.profile = input.profile.map(|p| p + profile_base);
            input.origin = Some(origin);
            merged.inputs.push(input);
        }
        for mut finding in report.findings {
            match finding_at.get(&finding.fingerprint) {
                Some(&at) => merged.findings[at].origins.push(origin),
                None => {
                    finding.profile = finding.profile.map(|p| p + profile_base);
                    finding.origins = vec![origin];
                    finding_at.insert(finding.fingerprint.clone(), merged.findings.len());
                    merged.findings.push(finding);
                }
            }
        }
        for notice in report.notices {
            if !merged
                .notices
                .iter()
                .any(|n| n.code == notice.code && n.message == notice.message)
            {
                merged.notices.push(notice);
            }
        }
    }
    merged.policies.sort_by_key(|p| !p.applied);
    merged.summarise();
    merged
}

fn add_set(sets: &mut Vec<PolicySetInfo>, set: PolicySetInfo) {
    if !sets.contains(&set) {
        sets.push(set);
    }
}
