//! Profiles (`banscan.yaml`): who the organisation is, which policy sets
//! it loads, when a scan fails, and its waivers.

use std::path::Path;

use crate::policy::{PolicySetRef, Profile, Waiver, validate};
use crate::yaml::{Node, Reader};

use super::keys::{PROFILE_KEYS, WAIVER_KEYS};
use super::policy::read_sector_list;
use super::{opt_text, place, req_text, text_list};

pub(super) fn read_profile(r: &mut Reader<'_>, node: &Node) -> Option<Profile> {
    let mut m = r.map(node, "a profile", PROFILE_KEYS)?;
    let organization = opt_text(r, &mut m, "organization");
    let jurisdiction = m.optional("jurisdiction").and_then(|n| r.text(n));
    let sectors = m.optional("sectors").and_then(|n| read_sector_list(r, n));
    let policies = text_list(r, m.optional("policies"));
    let fail_on = m.optional("fail_on").and_then(|n| r.text(n));
    let strict = m.optional("strict").and_then(|n| r.bool(n));
    let waivers = m.optional("waivers").map(|n| r.seq(n)).unwrap_or_default();
    let waivers: Vec<Waiver> = waivers.iter().filter_map(|w| read_waiver(r, w)).collect();
    m.finish(r);
    if let Some(j) = &jurisdiction {
        validate::jurisdiction(r, j);
    }
    let fail_on = fail_on.and_then(|f| validate::fail_on(r, &f));
    let base = Path::new(r.file.name())
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let policies = policies
        .into_iter()
        .map(|p| {
            if p.value == "builtin" {
                PolicySetRef::Builtin
            } else {
                PolicySetRef::Path(base.join(&p.value))
            }
        })
        .collect();
    Some(Profile {
        path: Some(r.file.name().to_string()),
        organization,
        jurisdiction: jurisdiction.map(|j| j.value),
        sectors: sectors.unwrap_or_default(),
        policies,
        fail_on,
        strict,
        waivers,
    })
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
