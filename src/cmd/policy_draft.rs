//! `banscan policy draft`: reads a brief, drafts, and writes the drafts
//! to standard output or one file each under `--output`. What was read
//! (articles, their lines, drafts and links) goes to standard error, so
//! standard output stays a YAML stream or one JSON document.

use std::io::{Read, Write};
use std::path::Path;

use super::{Out, load, sets};
use crate::Outcome;
use crate::cli::config::usage;
use crate::cli::{DraftArgs, DraftFormat};
use crate::diag::{Code, Problem};
use crate::draft::{self, Context, Drafted, render, vocab::Vocab};
use crate::policy::Library;

pub(super) fn run(out: &Out, args: &DraftArgs) -> Outcome {
    let name = args.brief.display().to_string();
    let bytes = if args.brief.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b).map(|_| b)
    } else {
        std::fs::read(&args.brief)
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            return out.fail(
                Problem::error(Code::BriefUnreadable, format!("cannot read {name}: {e}"))
                    .with_help("give the path of a plain-text brief, or - for standard input"),
            );
        }
    };
    let text = match draft::check_text(&name, &bytes) {
        Ok(t) => t,
        Err(p) => return out.fail(p),
    };
    let mut vocab = Vocab::builtin();
    for path in &args.vocab {
        let added = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| vocab.extend(&t));
        if let Err(e) = added {
            return out.fail(usage(
                format!("--vocab {}: {e}", path.display()),
                "see the README, \"From a brief to a rule\", for the keys a vocabulary file has",
            ));
        }
    }
    let library = if args.sources.no_builtin && args.sources.policies.is_empty() {
        Library::default()
    } else {
        match load(out, &sets(!args.sources.no_builtin, &args.sources.policies)) {
            Ok(l) => l,
            Err(o) => return o,
        }
    };
    let drafted = draft::draft(
        &text,
        &Context {
            name: &name,
            library: &library,
            vocab: &vocab,
            year: args.year,
        },
    );
    if !drafted.warnings.is_empty() {
        out.problems(&drafted.warnings);
    }
    out.eprint(&summary(&drafted));
    match (&args.output, args.format) {
        (None, DraftFormat::Yaml) => out.print(&render::yaml_stream(&name, &drafted)),
        (None, DraftFormat::Json) => out.print(&format!(
            "{}\n",
            serde_json::to_string_pretty(&render::json(&drafted)).unwrap_or_default()
        )),
        (Some(dir), _) => return write_files(out, dir, &name, &drafted),
    }
    Outcome::Clean
}

/// Each article with its lines and what was drafted from it.
fn summary(drafted: &Drafted) -> String {
    let mut s = String::new();
    for (i, a) in drafted.articles.iter().enumerate() {
        let title = a.title.as_deref().unwrap_or("(no title)");
        s.push_str(&format!(
            "article {} (lines {}-{}) \"{title}\": ",
            i + 1,
            a.lines.0,
            a.lines.1
        ));
        if a.drafts.is_empty() {
            s.push_str("no ban statement, no draft\n");
            continue;
        }
        s.push_str(&format!(
            "{}\n",
            super::count(a.drafts.len(), "draft", "drafts")
        ));
        for d in &a.drafts {
            let id = d.id.value().unwrap_or("(id to fill in)");
            s.push_str(&format!("  {id} from line {}", d.statement.line));
            if !d.known_as.is_empty() {
                s.push_str(&format!("; known as {}", d.known_as.join(", ")));
                if !d.differences.is_empty() {
                    let fields: Vec<&str> =
                        d.differences.iter().map(|c| c.field.as_str()).collect();
                    s.push_str(&format!("; differs in {}", fields.join(", ")));
                }
            }
            s.push('\n');
        }
    }
    s
}

/// One file per draft, named by its id (`draft-N.yaml` while the id is a
/// placeholder); a file there already is never overwritten.
fn write_files(out: &Out, dir: &Path, name: &str, drafted: &Drafted) -> Outcome {
    if let Err(e) = std::fs::create_dir_all(dir) {
        return out.fail(usage(
            format!("cannot create {}: {e}", dir.display()),
            "check that the folder's parent exists and is writable",
        ));
    }
    let mut n = 0;
    for (i, a) in drafted.articles.iter().enumerate() {
        for d in &a.drafts {
            n += 1;
            let file = dir.join(format!(
                "{}.yaml",
                d.id.value()
                    .map_or_else(|| format!("draft-{n}"), str::to_string)
            ));
            let written = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&file)
                .and_then(|mut f| f.write_all(render::yaml(name, i + 1, a, d).as_bytes()));
            match written {
                Ok(()) => out.eprint(&format!("wrote {}\n", file.display())),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return out.fail(
                        Problem::error(
                            Code::UsageWrite,
                            format!("{} exists already; not overwriting it", file.display()),
                        )
                        .with_help("draft into an empty folder, or remove the file first"),
                    );
                }
                Err(e) => {
                    return out.fail(usage(
                        format!("cannot write {}: {e}", file.display()),
                        "check that the folder is writable",
                    ));
                }
            }
        }
    }
    if n > 0 {
        out.eprint(&format!(
            "fill in their placeholders, then run `banscan policy lint {}`\n",
            dir.display()
        ));
    }
    Outcome::Clean
}
