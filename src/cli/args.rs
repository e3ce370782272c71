//! Command-line arguments (clap definitions only).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::report::render::Format;

#[derive(Debug, Parser)]
#[command(
    name = "banscan",
    version,
    about = "Checks software against government bans: dependency manifests, installed-app inventories and network endpoints, each finding citing the law it comes from."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and folders for banned packages, apps and endpoints.
    Scan(Box<ScanArgs>),
    /// List the input formats: which banscan reads, which it only recognises.
    Formats,
    /// Work with policies: lint, list, show, test, schema, lock, verify, new, diff, export.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Work with saved JSON reports: merge many into one, render one in any format.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Write a commented banscan.yaml profile for the current folder.
    Init(InitArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print banscan's man page (roff), or a command's: `banscan man scan`.
    Man {
        /// The command whose page to print (banscan-scan(1) for `scan`).
        command: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the profile; it judges the files of its folder.
    #[arg(long, short = 'o', value_name = "FILE", default_value = "banscan.yaml")]
    pub output: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
    /// The organisation's name, written into the profile.
    #[arg(long, value_name = "NAME")]
    pub organization: Option<String>,
    /// The organisation's jurisdiction (ISO 3166 code such as TW or US-TX), written into the profile.
    #[arg(long, value_name = "CODE", value_parser = jurisdiction)]
    pub jurisdiction: Option<String>,
    /// A sector of the organisation (repeatable), written into the profile.
    #[arg(long, value_name = "SECTOR")]
    pub sector: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Combine the JSON reports of many sites, devices or CI jobs into one:
    /// findings deduplicated by fingerprint, each input's provenance kept.
    Merge {
        /// The JSON reports (`banscan scan --format json`).
        #[arg(required = true, num_args = 1..)]
        reports: Vec<PathBuf>,
        /// Write the merged report to FILE (atomically) instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Render a saved JSON report in any format.
    Render {
        /// The JSON report.
        report: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Write to FILE (atomically) instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// Show the evidence excerpt of every finding.
        #[arg(long, short = 'v')]
        verbose: bool,
    },
}

/// Where policies come from, shared by scan and the policy commands.
#[derive(Debug, Args, Clone)]
pub struct PolicySources {
    /// A policy file or folder to load in addition to the built-in library (repeatable).
    #[arg(long = "policies", value_name = "PATH")]
    pub policies: Vec<PathBuf>,
    /// Do not load the built-in policy library.
    #[arg(long)]
    pub no_builtin: bool,
}

/// Which profile the policy commands read, found as `scan` finds it.
#[derive(Debug, Args, Clone)]
pub struct ProfileChoice {
    /// The profile (banscan.yaml) whose `policies:` to load; by default the
    /// nearest banscan.yaml at or above the working folder.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Do not look for a banscan.yaml profile.
    #[arg(long, conflicts_with = "profile")]
    pub no_profile: bool,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files and folders to scan, `-` for standard input [default: ., unless --hash is given]
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Also read every file under DIR (walked as PATHS are) as its sha256,
    /// matched against the policies' `files` digests (repeatable).
    #[arg(long, value_name = "DIR")]
    pub hash: Vec<PathBuf>,
    #[command(flatten)]
    pub sources: PolicySources,
    /// The profile (banscan.yaml) that judges every file; by default each
    /// file is judged under the nearest banscan.yaml at or above it.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Do not look for a banscan.yaml profile.
    #[arg(long, conflicts_with = "profile")]
    pub no_profile: bool,
    /// The jurisdiction of the organisation (ISO 3166 code such as TW or US-TX); overrides the profile.
    #[arg(long, value_name = "CODE", value_parser = jurisdiction)]
    pub jurisdiction: Option<String>,
    /// The organisation's name, for policies that bind only named
    /// organisations (one agency's memo); overrides the profile.
    #[arg(long, value_name = "NAME")]
    pub organization: Option<String>,
    /// A sector the organisation belongs to (repeatable); overrides the profile.
    #[arg(long, value_name = "SECTOR")]
    pub sector: Vec<String>,
    /// The day to check on (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Read every named file (and standard input) as this format; in a
    /// folder walk, read only files of this format. `banscan formats` lists them.
    #[arg(long, value_name = "FORMAT", value_parser = input_formats())]
    pub input_format: Option<String>,
    /// Also fail (exit 2) on records passed over in files that were read:
    /// rows and lines that fit no shape of their format.
    #[arg(long)]
    pub strict: bool,
    /// List unread evidence (formats not read yet, files that failed to
    /// parse, files where an identifier was found) as a warning instead of
    /// failing the scan (exit 2).
    #[arg(long)]
    pub allow_unread: bool,
    /// Leave out files and folders matching GLOB (repeatable): a glob with
    /// `/` matches the path from the working folder, one without matches
    /// a file or folder name anywhere.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// List symbolic links as excluded instead of following them.
    #[arg(long)]
    pub no_follow: bool,
    /// Walk files that .gitignore, .ignore and hidden names exclude, too.
    #[arg(long)]
    pub no_ignore: bool,
    /// Threads to scan with [default: the number of cores].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// App-table columns the known header names miss, as KEY=HEADER pairs
    /// (keys: app_name, publisher, version, bundle_id, platform, device),
    /// e.g. `app_name=Title,device=Host`.
    #[arg(long, value_name = "KEY=HEADER,...", value_parser = crate::input::apps::app_csv::ColumnMap::parse)]
    pub columns: Option<crate::input::apps::app_csv::ColumnMap>,
    /// The device of app-table rows that name none (an export of one device).
    #[arg(long, value_name = "NAME")]
    pub device: Option<String>,
    /// The longest line read; a longer one is reported and skipped.
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024, value_parser = clap::value_parser!(u64).range(64..))]
    pub max_line_bytes: u64,
    /// The most a compressed input (gzip, zstd) may decompress to; past it
    /// the file is reported as unread evidence.
    #[arg(long, value_name = "BYTES", default_value_t = 16 * 1024 * 1024 * 1024, value_parser = clap::value_parser!(u64).range(1024..))]
    pub max_decoded_bytes: u64,
    /// The largest file read whole into memory (a lockfile, manifest, SBOM
    /// or JSON export); a larger one is reported as unread evidence. Logs
    /// and lists are streamed and have no such limit; `--hash` streams too.
    #[arg(long, value_name = "BYTES", default_value_t = crate::input::MAX_DOCUMENT, value_parser = clap::value_parser!(u64).range(1024..))]
    pub max_document_bytes: u64,
    /// The deepest nesting of arrays and objects in a JSON or YAML document
    /// read (at most 128, the JSON parser's own limit); deeper is reported
    /// at its line and the file is unread evidence.
    #[arg(long, value_name = "LEVELS", default_value_t = 128, value_parser = clap::value_parser!(u16).range(1..=128))]
    pub max_depth: u16,
    /// Read every Cargo.toml of a package with `cargo metadata` too (the
    /// resolved graph), even where a scanned Cargo.lock covers it; by
    /// default cargo is run only for a manifest no scanned Cargo.lock covers.
    #[arg(long)]
    pub cargo_metadata: bool,
    /// Run `cargo metadata` with `--offline`: only crates already in
    /// cargo's cache, no network.
    #[arg(long)]
    pub offline: bool,
    /// Output format, repeatable: the first --format goes to the first
    /// --output, and so on; one left over goes to standard output
    /// [default: human, or as each --output's extension says].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Vec<Format>,
    /// Write a report to FILE (atomically, repeatable). Without a --format
    /// of its own, the extension tells the format: .json, .sarif, .xml
    /// (JUnit), .md, .html; any other gets the human report.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Vec<PathBuf>,
    /// Also write the JSON, SARIF, JUnit, Markdown and HTML reports into
    /// DIR (banscan.json, banscan.sarif, banscan.junit.xml, banscan.md,
    /// banscan.html).
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<PathBuf>,
    /// An earlier JSON report: findings already in it are marked
    /// `baseline` and do not fail the scan; only new ones do.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// The lowest severity that fails the scan (exit 1) [default: restrict, or the profile's fail_on].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    /// Print only the findings, one line each, and the summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Show the evidence excerpt of every finding, not only the first
    /// few per file.
    #[arg(long, short = 'v', conflicts_with = "quiet")]
    pub verbose: bool,
    /// Group the human report's findings by policy, or by device (one
    /// block per device listing each banned app and every policy banning it).
    #[arg(long, value_enum, default_value_t = GroupByArg::Policy)]
    pub group_by: GroupByArg,
}

