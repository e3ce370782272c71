//! `banscan policy new`: the first step of writing a policy. The arguments
//! are checked here, where a typo costs one command, rather than by lint
//! after the author has filled in the rest.

use std::io::Write;

use super::{Out, load, sets};
use crate::Outcome;
use crate::cli::NewArgs;
use crate::cli::config::usage;
use crate::diag::{Code, Problem};
use crate::policy::{skeleton, validate, vocab};

pub(super) fn run(out: &Out, args: &NewArgs) -> Outcome {
    let mut problems = Vec::new();
    if !validate::is_id(&args.id) {
        problems.push(
            Problem::error(
                Code::BadId,
                format!("`{}` is not a valid policy id", args.id),
            )
            .with_help("use lower-case letters, digits and hyphens, e.g. tw-moda-2026-example"),
        );
    }
    if let Err(e) = vocab::check_jurisdiction(&args.jurisdiction) {
        problems.push(
            Problem::error(Code::BadJurisdiction, format!("--jurisdiction: {e}"))
                .with_help("use an ISO code such as TW or US-TX, or EU, GLOBAL"),
        );
    }
    if !validate::is_id(&args.product) {
        problems.push(
            Problem::error(
                Code::BadId,
                format!("`{}` is not a valid product id", args.product),
            )
            .with_help("`banscan policy list` and `banscan policy show ID` show the products"),
        );
    } else if let Some(problem) = unknown_product(out, args) {
        match problem {
            Ok(p) => problems.push(p),
            Err(outcome) => return outcome,
        }
    }
    if !problems.is_empty() {
        out.problems(&problems);
        return Outcome::Failed;
    }

    let text = skeleton::skeleton(&args.id, &args.product, &args.jurisdiction);
    let Some(path) = &args.output else {
        out.print(&text);
        return Outcome::Clean;
    };
    // `create_new`: a policy someone has started filling in is never lost
    // to a second run.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    match written {
        Ok(()) => {
            out.eprint(&format!(
                "wrote {}; fill in its placeholders, then run `banscan policy lint {}`\n",
                path.display(),
                path.display()
            ));
            Outcome::Clean
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => out.fail(
            Problem::error(
                Code::UsageWrite,
                format!("{} exists already; not overwriting it", path.display()),
            )
            .with_help("choose another file name, or remove the file first"),
        ),
        Err(e) => out.fail(usage(
            format!("cannot write {}: {e}", path.display()),
            "check that the folder exists and is writable",
        )),
    }
}

/// The problem when the product is not in the policies loaded (the
/// built-in library and `--policies`), or the outcome when they cannot be
/// loaded. With `--no-builtin` and no `--policies` there is nothing to
/// look in, and the id's syntax is all that is checked.
fn unknown_product(out: &Out, args: &NewArgs) -> Option<Result<Problem, Outcome>> {
    let sets = sets(!args.sources.no_builtin, &args.sources.policies);
    if sets.is_empty() {
        return None;
    }
    let library = match load(out, &sets) {
        Ok(l) => l,
        Err(o) => return Some(Err(o)),
    };
    if library.product(&args.product).is_some() {
        return None;
    }
    let ids = library.products.iter().map(|p| p.id.as_str());
    let help = match crate::diag::did_you_mean(&args.product, ids) {
        Some(m) => format!("did you mean `{m}`?"),
        None => {
            "define the product in a `product:` document and pass its file with --policies".into()
        }
    };
    Some(Ok(Problem::error(
        Code::UnknownProduct,
        format!(
            "--product: no product `{}` in the policies loaded",
            args.product
        ),
    )
    .with_help(help)))
}
