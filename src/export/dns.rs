//! What the three DNS resolver targets (`rpz`, `unbound`, `dnsmasq`)
//! share: the comment block that opens their files. A resolver's
//! administrator reads these files long after they were made, so beside
//! the provenance header each one lists the policies its rules name, with
//! their titles and authorities. Titles come from policy files and may
//! hold anything, so every comment line is made safe for a line-based
//! configuration format first.

use std::collections::BTreeMap;

use super::Export;

/// The header, then one line per policy the rules name (`id: title
/// (authority)`), each prefixed with `prefix` and a space.
pub(super) fn comments(export: &Export<'_>, prefix: &str) -> String {
    let mut out = String::new();
    for line in export.header.lines() {
        out.push_str(&comment(prefix, &line));
    }
    let mut named = BTreeMap::new();
    for entry in export.allows.iter().chain(&export.blocks) {
        for policy in &entry.policies {
            named.insert(policy.id.as_str(), *policy);
        }
    }
    if !named.is_empty() {
        out.push_str(&comment(prefix, "Policies the rules name:"));
    }
    for (id, policy) in named {
        out.push_str(&comment(
            prefix,
            &format!("- {id}: {} ({})", policy.title, policy.authority),
        ));
    }
    out
}

/// How long a comment line's text may grow before it is wrapped: dnsmasq
/// reads lines of about a thousand bytes at most and splits longer ones.
const WIDTH: usize = 100;

/// `text` as comment lines of at most [`WIDTH`] characters, wrapped at
/// spaces (a longer word is cut). Made safe by [`safe`].
pub(super) fn comment(prefix: &str, text: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in safe(text).split(' ') {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let room = WIDTH.saturating_sub(line.chars().count() + usize::from(!line.is_empty()));
            if word.len() <= room {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.extend(&word);
                break;
            }
            if line.is_empty() {
                line.extend(&word[..WIDTH]);
                word.drain(..WIDTH);
            }
            out.push_str(&format!("{prefix} {line}\n"));
            line.clear();
        }
    }
    out.push_str(&format!("{prefix} {line}\n"));
    out
}

/// `text` as a comment at the end of a rule's line (`prefix` and a space
/// before it), on that one line. Made safe by [`safe`].
pub(super) fn trailing(prefix: &str, text: &str) -> String {
    format!("{prefix} {}\n", safe(text))
}

/// `text` with every line break (and any other control character) turned
/// into a space, so it cannot end a comment early.
fn safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{comment, trailing};

    #[test]
    fn a_comment_cannot_be_broken_out_of() {
        assert_eq!(
            comment(";", "a\nb\r\nc\u{2028}d\u{85}e\tf"),
            "; a b  c d e f\n"
        );
        assert_eq!(trailing(" ;", "a\nb"), " ; a b\n");
        assert_eq!(
            comment("#", "Demo Chat's \"x\" \\"),
            "# Demo Chat's \"x\" \\\n"
        );
    }

    /// dnsmasq splits lines past about a thousand bytes; ours stay short.
    #[test]
    fn long_comments_are_wrapped() {
        let ids = vec!["us-xx-2025-deepseek"; 40].join(", ");
        let text = comment("#", &ids);
        assert!(text.lines().all(|l| l.len() <= 102), "{text}");
        assert_eq!(text.replace("\n# ", " "), format!("# {ids}\n"));
        let word = "x".repeat(250);
        assert_eq!(
            comment("#", &word),
            format!(
                "# {}\n# {}\n# {}\n",
                &word[..100],
                &word[..100],
                &word[..50]
            )
        );
        assert_eq!(comment("#", ""), "# \n");
    }
}
