//! `op version` terms, the syntax Go ranges and RubyGems requirements
//! share, each turned into the set of versions it names.

use version_ranges::Ranges;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    /// RubyGems' `~>`.
    Pessimistic,
}

/// Splits the operator off a term; no operator means `=`.
pub(super) fn split_op(term: &str) -> (Op, &str) {
    // Two-character operators first, so `>=` is not read as `>`.
    const OPS: [(&str, Op); 8] = [
        ("~>", Op::Pessimistic),
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("!=", Op::Ne),
        ("==", Op::Eq),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("=", Op::Eq),
    ];
    let term = term.trim();
    for (text, op) in OPS {
        if let Some(rest) = term.strip_prefix(text) {
            return (op, rest.trim_start());
        }
    }
    (Op::Eq, term)
}

/// Reads `a, b || c`: comparators joined by `,` (all must hold), with `||`
/// between alternatives, the syntax Go ranges and app versions share.
/// `version` reads one comparator's version, or says why it cannot (it is
/// given the whole term too, and the operator, to refuse what its
/// ecosystem has no meaning for).
pub(super) fn alternatives<V: Ord + Clone>(
    text: &str,
    version: impl Fn(&str, Op, &str) -> Result<V, String>,
) -> Result<Ranges<V>, String> {
    alternative_sets(text, |term, op, text| {
        version(term, op, text).map(|v| ranges(op, v))
    })
}

/// [`alternatives`] for an ecosystem whose comparator may name more than
/// one version (RPM's `= 1.0` is every release of 1.0): `set` gives the
/// versions of one comparator.
pub(super) fn alternative_sets<V: Ord + Clone>(
    text: &str,
    set: impl Fn(&str, Op, &str) -> Result<Ranges<V>, String>,
) -> Result<Ranges<V>, String> {
    let mut any = Ranges::empty();
    for alternative in text.split("||") {
        let mut all = Ranges::full();
        let terms: Vec<&str> = alternative.split(',').map(str::trim).collect();
        if terms.iter().any(|t| t.is_empty()) {
            return Err("an empty comparator (a stray `,` or `||`?)".to_string());
        }
        for term in terms {
            let (op, text) = split_op(term);
            all = all.intersection(&set(term, op, text)?);
        }
        any = any.union(&all);
    }
    Ok(any)
}

/// The versions `op v` names; `~>` is the caller's, which knows how its
/// ecosystem bumps a version.
pub(super) fn ranges<V: Ord + Clone>(op: Op, v: V) -> Ranges<V> {
    match op {
        Op::Eq => Ranges::singleton(v),
        Op::Ne => Ranges::singleton(v).complement(),
        Op::Gt => Ranges::strictly_higher_than(v),
        Op::Ge => Ranges::higher_than(v),
        Op::Lt => Ranges::strictly_lower_than(v),
        Op::Le => Ranges::lower_than(v),
        Op::Pessimistic => Ranges::higher_than(v),
    }
}
