//! Formats banscan recognises by name but does not read yet: lockfiles,
//! SBOMs, inventory exports and logs. A walk lists such a file as skipped
//! with its format, so "0 findings" is never taken for "checked and
//! clean", and `--strict` fails on it. Each moves to a module of its own
//! when a parser for it lands.

use super::registry::{Evidence, FormatSpec, Reader};

const fn recognised(
    name: &'static str,
    evidence: Evidence,
    description: &'static str,
    names: &'static [&'static str],
) -> FormatSpec {
    FormatSpec {
        name,
        evidence,
        description,
        names,
        maybe: &[],
        sniff: None,
        shape: None,
        reader: Reader::NotRead,
    }
}

use Evidence::{Apps, Endpoints, Packages};

pub static NPM_LOCK: FormatSpec = recognised(
    "npm-lock",
    Packages,
    "npm lockfile",
    &["package-lock.json", "npm-shrinkwrap.json"],
);
pub static NPM_MANIFEST: FormatSpec = recognised(
    "npm-manifest",
    Packages,
    "npm package manifest",
    &["package.json"],
);
pub static YARN_LOCK: FormatSpec =
    recognised("yarn-lock", Packages, "Yarn lockfile", &["yarn.lock"]);
pub static PNPM_LOCK: FormatSpec =
    recognised("pnpm-lock", Packages, "pnpm lockfile", &["pnpm-lock.yaml"]);
pub static CARGO_LOCK: FormatSpec =
    recognised("cargo-lock", Packages, "Cargo lockfile", &["Cargo.lock"]);
pub static CARGO_MANIFEST: FormatSpec = recognised(
    "cargo-manifest",
    Packages,
    "Cargo manifest",
    &["Cargo.toml"],
);
pub static UV_LOCK: FormatSpec = recognised("uv-lock", Packages, "uv lockfile", &["uv.lock"]);
pub static POETRY_LOCK: FormatSpec =
    recognised("poetry-lock", Packages, "Poetry lockfile", &["poetry.lock"]);
pub static PYPROJECT: FormatSpec = recognised(
    "pyproject",
    Packages,
    "Python project manifest (PEP 621, Poetry)",
    &["pyproject.toml"],
);
pub static PIPFILE: FormatSpec = recognised("pipfile", Packages, "Pipenv manifest", &["Pipfile"]);
pub static PIPFILE_LOCK: FormatSpec = recognised(
    "pipfile-lock",
    Packages,
    "Pipenv lockfile",
    &["Pipfile.lock"],
);
pub static GO_MOD: FormatSpec = recognised("go-mod", Packages, "Go module file", &["go.mod"]);
pub static GO_SUM: FormatSpec = recognised("go-sum", Packages, "Go checksum file", &["go.sum"]);
pub static MAVEN_POM: FormatSpec =
    recognised("maven-pom", Packages, "Maven project file", &["pom.xml"]);
