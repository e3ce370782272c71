//! Reading: a YAML tree into products, policies and profiles.
//!
//! Every problem in a document is collected, not just the first: a policy
//! author fixing a file wants the whole list in one run. Reading walks the
//! tree and takes keys; the checks of single values (ids, globs, dates,
//! digests, hosts) live in [`super::validate`], so each rule is written
//! once for policies, products and profiles alike.

mod examples;
pub mod keys;
mod policy;
mod product;
mod profile;
mod timeline;

use std::sync::Arc;

use crate::diag::{Code, Problem, SourceFile};
use crate::policy::{Place, Policy, Product, Profile, Source, validate};
use crate::yaml::{self, At, MapReader, Node, Reader};

use keys::{PROFILE_KEYS, SOURCE_KEYS};

/// Kept reachable from here: parsing a host rule is what reading an
/// endpoint identifier means, wherever the check itself lives.
pub use crate::policy::validate::{HostRuleError, parse_host_rule};

/// One document of a policy file.
#[derive(Debug)]
pub enum Document {
    Product(Product),
    /// Boxed: a policy is far larger than the other documents.
    Policy(Box<Policy>),
    Profile(Profile),
}

/// Reads every document of `file`, pushing a problem for each thing wrong.
pub fn read_documents(file: &Arc<SourceFile>, problems: &mut Vec<Problem>) -> Vec<Document> {
    let nodes = match yaml::parse_documents(file) {
        Ok(nodes) => nodes,
        Err(p) => {
            problems.push(p);
            return Vec::new();
        }
    };
    let mut r = Reader { file, problems };
    let mut docs = Vec::new();
    let nodes: Vec<&Node> = nodes
        .iter()
        .filter(|n| !matches!(n.value, yaml::Value::Null))
        .collect();
    // An empty file would otherwise pass lint as "0 policies are valid"
    // and be pinned by a lockfile as if it held rules.
    if nodes.is_empty() {
        r.problems.push(
            Problem::error(
                Code::EmptyFile,
                format!(
                    "{} holds no product, policy or profile document",
                    file.name()
                ),
            )
            .with_help(
                "write a document in it (`banscan policy new` prints a policy to fill in), or delete the file",
            ),
        );
    }
    for node in nodes {
        match document_kind(node) {
            Some("product") => {
                docs.extend(product::read_product(&mut r, node).map(Document::Product));
            }
            Some("policy") => docs
                .extend(policy::read_policy(&mut r, node).map(|p| Document::Policy(Box::new(p)))),
            Some(k) if PROFILE_KEYS.contains(&k) => {
                docs.extend(profile::read_profile(&mut r, node).map(Document::Profile));
            }
            _ => {
                let found = MapReader::first_key(node)
                    .map_or_else(|| "no key".to_string(), |k| format!("`{k}`"));
                r.report(
                    Code::UnknownDocument,
                    node.span,
                    format!("cannot tell what this document is: its first key is {found}"),
                    "unknown document",
                    "a document starts with `product:`, `policy:`, or is a profile starting with `organization:`",
                );
            }
        }
    }
    docs
}

/// The key that tells what `node` is: its first key, or the known first
/// key closest to it, so a misspelt one (`organisation:`, `polcy:`) is read
/// as that kind and reported as an unknown key with a "did you mean",
/// where it is written, instead of as a document of no kind.
fn document_kind(node: &Node) -> Option<&'static str> {
    let first = MapReader::first_key(node)?;
    let kinds = ["product", "policy"].iter().chain(PROFILE_KEYS).copied();
    kinds
        .clone()
        .find(|k| *k == first)
        .or_else(|| crate::diag::did_you_mean(first, kinds))
}

fn place(r: &Reader<'_>, span: miette::SourceSpan) -> Place {
    Place {
        file: Arc::clone(r.file),
        span,
    }
}

fn opt_text(r: &mut Reader<'_>, m: &mut MapReader<'_>, key: &str) -> Option<String> {
    m.optional(key)
        .and_then(|n| r.text(n))
        .map(|s| s.value.trim().to_string())
}

fn req_text(r: &mut Reader<'_>, m: &mut MapReader<'_>, key: &str) -> Option<At<String>> {
    m.required(r, key).and_then(|n| r.text(n))
}

fn text_list(r: &mut Reader<'_>, node: Option<&Node>) -> Vec<At<String>> {
    let Some(node) = node else { return Vec::new() };
    let items = r.seq(node);
    items.iter().filter_map(|n| r.text(n)).collect()
}

fn read_sources(r: &mut Reader<'_>, node: &Node) -> Vec<Source> {
    let items = r.seq(node);
    items.iter().filter_map(|n| read_source(r, n)).collect()
}

/// One source, as a policy, a product or a status event cites it.
fn read_source(r: &mut Reader<'_>, node: &Node) -> Option<Source> {
    let mut m = r.map(node, "a source", SOURCE_KEYS)?;
    let title = req_text(r, &mut m, "title");
    let publisher = req_text(r, &mut m, "publisher");
    let url = m.optional("url").and_then(|n| r.text(n));
    let date = m.optional("date").and_then(|n| r.date(n));
    m.finish(r);
    if let Some(u) = &url {
        validate::web_address(r, u);
    }
    Some(Source {
        title: title?.value,
        publisher: publisher?.value,
        url: url.map(|u| u.value),
        date: date.map(|d| d.value),
    })
}

/// A policy document banning `product` everywhere from 2025-01-01, for
/// test libraries that care only about what a product's identifiers match.
#[cfg(test)]
pub(crate) fn test_policy(id: &str, product: &str) -> String {
    format!(
        "---
policy: {id}
title: t
authority: a
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: b
sources: [{{title: s, publisher: p}}]
binds: {{sectors: [all]}}
severity: ban
bans:
  - product: {product}
examples:
  violating: [{{endpoint: deepseek.com}}]
  compliant: [{{endpoint: example.org}}]
"
    )
}

/// A library read from one YAML text, for tests of what is built on it.
#[cfg(test)]
pub(crate) fn library_from(text: &str) -> crate::policy::Library {
    let file = Arc::new(SourceFile::new("t.yaml", Arc::from(text)));
    let mut problems = Vec::new();
    let mut library = crate::policy::Library::default();
    for doc in read_documents(&file, &mut problems) {
        match doc {
            Document::Product(p) => library.products.push(p),
            Document::Policy(p) => library.policies.push(*p),
            Document::Profile(_) => panic!("a profile in a test library"),
        }
    }
    assert!(problems.is_empty(), "{problems:?}");
    library
}
