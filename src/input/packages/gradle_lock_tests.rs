//! Golden tests of the Gradle lockfile reader on hand-written fixtures (see
//! `tests/fixtures/gradle-lock/README.md`): each item as
//! `line:column name@version [text] direct scope path`, then each problem.

use super::*;
use crate::input::testing::{read_fixture, render_packages};

#[track_caller]
fn golden(case: &str, want: &[&str]) {
    let got = render_packages(&read_fixture(&SPEC, &format!("gradle-lock/{case}"), case));
    assert_eq!(got, want, "\n--- got\n{}", got.join("\n"));
}

/// Gradle 6+ `gradle.lockfile`: each module line an item at its
/// `group:name`, `direct` unknown; a module locked only in `test*`
/// configurations is dev, one also in `runtimeClasspath` is not; comments
/// and `empty=` are no items.
#[test]
fn per_project_lockfile() {
    golden(
        "app/gradle.lockfile",
        &[
            "4:1 com.fasterxml.jackson.core:jackson-annotations@2.17.1 [com.fasterxml.jackson.core:jackson-annotations] direct=? scope=- path=",
            "5:1 com.fasterxml.jackson.core:jackson-core@2.17.1 [com.fasterxml.jackson.core:jackson-core] direct=? scope=- path=",
            "6:1 com.fasterxml.jackson.core:jackson-databind@2.17.1 [com.fasterxml.jackson.core:jackson-databind] direct=? scope=- path=",
            "7:1 com.squareup.okhttp3:okhttp@4.12.0 [com.squareup.okhttp3:okhttp] direct=? scope=- path=",
            "8:1 io.github.pig-mesh.ai:deepseek-spring-boot-starter@1.4.5 [io.github.pig-mesh.ai:deepseek-spring-boot-starter] direct=? scope=- path=",
            "9:1 org.acme.ai:deepseek-mock@0.3.0 [org.acme.ai:deepseek-mock] direct=? scope=dev path=",
            "10:1 org.apiguardian:apiguardian-api@1.1.2 [org.apiguardian:apiguardian-api] direct=? scope=dev path=",
            "11:1 org.example:deepseek-fan@1.0.0 [org.example:deepseek-fan] direct=? scope=- path=",
            "12:1 org.junit.jupiter:junit-jupiter-api@5.10.2 [org.junit.jupiter:junit-jupiter-api] direct=? scope=dev path=",
            "13:1 org.opentest4j:opentest4j@1.3.0 [org.opentest4j:opentest4j] direct=? scope=dev path=",
        ],
    );
}

/// The build script's lockfile (`classpath`, an empty `empty=`).
#[test]
fn buildscript_lockfile() {
    golden(
        "app/buildscript-gradle.lockfile",
        &[
            "4:1 com.github.johnrengelman:shadow@8.1.1 [com.github.johnrengelman:shadow] direct=? scope=- path=",
            "5:1 org.ow2.asm:asm@9.7 [org.ow2.asm:asm] direct=? scope=- path=",
        ],
    );
}

/// Gradle 4.8–5: bare `group:name:version` lines in a file per
/// configuration.
#[test]
fn per_configuration_lockfile() {
    golden(
        "legacy/gradle/dependency-locks/compileClasspath.lockfile",
        &[
            "4:1 com.fasterxml.jackson.core:jackson-databind@2.12.7 [com.fasterxml.jackson.core:jackson-databind] direct=? scope=- path=",
            "5:1 io.github.pig-mesh.ai:deepseek-spring-boot-starter@1.4.5 [io.github.pig-mesh.ai:deepseek-spring-boot-starter] direct=? scope=- path=",
        ],
    );
}

/// A per-configuration file of a `test*` configuration: every module is dev.
#[test]
fn per_configuration_test_lockfile() {
    golden(
        "legacy/gradle/dependency-locks/testCompileClasspath.lockfile",
        &[
            "4:1 org.acme.ai:deepseek-mock@0.3.0 [org.acme.ai:deepseek-mock] direct=? scope=dev path=",
            "5:1 org.junit.jupiter:junit-jupiter-api@5.10.2 [org.junit.jupiter:junit-jupiter-api] direct=? scope=dev path=",
        ],
    );
}

/// Lines that are not `group:name:version=…` are records passed over at
/// their place; the rest is read.
#[test]
fn bad_lines_are_passed_over() {
    golden(
        "bad-lines/gradle.lockfile",
        &[
            "2:1 com.fasterxml.jackson.core:jackson-databind@2.17.1 [com.fasterxml.jackson.core:jackson-databind] direct=? scope=- path=",
            "6:1 org.junit.jupiter:junit-jupiter-api@5.10.2 [org.junit.jupiter:junit-jupiter-api] direct=? scope=dev path=",
            "3:1 Skipped: `com.squareup.okhttp3:okhttp` is not `group:name:version` (2 parts); it was passed over",
            "4:1 Skipped: a gradle.lockfile line is `group:name:version=configurations`; this one has no `=`; it was passed over",
            "5:1 Skipped: `org.example:deepseek-fan:1.0.0:extra` is not `group:name:version` (4 parts); it was passed over",
        ],
    );
}

/// A file cut inside a line is unread, at the end of that line.
#[test]
fn cut_last_line_is_unread() {
    golden(
        "truncated/gradle.lockfile",
        &[
            "4:1 com.fasterxml.jackson.core:jackson-annotations@2.17.1 [com.fasterxml.jackson.core:jackson-annotations] direct=? scope=- path=",
            "5:1 com.fasterxml.jackson.core:jackson-core@2.17.1 [com.fasterxml.jackson.core:jackson-core] direct=? scope=- path=",
            "6:50 Unread: the lockfile ends inside this line (truncated?); it was not read",
        ],
    );
}

/// A file cut at a line ending is told by its missing `empty=` line.
#[test]
fn missing_empty_line_is_unread() {
    golden(
        "no-empty-line/gradle.lockfile",
        &[
            "4:1 com.fasterxml.jackson.core:jackson-annotations@2.17.1 [com.fasterxml.jackson.core:jackson-annotations] direct=? scope=- path=",
            "5:1 com.fasterxml.jackson.core:jackson-core@2.17.1 [com.fasterxml.jackson.core:jackson-core] direct=? scope=- path=",
            "6:1 com.fasterxml.jackson.core:jackson-databind@2.17.1 [com.fasterxml.jackson.core:jackson-databind] direct=? scope=- path=",
            "7:1 com.squareup.okhttp3:okhttp@4.12.0 [com.squareup.okhttp3:okhttp] direct=? scope=- path=",
            "8:1 io.github.pig-mesh.ai:deepseek-spring-boot-starter@1.4.5 [io.github.pig-mesh.ai:deepseek-spring-boot-starter] direct=? scope=- path=",
            "8:133 Unread: the lockfile ends before its `empty=` line, which Gradle always writes last (truncated?); it was not read",
        ],
    );
}

/// The layout comes from where the file is: only a `.lockfile` in a
/// `dependency-locks` folder is per configuration.
#[test]
fn layout_by_path() {
    assert_eq!(layout("gradle.lockfile"), Layout::PerProject);
    assert_eq!(
        layout("app/buildscript-gradle.lockfile"),
        Layout::PerProject
    );
    assert_eq!(
        layout("app/gradle/dependency-locks/testRuntimeClasspath.lockfile"),
        Layout::PerConfiguration { test: true }
    );
    assert_eq!(
        layout("dependency-locks/runtimeClasspath.lockfile"),
        Layout::PerConfiguration { test: false }
    );
    assert_eq!(layout("-"), Layout::PerProject);
}
