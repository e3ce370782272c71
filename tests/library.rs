//! The built-in library as a user meets it: who is bound, from when, by
//! what. Taiwan's handover from the 2019 principles to the statute (資通安全管理法
//! art. 11) on 2026-01-15, and the 2025 actions elsewhere.

use serde_json::Value;

use crate::common::{Run, banscan_in};

/// Scans `lines` as an endpoint list for a TW organisation of `sector` as
/// of `as_of`; the policies that flag something, sorted.
fn flagged_by(lines: &str, sector: &str, as_of: &str) -> Vec<String> {
    flagged_in("TW", "egress.list", lines, sector, as_of)
}

/// Scans `text` saved as `file` for an organisation of `jurisdiction` and
/// `sectors` as of `as_of`, with no profile, for the JSON report.
fn scan(file: &str, text: &str, jurisdiction: &str, sectors: &[&str], as_of: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(file), text).unwrap();
    let mut args = vec!["scan", file, "--no-profile", "--jurisdiction", jurisdiction];
    for sector in sectors {
        args.extend(["--sector", sector]);
    }
    args.extend(["--as-of", as_of, "--format", "json"]);
    banscan_in(dir.path(), &args)
}

/// Scans `text` saved as `file` for an organisation of `jurisdiction` and
/// `sector` as of `as_of`; the policies that flag something, sorted.
fn flagged_in(
    jurisdiction: &str,
    file: &str,
    text: &str,
    sector: &str,
    as_of: &str,
) -> Vec<String> {
    let report = scan(file, text, jurisdiction, &[sector], as_of).json();
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

/// Australia's PSPF Direction 002-2025 covers Kaspersky for Commonwealth
/// entities.
#[test]
fn kaspersky_under_pspf_002_2025() {
    let apps = "device,app_name,publisher,platform\nPC-1,Kaspersky Endpoint Security for Windows,AO Kaspersky Lab,Windows\n";
    let flagged = flagged_in("AU", "apps.csv", apps, "central-government", "2025-06-01");
    assert!(
        flagged.contains(&"au-homeaffairs-2025-kaspersky".to_string()),
        "{flagged:?}"
    );
}

/// Belgium's circular took effect on 2025-12-01.
#[test]
fn deepseek_in_belgium_from_december_2025() {
    let list = "chat.deepseek.com\n";
    assert_eq!(
        flagged_in(
            "BE",
            "egress.list",
            list,
            "central-government",
            "2025-12-15"
        ),
        ["be-gov-2025-deepseek"]
    );
    assert!(
        flagged_in(
            "BE",
            "egress.list",
            list,
            "central-government",
            "2025-11-15"
        )
        .is_empty()
    );
}

/// The FY2026 NDAA §1532 binds the military from its signing.
#[test]
fn deepseek_for_the_military_under_ndaa_1532() {
    let flagged = flagged_in(
        "US",
        "egress.list",
        "api.deepseek.com\n",
        "military",
        "2026-01-01",
    );
    assert!(
        flagged.contains(&"us-ndaa-2026-s1532-deepseek".to_string()),
        "{flagged:?}"
    );
    let before = flagged_in(
        "US",
        "egress.list",
        "api.deepseek.com\n",
        "military",
        "2025-12-01",
    );
    assert!(
        !before.contains(&"us-ndaa-2026-s1532-deepseek".to_string()),
        "{before:?}"
    );
}

/// Inventory rows shaped as real Windows and mobile exports: the winget
/// publisher "Kaspersky", the TikTok Store app, CapCut by the publisher it
/// shares with TikTok, and TikTok Lite.
#[test]
fn inventory_rows_as_real_exports_show_them() {
    let apps = concat!(
        "DeviceName,ApplicationName,ApplicationPublisher,Platform,ApplicationId\n",
        "PC-1,Kaspersky Free,Kaspersky,Windows,\n",
        "PC-2,TikTok,Bytedance Pte. Ltd.,Windows,BytedancePte.Ltd.TikTok\n",
        "PC-3,CapCut,Bytedance Pte. Ltd.,Windows,\n",
        "PHONE-4,TikTok Lite,,Android,com.zhiliaoapp.musically.go\n",
    );
    let run = scan(
        "apps.csv",
        apps,
        "US",
        &["central-government"],
        "2025-06-01",
    );
    let report: Value = run.json();
    let by_line = |line: u64| -> Vec<String> {
        let mut v: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["location"]["line"] == line)
            .map(|f| f["product"].as_str().unwrap_or("").to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    assert_eq!(by_line(2), ["kaspersky"]);
    assert_eq!(by_line(3), ["tiktok"]);
    assert!(
        by_line(4).iter().all(|p| p != "tiktok"),
        "CapCut is not TikTok: {:?}",
        by_line(4)
    );
    assert_eq!(by_line(5), ["tiktok"]);
}

/// `byteoversea.com` serves all of ByteDance: Virginia's entity-wide ban
/// flags it, the federal TikTok policies do not.
#[test]
fn byteoversea_is_bytedance_not_tiktok() {
    let us = flagged_in(
        "US",
        "egress.list",
        "sf16.byteoversea.com\n",
        "central-government",
        "2025-06-01",
    );
    assert!(us.iter().all(|p| !p.contains("tiktok")), "{us:?}");
    let va = flagged_in(
        "US-VA",
        "egress.list",
        "sf16.byteoversea.com\n",
        "regional-government",
        "2025-06-01",
    );
    assert!(va.contains(&"us-va-2022-bytedance".to_string()), "{va:?}");
}

/// MODA's 2025-01-31 restriction names critical infrastructure directly.
#[test]
fn tw_critical_infrastructure_from_the_moda_warning() {
    let flagged = flagged_by(
        "api.deepseek.com\n",
        "critical-infrastructure",
        "2025-02-01",
    );
    assert!(
        flagged.contains(&"tw-moda-2025-deepseek".to_string()),
        "{flagged:?}"
    );
}

/// State-owned enterprises are under MODA's restriction, not the cabinet's
/// ban on 公務機關.
#[test]
fn tw_state_owned_enterprises_are_restricted_not_banned() {
    let flagged = flagged_by("api.deepseek.com\n", "state-owned-enterprise", "2025-06-01");
    assert!(
        flagged.contains(&"tw-moda-2025-deepseek".to_string()),
        "{flagged:?}"
    );
    assert!(
        !flagged.contains(&"tw-ey-2025-deepseek".to_string()),
        "{flagged:?}"
    );
}

/// Identifiers rated P in the facts find the app, but only as advisories
/// that say so: the iOS bundle id and German title of DeepSeek, the older
/// Kaspersky publisher, the TikTok Store app by name and publisher.
#[test]
fn unconfirmed_identifiers_advise() {
    let apps = concat!(
        "DeviceName,ApplicationName,ApplicationPublisher,Platform,ApplicationId\n",
        "IPAD-1,,,iOS,com.deepseek.chat\n",
        "IPAD-2,DeepSeek - KI-Assistent,,iOS,\n",
        "PC-3,Kaspersky Internet Security,Kaspersky Lab,Windows,\n",
        "PC-4,TikTok,Bytedance Pte. Ltd.,Windows,\n",
    );
    let run = scan(
        "apps.csv",
        apps,
        "US",
        &["central-government", "military"],
        "2026-01-01",
    );
    // Advisories alone do not fail the scan at the default --fail-on.
    // (Virginia's entity-wide ByteDance ban would flag the TikTok row by its
    // confirmed publisher; a federal agency is not under it.)
    run.expect_code(0);
    let report: Value = run.json();
    for line in 2..=5u64 {
        let on_line: Vec<&Value> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["location"]["line"] == line)
            .collect();
        assert!(!on_line.is_empty(), "line {line} is found");
        for f in on_line {
            assert_eq!(f["severity"], "advisory", "line {line}: {f:#}");
            assert_eq!(f["confidence"], "unconfirmed", "line {line}");
        }
    }
}

/// Section F products: Texas's 2026 list flags Kimi for a state agency
/// (and Qwen only as an unconfirmed advisory); Tennessee's ban now matches
/// Manus by its own domain.
#[test]
fn chinese_ai_assistants_and_manus() {
    let tx = flagged_in(
        "US-TX",
        "egress.list",
        "www.kimi.com\n",
        "regional-government",
        "2026-03-01",
    );
    assert_eq!(tx, ["us-tx-2026-ai-vendors"]);
    let qwen = flagged_in(
        "US-TX",
        "egress.list",
        "chat.qwen.ai\n",
        "regional-government",
        "2026-03-01",
    );
    assert_eq!(qwen, ["us-tx-2026-ai-vendors-unconfirmed"]);
    let tn = flagged_in(
        "US-TN",
        "egress.list",
        "manus.im\n",
        "regional-government",
        "2025-06-01",
    );
    assert_eq!(tn, ["us-tn-2025-deepseek"]);
}

/// NÚKIB's 2025-09-03 warning reaches the Chinese LLM assistants only as an
/// advisory, from its date; an advisory alone does not fail the scan.
#[test]
fn czech_warning_on_china_administered_llms_advises() {
    let scan = |as_of| {
        scan(
            "egress.list",
            "chat.qwen.ai\n",
            "CZ",
            &["critical-infrastructure"],
            as_of,
        )
    };
    let run = scan("2025-10-01");
    run.expect_code(0);
    let report = run.json();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["policy"], "cz-nukib-2025-china-llms-warning");
    assert_eq!(findings[0]["severity"], "advisory");
    let before = scan("2025-09-02");
    before.expect_code(0);
    assert_eq!(before.json()["findings"].as_array().unwrap().len(), 0);
}
