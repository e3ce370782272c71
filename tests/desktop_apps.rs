//! Desktop installs as Windows reports them, found by the built-in library
//! (issue 12): WeChat by its Add/Remove Programs name and publisher, the
//! TikTok Microsoft Store app by its package name, and the near misses
//! that share a vendor with them.

use serde_json::Value;

use crate::common::banscan;

/// Scans `fixture` (under `tests/fixtures/app-csv/`) with the built-in
/// library for a central-government body of `jurisdiction` as of `as_of`.
fn scan(fixture: &str, jurisdiction: &str, as_of: &str) -> (i32, Value) {
    let path = format!("tests/fixtures/app-csv/{fixture}");
    let run = banscan(&[
        "scan",
        &path,
        "--no-profile",
        "--jurisdiction",
        jurisdiction,
        "--sector",
        "central-government",
        "--as-of",
        as_of,
        "--format",
        "json",
    ]);
    (run.code, run.json())
}

/// (line, product, policy) of every finding, sorted, each once.
fn hits(report: &Value) -> Vec<(u64, String, String)> {
    let mut v: Vec<(u64, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["location"]["line"].as_u64().unwrap(),
                f["product"].as_str().unwrap_or_default().to_string(),
                f["policy"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// WeChat for Windows in an Uninstall-registry export (`DisplayName`,
/// `DisplayVersion`, `Publisher`, UTF-8 with BOM and CRLF as PowerShell
/// writes it): `WeChat` by 腾讯科技(深圳)有限公司 and 4.x `Weixin` by the
/// English legal name are found by a TW audit; WeCom (企业微信) by the same
/// publisher and a third-party "WeChat …" tool are not.
#[test]
fn wechat_for_windows_by_name_and_publisher() {
    let (code, report) = scan("PC-0042-uninstall.csv", "TW", "2026-02-01");
    assert_eq!(code, 1);
    let policy = "tw-moda-2025-csma-apps".to_string();
    assert_eq!(
        hits(&report),
        [
            (3, "wechat".to_string(), policy.clone()),
            (4, "wechat".to_string(), policy),
        ]
    );
    let first = &report["findings"][0]["item"];
    assert_eq!(first["name"], "WeChat");
    assert_eq!(first["publisher"], "腾讯科技(深圳)有限公司");
    // `DisplayName` is the app here, never the device.
    assert!(first["device"].is_null(), "{first:#}");
}

/// The TikTok Microsoft Store app as Intune's per-device discovered apps
/// list it, by its package name `BytedancePte.Ltd.TikTok`: found with its
/// device by a US federal audit; CapCut's Store package and a look-alike
/// downloader are not TikTok.
#[test]
fn tiktok_store_app_by_package_name() {
    let (code, report) = scan("intune-raw-store-apps.csv", "US", "2026-02-01");
    assert_eq!(code, 1);
    let hits = hits(&report);
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|(line, product, _)| *line == 3 && product == "tiktok"),
        "{hits:?}"
    );
    assert!(
        hits.iter().any(|(_, _, p)| p == "us-omb-2023-tiktok"),
        "{hits:?}"
    );
    assert_eq!(report["findings"][0]["item"]["device"], "LAPTOP-07");
}

/// The same Store app in Taiwan, under MODA's 2022 ban while it applied.
#[test]
fn tiktok_store_app_in_taiwan() {
    let (_, report) = scan("intune-raw-store-apps.csv", "TW", "2025-06-01");
    assert!(
        hits(&report)
            .iter()
            .any(|(line, product, policy)| *line == 3
                && product == "tiktok"
                && policy == "tw-moda-2022-tiktok"),
        "{:?}",
        hits(&report)
    );
}
