//! What the fuzz targets share: the built-in library compiled once, the
//! formats of each input family, and the two ways a scan reads an input.
//!
//! An input-family target does not stop at "the parser returned": a
//! parser's items are matched against every built-in policy, its spans
//! checked against the line they point into, and a record format is read
//! twice, with and without the prefilter the scan puts in front of it. The
//! prefilter exists to skip lines no rule can match, so the two readings
//! must find the same findings and fail the same way; a difference is a
//! finding the scan hides, which is as bad as a crash for a compliance
//! checker.
//!
//! Only the findings are compared. A line the prefilter passes unread is
//! checked for its shape only (a JSON line for its braces), so a corrupt
//! line the prefilter sees no rule in is counted as an item, where parsed
//! it is skipped and, when the literal search finds an identifier in it,
//! unread evidence: the counts of skipped records and unread evidence can
//! differ, an open issue (RELIABILITY.md, "Fuzzing").

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use banscan::input::records::Candidates;
use banscan::input::{
    At, Evidence, Flow, FormatSpec, InputProblem, ItemView, Limits, Reader, Sink, Source,
};
use banscan::matcher::{LazyNet, Matcher, Prefilter};
use banscan::policy::compile::BanSet;
use banscan::policy::load::load_library;
use banscan::policy::{Library, PolicySetRef};
use banscan::scan::chunk::{Judging, read_parallel};
use banscan::scan::fold::{ScanSink, Yield};

/// The built-in library with every policy compiled, whatever its dates
/// and audience: the widest set of rules an input can meet.
pub struct Rules {
    pub library: Library,
    pub matcher: Matcher,
    apps: Option<Prefilter>,
    endpoints: Option<Prefilter>,
    /// Built on first use and kept, as a scan keeps it for every input:
    /// building it costs more than most inputs do to read.
    net: LazyNet,
}

impl Rules {
    fn prefilter(&self, evidence: Evidence) -> Option<&dyn Candidates> {
        match evidence {
            Evidence::Apps => self.apps.as_ref(),
            Evidence::Endpoints => self.endpoints.as_ref(),
            Evidence::Packages | Evidence::Files => None,
        }
        .map(|p| p as &dyn Candidates)
    }
}

/// Loaded on the first input of a process, as a scan loads it once.
pub fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        let library = load_library(&[PolicySetRef::Builtin])
            .unwrap_or_else(|p| panic!("the built-in library does not load: {p:?}"));
        let all: Vec<usize> = (0..library.policies.len()).collect();
        let matcher = Matcher::new(BanSet::compile(&library, &all))
            .unwrap_or_else(|e| panic!("the built-in library does not compile: {e}"));
        Rules {
            apps: Prefilter::new(matcher.rules(), Evidence::Apps),
            endpoints: Prefilter::new(matcher.rules(), Evidence::Endpoints),
            library,
            matcher,
            net: LazyNet::default(),
        }
    })
}

/// The formats `target` reads, in `families.txt` order.
pub fn family(target: &str) -> Vec<&'static FormatSpec> {
    let formats: Vec<&'static FormatSpec> = include_str!("../families.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            (words.next()? == target).then(|| words.next())?
        })
        .map(|name| {
            banscan::input::registry::by_name(name)
                .unwrap_or_else(|| panic!("families.txt names `{name}`, which is no format"))
        })
        .collect();
    assert!(
        !formats.is_empty(),
        "families.txt has no formats for {target}"
    );
    formats
}

/// Smaller than a scan's defaults, so that the fuzzer reaches the limits
/// (a line over the cap, a decompression bomb) with inputs it can make.
fn limits() -> Limits {
    Limits {
        max_line: 4096,
        max_decoded: 1 << 20,
        ..Limits::default()
    }
}

