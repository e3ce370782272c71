//! `banscan policy schema`: a JSON Schema (draft-07, which YAML editors such
//! as yaml-language-server read) for product, policy and profile documents.
//! Built from the same key lists the loader uses, so the two cannot drift.

use serde_json::{Value, json};

use super::read::keys::*;
use super::timeline::{DeadlineAction, LegalState};
use super::vocab::{self, PLATFORMS, SECTORS};
use crate::ident::Ecosystem;

/// The purl types a package identifier may use.
fn purl_types() -> Vec<&'static str> {
    Ecosystem::ALL.iter().map(|e| e.purl_type()).collect()
}

fn string(description: &str) -> Value {
    json!({"type": "string", "minLength": 1, "description": description})
}

fn date(description: &str) -> Value {
    json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": description})
}

/// An object whose properties are exactly `keys` (each must be described).
fn object(keys: &[&str], required: &[&str], props: &[(&str, Value)]) -> Value {
    let mut properties = serde_json::Map::new();
    for key in keys {
        let schema = props
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("schema for `{key}` missing"));
        properties.insert((*key).to_string(), schema);
    }
    json!({"type": "object", "additionalProperties": false, "required": required, "properties": properties})
}

fn sectors() -> Value {
    let mut names: Vec<&str> = SECTORS.iter().map(|(n, _)| *n).collect();
    names.push(vocab::ALL_SECTORS);
    json!({"type": "array", "items": {"enum": names}})
}

/// An identifier's own confidence: unconfirmed ones only advise.
fn identifier_confidence() -> Value {
    json!({"enum": ["confirmed", "unconfirmed"], "description": "unconfirmed (a P fact): findings from this identifier are advisory at most"})
}

fn identifiers() -> Value {
    let host = string("domain (with subdomains), *.domain, IP or CIDR");
    let endpoint = json!({"oneOf": [
        host.clone(),
        object(
            ENDPOINT_KEYS,
            &["host"],
            &[("host", host), ("confidence", identifier_confidence())],
        ),
    ]});
    let package = object(
        PACKAGE_KEYS,
        &["purl"],
        &[
            (
                "purl",
                json!({"type": "string", "pattern": "^pkg:", "description": format!("package URL without version; the name may end in *; types: {}", purl_types().join(", "))}),
            ),
            (
                "versions",
                string("version range in the ecosystem's syntax (PEP 440, Cargo, npm)"),
            ),
            ("note", string("free text")),
            ("confidence", identifier_confidence()),
        ],
    );
    let app = object(
        APP_KEYS,
        &[],
        &[
            ("name", string("case-insensitive glob on the app name")),
            (
                "publisher",
                string("case-insensitive glob on the publisher"),
            ),
            ("bundle_id", string("exact bundle or package id")),
            (
                "extension_id",
                string(
                    "exact browser extension id, case-insensitive (Chrome's 32 letters a-p, a Firefox add-on id, a Safari extension bundle id); never matches a bundle id",
                ),
            ),
            ("platform", json!({"enum": PLATFORMS})),
            (
                "versions",
                string(
                    "version range on the app's version as inventories write it: `*`, or comparators joined by `,` (all hold) and `||` (either), such as `>= 4.0, < 4.1.6`; segments compare as numbers or text, missing ones are zero; an app without a readable version is inside",
                ),
            ),
            ("confidence", identifier_confidence()),
        ],
    );
    let file = object(
        FILE_RULE_KEYS,
        &["sha256"],
        &[
            (
                "sha256",
                json!({"type": "string", "pattern": "^[0-9a-fA-F]{64}$"}),
            ),
            ("name", string("file name, for reports")),
            ("confidence", identifier_confidence()),
        ],
    );
    object(
        IDENTIFIER_KEYS,
        &[],
        &[
            ("packages", json!({"type": "array", "items": package})),
            ("apps", json!({"type": "array", "items": app})),
            ("endpoints", json!({"type": "array", "items": endpoint})),
            ("files", json!({"type": "array", "items": file})),
        ],
    )
}

fn kinds(description: &str) -> Value {
    json!({"type": "array", "minItems": 1, "description": description, "items": {"enum": ["packages", "apps", "endpoints", "files"]}})
}

