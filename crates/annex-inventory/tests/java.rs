//! Java: `pom.xml` on a Maven project resolved by Maven itself (`mvn dependency:list`,
//! `scripts/make-fixtures`), `gradle.lockfile` and Gradle's verification metadata, and the
//! peers' fixtures. (No Gradle is available here to write lockfiles: the Gradle parsers are
//! checked on the peers' files and on examples below.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use annex_inventory::Scope;
use annex_inventory::parse::{ParseError, java};
use proptest::prelude::*;

mod common;
use common::*;

fn norm(n: &str) -> String {
    n.to_string()
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn fixture(rel: &str) -> String {
    let p = fixtures().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `mvn dependency:list` lines `group:artifact:type[:classifier]:version:scope`.
fn mvn_list(rel: &str) -> BTreeMap<(String, String), String> {
    fixture(rel)
        .lines()
        .map(str::trim)
        .filter_map(|l| {
            let p: Vec<&str> = l.split(':').collect();
            if p.len() < 5 {
                return None;
            }
            let scope = p[p.len() - 1].split_whitespace().next()?.to_string();
            Some((
                (format!("{}:{}", p[0], p[1]), p[p.len() - 2].to_string()),
                scope,
            ))
        })
        .collect()
}

#[test]
fn pom_matches_maven_dependency_list() {
    let rel = "maven/parent-module/app/pom.xml";
    let mut read =
        |p: &str| std::fs::read_to_string(fixtures().join("maven/parent-module").join(p)).ok();
    // The repository root is the fixture directory: the module is `app/pom.xml`.
    let s = java::pom_with("app/pom.xml", &fixture(rel), &mut read).expect("parses");
    let mvn = mvn_list("maven/parent-module/app/mvn-dependency-list-direct.txt");
    let ours: BTreeMap<(String, String), Scope> = s
        .components
        .iter()
        .map(|c| ((c.name.clone(), c.version.clone()), c.scope))
        .collect();
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        mvn.keys().collect::<Vec<_>>()
    );
    for (k, scope) in &mvn {
        let want = match scope.as_str() {
            "compile" | "runtime" => Scope::Required,
            "test" | "provided" => Scope::Dev,
            _ => Scope::Optional,
        };
        assert_eq!(ours[k], want, "{k:?} ({scope})");
    }
    // Without a local repository, each dependency's own dependencies are unknown: said.
    assert!(
        s.unresolved.iter().all(|u| u
            .requirement
            .contains("its dependencies: POM not in the checkout")),
        "{:?}",
        s.unresolved
    );
    let root = s.root.as_ref().expect("root");
    assert_eq!(
        (root.name.as_str(), root.version.as_str()),
        ("org.example.annex:fixture-app", "1.2.0")
    );
    assert_eq!(s.edges.len(), s.components.len());
    let lang = s
        .components
        .iter()
        .find(|c| c.name.ends_with(":commons-lang3"))
        .expect("lang3");
    assert_eq!(
        lang.purl,
        "pkg:maven/org.apache.commons/commons-lang3@3.14.0"
    );
    assert_eq!(lang.location.path, "app/pom.xml");
    assert!(lang.direct);
    // Without the parent, the managed versions are unknown: reported, not guessed.
    let alone = java::pom("app/pom.xml", &fixture(rel)).expect("parses");
    let unresolved: BTreeSet<&str> = alone
        .unresolved
        .iter()
        .filter(|u| u.requirement.starts_with("(needs parent"))
        .map(|u| u.name.as_str())
        .collect();
    assert_eq!(
        unresolved,
        BTreeSet::from([
            "org.apache.commons:commons-lang3",
            "org.junit.jupiter:junit-jupiter-api",
            "org.slf4j:slf4j-api"
        ])
    );
}

#[test]
fn pom_properties_parents_and_errors() {
    let parent = r#"<project><modelVersion>4.0.0</modelVersion>
  <groupId>g</groupId><artifactId>parent</artifactId><version>2.0</version>
  <properties><lib.version>1.${minor}</lib.version><minor>5</minor></properties>
  <dependencies><dependency><groupId>inherited</groupId><artifactId>x</artifactId><version>${project.version}</version></dependency></dependencies>
</project>"#;
    let child = r#"<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>g</groupId><artifactId>parent</artifactId><version>2.0</version><relativePath>../parent</relativePath></parent>
  <artifactId>child</artifactId>
  <dependencies>
    <dependency><groupId>a</groupId><artifactId>lib</artifactId><version>${lib.version}</version><classifier>jdk8</classifier></dependency>
    <dependency><groupId>a</groupId><artifactId>range</artifactId><version>[1.0,2.0)</version></dependency>
    <dependency><groupId>a</groupId><artifactId>env</artifactId><version>${env.X}</version><optional>true</optional></dependency>
    <dependency><groupId>a</groupId><artifactId>bom</artifactId><version>1</version><type>pom</type><scope>import</scope></dependency>
  </dependencies>
</project>"#;
    let mut read = |p: &str| (p == "parent/pom.xml").then(|| parent.to_string());
    let s = java::pom_with("child/pom.xml", child, &mut read).expect("parses");
    let got: Vec<(&str, &str, &str, u64)> = s
        .components
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.version.as_str(),
                c.location.path.as_str(),
                c.location.line,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("a:lib", "1.5", "child/pom.xml", 7),
            ("inherited:x", "2.0", "parent/pom.xml", 4)
        ]
    );
    assert_eq!(s.components[0].purl, "pkg:maven/a/lib@1.5?classifier=jdk8");
    let unresolved: Vec<(&str, &str)> = s
        .unresolved
        .iter()
        .map(|u| {
            (
                u.name.as_str(),
                u.requirement.split(' ').next().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        unresolved,
        vec![
            ("a:env", "${env.X}"),
            ("a:lib", "1.5"),
            ("a:range", "[1.0,2.0)"),
            ("inherited:x", "2.0")
        ]
    );
    // A cycle of parents is an error at the `<parent>` that closes it.
    let cyc = r#"<project><modelVersion>4.0.0</modelVersion><parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version><relativePath>pom.xml</relativePath></parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version></project>"#;
    let mut same = |_: &str| Some(cyc.to_string());
    let e = java::pom_with("pom.xml", cyc, &mut same).unwrap_err();
    assert!(
        matches!(e, ParseError::Invalid { line: 1, ref message, .. } if message.contains("cyclic parent chain")),
        "{e}"
    );
    let e = java::pom(
        "pom.xml",
        "<project><modelVersion>5.0.0</modelVersion></project>",
    )
    .unwrap_err();
    assert!(
        matches!(e, ParseError::UnsupportedVersion { line: 1, .. }),
        "{e}"
    );
    let e = java::pom("pom.xml", "<project>\n<dependencies>\n<dependency>\n").unwrap_err();
    assert!(matches!(e, ParseError::Syntax { .. }), "{e}");
}

#[test]
fn gradle_files() {
    let lock = "# comment\norg.a:b:1.0=compileClasspath,runtimeClasspath\norg.t:junit:4.13=testRuntimeClasspath\norg.p:proc:2=annotationProcessor\nempty=\n";
    let s = java::gradle_lockfile("gradle.lockfile", lock).expect("parses");
    let got: Vec<(&str, Scope, u64)> = s
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.scope, c.location.line))
        .collect();
    assert_eq!(
        got,
        vec![
            ("org.a:b", Scope::Required, 2),
            ("org.p:proc", Scope::Build, 4),
            ("org.t:junit", Scope::Dev, 3)
        ]
    );
    let e = java::gradle_lockfile("gradle.lockfile", "a:b=x\n").unwrap_err();
    assert!(
        matches!(
            e,
            ParseError::Syntax {
                line: 1,
                col: 1,
                ..
            }
        ),
        "{e}"
    );
    let meta = r#"<?xml version="1.0" encoding="UTF-8"?>