/// Reads `data` as one of `formats`: its first byte picks which, the rest
/// is the file.
pub fn read_family(formats: &[&'static FormatSpec], data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let format = formats[usize::from(pick) % formats.len()];
    read_as(format, bytes);
}

/// Everything a scan does with one input of `format`, checked.
pub fn read_as(format: &'static FormatSpec, bytes: &[u8]) {
    let rules = rules();
    let limits = limits();
    let source = Source::bytes("fuzz/input", Arc::<[u8]>::from(bytes));

    let mut checked = Checked::default();
    if let Err(problem) = banscan::input::read(&source, format, &limits, &mut checked) {
        checked.problem(problem);
    }

    match &format.reader {
        Reader::Records(records) => {
            let read = |candidates: Option<&dyn Candidates>| {
                let judging = Judging {
                    library: &rules.library,
                    matcher: &rules.matcher,
                    net: &rules.net,
                };
                read_parallel(&source, *records, &limits, candidates, judging, None)
                    .unwrap_or_else(Yield::failed)
            };
            let whole = read(None);
            if let Some(prefilter) = rules.prefilter(format.evidence) {
                let filtered = read(Some(prefilter));
                assert_eq!(
                    summary(&filtered),
                    summary(&whole),
                    "{}: the prefilter changed the findings (left: with it)",
                    format.name
                );
            }
        }
        _ => {
            let mut sink = ScanSink::new(&rules.library, &rules.matcher, &rules.net);
            if let Err(problem) = banscan::input::read(&source, format, &limits, &mut sink) {
                sink.problem(problem);
            }
            for problem in &sink.out.problems {
                let _ = problem.to_string();
            }
        }
    }
}

/// What a reading found, in a form two readings can be compared by:
/// each finding's occurrences and first line.
fn summary(found: &Yield) -> BTreeMap<String, (u64, u64)> {
    found
        .findings
        .iter()
        .map(|f| {
            (
                format!("{} {} {}", f.policy, f.identifier, f.fingerprint),
                (f.count, f.location.line),
            )
        })
        .collect()
}

/// A sink that checks what a parser hands over, as the report will use
/// it: the span of an item lies in its line, on character boundaries; an
/// item's identity and every problem can be written out; each item goes
/// through the matcher.
#[derive(Default)]
pub struct Checked {
    hits: Vec<u32>,
}

impl Sink for Checked {
    fn item(&mut self, item: ItemView<'_>, at: At<'_>) -> Flow {
        assert!(
            at.text.get(at.offset..at.offset + at.len).is_some(),
            "an item's span {}+{} is not within its line {:?}",
            at.offset,
            at.len,
            at.text
        );
        let _ = banscan::report::identity(item, at.source);
        rules().matcher.matches(item, &mut self.hits);
        Flow::Continue
    }

    fn problem(&mut self, problem: InputProblem) -> Flow {
        if let Some(at) = &problem.at {
            let excerpt = &at.excerpt;
            let (from, len) = (excerpt.offset as usize, excerpt.len as usize);
            assert!(
                excerpt.text.get(from..from + len).is_some(),
                "a problem's excerpt span {from}+{len} is not within {:?}",
                excerpt.text
            );
        }
        let _ = problem.to_string();
        Flow::Continue
    }
}

/// A folder of this process's own for files a target must write: the
/// policy loader reads policies and profiles from paths only.
fn scratch() -> &'static std::path::Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("banscan-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder in the temporary folder");
        dir
    })
}

