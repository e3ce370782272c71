//! Integration tests: they run the real `banscan` binary on fixture files.
//! One test binary (faster to link on small machines), one module per area.

mod app_exports;
mod app_folding;
mod app_rules;
mod bad_policies;
mod cargo_lock;
mod cargo_toml;
mod common;
mod coverage;
mod defender_pages;
mod desktop_apps;
mod digests;
mod exemptions;
mod go_mod;
mod grouping;
mod input_layer;
mod inventories;
mod java_locks;
mod library;
mod manifests;
mod more_locks;
mod npm_lock;
mod osquery;
mod output_hygiene;
mod pnpm_lock;
mod policy_cmds;
mod policy_defects;
mod policy_new_diff;
mod proxy_logs;
mod python_locks;
mod requirements_vs_ranges;
mod sboms;
mod scan;
mod version_ranges;
mod yarn_lock;
