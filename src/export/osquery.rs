//! `osquery`: Fleet policies in GitOps YAML (a `lib/…policies.yml` list of
//! `name`, `description`, `resolution`, `query`, `platform`, `critical`),
//! so every device Fleet manages answers, each hour, whether it runs
//! software a policy bans.
//!
//! A Fleet policy is a yes/no question: a host *passes* when the query
//! returns a row. Each query is therefore `SELECT 1 WHERE NOT EXISTS
//! (…banned row…)`: one row on a clean device, none on a violating one.
//! There is one Fleet policy per banscan policy and platform (`windows`,
//! `darwin`, `linux`), and a second, `critical: false` one holding the
//! unconfirmed identifiers when `--include-unconfirmed` exports them: an
//! alert never marks a device critical. A confirmed `ban` is `critical:
//! true`; `restrict` and `advisory` policies are not.
//!
//! The queries read the osquery tables banscan itself reads (see
//! [`crate::input::apps::osquery`]), with the columns it matches:
//! `programs` (`name`, `publisher`) on Windows; `apps` (the `.app` folder
//! name without `.app`, `bundle_identifier`) on macOS; `deb_packages` and
//! `rpm_packages` (`name`) on Linux; `chrome_extensions` (`identifier`,
//! joined to `users` as osquery needs) everywhere. Names and publishers
//! are the policy's case-insensitive globs as `LIKE` patterns (`*` → `%`,
//! `?` → `_`, a literal `%`, `_` or `\` escaped, `{a,b}` as two patterns);
//! SQLite's `LIKE` folds ASCII case only, and cells are trimmed but not
//! NFKC-folded as banscan folds them. An exemption of the same policy is
//! `AND NOT` on the same table, as the matcher cancels its own policy's hit.
//!
//! Handed back: version ranges (osquery SQL has no portable version
//! order, and dropping the range would fail devices on allowed versions),
//! `[…]` classes, iOS and Android apps (Fleet reads those through MDM,
//! not osquery), Windows bundle ids (winget ids, which `programs` lacks),
//! non-Chrome extension ids, packages other than deb and rpm, and
//! endpoints and file digests, which other targets carry.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Entry, Export, Target, Unexpressed, What, comment_header};
use crate::ident::Ecosystem;
use crate::policy::compile::is_glob;
use crate::policy::{AppRule, PackageRule, Policy, Severity};

pub struct Osquery;

impl Target for Osquery {
    fn name(&self) -> &'static str {
        "osquery"
    }

    fn file_name(&self) -> &'static str {
        "banscan.policies.yml"
    }

    fn description(&self) -> &'static str {
        "Fleet (osquery) GitOps policies: one yes/no query per policy and platform"
    }

    fn write(&self, export: &Export<'_>, unexpressed: &mut Vec<Unexpressed>) -> String {
        let mut fleet: BTreeMap<Key<'_>, Checks> = BTreeMap::new();
        let mut policies: BTreeMap<&str, &Policy> = BTreeMap::new();
        for entry in &export.blocks {
            let conditions = match conditions(entry) {
                Ok(c) => c,
                Err(why) => {
                    unexpressed.push(Unexpressed::of(entry, why));
                    continue;
                }
            };
            for policy in &entry.policies {
                policies.insert(&policy.id, policy);
                for c in &conditions {
                    let key = Key {
                        policy: &policy.id,
                        platform: c.table.platform(),
                        advisory: entry.alert_only,
                    };
                    let checks = fleet.entry(key).or_default();
                    checks
                        .tables
                        .entry(c.table)
                        .or_default()
                        .bans
                        .push(c.sql.clone());
                    let what = entry.what.describe();
                    if !checks.identifiers.contains(&what) {
                        checks.identifiers.push(what);
                    }
                }
            }
        }
        for entry in &export.allows {
            if entry.domain().is_some() || matches!(entry.what, What::Ip(_) | What::Net(_)) {
                // No network identifier is blocked here, so an exempt one
                // has nothing to narrow.
                continue;
            }
            let conditions = match conditions(entry) {
                Ok(c) => c,
                Err(why) => {
                    unexpressed.push(Unexpressed::of(entry, why));
                    continue;
                }
            };
            for (key, checks) in &mut fleet {
                if !entry.policies.iter().any(|p| p.id == key.policy) {
                    continue;
                }
                for c in conditions
                    .iter()
                    .filter(|c| c.table.platform() == key.platform)
                {
                    if let Some(table) = checks.tables.get_mut(&c.table) {
                        table.exempt.push(c.sql.clone());
                    }
                }
            }
        }

        let mut out = comment_header(&export.header, "#");
        out.push_str(
            "# Fleet GitOps policies. Reference this file from default.yml or a team file:\n\
             #   policies:\n\
             #     - path: ../lib/banscan.policies.yml\n\
             # A host passes when the query returns a row: none of the banned software\n\
             # is installed. Version ranges are not checked (see the warnings).\n",
        );
        if fleet.is_empty() {
            out.push_str("[]\n");
        }
        for (key, checks) in &fleet {
            write_policy(&mut out, key, policies[key.policy], checks);
        }
        out
    }
}

