//! Profiles (`banscan.yaml`): who the organisation is, which policy sets
//! it loads, when a scan fails, and its waivers.

use std::path::{Path, PathBuf};

use crate::diag::Code;
use crate::policy::{Pin, Place, PolicySetRef, Profile, Waiver, validate, vocab};
use crate::yaml::{At, Node, Reader, Value};

use super::keys::{POLICY_SET_KEYS, PROFILE_KEYS, WAIVER_KEYS};
use super::policy::read_sector_list;
use super::{opt_text, place, req_text};

pub(super) fn read_profile(r: &mut Reader<'_>, node: &Node) -> Option<Profile> {
    let mut m = r.map(node, "a profile", PROFILE_KEYS)?;
    let organization = opt_text(r, &mut m, "organization");
    // Upper-cased like `--jurisdiction`: a profile is the same setting.
    let jurisdiction = m
        .optional("jurisdiction")
        .and_then(|n| r.text(n))
        .map(|j| At {
            value: vocab::normalize_jurisdiction(&j.value),
            span: j.span,
        });
    let sectors = m.optional("sectors").and_then(|n| read_sector_list(r, n));
    let policies_node = m.optional("policies");
    let fail_on = m.optional("fail_on").and_then(|n| r.text(n));
    let strict = m.optional("strict").and_then(|n| r.bool(n));
    let allow_unread = m.optional("allow_unread").and_then(|n| r.bool(n));
    let exclude = super::text_list(r, m.optional("exclude"));
    let waivers = m.optional("waivers").map(|n| r.seq(n)).unwrap_or_default();
    let waivers: Vec<Waiver> = waivers.iter().filter_map(|w| read_waiver(r, w)).collect();
    m.finish(r);
    if let Some(j) = &jurisdiction {
        validate::jurisdiction(r, j);
    }
    let fail_on = fail_on.and_then(|f| validate::fail_on(r, &f));
    let exclude: Vec<String> = exclude
        .into_iter()
        .filter(|g| validate::glob(r, g))
        .map(|g| g.value)
        .collect();
    let base = Path::new(r.file.name())
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let (policies, policy_places) = policies_node
        .map(|n| read_policy_sets(r, n, &base))
        .unwrap_or_default()
        .into_iter()
        .unzip();
    Some(Profile {
        path: Some(r.file.name().to_string()),
        organization,
        jurisdiction: jurisdiction.map(|j| j.value),
        sectors: sectors.unwrap_or_default(),
        policies,
        policy_places,
        fail_on,
        strict,
        allow_unread,
        exclude,
        waivers,
    })
}

/// The `policies:` list: `builtin`, a folder or file relative to the
/// profile, or a pinned folder `{ path, lock: "sha256:<hex>" }`.
fn read_policy_sets(r: &mut Reader<'_>, node: &Node, base: &Path) -> Vec<(PolicySetRef, Place)> {
    let items = r.seq(node);
    items
        .iter()
        .filter_map(|n| {
            if !matches!(n.value, Value::Map(_)) {
                let p = r.text(n)?;
                let set = if p.value == "builtin" {
                    PolicySetRef::Builtin
                } else {
                    PolicySetRef::Path(relative(base, &p.value))
                };
                return Some((set, place(r, p.span)));
            }
            let mut m = r.map(n, "a pinned policy set", POLICY_SET_KEYS)?;
            let path = req_text(r, &mut m, "path");
            let lock = req_text(r, &mut m, "lock");
            m.finish(r);
            let (path, lock) = (path?, lock?);
            let Some(sha256) = pin_digest(&lock.value) else {
                r.report(
                    Code::BadSha256,
                    lock.span,
                    format!("`{}` is not a lockfile digest", lock.value),
                    "not sha256:<64 hex>",
                    "write the digest `banscan policy lock DIR` prints, such as `sha256:` and 64 hexadecimal characters",
                );
                return None;
            };
            let at = place(r, path.span);
            let pin = Pin {
                path: relative(base, &path.value),
                sha256,
                place: Some(at.clone()),
            };
            Some((PolicySetRef::Pinned(pin), at))
        })
        .collect()
}

/// `path` resolved against the profile's folder, without the `./` that
/// would otherwise show up in the middle of every message about it.
fn relative(base: &Path, path: &str) -> PathBuf {
    base.join(path).components().collect()
}

/// The hex of `sha256:<64 hex>`, lower-cased.
fn pin_digest(text: &str) -> Option<String> {
    let hex = text.trim().strip_prefix("sha256:")?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| hex.to_ascii_lowercase())
}

fn read_waiver(r: &mut Reader<'_>, node: &Node) -> Option<Waiver> {
    let mut m = r.map(node, "a waiver", WAIVER_KEYS)?;
    let span = m.span;
    let policy = req_text(r, &mut m, "policy");
    let product = opt_text(r, &mut m, "product");
    let item = m.optional("item").and_then(|n| r.text(n));
    let device = m.optional("device").and_then(|n| r.text(n));
    let reason = req_text(r, &mut m, "reason");
    let approved_by = req_text(r, &mut m, "approved_by");
    let expires = m.required(r, "expires").and_then(|n| r.date(n));
    m.finish(r);
    let mut ok = true;
    for glob in [&item, &device].into_iter().flatten() {
        ok &= validate::glob(r, glob);
    }
    let waiver = Waiver {
        policy: policy?.value,
        product,
        item: item.map(|i| i.value),
        device: device.map(|d| d.value),
        reason: reason?.value,
        approved_by: approved_by?.value,
        expires: expires?.value,
        place: place(r, span),
    };
    ok.then_some(waiver)
}
