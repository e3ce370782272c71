//! Golden tests of the pom.xml reader on hand-written fixtures (see
//! `tests/fixtures/maven-pom/README.md`): each item as
//! `line:column name@version [text] direct scope path`, then each problem.

use super::*;
use crate::input::testing::{read_fixture, render_packages};

#[track_caller]
fn golden(case: &str, want: &[&str]) {
    let got = render_packages(&read_fixture(
        &SPEC,
        &format!("maven-pom/{case}/pom.xml"),
        &format!("{case}/pom.xml"),
    ));
    assert_eq!(got, want, "\n--- got\n{}", got.join("\n"));
}

/// A parent pom (packaging `pom`) with only `dependencyManagement`: each
/// managed entry, the BOM import too, is an item with `direct` unknown, its
/// `${…}` version resolved from `<properties>`.
#[test]
fn parent_pom_managed_entries() {
    golden(
        "app",
        &[
            "27:21 org.springframework.boot:spring-boot-dependencies@3.3.0 [spring-boot-dependencies] direct=? scope=- path=",
            "34:21 com.fasterxml.jackson.core:jackson-databind@2.17.1 [jackson-databind] direct=? scope=- path=",
            "39:21 io.github.pig-mesh.ai:deepseek-spring-boot-starter@1.4.5 [deepseek-spring-boot-starter] direct=? scope=- path=",
        ],
    );
}

/// A module whose parent is `../pom.xml`: versions come from the parent's
/// `dependencyManagement` and properties (`${revision}` through
/// `${project.version}`); `${project.groupId}` is the parent's group;
/// `provided` is peer, `test` dev; an undefined property leaves the
/// version unknown with a warning at it; a version only the imported BOM
/// could give is one warning for the file.
#[test]
fn child_pom_inherits_from_its_parent_on_disk() {
    golden(
        "app/service",
        &[
            "18:19 org.springframework.boot:spring-boot-starter-web@- [spring-boot-starter-web] direct=yes scope=- path=",
            "22:19 io.github.pig-mesh.ai:deepseek-spring-boot-starter@1.4.5 [deepseek-spring-boot-starter] direct=yes scope=- path=",
            "26:19 com.fasterxml.jackson.core:jackson-databind@2.17.1 [jackson-databind] direct=yes scope=- path=",
            "30:19 org.acme.ai:deepseek-client@- [deepseek-client] direct=yes scope=- path=",
            "35:19 org.example:deepseek-fan@1.0.0 [deepseek-fan] direct=yes scope=- path=",
            "40:19 org.acme:acme-common@1.4.0 [acme-common] direct=yes scope=- path=",
            "45:19 jakarta.servlet:jakarta.servlet-api@6.0.0 [jakarta.servlet-api] direct=yes scope=peer path=",
            "51:19 org.acme.ai:deepseek-mock@0.3.0 [deepseek-mock] direct=yes scope=dev path=",
            "31:16 Warning: `${deepseek.client.version}` is not defined in this pom or the parents on disk; the version of org.acme.ai:deepseek-client is unknown",
            "18:19 Warning: the version of org.springframework.boot:spring-boot-starter-web is not in this pom or the parents on disk; the imported BOM `org.springframework.boot:spring-boot-dependencies` may give it, so it is unknown",
        ],
    );
}

/// A version range is the requirement, not a version; `optional` and a
/// profile's dependency are optional (the profile's own properties
/// resolve its versions); a character reference in a name is decoded;
/// a managed entry no dependency uses is an item of its own.
#[test]
fn ranges_optional_profiles_and_managed_only() {
    golden(
        "standalone",
        &[
            "25:19 com.fasterxml.jackson.core:jackson-databind@- [jackson-databind] direct=yes scope=optional path=",
            "29:59 org.example:tools-core@1.0 [tools&#45;core] direct=yes scope=- path=",
            "41:23 org.acme.ai:deepseek-mock@0.2.0 [deepseek-mock] direct=yes scope=optional path=",
            "16:21 org.acme.ai:deepseek-client@0.8.1 [deepseek-client] direct=? scope=- path=",
        ],
    );
}

/// A mismatched end tag is quick-xml's error at the tag; the file is
/// unread.
#[test]
fn mismatched_tag_is_unread_at_its_place() {
    golden(
        "malformed",
        &[
            "10:47 Unread: not a valid pom.xml: ill-formed document: expected `</artifactId>`, but `</artifact>` was found",
        ],
    );
}

/// A file cut inside a tag is unread, at the cut.
#[test]
fn cut_file_is_unread_at_its_end() {
    golden(
        "truncated",
        &[
            "23:5 Unread: not a valid pom.xml: syntax error: tag not closed: `>` not found before end of input",
        ],
    );
}