/// One Fleet policy: a banscan policy on one platform, its confirmed or
/// its unconfirmed identifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key<'a> {
    policy: &'a str,
    platform: Platform,
    advisory: bool,
}

/// Fleet's platform names, in the order they are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Platform {
    Windows,
    Darwin,
    Linux,
}

impl Platform {
    const ALL: [Platform; 3] = [Platform::Windows, Platform::Darwin, Platform::Linux];

    fn fleet(self) -> &'static str {
        match self {
            Platform::Windows => "windows",
            Platform::Darwin => "darwin",
            Platform::Linux => "linux",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Platform::Windows => "Windows",
            Platform::Darwin => "macOS",
            Platform::Linux => "Linux",
        }
    }
}

/// The osquery tables a query reads; chrome extensions once per platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Table {
    Programs,
    Apps,
    Deb,
    Rpm,
    Chrome(Platform),
}

impl Table {
    fn platform(self) -> Platform {
        match self {
            Table::Programs => Platform::Windows,
            Table::Apps => Platform::Darwin,
            Table::Deb | Table::Rpm => Platform::Linux,
            Table::Chrome(p) => p,
        }
    }

    /// `FROM …` of the inner query. macOS names are the `.app` folder's
    /// without the suffix, as banscan reads them.
    fn from(self) -> &'static str {
        match self {
            Table::Programs => "programs",
            Table::Apps => {
                "(SELECT CASE WHEN substr(name, -4) = '.app' AND length(name) > 4 \
                 THEN substr(name, 1, length(name) - 4) ELSE name END AS app_name, \
                 bundle_identifier FROM apps)"
            }
            Table::Deb => "deb_packages",
            Table::Rpm => "rpm_packages",
            Table::Chrome(_) => "users CROSS JOIN chrome_extensions USING (uid)",
        }
    }
}

#[derive(Default)]
struct Checks {
    tables: BTreeMap<Table, Clauses>,
    /// The identifiers, as policies write them, for the description.
    identifiers: Vec<String>,
}

#[derive(Default)]
struct Clauses {
    bans: Vec<String>,
    exempt: Vec<String>,
}

/// A condition on one table's row.
struct Condition {
    table: Table,
    sql: String,
}

const VERSIONS: &str =
    "version ranges are not expressed (osquery SQL has no portable version order)";
const MOBILE: &str = "iOS and Android apps: Fleet reads them through MDM, not osquery";
const WINGET: &str = "a Windows bundle id is a winget id, which osquery's programs table lacks";
const LINUX_APP: &str = "osquery has no table of Linux desktop apps (ban the deb or rpm package)";
const NO_PUBLISHER: &str = "osquery's apps and chrome_extensions tables have no publisher";
const EXTENSION: &str = "only Chrome extension ids (32 letters a-p) are exported";
const CLASS: &str = "a [...] glob class has no LIKE form";
const PACKAGE: &str = "osquery policies cover deb and rpm packages only";
const NETWORK: &str = "a network identifier: osquery policies check installed software";
const FILE: &str = "a file digest needs a path to hash in osquery";

