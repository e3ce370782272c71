//! Interval notation, shared by Maven and NuGet: `[1.0,2.0)`, `(,1.0]`,
//! `[1.2,)`, `[1.2]` for exactly one version, and for Maven a `,`
//! between intervals for their union: `(,1.0],[1.2,)`.

use std::ops::Bound;

use version_ranges::Ranges;

/// Reads bracketed intervals with `version` reading each bound; `unions`
/// allows more than one interval.
pub(super) fn parse<V: Ord + Clone>(
    text: &str,
    version: impl Fn(&str) -> Option<V>,
    unions: bool,
) -> Result<Ranges<V>, String> {
    let mut all = Ranges::empty();
    let mut rest = text.trim();
    let mut count = 0;
    loop {
        let open = match rest.chars().next() {
            Some(c @ ('[' | '(')) => c,
            _ => return Err(format!("expected `[` or `(` at `{rest}`")),
        };
        let Some(close_at) = rest.find([']', ')']) else {
            return Err(format!("`{rest}` is not closed with `]` or `)`"));
        };
        let interval = &rest[..=close_at];
        let inner = &rest[1..close_at];
        let inclusive_high = rest[close_at..].starts_with(']');
        let bound = |written: &str, inclusive: bool| -> Result<Bound<V>, String> {
            let written = written.trim();
            if written.is_empty() {
                return Ok(Bound::Unbounded);
            }
            let v = version(written)
                .ok_or_else(|| format!("`{written}` in `{interval}` is not a version"))?;
            Ok(if inclusive {
                Bound::Included(v)
            } else {
                Bound::Excluded(v)
            })
        };
        let set = match inner.split_once(',') {
            None if open == '[' && inclusive_high && !inner.trim().is_empty() => {
                match bound(inner, true)? {
                    Bound::Included(v) => Ranges::singleton(v),
                    _ => return Err(format!("`{interval}` names no version")),
                }
            }
            None => {
                return Err(format!(
                    "`{interval}`: one version alone is written `[1.0]`, a range `[1.0,2.0)`"
                ));
            }
            Some((_, high)) if high.contains(',') => {
                return Err(format!("`{interval}` has more than two bounds"));
            }
            Some((low, high)) => {
                if low.trim().is_empty() && high.trim().is_empty() {
                    return Err(format!(
                        "`{interval}` has no bounds; write `*` for any version"
                    ));
                }
                let low = bound(low, open == '[')?;
                let high = bound(high, inclusive_high)?;
                Ranges::from_range_bounds((low, high))
            }
        };
        if set.is_empty() {
            return Err(format!(
                "`{interval}` names no version: its lower bound is above its upper"
            ));
        }
        all = all.union(&set);
        count += 1;
        rest = rest[close_at + 1..].trim_start();
        if rest.is_empty() {
            break;
        }
        if !unions {
            return Err(format!("unexpected `{rest}` after `{interval}`"));
        }
        rest = rest
            .strip_prefix(',')
            .ok_or_else(|| format!("expected `,` between intervals at `{rest}`"))?
            .trim_start();
    }
    debug_assert!(count > 0);
    Ok(all)
}