pub static GRADLE: FormatSpec = recognised(
    "gradle-build",
    Packages,
    "Gradle build script",
    &["build.gradle", "build.gradle.kts"],
);
pub static GRADLE_LOCK: FormatSpec = recognised(
    "gradle-lock",
    Packages,
    "Gradle lockfile",
    &[
        "gradle.lockfile",
        "buildscript-gradle.lockfile",
        "gradle/dependency-locks/*.lockfile",
    ],
);
pub static GEMFILE_LOCK: FormatSpec = recognised(
    "gemfile-lock",
    Packages,
    "Bundler lockfile",
    &["Gemfile.lock"],
);
pub static COMPOSER_LOCK: FormatSpec = recognised(
    "composer-lock",
    Packages,
    "Composer lockfile",
    &["composer.lock"],
);
pub static NUGET_LOCK: FormatSpec = recognised(
    "nuget-lock",
    Packages,
    "NuGet lockfile",
    &["packages.lock.json"],
);
pub static CYCLONEDX: FormatSpec = recognised(
    "cyclonedx",
    Packages,
    "CycloneDX SBOM",
    &[
        "*.cdx.json",
        "*.cdx.xml",
        "bom.json",
        "bom.xml",
        "*.cyclonedx.json",
    ],
);
pub static SPDX: FormatSpec = recognised(
    "spdx",
    Packages,
    "SPDX SBOM",
    &["*.spdx.json", "*.spdx", "*.spdx.yaml", "*.spdx.yml"],
);
pub static DEFENDER: FormatSpec = recognised(
    "defender-software",
    Apps,
    "Microsoft Defender software inventory export",
    &["*SoftwareInventory*.json"],
);
pub static OSQUERY: FormatSpec = recognised(
    "osquery-json",
    Apps,
    "osquery results (JSON)",
    &["osquery*.json", "*.osquery.json"],
);
pub static MACOS_APPS: FormatSpec = recognised(
    "macos-apps",
    Apps,
    "macOS system_profiler SPApplicationsDataType output",
    &["SPApplicationsDataType*.json", "system_profiler*.json"],
);
pub static DPKG: FormatSpec = recognised(
    "dpkg-status",
    Apps,
    "Debian package database",
    &["var/lib/dpkg/status", "dpkg-status", "dpkg.status"],
);
pub static ZEEK: FormatSpec = recognised(
    "zeek-log",
    Endpoints,
    "Zeek dns, ssl or http log",
    &[
        "dns.log",
        "ssl.log",
        "http.log",
        "dns.*.log",
        "ssl.*.log",
        "http.*.log",
    ],
);
pub static SURICATA: FormatSpec = recognised(
    "suricata-eve",
    Endpoints,
    "Suricata EVE JSON log",
    &["eve.json", "eve.*.json"],
);
pub static SQUID: FormatSpec = recognised(
    "squid-access",
    Endpoints,
    "Squid access log",
    &["access.log", "access.log.*"],
);
pub static DNSMASQ: FormatSpec = recognised(
    "dnsmasq-log",
    Endpoints,
    "dnsmasq or Pi-hole query log",
    &["pihole.log", "pihole.log.*", "dnsmasq.log", "dnsmasq.log.*"],
);
pub static BIND: FormatSpec = recognised(
    "bind-query-log",
    Endpoints,
    "BIND query log",
    &["query.log", "queries.log", "query.log.*", "queries.log.*"],
);
pub static WINDOWS_DNS: FormatSpec = recognised(
    "windows-dns-log",
    Endpoints,
    "Windows DNS Server debug log",
    &["dns*.log", "DNSServer*.log"],
);
pub static BUN_LOCK: FormatSpec = recognised(
    "bun-lock",
    Packages,
    "Bun lockfile",
    &["bun.lock", "bun.lockb"],
);
pub static DENO_LOCK: FormatSpec =
    recognised("deno-lock", Packages, "Deno lockfile", &["deno.lock"]);
pub static GEMFILE: FormatSpec = recognised("gemfile", Packages, "Bundler manifest", &["Gemfile"]);
pub static COMPOSER_JSON: FormatSpec = recognised(
    "composer-manifest",
    Packages,
    "Composer manifest",
    &["composer.json"],
);
pub static SETUP_PY: FormatSpec = recognised(
    "python-setup",
    Packages,
    "setuptools project files",
    &["setup.py", "setup.cfg"],
);
pub static NUGET_PROJECT: FormatSpec = recognised(
    "nuget-project",
    Packages,
    ".NET project or packages.config",
    &[
        "*.csproj",
        "*.fsproj",
        "*.vbproj",
        "packages.config",
        "Directory.Packages.props",
    ],
);
pub static SWIFT_RESOLVED: FormatSpec = recognised(
    "swift-resolved",
    Packages,
    "Swift package manager resolved file",
    &["Package.resolved"],
);
pub static COCOAPODS_LOCK: FormatSpec = recognised(
    "cocoapods-lock",
    Packages,
    "CocoaPods lockfile",
    &["Podfile.lock"],
);
pub static PUB_LOCK: FormatSpec = recognised(
    "pub-lock",
    Packages,
    "Dart/Flutter pub lockfile",
    &["pubspec.lock"],
);
pub static MIX_LOCK: FormatSpec =
    recognised("mix-lock", Packages, "Elixir Mix lockfile", &["mix.lock"]);