/// Where and how `entry` shows on a device, or why it cannot be said.
fn conditions(entry: &Entry<'_>) -> Result<Vec<Condition>, &'static str> {
    match entry.what {
        What::App(app) => app_conditions(app),
        What::Package(package) => package_condition(package).map(|c| vec![c]),
        What::Domain { .. } | What::Ip(_) | What::Net(_) => Err(NETWORK),
        What::File(_) => Err(FILE),
    }
}

fn app_conditions(app: &AppRule) -> Result<Vec<Condition>, &'static str> {
    if app.versions.is_some() {
        return Err(VERSIONS);
    }
    let platforms: Vec<Platform> = match app.platform.as_deref() {
        None => Platform::ALL.to_vec(),
        Some("windows") => vec![Platform::Windows],
        Some("macos") => vec![Platform::Darwin],
        Some("linux") => vec![Platform::Linux],
        Some(_) => return Err(MOBILE),
    };
    let name = |column: &str| {
        app.name
            .as_deref()
            .map(|n| glob_like(column, n))
            .transpose()
    };
    let mut out = Vec::new();
    if let Some(id) = &app.extension_id {
        if app.publisher.is_some() || app.bundle_id.is_some() {
            return Err(NO_PUBLISHER);
        }
        if !is_chrome_id(id) {
            return Err(EXTENSION);
        }
        let mut sql = format!("lower(identifier) = {}", literal(&id.to_lowercase()));
        if let Some(n) = name("trim(name)")? {
            sql = format!("({sql} AND {n})");
        }
        for p in platforms {
            out.push(Condition {
                table: Table::Chrome(p),
                sql: sql.clone(),
            });
        }
        return Ok(out);
    }
    if let Some(id) = &app.bundle_id {
        if !platforms.contains(&Platform::Darwin) {
            return Err(if platforms == [Platform::Windows] {
                WINGET
            } else {
                LINUX_APP
            });
        }
        if app.publisher.is_some() {
            return Err(NO_PUBLISHER);
        }
        let mut sql = format!("lower(bundle_identifier) = {}", literal(&id.to_lowercase()));
        if let Some(n) = name("app_name")? {
            sql = format!("({sql} AND {n})");
        }
        return Ok(vec![Condition {
            table: Table::Apps,
            sql,
        }]);
    }
    if platforms.contains(&Platform::Windows) {
        let mut parts = Vec::new();
        parts.extend(name("trim(name)")?);
        if let Some(p) = &app.publisher {
            parts.push(glob_like("trim(publisher)", p)?);
        }
        out.push(Condition {
            table: Table::Programs,
            sql: all_of(&parts),
        });
    }
    // macOS apps have no publisher: a rule naming one cannot match there.
    if platforms.contains(&Platform::Darwin) && app.publisher.is_none() {
        out.extend(name("app_name")?.map(|sql| Condition {
            table: Table::Apps,
            sql,
        }));
    }
    if out.is_empty() {
        return Err(if platforms == [Platform::Linux] {
            LINUX_APP
        } else {
            NO_PUBLISHER
        });
    }
    Ok(out)
}

fn package_condition(package: &PackageRule) -> Result<Condition, &'static str> {
    let table = match package.ecosystem {
        Ecosystem::Deb => Table::Deb,
        Ecosystem::Rpm => Table::Rpm,
        _ => return Err(PACKAGE),
    };
    if package.versions.is_some() {
        return Err(VERSIONS);
    }
    // The key is lower case already, as banscan compares it.
    let sql = if package.prefix {
        like("lower(name)", &format!("{}%", escape_like(&package.key)))
    } else {
        format!("lower(name) = {}", literal(&package.key))
    };
    Ok(Condition { table, sql })
}

