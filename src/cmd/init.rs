//! `banscan init`: the first profile of an organisation, written for the
//! folder it will judge. Every setting a profile takes is in it, each
//! explained where it is written, so the file teaches the format; the
//! settings not known yet (who the organisation is, its exceptions) are
//! commented-out examples, so the file loads as written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::Out;
use crate::Outcome;
use crate::cli::InitArgs;
use crate::cli::config::check_audience;
use crate::diag::{Code, Problem};
use crate::input::detect::{Options, SkipReason, discover};
use crate::policy::vocab::SECTORS;

pub(super) fn run(out: &Out, args: &InitArgs) -> Outcome {
    if let Err(problem) = check_audience(args.jurisdiction.as_deref(), &args.sector) {
        return out.fail(problem);
    }
    let path = &args.output;
    // `symlink_metadata`: a dangling link is a file someone put there too.
    if !args.force && std::fs::symlink_metadata(path).is_ok() {
        return out.fail(
            Problem::error(
                Code::UsageWrite,
                format!("{} exists already; not overwriting it", path.display()),
            )
            .with_help("pass --force to replace it, or --output FILE to write another file"),
        );
    }
    let folder = folder_of(path);
    let who = Who {
        organization: args.organization.as_deref(),
        jurisdiction: args.jurisdiction.as_deref(),
        sectors: &args.sector,
    };
    let text = profile_text(&who, &Survey::of(&folder));
    if let Err(e) = crate::write_atomically(path, text.as_bytes()) {
        return out.fail(
            Problem::error(
                Code::UsageWrite,
                format!("cannot write {}: {e}", path.display()),
            )
            .with_help("check that the folder exists and is writable"),
        );
    }
    let shown = path.display();
    out.eprint(&format!(
        "wrote {shown}; fill in who the organisation is, check it with `banscan policy lint {shown}`, then run `banscan scan`\n"
    ));
    Outcome::Clean
}

/// The folder a profile at `path` judges: its own.
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Who the organisation is, as far as the command line said.
struct Who<'a> {
    organization: Option<&'a str>,
    jurisdiction: Option<&'a str>,
    sectors: &'a [String],
}

/// The evidence in the folder, by format, found by the walk `scan` makes:
/// the profile can then say what a scan will read and what will stop it.
#[derive(Debug, Default)]
struct Survey {
    read: BTreeMap<&'static str, usize>,
    /// Formats recognised but not read yet: unread evidence fails a scan.
    unread: BTreeMap<&'static str, usize>,
}

impl Survey {
    fn of(folder: &Path) -> Survey {
        let found = discover(&[folder.to_path_buf()], &Options::default());
        let mut survey = Survey::default();
        for input in &found.inputs {
            *survey.read.entry(input.format.name).or_default() += 1;
        }
        for skipped in &found.skipped {
            if let SkipReason::NotRead(format) = skipped.reason {
                *survey.unread.entry(format.name).or_default() += 1;
            }
        }
        survey
    }

    fn lines(&self) -> Vec<String> {
        let list = |formats: &BTreeMap<&str, usize>| {
            let each: Vec<String> = formats
                .iter()
                .map(|(name, n)| format!("{name} ({})", super::count(*n, "file", "files")))
                .collect();
            each.join(", ")
        };
        let mut lines = vec![String::new()];
        if self.read.is_empty() && self.unread.is_empty() {
            lines.push("No evidence was found in this folder when this file was written.".into());
        } else {
            lines.push(
                "In this folder when this file was written (`banscan formats` lists the formats):"
                    .into(),
            );
        }
        if !self.read.is_empty() {
            lines.push(format!("  read by a scan: {}", list(&self.read)));
        }
        if !self.unread.is_empty() {
            lines.push(format!(
                "  recognised, not read yet: {}; a scan fails on these (exit 2) unless `exclude:` leaves them out or `allow_unread: true`",
                list(&self.unread)
            ));
        }
        lines
    }
}

/// One setting of the profile: why it is there, then the YAML, written
/// as it is (`active`) or commented out as an example to fill in.
struct Setting {
    about: Vec<String>,
    yaml: Vec<String>,
    active: bool,
}

impl Setting {
    fn new(about: &[&str], yaml: &[&str], active: bool) -> Setting {
        Setting {
            about: about.iter().map(|s| (*s).to_string()).collect(),
            yaml: yaml.iter().map(|s| (*s).to_string()).collect(),
            active,
        }
    }
}