<verification-metadata xmlns="https://schema.gradle.org/dependency-verification">
  <components>
    <component group="org.apache.pdfbox" name="pdfbox" version="2.0.17">
      <artifact name="pdfbox-2.0.17.jar">
        <sha256 value="0000000000000000000000000000000000000000000000000000000000000001" origin="Generated by Gradle">
          <also-trust value="0000000000000000000000000000000000000000000000000000000000000002"/>
        </sha256>
        <sha512 value="00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000003"/>
      </artifact>
    </component>
  </components>
</verification-metadata>"#;
    let s = java::gradle_verification("gradle/verification-metadata.xml", meta).expect("parses");
    assert_eq!(s.components.len(), 1);
    assert_eq!(s.components[0].location.line, 4);
    assert_eq!(s.components[0].hashes.len(), 3);
    assert_eq!(
        s.components[0].purl,
        "pkg:maven/org.apache.pdfbox/pdfbox@2.0.17"
    );
}

#[test]
fn pom_peers() {
    // osv-scalibr's files live side by side: parents are looked up in the same tree.
    let with_parents = |base: &Path, rel: &str, text: &str| {
        let base = base.to_path_buf();
        java::pom_with(rel, text, &mut |p| {
            std::fs::read_to_string(base.join(p)).ok()
        })
    };
    check(
        "maven/scalibr-pomxml",
        &with_parents,
        &[
            // `${version-range}` is a range: the peer takes its lower bound, we do not guess.
            ("interpolation (testdata/interpolation.xml)", "range"),
        ],
    );
    // Trivy resolves the transitive closure from (mock) remote repositories and walks
    // `<modules>`; a POM alone declares only direct dependencies. So: what we report as
    // required must be in Trivy's list (it drops test and provided scopes), and we count the
    // exact matches.
    let (exact, subset) = check_subset(
        "maven/trivy-java-pom",
        &with_parents,
        &[
            // Trivy's table has no packages for these (it checks something else).
            (
                "different repos for different dependencies (testdata/different-repos-for-different-poms/pom.xml)",
                "peer lists nothing",
            ),
            // We report the declared 1.2.4; Trivy applies a transitive `[1.2.3]` hard requirement.
            (
                "hard requirement for the specified version (testdata/hard-requirement/pom.xml)",
                "declared vs mediated",
            ),
            // Trivy drops these by the scope rules of its transitive resolution.
            (
                "inherit scopes from child dependencies and their parents (testdata/inherit-scopes-from-child-deps-and-their-parents/pom.xml)",
                "transitive scopes",
            ),
            (
                "inherit scopes in children from root pom (testdata/inherit-scopes-in-children-from-root/pom.xml)",
                "transitive scopes",
            ),
            (
                "inherit scopes in parent from root pom (testdata/inherit-scopes-in-parents-from-root/pom.xml)",
                "transitive scopes",
            ),
            // Trivy leaves an aggregator root out of its list.
            (
                "root POM with module inherits repository (testdata/repo-from-root-for-dep-from-module/pom.xml)",
                "aggregator root",
            ),
        ],
    );
    println!("maven/trivy-java-pom: {exact} exact, {subset} ours a subset of the peer's");
    assert!(exact >= 21 && exact + subset >= 47, "{exact} {subset}");
}

