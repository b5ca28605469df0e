//! Java: `pom.xml` on a Maven project resolved by Maven itself (`mvn dependency:list`,
//! `scripts/make-fixtures`), `gradle.lockfile` and Gradle's verification metadata, and the
//! peers' fixtures. (No Gradle is available here to write lockfiles: the Gradle parsers are
//! checked on the peers' files and on examples below.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use annex_inventory::parse::{ParseError, java};
use annex_inventory::{Scope, Subject};
use proptest::prelude::*;

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
            "test" => Scope::Dev,
            _ => Scope::Optional,
        };
        assert_eq!(ours[k], want, "{k:?} ({scope})");
    }
    assert!(s.unresolved.is_empty(), "{:?}", s.unresolved);
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
    let unresolved: BTreeSet<&str> = alone.unresolved.iter().map(|u| u.name.as_str()).collect();
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
    let unresolved: Vec<&str> = s
        .unresolved
        .iter()
        .map(|u| u.requirement.as_str())
        .collect();
    assert_eq!(unresolved, vec!["${env.X}", "[1.0,2.0)"]);
    // A cycle of parents ends.
    let cyc = r#"<project><modelVersion>4.0.0</modelVersion><parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version><relativePath>pom.xml</relativePath></parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version></project>"#;
    let mut same = |_: &str| Some(cyc.to_string());
    assert!(java::pom_with("pom.xml", cyc, &mut same).is_ok());
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
            // Parent version `${revision}-${changelist}`: interpolated literally here.
            (
                "inherit parent dependencies (testdata/parent-dependencies/child/pom.xml)",
                "CI-friendly version",
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
// ---- peers' fixtures (shared/data/lockfiles): (name, version) sets must equal theirs,
// except the listed disagreements.

fn lockfiles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/lockfiles")
}

struct Case {
    name: String,
    base: PathBuf,
    rel: String,
    want_err: bool,
    pkgs: BTreeSet<(String, String)>,
}

