//! The keys each kind of entry may have. Reading rejects any other key, and
//! `policy schema` describes exactly these, so the two cannot drift.

pub const PRODUCT_KEYS: &[&str] = &[
    "product",
    "name",
    "vendor",
    "aliases",
    "description",
    "identifiers",
    "sources",
];
pub const IDENTIFIER_KEYS: &[&str] = &["packages", "apps", "endpoints", "files"];
pub const PACKAGE_KEYS: &[&str] = &["purl", "versions", "note", "confidence"];
pub const APP_KEYS: &[&str] = &[
    "name",
    "publisher",
    "bundle_id",
    "extension_id",
    "platform",
    "versions",
    "confidence",
];
/// The mapping form of an endpoint identifier; a plain string is the host.
pub const ENDPOINT_KEYS: &[&str] = &["host", "confidence"];
pub const FILE_RULE_KEYS: &[&str] = &["sha256", "name", "confidence"];
/// A file in an example: an item, so it has no confidence.
pub const FILE_KEYS: &[&str] = &["sha256", "name"];
pub const SOURCE_KEYS: &[&str] = &["title", "publisher", "url", "date"];
pub const POLICY_KEYS: &[&str] = &[
    "policy",
    "title",
    "authority",
    "jurisdiction",
    "issued",
    "effective",
    "expires",
    "legal_basis",
    "instrument",
    "sources",
    "binds",
    "severity",
    "confidence",
    "rationale",
    "remediation",
    "exceptions",
    "notes",
    "bans",
    "except",
    "examples",
    "deadlines",
    "status",
    "status_checked",
];
pub const DEADLINE_KEYS: &[&str] = &["date", "action", "text", "applies_to"];
pub const STATUS_KEYS: &[&str] = &["date", "state", "by", "part", "source", "confidence"];
/// Who decided a status event: `court` and `docket`, or `authority` and
/// `instrument`.
pub const DECIDED_BY_KEYS: &[&str] = &["court", "docket", "authority", "instrument"];
pub const BINDS_KEYS: &[&str] = &["sectors", "organizations", "scope"];
pub const BAN_KEYS: &[&str] = &["product", "only", "identifiers"];
pub const EXCEPT_KEYS: &[&str] = &["identifiers"];
pub const EXAMPLES_KEYS: &[&str] = &["violating", "compliant"];
pub const EXAMPLE_KEYS: &[&str] = &["package", "app", "endpoint", "file"];
pub const EXAMPLE_APP_KEYS: &[&str] = &[
    "name",
    "publisher",
    "version",
    "bundle_id",
    "extension_id",
    "platform",
];
pub const PROFILE_KEYS: &[&str] = &[
    "organization",
    "jurisdiction",
    "sectors",
    "policies",
    "fail_on",
    "strict",
    "allow_unread",
    "exclude",
    "waivers",
];
/// A pinned entry of a profile's `policies:`.
pub const POLICY_SET_KEYS: &[&str] = &["path", "lock"];
pub const WAIVER_KEYS: &[&str] = &[
    "policy",
    "product",
    "item",
    "device",
    "reason",
    "approved_by",
    "expires",
];