/// Every `--jurisdiction`, in upper case (`tw` is `TW`): codes are
/// compared as written in policies. Whether the code exists is checked
/// with the other settings, so the error carries a diagnostic code.
fn jurisdiction(text: &str) -> Result<String, std::convert::Infallible> {
    Ok(crate::policy::vocab::normalize_jurisdiction(text))
}

/// The formats banscan reads, from the format table.
fn input_formats() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(crate::input::registry::read_names())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupByArg {
    Policy,
    Device,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    Ban,
    Restrict,
    /// Findings in a phase-out (before a policy's last deadline), and above.
    PhaseOut,
    Advisory,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Check policy files and profiles for errors, all in one run (built-in library too, unless --no-builtin).
    Lint {
        /// Policy files or folders, and profiles (banscan.yaml), whose
        /// `policies:` are linted too [default: the built-in library only].
        paths: Vec<PathBuf>,
        #[arg(long)]
        no_builtin: bool,
    },
    /// List policies: a table with each title, or JSON for tooling.
    List {
        #[command(flatten)]
        sources: PolicySources,
        #[command(flatten)]
        profile: ProfileChoice,
        /// Only policies of this jurisdiction (or reaching it: US reaches US-TX).
        #[arg(long, value_name = "CODE", value_parser = jurisdiction)]
        jurisdiction: Option<String>,
        /// Only policies binding this sector.
        #[arg(long, value_name = "SECTOR")]
        sector: Option<String>,
        /// Only policies banning this product id.
        #[arg(long, value_name = "ID")]
        product: Option<String>,
        /// The day whose state (in force, phase-out, enjoined, expired, not yet effective) is shown (YYYY-MM-DD) [default: today].
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// List instead the deadlines falling within this many days of
        /// --as-of, both days included: `90d` or `12w`.
        #[arg(long, value_name = "DURATION")]
        due_within: Option<String>,
        /// Add the authority, the instrument and the scope.
        #[arg(long)]
        wide: bool,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Show one policy (or product) with its full citations and its timeline.
    Show {
        id: String,
        #[command(flatten)]
        sources: PolicySources,
        #[command(flatten)]
        profile: ProfileChoice,
        /// The day whose legal state is named under the timeline (YYYY-MM-DD) [default: today].
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
    /// Run every policy's examples.
    Test {
        /// Policy files or folders whose policies to test [default: the built-in library].
        paths: Vec<PathBuf>,
        #[arg(long)]
        no_builtin: bool,
    },
    /// Print the JSON Schema of policy, product and profile documents.
    Schema,
    /// Write DIR/policies.lock with the sha256 of every policy file in DIR, and print the digest a profile pins.
    Lock {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Check DIR against DIR/policies.lock; exit 1 naming each changed, added or removed file.
    Verify {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Print a commented skeleton of a new policy; lint refuses its placeholders until filled.
    New(NewArgs),
    /// Compare two rule sets: policies and identifiers added, removed and changed.
    Diff(DiffArgs),
    /// Draft policies from a news brief: each ban statement becomes a
    /// policy whose values cite the brief's lines, with placeholders for
    /// what the brief does not say, linked to the library's policies.
    Draft(DraftArgs),
    /// Compile the applicable policies into the rules of DNS resolvers,
    /// osquery/Fleet, SIEMs, network sensors and Defender.
    Export(Box<ExportArgs>),
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The new policy's id, such as tw-moda-2026-example.
    pub id: String,
    /// The id of the product it bans (`banscan policy list` shows them).
    #[arg(long, value_name = "ID")]
    pub product: String,
    /// The jurisdiction whose ban it is (ISO 3166 code such as TW or US-TX, EU, GLOBAL).
    #[arg(long, value_name = "CODE", value_parser = jurisdiction)]
    pub jurisdiction: String,
    /// Write the skeleton to FILE (refused if it exists) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Where the product is looked up.
    #[command(flatten)]
    pub sources: PolicySources,
}

#[derive(Debug, Args)]
pub struct DraftArgs {
    /// The brief: a plain-text file, or `-` for standard input.
    pub brief: PathBuf,
    /// The year of dates the brief gives without one ("On January 31").
    #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(i16).range(1900..=2200))]
    pub year: Option<i16>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DraftFormat::Yaml)]
    pub format: DraftFormat,
    /// Write one YAML file per draft into DIR (refused if a file exists)
    /// instead of standard output.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// A vocabulary file adding jurisdictions, authorities, sector
    /// phrases, action verbs or hedges to the built-in ones (repeatable).
    #[arg(long, value_name = "FILE")]
    pub vocab: Vec<PathBuf>,
    /// Where products are looked up and drafts linked.
    #[command(flatten)]
    pub sources: PolicySources,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DraftFormat {
    Yaml,
    Json,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The rule set before: a policy file or folder.
    pub old: PathBuf,
    /// The rule set after: a policy file or folder.
    pub new: PathBuf,
    /// Inventories to scan with both rule sets, listing the items newly
    /// flagged and newly cleared, and the findings a changed deadline or
    /// status event makes something else (exit 1 when any is newly
    /// flagged, or newly fails as changed).
    #[arg(long, value_name = "PATHS", num_args = 1..)]
    pub against: Vec<PathBuf>,
    /// The day to check on with --against (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Load each side alone, without the built-in library's products.
    #[arg(long)]
    pub no_builtin: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The engine to write rules for (repeatable), or `all`.
    #[arg(long, short = 't', value_name = "TARGET", required = true, value_parser = export_targets())]
    pub target: Vec<String>,
    /// Write each target's file into this folder (atomically); with one
    /// target, a file path instead. Default: standard output (one target).
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub sources: PolicySources,
    #[command(flatten)]
    pub profile: ProfileChoice,
    /// Export the policies in force on this day (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// The organisation's jurisdiction (overrides the profile).
    #[arg(long, value_name = "CODE", value_parser = jurisdiction)]
    pub jurisdiction: Option<String>,
    /// A sector of the organisation (repeatable; overrides the profile).
    #[arg(long, value_name = "SECTOR")]
    pub sector: Vec<String>,
    /// The organisation's name, for policies binding only named ones.
    #[arg(long, value_name = "NAME")]
    pub organization: Option<String>,
    /// Export identifiers marked unconfirmed too, as alerts (never blocks).
    #[arg(long)]
    pub include_unconfirmed: bool,
    /// Fail (exit 2) when a target cannot express an identifier, instead
    /// of listing it as a warning.
    #[arg(long)]
    pub strict: bool,
    /// Write when the file was made in its header (by default nothing
    /// depends on the clock: the same inputs give the same bytes).
    #[arg(long)]
    pub timestamp: bool,
    /// List every identifier a target could not express, not only the
    /// first few of each reason.
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

/// The export targets, and `all`.
fn export_targets() -> clap::builder::PossibleValuesParser {
    let mut names: Vec<&'static str> = crate::export::TARGETS.iter().map(|t| t.name()).collect();
    names.push("all");
    clap::builder::PossibleValuesParser::new(names)
}