/// The settings of a profile, in the order the README explains them.
fn settings(who: &Who<'_>) -> Vec<Setting> {
    let organization = who.organization.map_or_else(
        || "organization: Ministry of Example Affairs".to_string(),
        // A JSON string is a YAML double-quoted scalar: any name is safe.
        |o| format!("organization: {}", serde_json::Value::from(o)),
    );
    let mut sector_about = vec![
        "The sectors the organisation belongs to; a policy applies when it binds one".to_string(),
        "of them. Without any, policies of every sector apply. The sectors:".to_string(),
    ];
    let width = SECTORS.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    sector_about.extend(
        SECTORS
            .iter()
            .map(|(name, who)| format!("  {name:width$}  {who}")),
    );
    let sectors = if who.sectors.is_empty() {
        "sectors: [central-government]".to_string()
    } else {
        format!("sectors: [{}]", who.sectors.join(", "))
    };
    vec![
        Setting {
            about: vec![
                "The organisation's name, for policies that bind only named organisations".into(),
                "(one agency's memo); such a policy applies only when it names this one.".into(),
            ],
            yaml: vec![organization],
            active: who.organization.is_some(),
        },
        Setting {
            about: vec![
                "Where the organisation is: an ISO 3166 code such as TW, US or US-TX. Policies"
                    .into(),
                "of this jurisdiction and of those above it apply (US reaches US-TX; GLOBAL,"
                    .into(),
                "everywhere). Without it, policies of every jurisdiction apply.".into(),
            ],
            yaml: vec![format!(
                "jurisdiction: {}",
                who.jurisdiction.unwrap_or("TW")
            )],
            active: who.jurisdiction.is_some(),
        },
        Setting {
            about: sector_about,
            yaml: vec![sectors],
            active: !who.sectors.is_empty(),
        },
        Setting::new(
            &[
                "The policy sets to check against: `builtin` is the library banscan ships",
                "(`banscan policy list`). Add a folder or file of your own (relative to this",
                "file), such as `- ./policies`, or pin a vendored one so it is refused once",
                "its files change: `- { path: vendor/rules, lock: \"sha256:...\" }` with the",
                "digest `banscan policy lock vendor/rules` prints.",
            ],
            &["policies:", "  - builtin"],
            true,
        ),
        Setting::new(
            &[
                "The lowest severity that fails a scan (exit 1): ban, restrict, advisory or",
                "never. `--fail-on` overrides it.",
            ],
            &["fail_on: restrict"],
            true,
        ),
        Setting::new(
            &[
                "true: records passed over in files that were read (a ragged row, a line",
                "of no known shape) fail the scan (exit 2) too. `--strict` sets it.",
            ],
            &["strict: false"],
            true,
        ),
        Setting::new(
            &[
                "true: unread evidence (a format banscan does not read yet, a file that",
                "failed to parse) is listed as a warning instead of failing the scan",
                "(exit 2). `--allow-unread` sets it.",
            ],
            &["allow_unread: false"],
            true,
        ),
        Setting::new(
            &[
                "Files and folders a scan leaves out, listed as excluded: globs relative to",
                "this file's folder (`docs/**`), or a name anywhere (`*.bak`).",
            ],
            &["exclude:", "  - \"docs/**\"", "  - \"*.bak\""],
            false,
        ),
        Setting::new(
            &[
                "Exceptions the organisation approved. A waiver names the policy, may narrow",
                "itself to items and devices (globs), and must say why, who approved it and",
                "its last day; an expired waiver waives nothing, and one that matched no",
                "finding is reported.",
            ],
            &[
                "waivers:",
                "  - policy: tw-moda-2025-deepseek-statute",
                "    item: \"DeepSeek*\"",
                "    device: \"LAB-*\"",
                "    reason: Research PC, exception approved under the Cyber Security Management Act art. 11",
                "    approved_by: Chief Information Security Officer",
                "    expires: 2027-06-30",
            ],
            false,
        ),
    ]
}

/// The profile as written to disk.
fn profile_text(who: &Who<'_>, survey: &Survey) -> String {
    let header = [
        "banscan profile: who is checked, against which policies, when a scan fails,",
        "and the exceptions approved. `banscan scan` judges each file under the",
        "nearest banscan.yaml at or above it (or the one `--profile FILE` names);",
        "flags such as `--jurisdiction` override what is written here. The lines",
        "commented out are examples: fill them in and remove the `# `.",
        "Check the file with `banscan policy lint banscan.yaml`.",
    ];
    let mut text = String::new();
    for line in header
        .iter()
        .map(|l| (*l).to_string())
        .chain(survey.lines())
    {
        push_comment(&mut text, &line);
    }
    for setting in settings(who) {
        text.push('\n');
        for line in &setting.about {
            push_comment(&mut text, line);
        }
        for line in &setting.yaml {
            if setting.active {
                text.push_str(line);
                text.push('\n');
            } else {
                push_comment(&mut text, line);
            }
        }
    }
    text
}

fn push_comment(text: &mut String, line: &str) {
    text.push('#');
    if !line.is_empty() {
        text.push(' ');
        text.push_str(line);
    }
    text.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nobody() -> Who<'static> {
        Who {
            organization: None,
            jurisdiction: None,
            sectors: &[],
        }
    }

    /// The commented-out examples are a profile too: a user who removes
    /// the `# ` gets a file that loads, with the values shown.
    #[test]
    fn every_example_loads_when_uncommented() {
        let mut text = String::new();
        for mut setting in settings(&nobody()) {
            setting.active = true;
            text.extend(setting.yaml.iter().map(|l| format!("{l}\n")));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("banscan.yaml");
        std::fs::write(&path, &text).unwrap();
        let profile =
            crate::policy::load::load_profile(&path).unwrap_or_else(|p| panic!("{text}\n{p:?}"));
        assert_eq!(
            profile.organization.as_deref(),
            Some("Ministry of Example Affairs")
        );
        assert_eq!(profile.jurisdiction.as_deref(), Some("TW"));
        assert_eq!(profile.sectors, ["central-government"]);
        assert_eq!(profile.exclude, ["docs/**", "*.bak"]);
        assert_eq!(profile.waivers.len(), 1);
        assert_eq!(profile.strict, Some(false));
        assert_eq!(profile.allow_unread, Some(false));
    }

    /// A name with YAML's special characters stays the name.
    #[test]
    fn organization_is_quoted() {
        let who = Who {
            organization: Some("Agency: \"A\" # B"),
            ..nobody()
        };
        let text = profile_text(&who, &Survey::default());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("banscan.yaml");
        std::fs::write(&path, &text).unwrap();
        let profile = crate::policy::load::load_profile(&path).unwrap();
        assert_eq!(profile.organization.as_deref(), Some("Agency: \"A\" # B"));
    }
}