/// Compliance dates: until the last, a match is a phase-out finding.
fn deadlines() -> Value {
    let actions = DeadlineAction::ALL.map(DeadlineAction::as_str);
    json!({"type": "array", "items": object(
        DEADLINE_KEYS,
        &["date", "action", "text"],
        &[
            ("date", date("the day by which it must be done")),
            ("action", json!({"enum": actions})),
            ("text", string("what must be done, in the instrument's words")),
            ("applies_to", kinds("the identifier kinds it concerns, when not all")),
        ],
    )})
}

/// Dated changes of legal status, oldest first, each cited.
fn status() -> Value {
    let states = LegalState::ALL.map(LegalState::as_str);
    let (court, authority) = DECIDED_BY_KEYS.split_at(2);
    let by = json!({"oneOf": [
        object(court, court, &[
            ("court", string("the court")),
            ("docket", string("the case number")),
        ]),
        object(authority, authority, &[
            ("authority", string("who decided")),
            ("instrument", string("the instrument's name or number")),
        ]),
    ]});
    json!({"type": "array", "items": object(
        STATUS_KEYS,
        &["date", "state", "by", "source"],
        &[
            ("date", date("the day it took effect")),
            ("state", json!({"enum": states})),
            ("by", by),
            ("part", json!({"type": "array", "minItems": 1, "description": "the product ids and identifier kinds it touches, when not the whole policy", "items": {"type": "string"}})),
            ("source", sources()["items"].clone()),
            ("confidence", json!({"enum": ["confirmed", "unconfirmed"], "description": "unconfirmed: shown, but changes no state"})),
        ],
    )})
}

fn sources() -> Value {
    json!({"type": "array", "minItems": 1, "items": object(
        SOURCE_KEYS,
        &["title", "publisher"],
        &[
            ("title", string("title of the announcement, article or legal text")),
            ("publisher", string("who published it")),
            ("url", json!({"type": "string", "pattern": "^https?://"})),
            ("date", date("publication date")),
        ],
    )})
}

fn example_item() -> Value {
    let app = object(
        EXAMPLE_APP_KEYS,
        &[],
        &EXAMPLE_APP_KEYS
            .iter()
            .map(|k| (*k, string("app field")))
            .collect::<Vec<_>>(),
    );
    let file = object(
        FILE_KEYS,
        &["sha256"],
        &[("sha256", string("digest")), ("name", string("file name"))],
    );
    json!({"type": "array", "items": object(
        EXAMPLE_KEYS,
        &[],
        &[
            ("package", string("purl with version, e.g. pkg:pypi/langchain-deepseek@0.1.3")),
            ("app", app),
            ("endpoint", string("host, URL or IP")),
            ("file", file),
        ],
    )})
}

fn product() -> Value {
    object(
        PRODUCT_KEYS,
        &["product", "name", "identifiers"],
        &[
            (
                "product",
                string("product id: lower-case letters, digits and hyphens"),
            ),
            ("name", string("display name")),
            ("vendor", string("legal name of the vendor")),
            (
                "aliases",
                json!({"type": "array", "items": {"type": "string"}}),
            ),
            ("description", string("one sentence")),
            ("identifiers", identifiers()),
            ("sources", sources()),
        ],
    )
}