/// `data` as a policy file through what `policy lint` and `policy test`
/// do (load, validate across documents, compile, run the examples) and
/// as a profile, every problem rendered as the terminal shows it.
pub fn load_policy_text(data: &[u8]) {
    use banscan::check::examples::test_policies;
    use banscan::diag::Renderer;
    use banscan::policy::load::{Examples, load_all, load_profile};

    let renderer = Renderer::new(false).with_width(Some(80));
    let policy = scratch().join("policy.yaml");
    std::fs::write(&policy, data).expect("the scratch policy file is written");
    let loaded = load_all(&[(PolicySetRef::Path(policy), None)], Examples::Required);
    for problem in &loaded.problems {
        let _ = renderer.render(problem);
    }
    let all: Vec<usize> = (0..loaded.library.policies.len()).collect();
    let compiled = Matcher::new(BanSet::compile(&loaded.library, &all));
    if loaded.problems.is_empty() {
        // Patterns are validated on load: a clean library compiles.
        let run = test_policies(&loaded.library, &all)
            .unwrap_or_else(|e| panic!("a clean library does not compile: {e}"));
        for failure in &run.failures {
            let _ = renderer.render(failure);
        }
        compiled.unwrap_or_else(|e| panic!("a clean library does not compile: {e}"));
    }

    let profile = scratch().join("banscan.yaml");
    std::fs::write(&profile, data).expect("the scratch profile is written");
    if let Err(problems) = load_profile(&profile) {
        for problem in &problems {
            let _ = renderer.render(problem);
        }
    }
}

/// A purl as policies and SBOMs write it: reading it must not panic, and
/// a purl banscan keys stays the same package when the purl crate writes
/// it out (as an SBOM tool would) and banscan reads it again.
///
/// The purl crate does not always read back what it writes
/// (`pkg:composer/./ht` is written `pkg:composer//ht`, which it refuses;
/// a `#` or `@` in odd places moves the name): that is the crate's own
/// round trip, not banscan's, and is passed over here (RELIABILITY.md,
/// "Fuzzing", lists what the fuzzer found in it).
pub fn purl(text: &str) {
    use banscan::ident::PackageRef;
    use packageurl::PackageUrl;
    use std::str::FromStr;

    let Ok(first) = PackageRef::parse_purl(text) else {
        return;
    };
    let read = PackageUrl::from_str(text).expect("a purl banscan read is a purl");
    let shown = read.to_string();
    if PackageUrl::from_str(&shown).ok().as_ref() != Some(&read) {
        return;
    }
    assert_eq!(
        PackageRef::parse_purl(&shown),
        Ok(first),
        "{text:?} written as {shown:?}"
    );
}

/// `data` as `ecosystem byte, range, newline, version`: the range read in
/// that ecosystem's syntax (and as an app range), then the version
/// checked against it.
pub fn version_range(data: &[u8]) {
    use banscan::ident::{Ecosystem, VersionRange};

    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (range, version) = text.split_once('\n').unwrap_or((text, ""));
    let ecosystem = Ecosystem::ALL[usize::from(pick) % Ecosystem::ALL.len()];
    for parsed in [
        VersionRange::parse(ecosystem, range),
        VersionRange::parse_app(range),
    ] {
        match parsed {
            Ok(r) => {
                let _ = r.contains(version);
                let _ = r.may_meet(version);
            }
            Err(e) => {
                let _ = e.to_string();
                let _ = e.help();
            }
        }
    }
}

/// Any text as a host a log or list names, and as a host rule a policy
/// writes; as a line, through the literal search the scan runs over
/// records it cannot read. A catch must lie within the text.
pub fn hosts(data: &[u8]) {
    use banscan::ident::{Domain, parse_cidr, parse_endpoint, parse_ip};
    use banscan::input::item::Endpoint;
    use banscan::policy::validate::parse_host_rule;

    let rules = rules();
    if let Ok(net) = rules.net.get(rules.matcher.rules())
        && let Some(catch) = net.find(data)
    {
        assert!(
            catch.offset + catch.len <= data.len(),
            "the net's catch {}+{} lies past the text",
            catch.offset,
            catch.len
        );
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut hits = Vec::new();
    for line in text.lines() {
        let _ = Domain::parse(line);
        let _ = parse_ip(line);
        let _ = parse_cidr(line);
        let _ = parse_host_rule(line);
        if let Ok(host) = parse_endpoint(line) {
            let endpoint = Endpoint::of(host, Some(line.to_string()));
            rules
                .matcher
                .matches(ItemView::Endpoint(endpoint.view()), &mut hits);
        }
    }
}