/// Conditions that must all hold, parenthesised when there are several.
fn all_of(parts: &[String]) -> String {
    match parts {
        [one] => one.clone(),
        _ => format!("({})", parts.join(" AND ")),
    }
}

/// Chrome's extension ids: 32 letters from `a` to `p`.
fn is_chrome_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| matches!(b.to_ascii_lowercase(), b'a'..=b'p'))
}

/// `column LIKE pattern` for a banscan name glob (folded as the matcher
/// folds it); `{a,b}` becomes `(… OR …)`.
fn glob_like(column: &str, glob: &str) -> Result<String, &'static str> {
    // Folded as the matcher folds names and patterns: NFKC, runs of
    // whitespace one space, trimmed.
    let folded = crate::matcher::apps::fold(glob);
    let patterns = if is_glob(&folded) {
        like_patterns(&folded)?
    } else {
        vec![escape_like(&folded)]
    };
    let parts: Vec<String> = patterns.iter().map(|p| like(column, p)).collect();
    Ok(if parts.len() == 1 {
        parts.into_iter().next().unwrap_or_default()
    } else {
        format!("({})", parts.join(" OR "))
    })
}

/// `column LIKE 'pattern'`, with `ESCAPE '\'` when the pattern escapes.
fn like(column: &str, pattern: &str) -> String {
    let escape = if pattern.contains('\\') {
        " ESCAPE '\\'"
    } else {
        ""
    };
    format!("{column} LIKE {}{escape}", literal(pattern))
}

/// A glob as `LIKE` patterns: one, or one per `{a,b}` alternative.
fn like_patterns(glob: &str) -> Result<Vec<String>, &'static str> {
    let mut out = vec![String::new()];
    let mut chars = glob.chars();
    while let Some(c) = chars.next() {
        match c {
            '*' => push_all(&mut out, "%"),
            '?' => push_all(&mut out, "_"),
            '[' => return Err(CLASS),
            '\\' => {
                if let Some(next) = chars.next() {
                    push_all(&mut out, &escape_like(&next.to_string()));
                }
            }
            '{' => {
                let mut inner = String::new();
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    inner.push(c);
                }
                let mut alternatives = Vec::new();
                for alt in inner.split(',') {
                    alternatives.extend(like_patterns(alt)?);
                }
                out = out
                    .iter()
                    .flat_map(|head| alternatives.iter().map(move |a| format!("{head}{a}")))
                    .collect();
            }
            c => push_all(&mut out, &escape_like(&c.to_string())),
        }
    }
    Ok(out)
}

fn push_all(patterns: &mut [String], text: &str) {
    for p in patterns {
        p.push_str(text);
    }
}

/// `text` with `LIKE`'s wildcards and the escape character escaped.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A SQL string literal: `'` doubled.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn write_policy(out: &mut String, key: &Key<'_>, policy: &Policy, checks: &Checks) {
    let platform = key.platform;
    let advisory = if key.advisory {
        " (unconfirmed identifier: advisory)"
    } else {
        ""
    };
    let name = format!(
        "banscan {} ({}{})",
        policy.id,
        platform.fleet(),
        if key.advisory { ", unconfirmed" } else { "" }
    );
    let description = format!(
        "{} ({}, {}; banscan policy {}, severity {}). Fails on a {} device with any of: {}.{advisory}",
        policy.title,
        policy.authority,
        policy.jurisdiction,
        policy.id,
        policy.severity.as_str(),
        platform.words(),
        checks.identifiers.join("; "),
    );
    let resolution = policy
        .remediation
        .as_deref()
        .unwrap_or("Uninstall the banned software, or record why this device is exempt.");
    let critical = !key.advisory && policy.severity == Severity::Ban;
    let _ = writeln!(out, "- name: {}", yaml_string(&name));
    let _ = writeln!(out, "  description: {}", yaml_string(&description));
    let _ = writeln!(out, "  resolution: {}", yaml_string(resolution.trim()));
    let mut query = vec![String::from("SELECT 1")];
    for (i, (table, clauses)) in checks.tables.iter().enumerate() {
        let join = if i == 0 { "WHERE" } else { "AND" };
        query.push(format!(
            "{join} NOT EXISTS (SELECT 1 FROM {} WHERE",
            table.from()
        ));
        // With exemptions the bans are one parenthesised OR, so `AND NOT`
        // narrows all of them, not the last.
        let open = if clauses.exempt.is_empty() { "" } else { "(" };
        let last = clauses.bans.len() - 1;
        for (j, ban) in clauses.bans.iter().enumerate() {
            let head = if j == 0 { open } else { "OR " };
            let tail = if j == last { ")" } else { "" };
            query.push(format!("{head}{ban}{tail}"));
        }
        if !clauses.exempt.is_empty() {
            // coalesce: an exemption on a missing column exempts nothing.
            query.push(format!(
                "AND NOT coalesce({}, 0))",
                clauses.exempt.join(" OR ")
            ));
        }
    }
    let _ = writeln!(out, "  query: {}", yaml_folded(&query, "    "));
    let _ = writeln!(out, "  platform: {}", platform.fleet());
    let _ = writeln!(out, "  critical: {critical}");
}