fn policy() -> Value {
    object(
        POLICY_KEYS,
        &[
            "policy",
            "title",
            "authority",
            "jurisdiction",
            "issued",
            "effective",
            "legal_basis",
            "sources",
            "binds",
            "severity",
            "bans",
        ],
        &[
            (
                "policy",
                string("policy id: lower-case letters, digits and hyphens"),
            ),
            ("title", string("short title")),
            ("authority", string("who issued it")),
            (
                "jurisdiction",
                json!({"type": "string", "pattern": "^([A-Z]{2}(-[A-Z0-9]{1,3})?|EU|GLOBAL)$"}),
            ),
            ("issued", date("the day it was issued")),
            ("effective", date("the first day it applies")),
            (
                "expires",
                json!({"oneOf": [date("the last day it applies"), {"type": "null"}]}),
            ),
            ("legal_basis", string("the law or rule it rests on")),
            ("instrument", string("the instrument's name or number")),
            ("sources", sources()),
            (
                "binds",
                object(
                    BINDS_KEYS,
                    &["sectors"],
                    &[
                        ("sectors", sectors()),
                        (
                            "organizations",
                            json!({"type": "array", "items": string("name or alias of a bound organisation")}),
                        ),
                        ("scope", string("devices, networks, people covered")),
                    ],
                ),
            ),
            ("severity", json!({"enum": ["ban", "restrict", "advisory"]})),
            ("deadlines", deadlines()),
            ("status", status()),
            (
                "status_checked",
                date("when the status was last checked against sources"),
            ),
            ("confidence", json!({"enum": ["confirmed", "unconfirmed"]})),
            ("rationale", string("why")),
            ("remediation", string("what to do about a finding")),
            ("exceptions", string("who is exempt")),
            ("notes", string("anything else")),
            (
                "bans",
                json!({"type": "array", "minItems": 1, "items": object(BAN_KEYS, &[], &[("product", string("product id")), ("only", json!({"type": "array", "items": {"enum": ["packages", "apps", "endpoints", "files"]}})), ("identifiers", identifiers())])}),
            ),
            (
                "except",
                json!({"type": "array", "minItems": 1, "description": "identifiers this policy exempts: an item they match is no finding of it", "items": object(EXCEPT_KEYS, &["identifiers"], &[("identifiers", identifiers())])}),
            ),
            (
                "examples",
                object(
                    EXAMPLES_KEYS,
                    &["violating"],
                    &[("violating", example_item()), ("compliant", example_item())],
                ),
            ),
        ],
    )
}

fn profile() -> Value {
    let waiver = object(
        WAIVER_KEYS,
        &["policy", "reason", "approved_by", "expires"],
        &[
            ("policy", string("policy id")),
            ("product", string("product id")),
            (
                "item",
                string("glob on the item: pkg:<type>/<name>, app name, host or sha256"),
            ),
            ("device", string("glob on the device name")),
            ("reason", string("why the exception is approved")),
            ("approved_by", string("who approved it")),
            ("expires", date("the last day it waives")),
        ],
    );
    object(
        PROFILE_KEYS,
        &[],
        &[
            ("organization", string("who is checked")),
            (
                "jurisdiction",
                // Upper-cased when read, as `--jurisdiction` is.
                json!({"type": "string", "pattern": "^([A-Za-z]{2}(-[A-Za-z0-9]{1,3})?|[Ee][Uu]|[Gg][Ll][Oo][Bb][Aa][Ll])$", "description": "ISO 3166 code, EU or GLOBAL, in any case"}),
            ),
            ("sectors", sectors()),
            (
                "policies",
                json!({"type": "array", "items": {"oneOf": [
                    string("`builtin` or a folder of policies, relative to this file"),
                    object(
                        POLICY_SET_KEYS,
                        &["path", "lock"],
                        &[
                            ("path", string("a folder of policies with a policies.lock, relative to this file")),
                            ("lock", json!({"type": "string", "pattern": "^sha256:[0-9a-fA-F]{64}$", "description": "the digest `banscan policy lock DIR` prints; the folder is refused when its lockfile differs"})),
                        ],
                    ),
                ]}}),
            ),
            (
                "fail_on",
                json!({"enum": ["ban", "restrict", "advisory", "never"]}),
            ),
            (
                "strict",
                json!({"type": "boolean", "description": "records passed over in files read (rows that fit no shape) fail the scan"}),
            ),
            (
                "allow_unread",
                json!({"type": "boolean", "description": "unread evidence is listed as a warning instead of failing the scan"}),
            ),
            (
                "exclude",
                json!({"type": "array", "items": {"type": "string"}, "description": "globs, relative to this file's folder, of files and folders a scan leaves out"}),
            ),
            ("waivers", json!({"type": "array", "items": waiver})),
        ],
    )
}

/// The schema for one document of a banscan YAML file.
pub fn schema() -> Value {
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "banscan product, policy or profile document",
        "oneOf": [
            {"title": "product", "allOf": [{"required": ["product"]}, product()]},
            {"title": "policy", "allOf": [{"required": ["policy"]}, policy()]},
            {"title": "profile", "allOf": [{"not": {"anyOf": [{"required": ["product"]}, {"required": ["policy"]}]}}, profile()]},
        ],
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_key_is_described() {
        // `object` panics on an undescribed key, so building it is the test.
        let s = super::schema();
        assert_eq!(s["oneOf"].as_array().map(Vec::len), Some(3));
    }
}
