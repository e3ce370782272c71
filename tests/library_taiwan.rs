//! The built-in library over time in Taiwan: the 2019 principles end on
//! 2026-01-14 and the statute (資通安全管理法 art. 11) carries the bans on.

use serde_json::Value;

use crate::common::banscan_in;

/// Scans `lines` as an endpoint list for a TW agency of `sector` as of
/// `as_of`; the policies that flag something, sorted.
fn flagged_by(lines: &str, sector: &str, as_of: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("egress.list"), lines).unwrap();
    let run = banscan_in(
        dir.path(),
        &[
            "scan",
            "egress.list",
            "--no-profile",
            "--jurisdiction",
            "TW",
            "--sector",
            sector,
            "--as-of",
            as_of,
            "--format",
            "json",
        ],
    );
    let report: Value = run.json();
    let mut ids: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["policy"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// DeepSeek is flagged on both sides of the handover, each time under its
/// own legal basis: the 2019 principles until 2026-01-14, the statute after.
#[test]
fn deepseek_is_banned_across_the_handover_to_statute() {
    let before = flagged_by("api.deepseek.com\n", "central-government", "2026-01-14");
    assert!(
        before.contains(&"tw-ey-2025-deepseek".to_string()),
        "{before:?}"
    );
    let after = flagged_by("api.deepseek.com\n", "central-government", "2026-01-16");
    assert_eq!(after, ["tw-moda-2025-deepseek-statute"]);
}

/// WeChat is banned for a TW agency from 2025-12-03, not before.
#[test]
fn wechat_is_banned_for_agencies_from_december_2025() {
    assert!(flagged_by("long.weixin.qq.com\n", "central-government", "2025-11-01").is_empty());
    assert_eq!(
        flagged_by("long.weixin.qq.com\n", "central-government", "2026-01-01"),
        ["tw-moda-2025-csma-apps"]
    );
    // Tencent's shared hosts are not WeChat.
    assert!(
        flagged_by(
            "www.qq.com\napi.weixin.qq.com\n",
            "central-government",
            "2026-01-01"
        )
        .is_empty()
    );
}

/// The RedNote order binds ISPs, so it reaches the general public, for one
/// year, and only by domain.
#[test]
fn rednote_order_binds_the_public_for_a_year() {
    let during = flagged_by("www.xiaohongshu.com\n", "general-public", "2026-06-01");
    assert_eq!(during, ["tw-moi-2025-rednote-order"]);
    assert!(flagged_by("www.xiaohongshu.com\n", "general-public", "2026-12-04").is_empty());
}

/// TANet: schools are bound by the Ministry of Education's measure.
#[test]
fn schools_are_bound_by_the_moe_measure() {
    let flagged = flagged_by("pan.baidu.com\n", "public-school", "2026-02-01");
    assert_eq!(flagged, ["tw-moe-2026-apps-tanet"]);
}
