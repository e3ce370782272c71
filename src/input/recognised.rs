//! Formats banscan recognises, by name or by content, but does not read
//! yet: lockfiles, manifests and SBOMs. A walk lists such a
//! file as skipped with its format, so "0 findings" is never taken for
//! "checked and clean", and `--strict` fails on it. Each moves to a module
//! of its own when a parser for it lands.
//!
//! A format with a distinctive content has a [shape](FormatSpec::shape)
//! (in [`shapes`]), which tells it whatever the file is called: a dated
//! `bun.lock` under another name, a CycloneDX XML SBOM called `out.xml`.

use super::registry::shapes;
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

/// `spec`, told by its content whatever its name.
const fn shaped(mut spec: FormatSpec, shape: fn(&str) -> bool) -> FormatSpec {
    spec.shape = Some(shape);
    spec
}

use Evidence::Packages;

pub static GRADLE: FormatSpec = recognised(
    "gradle-build",
    Packages,
    "Gradle build script",
    &["build.gradle", "build.gradle.kts"],
);
pub static CYCLONEDX_XML: FormatSpec = shaped(
    recognised(
        "cyclonedx-xml",
        Packages,
        "CycloneDX SBOM (XML)",
        &["*.cdx.xml", "bom.xml"],
    ),
    shapes::cyclonedx_xml,
);
pub static SPDX_TAG_VALUE: FormatSpec = shaped(
    recognised(
        "spdx-tag-value",
        Packages,
        "SPDX SBOM (tag-value)",
        &["*.spdx"],
    ),
    shapes::spdx_tag_value,
);
pub static SPDX_YAML: FormatSpec = shaped(
    recognised(
        "spdx-yaml",
        Packages,
        "SPDX SBOM (YAML)",
        &["*.spdx.yaml", "*.spdx.yml"],
    ),
    shapes::spdx_yaml,
);
pub static BUN_LOCK: FormatSpec = shaped(
    recognised(
        "bun-lock",
        Packages,
        "Bun lockfile",
        &["bun.lock", "bun.lockb"],
    ),
    shapes::bun_lock,
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
pub static SWIFT_RESOLVED: FormatSpec = shaped(
    recognised(
        "swift-resolved",
        Packages,
        "Swift package manager resolved file",
        &["Package.resolved"],
    ),
    shapes::swift_resolved,
);
pub static COCOAPODS_LOCK: FormatSpec = shaped(
    recognised(
        "cocoapods-lock",
        Packages,
        "CocoaPods lockfile",
        &["Podfile.lock"],
    ),
    shapes::cocoapods_lock,
);
pub static PUB_LOCK: FormatSpec = shaped(
    recognised(
        "pub-lock",
        Packages,
        "Dart/Flutter pub lockfile",
        &["pubspec.lock"],
    ),
    shapes::pub_lock,
);
pub static MIX_LOCK: FormatSpec = shaped(
    recognised("mix-lock", Packages, "Elixir Mix lockfile", &["mix.lock"]),
    shapes::mix_lock,
);