/// A parent from a repository (`<relativePath/>`): its properties and
/// managed versions are unknown, said once for the versions and at each
/// undefined property; a dependency without `groupId` is passed over.
#[test]
fn parent_not_on_disk_leaves_versions_unknown() {
    golden(
        "orphan",
        &[
            "16:19 org.springframework.boot:spring-boot-starter-web@- [spring-boot-starter-web] direct=yes scope=- path=",
            "20:19 org.springframework.boot:spring-boot-starter-test@- [spring-boot-starter-test] direct=yes scope=dev path=",
            "25:19 io.github.pig-mesh.ai:deepseek-spring-boot-starter@- [deepseek-spring-boot-starter] direct=yes scope=- path=",
            "26:16 Warning: `${deepseek.version}` is not defined in this pom or the parents on disk (it may be in the parent `org.springframework.boot:spring-boot-starter-parent`, which is not on disk); the version of io.github.pig-mesh.ai:deepseek-spring-boot-starter is unknown",
            "29:19 Skipped: a `<dependency>` without `<groupId>`; it was passed over",
            "16:19 Warning: the versions of 2 dependencies (org.springframework.boot:spring-boot-starter-web, …) are not in this pom or the parents on disk; the parent `org.springframework.boot:spring-boot-starter-parent`, which is not on disk may give them, so they are unknown",
        ],
    );
}

/// `../pom.xml` that is another artifact is not the parent (Maven would
/// fetch the named one): a warning at `<parent>`, its properties unused.
#[test]
fn parent_on_disk_with_other_coordinates_is_not_inherited() {
    golden(
        "wrong-parent/child",
        &[
            "13:19 io.github.pig-mesh.ai:deepseek-spring-boot-starter@- [deepseek-spring-boot-starter] direct=yes scope=- path=",
            "4:3 Warning: `wrong-parent/pom.xml` is `org.other:other-parent`, not the parent this pom names; Maven would look for the parent in a repository, so what it defines is unknown",
            "14:16 Warning: `${deepseek.version}` is not defined in this pom or the parents on disk (it may be in the parent `org.acme:acme-parent`, which is not on disk); the version of io.github.pig-mesh.ai:deepseek-spring-boot-starter is unknown",
        ],
    );
}

/// A `relativePath` that leads back to the pom itself stops with a
/// warning; built-ins still resolve from `<parent>`.
#[test]
fn parent_chain_cycle_stops() {
    golden(
        "cycle",
        &[
            "14:19 org.acme.ai:deepseek-client@1.0.0 [deepseek-client] direct=yes scope=- path=",
            "4:3 Warning: the parent chain comes back to `cycle/pom.xml`: a cycle",
        ],
    );
}

/// Another XML file named `pom.xml` is unread evidence.
#[test]
fn other_root_element_is_not_a_pom() {
    golden(
        "not-a-pom",
        &["2:1 Unread: the root element is `<settings>`, not `<project>`: not a Maven pom"],
    );
}

/// An empty `pom.xml` is no pom: Maven refuses it too.
#[test]
fn empty_file_is_not_a_pom() {
    golden(
        "empty",
        &["1:1 Unread: no `<project>` element: not a Maven pom"],
    );
}

/// Properties refer to properties, built-ins resolve through them, a
/// cycle is undefined rather than a hang.
#[test]
fn properties_expand_and_cycles_stop() {
    let pom = parse(
        "<project><groupId>g</groupId><artifactId>a</artifactId><version>${revision}</version>\
         <properties><revision>1.${minor}</revision><minor>2</minor>\
         <loop>${loop}</loop></properties></project>",
    )
    .ok()
    .unwrap();
    let model = Model::new(&pom, &[], None);
    assert_eq!(
        model.resolve("${project.version}-x", None),
        Ok("1.2-x".into())
    );
    assert_eq!(model.resolve("${pom.groupId}", None), Ok("g".into()));
    assert_eq!(model.resolve("${loop}", None), Err("loop".into()));
    assert_eq!(model.resolve("${env.HOME}", None), Err("env.HOME".into()));
    assert_eq!(model.resolve("${open", None), Ok("${open".into()));
}

/// A file that ends with elements still open is cut short, at its end;
/// plugin dependencies and exclusions are not dependencies.
#[test]
fn unclosed_elements_and_what_is_not_a_dependency() {
    let cut = parse("<project>\n  <dependencies>\n").err().unwrap();
    assert_eq!(
        (cut.message.as_str(), cut.at),
        (
            "the file ends inside `<dependencies>` (truncated?): not a valid pom.xml",
            26
        )
    );
    let pom = parse(
        "<project><build><plugins><plugin><dependencies><dependency>\
         <groupId>p</groupId><artifactId>plugin-dep</artifactId></dependency></dependencies>\
         </plugin></plugins></build><dependencies><dependency><groupId>g</groupId>\
         <artifactId>a</artifactId><exclusions><exclusion><groupId>x</groupId>\
         <artifactId>excluded</artifactId></exclusion></exclusions></dependency>\
         </dependencies></project>",
    )
    .ok()
    .unwrap();
    assert_eq!(pom.dependencies.len(), 1);
    let a = pom.dependencies[0].coords.artifact.as_ref().unwrap();
    assert_eq!(a.value, "a");
}
