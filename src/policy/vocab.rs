//! The closed vocabularies of the policy format: severities, sectors,
//! jurisdictions and platforms. Closed on purpose: a typo in a sector would
//! otherwise make a policy silently bind nobody.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How serious a policy is; `--fail-on` compares against this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Advisory,
    Restrict,
    Ban,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Ban, Severity::Restrict, Severity::Advisory];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Ban => "ban",
            Severity::Restrict => "restrict",
            Severity::Advisory => "advisory",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a policy's facts were confirmed in a primary or reliable source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Confirmed,
    Unconfirmed,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Confirmed => "confirmed",
            Confidence::Unconfirmed => "unconfirmed",
        }
    }

    pub fn parse(s: &str) -> Option<Confidence> {
        match s {
            "confirmed" => Some(Confidence::Confirmed),
            "unconfirmed" => Some(Confidence::Unconfirmed),
            _ => None,
        }
    }
}

/// Who a policy binds. `all` in a policy binds every sector.
pub const SECTORS: [(&str, &str); 11] = [
    (
        "central-government",
        "national or federal ministries and agencies, EU institutions, administrative corporations",
    ),
    (
        "regional-government",
        "state, provincial and territorial governments",
    ),
    (
        "local-government",
        "municipal and county governments (in Taiwan: the local governments)",
    ),
    ("legislature", "parliament and congress offices"),
    ("military", "armed forces and defence departments"),
    ("public-school", "public schools and public universities"),
    ("state-owned-enterprise", "enterprises owned by the state"),
    (
        "critical-infrastructure",
        "operators of critical infrastructure",
    ),
    (
        "government-contractor",
        "contractors working on government IT",
    ),
    ("government-foundation", "government-endowed foundations"),
    (
        "general-public",
        "everyone in the jurisdiction: app stores, providers, users",
    ),
];

pub const ALL_SECTORS: &str = "all";

pub fn is_sector(s: &str) -> bool {
    s == ALL_SECTORS || SECTORS.iter().any(|(name, _)| *name == s)
}

pub const PLATFORMS: [&str; 5] = ["android", "ios", "windows", "macos", "linux"];

/// Jurisdictions that are not ISO 3166 countries.
pub const EU: &str = "EU";
pub const GLOBAL: &str = "GLOBAL";

/// ISO 3166-1 alpha-2 codes, officially assigned.
const ISO_3166_1: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// A jurisdiction as a user typed it (a flag, a profile), in the upper
/// case every comparison uses: `tw` and `us-tx` mean `TW` and `US-TX`.
/// Policy files are not normalised: they are written once and read by
/// many, so lint asks for the canonical spelling instead.
pub fn normalize_jurisdiction(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

/// Checks a jurisdiction: an ISO 3166-1 alpha-2 country (`TW`), an ISO
/// 3166-2 subdivision of one (`US-TX`, `AU-SA`), `EU`, or `GLOBAL`.
/// A code that is right but for its case is told so: the fix is different.
pub fn check_jurisdiction(code: &str) -> Result<(), JurisdictionError> {
    let upper = code.to_ascii_uppercase();
    check_upper_case(&upper).map_err(|error| error(code.to_string()))?;
    if upper != code {
        return Err(JurisdictionError::Case(code.to_string()));
    }
    Ok(())
}

/// The check of an upper-case code; the error is made by the caller,
/// with the code as the user wrote it.
fn check_upper_case(code: &str) -> Result<(), fn(String) -> JurisdictionError> {
    if code == EU || code == GLOBAL {
        return Ok(());
    }
    let (country, sub) = match code.split_once('-') {
        Some((c, s)) => (c, Some(s)),
        None => (code, None),
    };
    let country_ok = country.len() == 2 && ISO_3166_1.split(' ').any(|c| c == country);
    if !country_ok {
        return Err(JurisdictionError::Country);
    }
    if let Some(sub) = sub {
        let ok = (1..=3).contains(&sub.len())
            && sub
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !ok {
            return Err(JurisdictionError::Subdivision);
        }
    }
    Ok(())
}

/// Why a jurisdiction was refused, told apart so that the message points
/// at the part to fix. Each keeps the whole code as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JurisdictionError {
    /// The country part is not an assigned ISO 3166-1 alpha-2 code (nor
    /// is the whole `EU` or `GLOBAL`).
    Country(String),
    /// The part after `-` is not 1 to 3 upper-case letters or digits.
    Subdivision(String),
    /// A valid code written in lower case (`tw`), where only the upper
    /// case is accepted (policy files).
    Case(String),
}

impl fmt::Display for JurisdictionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JurisdictionError::Country(code) => write!(
                f,
                "`{code}` is not an ISO 3166-1 alpha-2 country code, an ISO 3166-2 subdivision, EU or GLOBAL"
            ),
            JurisdictionError::Subdivision(code) => write!(
                f,
                "`{code}`: the subdivision part must be 1 to 3 upper-case letters or digits, as in US-TX"
            ),
            JurisdictionError::Case(code) => write!(
                f,
                "`{code}`: write the jurisdiction in upper case, `{}`",
                code.to_ascii_uppercase()
            ),
        }
    }
}

impl std::error::Error for JurisdictionError {}

/// Whether a policy of jurisdiction `policy` reaches an organisation in
/// `org`: the same jurisdiction, the country of a subdivision (`US` reaches
/// `US-TX`), `GLOBAL` everywhere. `EU` reaches only organisations that say
/// `EU` (EU institutions): member states are not mapped.
pub fn jurisdiction_reaches(policy: &str, org: &str) -> bool {
    policy == GLOBAL
        || policy == org
        || org
            .strip_prefix(policy)
            .is_some_and(|rest| rest.starts_with('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jurisdictions() {
        assert!(check_jurisdiction("TW").is_ok());
        assert!(check_jurisdiction("US-TX").is_ok());
        assert!(check_jurisdiction("XX").is_err());
        assert_eq!(
            check_jurisdiction("tw"),
            Err(JurisdictionError::Case("tw".into()))
        );
        assert_eq!(
            check_jurisdiction("xx"),
            Err(JurisdictionError::Country("xx".into()))
        );
        assert_eq!(normalize_jurisdiction(" us-tx "), "US-TX");
        assert!(jurisdiction_reaches("US", "US-TX"));
        assert!(!jurisdiction_reaches("US-TX", "US"));
        assert!(!jurisdiction_reaches("U", "US"));
        assert!(jurisdiction_reaches("GLOBAL", "TW"));
    }

    #[test]
    fn severities_order_for_fail_on() {
        assert!(Severity::Ban > Severity::Restrict && Severity::Restrict > Severity::Advisory);
    }

    /// The messages are the text users saw when the error was a `String`.
    #[test]
    fn jurisdiction_messages() {
        assert_eq!(
            check_jurisdiction("XX").unwrap_err().to_string(),
            "`XX` is not an ISO 3166-1 alpha-2 country code, an ISO 3166-2 subdivision, EU or GLOBAL"
        );
        assert_eq!(
            check_jurisdiction("US-texas").unwrap_err().to_string(),
            "`US-texas`: the subdivision part must be 1 to 3 upper-case letters or digits, as in US-TX"
        );
    }
}