/// A double-quoted YAML scalar: every character YAML would read as
/// something else is escaped, so policy text arrives as written.
fn yaml_string(text: &str) -> String {
    format!("\"{}\"", yaml_escape(text))
}

/// `lines` as one double-quoted YAML scalar over several lines: a line
/// break there folds to one space, so the reader gets the lines joined
/// by spaces (a query reads clause by clause, and is one line to Fleet).
/// The breaks are the writer's, between clauses, never inside a string.
fn yaml_folded(lines: &[String], indent: &str) -> String {
    let escaped: Vec<String> = lines.iter().map(|l| yaml_escape(l)).collect();
    format!("\"{}\"", escaped.join(&format!("\n{indent}")))
}

fn yaml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Globs become LIKE patterns as the matcher reads them: wildcards
    /// translated, LIKE's own wildcards escaped, `{a,b}` expanded, a
    /// class refused.
    #[test]
    fn globs_become_like_patterns() {
        let p = |g: &str| like_patterns(g);
        assert_eq!(p("Demo*"), Ok(vec!["Demo%".to_string()]));
        assert_eq!(p("a?c"), Ok(vec!["a_c".to_string()]));
        assert_eq!(p("100%_*"), Ok(vec!["100\\%\\_%".to_string()]));
        assert_eq!(p("x\\*y"), Ok(vec!["x*y".to_string()]));
        assert_eq!(
            p("{A,B} {c,d*}"),
            Ok(["A c", "A d%", "B c", "B d%"].map(String::from).to_vec())
        );
        assert_eq!(p("[ab]c"), Err(CLASS));
    }

    /// A plain name is literal: its `\`, `%` and `_` are escaped, its
    /// quote doubled; a glob's `\` escapes the next character.
    #[test]
    fn names_become_like_conditions() {
        assert_eq!(glob_like("n", "O'Brien"), Ok("n LIKE 'O''Brien'".into()));
        assert_eq!(
            glob_like("n", "a\\b_c"),
            Ok("n LIKE 'a\\\\b\\_c' ESCAPE '\\'".into())
        );
        assert_eq!(
            glob_like("n", "  Demo   {X,Y}"),
            Ok("(n LIKE 'Demo X' OR n LIKE 'Demo Y')".into())
        );
    }

    /// Policy text reaches the YAML reader as written: quotes,
    /// backslashes, line breaks, controls and separators escaped.
    #[test]
    fn yaml_strings_escape_what_yaml_reads() {
        assert_eq!(
            yaml_string("a\"b\\c\nd\te\u{7}f\u{2028}ü"),
            "\"a\\\"b\\\\c\\nd\\te\\u0007f\\u2028ü\""
        );
        assert_eq!(
            yaml_folded(&["SELECT 1".into(), "WHERE 'x'".into()], "  "),
            "\"SELECT 1\n  WHERE 'x'\""
        );
    }
}