#[test]
fn gradle_peers() {
    check(
        "gradle/scalibr-gradlelockfile",
        &plain(java::gradle_lockfile),
        // Lines like `>>>` and `empty=======`: a syntax error here, skipped there.
        &[(
            "with invalid lines (testdata/with-bad-pkg)",
            "malformed lines",
        )],
    );
    check(
        "gradle/trivy-gradle-lockfile",
        &plain(java::gradle_lockfile),
        &[],
    );
    check(
        "gradle/scalibr-gradleverificationmetadataxml",
        &plain(java::gradle_verification),
        // A <component> without `group`: invalid here, `:pdfbox` there.
        &[(
            "missing attribute (testdata/missing-attribute.xml)",
            "invalid component",
        )],
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]
    #[test]
    fn never_panics(s in "\\PC{0,300}", at in 0usize..4_000, len in 0usize..64, junk in "\\PC{0,8}") {
        let _ = java::pom("x", &s);
        let _ = java::gradle_lockfile("x", &s);
        let _ = java::gradle_verification("x", &s);
        let real = fixture("maven/parent-module/app/pom.xml");
        let (m, t) = mutate(&real, at, len, &junk);
        let _ = java::pom("x", &m);
        let _ = java::pom("x", &t);
        let xml = format!("<verification-metadata><components>{s}</components></verification-metadata>");
        let _ = java::gradle_verification("x", &xml);
    }
}
