//! `banscan policy test`: every policy's own examples, run through the same
//! matcher a scan uses. A violating example that does not match, or a
//! compliant one that does, is a diagnostic at that example's line.

use crate::diag::{Code, Problem};
use crate::matcher::{CompileError, Matcher};
use crate::policy::Library;
use crate::policy::compile::BanSet;
use crate::report::ItemInfo;

/// The outcome of testing a set of policies.
#[derive(Debug, Default)]
pub struct TestRun {
    pub policies: usize,
    pub passed: usize,
    pub failures: Vec<Problem>,
}

/// Tests the policies at `indices` of `library`.
pub fn test_policies(library: &Library, indices: &[usize]) -> Result<TestRun, CompileError> {
    let mut run = TestRun::default();
    let mut hits = Vec::new();
    for &i in indices {
        let policy = &library.policies[i];
        let matcher = Matcher::new(BanSet::compile(library, &[i]))?;
        run.policies += 1;
        for example in &policy.examples {
            matcher.matches(example.item.view(), &mut hits);
            let text = ItemInfo::new(example.item.view()).describe();
            let failure = match (example.violating, hits.first()) {
                (true, None) => Some((
                    format!("violating example `{}` is not matched by policy {}", text, policy.id),
                    "matches nothing".to_string(),
                    "add the identifier this example should hit to the product or the policy, or fix the example".to_string(),
                )),
                (false, Some(&rid)) => {
                    let identifier = matcher.rule(rid).identifier.describe();
                    Some((
                        format!("compliant example `{}` is matched by policy {}", text, policy.id),
                        format!("matched by {identifier}"),
                        format!("narrow the identifier `{identifier}` so this near miss is not flagged, or fix the example"),
                    ))
                }
                _ => None,
            };
            match failure {
                None => run.passed += 1,
                Some((message, label, help)) => run.failures.push(
                    Problem::error(Code::ExampleFailed, message)
                        .in_file(&example.place.file, example.place.span, label)
                        .with_help(help),
                ),
            }
        }
    }
    Ok(run)
}
