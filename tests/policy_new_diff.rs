//! `policy new` and `policy diff`: the first and the last step of updating
//! a rule set.

use std::path::Path;

use crate::common::{banscan, root};

/// The value a test author would write for each placeholder, by the key
/// it stands under: real enough for lint and for the policy's own examples
/// (the built-in `deepseek` product bans `deepseek.com`).
fn fill(skeleton: &str) -> String {
    skeleton
        .lines()
        .map(|line| {
            let Some(start) = line.find("\"<FILL IN") else {
                return line.to_string();
            };
            let end = line[start + 1..]
                .find('"')
                .map_or(line.len(), |e| start + e + 2);
            let key = line[..start].trim().trim_start_matches("- ");
            let value = match key {
                "issued:" | "effective:" | "date:" => "2026-01-16",
                "url:" => "https://example.org/announcement",
                "sectors: [" => "central-government",
                "severity:" => "ban",
                "endpoint:" if line.contains("must flag") => "api.deepseek.com",
                "endpoint:" => "deepseek.com.example.net",
                _ => "Example text",
            };
            format!("{}{value}{}", &line[..start], &line[end..])
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A skeleton fails lint with one error per placeholder, all in one run,
/// and nothing else; filled in, it passes lint and its own examples.
#[test]
fn new_policy_fails_lint_until_filled() {
    let run = banscan(&[
        "policy",
        "new",
        "tw-example-2026-app",
        "--product",
        "deepseek",
        "--jurisdiction",
        "TW",
    ]);
    run.expect_code(0);
    let skeleton = run.stdout.clone();
    let placeholders = skeleton.matches("<FILL IN").count();
    assert!(placeholders > 5, "{skeleton}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("new.yaml");
    let name = file.to_str().unwrap();
    std::fs::write(&file, &skeleton).unwrap();
    let lint = banscan(&["policy", "lint", name]);
    lint.expect_code(2)
        .expect_contains(&format!("banscan: {placeholders} errors"))
        .expect_contains("`issued` is not filled in yet")
        .expect_contains("`binds.sectors[0]` is not filled in yet");
    assert_eq!(
        lint.stderr.matches("banscan::policy::placeholder").count(),
        placeholders,
        "{}",
        lint.stderr
    );

    // Another mistake beside the placeholders is reported in the same run.
    let typo = skeleton.replace("\"<FILL IN: ban, restrict or advisory>\"", "bann");
    std::fs::write(&file, &typo).unwrap();
    banscan(&["policy", "lint", name])
        .expect_code(2)
        .expect_contains("unknown severity `bann`")
        .expect_contains(&format!("banscan: {placeholders} errors"));

    let filled = fill(&skeleton);
    assert!(!filled.contains("<FILL IN"), "{filled}");
    std::fs::write(&file, &filled).unwrap();
    banscan(&["policy", "lint", name]).expect_code(0);
    banscan(&["policy", "test", name])
        .expect_code(0)
        .expect_contains("0 failed");
}

/// Every bad argument is reported in one run, and `--output` never
/// overwrites a file.
#[test]
fn new_policy_checks_its_arguments() {
    banscan(&[
        "policy",
        "new",
        "Bad_Id",
        "--product",
        "no-such-product",
        "--jurisdiction",
        "XX",
    ])
    .expect_code(2)
    .expect_contains("`Bad_Id` is not a valid policy id")
    .expect_contains("no product `no-such-product`")
    .expect_contains("--jurisdiction")
    .expect_contains("banscan: 3 errors");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("taken.yaml");
    std::fs::write(&file, "kept\n").unwrap();
    banscan(&[
        "policy",
        "new",
        "tw-example-2026-app",
        "--product",
        "deepseek",
        "--jurisdiction",
        "TW",
        "--output",
        file.to_str().unwrap(),
    ])
    .expect_code(2)
    .expect_contains("not overwriting");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "kept\n");
}

/// Two copies of a small rule set, the new one with one more endpoint.
fn two_rule_sets(dir: &Path) -> (String, String) {
    let policy = std::fs::read_to_string(root().join("tests/fixtures/valid-policy.yaml")).unwrap();
    let (old, new) = (dir.join("old"), dir.join("new"));
    for (d, text) in [
        (&old, policy.clone()),
        (
            &new,
            policy.replace(
                "    - demo-chat.example\n",
                "    - demo-chat.example\n    - demo-chat-cdn.example\n",
            ),
        ),
    ] {
        std::fs::create_dir(d).unwrap();
        std::fs::write(d.join("demo.yaml"), text).unwrap();
    }
    let s = |p: &Path| p.to_str().unwrap().to_string();
    (s(&old), s(&new))
}

/// The diff names the added identifier; scanned against an inventory
/// holding it, it names the newly flagged item and exits 1.
#[test]
fn diff_names_added_identifier_and_newly_flagged_item() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = two_rule_sets(dir.path());
    banscan(&["policy", "diff", &old, &new])
        .expect_code(0)
        .expect_contains("products: 0 added, 0 removed, 1 changed")
        .expect_contains("+ endpoint demo-chat-cdn.example")
        .expect_contains("policies: 0 added, 0 removed, 0 changed");

    let list = dir.path().join("endpoints.txt");
    std::fs::write(&list, "intranet.example\ndemo-chat-cdn.example\n").unwrap();
    let list = list.to_str().unwrap();
    let args = [
        "policy",
        "diff",
        &old,
        &new,
        "--against",
        list,
        "--as-of",
        "2026-01-01",
    ];
    banscan(&args)
        .expect_code(1)
        .expect_contains("1 finding newly flagged, 0 newly cleared")
        .expect_contains(&format!(
            "+ endpoint demo-chat-cdn.example ({list}:2) under xx-demo-2025-chat (ban)"
        ));

    let json = banscan(&[&args[..], &["--format", "json"]].concat())
        .expect_code(1)
        .json();
    assert_eq!(
        json["products"]["changed"][0]["added"]["endpoints"][0],
        "demo-chat-cdn.example"
    );
    assert_eq!(
        json["newly_flagged"][0]["item"]["host"],
        "demo-chat-cdn.example"
    );
    assert_eq!(json["newly_flagged"][0]["policy"], "xx-demo-2025-chat");
    assert_eq!(json["newly_cleared"], serde_json::json!([]));

    // The other way round, the item is cleared, and nothing newly flags.
    banscan(&["policy", "diff", &new, &old, "--against", list])
        .expect_code(0)
        .expect_contains("0 findings newly flagged, 1 newly cleared")
        .expect_contains("- endpoint demo-chat-cdn.example");
}

/// A changed field is named with both values; the README's command runs.
#[test]
fn diff_names_changed_fields() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = two_rule_sets(dir.path());
    let file = Path::new(&new).join("demo.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("severity: ban", "severity: restrict")).unwrap();
    banscan(&["policy", "diff", &old, &new])
        .expect_code(0)
        .expect_contains("~ xx-demo-2025-chat")
        .expect_contains("severity: ban -> restrict");
    banscan(&["policy", "diff", "policies/", "policies/"])
        .expect_code(0)
        .expect_contains("policies: 0 added, 0 removed, 0 changed");
    banscan(&["policy", "diff", "policies/", "no-such-folder"]).expect_code(2);
}