/// Both shapes: osv-scalibr's `{ "<file>_test.go": [cases] }` and Trivy's `[cases]`.
fn cases(dir: &str) -> Vec<Case> {
    let base = lockfiles().join(dir);
    let text = std::fs::read_to_string(base.join("expected.json")).expect("expected.json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let list: Vec<&serde_json::Value> = match &v {
        serde_json::Value::Array(a) => a.iter().collect(),
        serde_json::Value::Object(m) => m
            .values()
            .flat_map(|x| x.as_array().into_iter().flatten())
            .collect(),
        _ => Vec::new(),
    };
    list.into_iter()
        .filter_map(|c| {
            let path = c.get("path")?.as_str()?;
            Some(Case {
                name: c
                    .get("name")
                    .and_then(|n| n.as_str())
                    .unwrap_or("")
                    .to_string(),
                base: base.clone(),
                rel: path.to_string(),
                want_err: c.get("want_err").and_then(|w| w.as_bool()).unwrap_or(false),
                pkgs: c
                    .get("packages")
                    .and_then(|p| p.as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(|p| {
                        let v = p.get("version")?.as_str()?;
                        let n = p.get("name")?.as_str()?;
                        (!v.is_empty()).then(|| (norm(n), v.to_string()))
                    })
                    .collect(),
            })
        })
        .collect()
}

type PeerParser<'a> = &'a dyn Fn(&Path, &str, &str) -> Result<Subject, ParseError>;

type ParseFn = fn(&str, &str) -> Result<Subject, ParseError>;

fn plain(f: ParseFn) -> impl Fn(&Path, &str, &str) -> Result<Subject, ParseError> {
    move |_, rel, text| f(rel, text)
}

fn check(dir: &str, parse: PeerParser<'_>, known: &[(&str, &str)]) -> usize {
    let mut agree = 0;
    let mut diff = BTreeMap::new();
    let cs = cases(dir);
    assert!(!cs.is_empty(), "no cases in {dir}");
    for c in cs {
        let key = format!("{} ({})", c.name, c.rel);
        let Ok(bytes) = std::fs::read(c.base.join(&c.rel)) else {
            diff.insert(key, "missing file".to_string());
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        match (parse(&c.base, &c.rel, &text), c.want_err) {
            (Err(_), true) => agree += 1,
            (Err(e), false) => {
                diff.insert(key, format!("we fail: {e}"));
            }
            (Ok(s), want_err) => {
                let mut got: BTreeSet<(String, String)> = s
                    .components
                    .iter()
                    .map(|c| (norm(&c.name), c.version.clone()))
                    .collect();
                if let Some(r) = &s.root {
                    let r = (norm(&r.name), r.version.clone());
                    if c.pkgs.contains(&r) {
                        got.insert(r);
                    }
                }
                if got == c.pkgs && !want_err {
                    agree += 1;
                } else if want_err && c.pkgs.is_empty() {
                    diff.insert(key, format!("peer fails, we read {} components", got.len()));
                } else {
                    let missing: Vec<_> = c.pkgs.difference(&got).collect();
                    let extra: Vec<_> = got.difference(&c.pkgs).collect();
                    diff.insert(key, format!("missing {missing:?} extra {extra:?}"));
                }
            }
        }
    }
    if std::env::var_os("ANNEX_PEER_DUMP").is_some() {
        println!("{dir}: {agree} agree; {diff:#?}");
        return agree;
    }
    let got: BTreeSet<&str> = diff.keys().map(String::as_str).collect();
    let want: BTreeSet<&str> = known.iter().map(|(k, _)| *k).collect();
    assert_eq!(got, want, "{dir}: disagreements changed: {diff:#?}");
    println!("{dir}: {agree} agree, {} known disagreements", diff.len());
    agree
}

/// Mutations of a real file (a slice replaced by junk, and a truncation) never panic.
fn mutate(text: &str, at: usize, len: usize, junk: &str) -> (String, String) {
    let mut cut = at % (text.len() + 1);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut end = (cut + len).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (
        format!("{}{}{}", &text[..cut], junk, &text[end..]),
        text[..cut].to_string(),
    )
}

/// Agreement when our required components (and the root) are all in the peer's list.
fn check_subset(dir: &str, parse: PeerParser<'_>, known: &[(&str, &str)]) -> (usize, usize) {
    let (mut exact, mut subset) = (0, 0);
    let mut diff = BTreeMap::new();
    for c in cases(dir) {
        let key = format!("{} ({})", c.name, c.rel);
        let text = std::fs::read_to_string(c.base.join(&c.rel)).unwrap_or_default();
        let Ok(s) = parse(&c.base, &c.rel, &text) else {
            if c.want_err {
                exact += 1;
            } else {
                diff.insert(key, "we fail".to_string());
            }
            continue;
        };
        if c.want_err {
            subset += 1; // the peer fails on a remote repository error; we need none
            continue;
        }
        let mut ours: BTreeSet<(String, String)> = s
            .components
            .iter()
            .filter(|x| x.scope == annex_inventory::Scope::Required)
            .map(|x| (x.name.clone(), x.version.clone()))
            .collect();
        ours.extend(
            s.root
                .iter()
                .filter(|r| !r.version.is_empty())
                .map(|r| (r.name.clone(), r.version.clone())),
        );
        if ours == c.pkgs {
            exact += 1;
        } else if ours.is_subset(&c.pkgs) {
            subset += 1;
        } else {
            diff.insert(
                key,
                format!(
                    "not in the peer's list: {:?}",
                    ours.difference(&c.pkgs).collect::<Vec<_>>()
                ),
            );
        }
    }
    let got: BTreeSet<&str> = diff.keys().map(String::as_str).collect();
    let want: BTreeSet<&str> = known.iter().map(|(k, _)| *k).collect();
    assert_eq!(got, want, "{dir}: disagreements changed: {diff:#?}");
    (exact, subset)
}
