//! Maven resolution against Maven itself: each fixture under `tests/fixtures/maven/oracle/`
//! holds a reactor (`project/`), the local repository it needs (`repo/`: POMs, metadata,
//! `.sha1` files, no jars) and Maven 3.8's own `dependency:list` and `dependency:tree` for
//! every module (`expected/`), written by `scripts/make-maven-fixtures`. annex's graph must
//! give exactly Maven's set of (groupId, artifactId, type, classifier, version, scope) — the
//! runtime and test classpaths both — and Maven's tree.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use annex_inventory::maven::repo::Sources;
use annex_inventory::maven::resolve::{Node, Resolution, resolve};
use annex_inventory::maven::{self, Error};
use annex_inventory::{Scope, Source};

fn oracle() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/maven/oracle")
}

fn read_in(dir: &Path) -> impl Fn(&str) -> Option<String> + '_ {
    move |p: &str| std::fs::read_to_string(dir.join(p)).ok()
}

fn resolve_module(fixture: &Path, module: &str, local: Option<&Path>) -> Result<Resolution, Error> {
    let project = fixture.join("project");
    let read = read_in(&project);
    let src = Sources {
        checkout: &read,
        local,
    };
    let text = read(module).expect("module POM");
    resolve(module, &text, &src, &Default::default())
}

fn coords(n: &Node) -> String {
    let cls = if n.classifier.is_empty() {
        String::new()
    } else {
        format!(":{}", n.classifier)
    };
    format!("{}:{}:{}{cls}:{}", n.group, n.artifact, n.typ, n.version)
}

/// Maven's lines, without its notes (`(version selected from …)`, `-- module …`).
fn maven_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(
            |l| match [l.find(" ("), l.find(" -- ")].into_iter().flatten().min() {
                Some(i) => l[..i].to_string(),
                None => l.to_string(),
            },
        )
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Our tree in `dependency:tree`'s text form.
fn tree(r: &Resolution) -> Vec<String> {
    let p = &r.project;
    let mut out = vec![format!(
        "{}:{}:{}:{}",
        p.group, p.artifact, p.packaging, p.version
    )];
    fn walk(r: &Resolution, parent: Option<usize>, prefix: &str, out: &mut Vec<String>) {
        let kids: Vec<usize> = (0..r.nodes.len())
            .filter(|&i| r.nodes[i].parent == parent)
            .collect();
        for (k, &i) in kids.iter().enumerate() {
            let last = k + 1 == kids.len();
            let n = &r.nodes[i];
            out.push(format!(
                "{prefix}{}{}:{}",
                if last { "\\- " } else { "+- " },
                coords(n),
                n.scope
            ));
            let deeper = format!("{prefix}{}", if last { "   " } else { "|  " });
            walk(r, Some(i), &deeper, out);
        }
    }
    walk(r, None, "", &mut out);
    out
}

/// Every module of every fixture: `(fixture dir, module POM path, expected file stem)`.
fn modules() -> Vec<(PathBuf, String, String)> {
    let mut out = Vec::new();
    for fx in std::fs::read_dir(oracle())
        .expect("oracle fixtures")
        .flatten()
    {
        let expected = fx.path().join("expected");
        for e in std::fs::read_dir(&expected).expect("expected/").flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(stem) = name.strip_suffix(".list") else {
                continue;
            };
            let pom = if stem == "root" {
                "pom.xml".to_string()
            } else {
                format!("{}/pom.xml", stem.replace('-', "/"))
            };
            out.push((fx.path(), pom, stem.to_string()));
        }
    }
    out.sort();
    out
}

#[test]
fn graphs_equal_mavens() {
    let all = modules();
    assert!(all.len() >= 4, "{all:?}");
    for (fx, pom, stem) in all {
        let repo = fx.join("repo");
        let r = resolve_module(&fx, &pom, Some(&repo)).unwrap_or_else(|e| panic!("{pom}: {e}"));
        let list =
            std::fs::read_to_string(fx.join("expected").join(format!("{stem}.list"))).unwrap();
        let want: BTreeSet<String> = maven_lines(&list)
            .into_iter()
            .map(|l| l.trim().to_string())
            .filter(|l| l.matches(':').count() >= 4)
            .collect();
        let got: BTreeSet<String> = r
            .nodes
            .iter()
            .map(|n| format!("{}:{}", coords(n), n.scope))
            .collect();
        assert_eq!(got, want, "{}: {pom}", fx.display());
        // The runtime classpath (compile + runtime) is a subset of both, so equal too; the
        // tree (who brought what in) is Maven's as well.
        let tree_file =
            std::fs::read_to_string(fx.join("expected").join(format!("{stem}.tree"))).unwrap();
        assert_eq!(tree(&r), maven_lines(&tree_file), "{}: {pom}", fx.display());
        assert!(r.missing.is_empty(), "{pom}: {:?}", r.missing);
    }
}

#[test]
fn subject_scopes_purls_hashes_and_modules() {
    let fx = oracle().join("reactor");
    let project = fx.join("project");
    let repo = fx.join("repo");
    let read = read_in(&project);
    let src = Sources {
        checkout: &read,
        local: Some(&repo),
    };
    let text = read("app/pom.xml").unwrap();
    let s = maven::subject("app/pom.xml", &text, &src).expect("resolves");
    let by_name = |n: &str| {
        s.components
            .iter()
            .find(|c| c.name == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    // test and provided are dev; runtime is required.
    assert_eq!(by_name("org.fix:epsilon").scope, Scope::Dev);
    assert_eq!(by_name("org.fix:provided-lib").scope, Scope::Dev);
    assert_eq!(by_name("org.fix:rt-dep").scope, Scope::Required);
    assert!(!by_name("org.fix:rt-dep").direct);
    // Classifier in the purl, sha1 from the repository's `.sha1` file beside the jar.
    let native = by_name("org.fix:native");
    assert_eq!(native.purl, "pkg:maven/org.fix/native@1.0?classifier=linux");
    // The classified jar's own checksum file (`native-1.0-linux.jar.sha1`).
    assert_eq!(native.hashes.len(), 1);
    let alpha = by_name("org.fix:alpha");
    let sha1 = std::fs::read_to_string(repo.join("org/fix/alpha/0.9/alpha-0.9.jar.sha1")).unwrap();
    assert_eq!(alpha.hashes.len(), 1);
    assert_eq!(alpha.hashes[0].value, sha1.trim());
    // The reactor sibling is the checkout's module, linked.
    let core = by_name("com.example.app:core");
    assert_eq!(
        core.source,
        Source::Path {
            path: "core/pom.xml".into()
        }
    );
    assert!(core.hashes.is_empty());
    assert!(
        s.edges_complete && s.unresolved.is_empty(),
        "{:?}",
        s.unresolved
    );
    let root = s.root.as_ref().unwrap();
    assert_eq!(
        (root.name.as_str(), root.version.as_str()),
        ("com.example.app:app", "1.0.0-SNAPSHOT")
    );
    // Edges: the project to its direct dependencies, and down the graph.
    let id = |n: &str| by_name(n).id.clone();
    assert!(
        s.edges
            .iter()
            .any(|e| e.from == id("com.example.app:core") && e.to == id("org.fix:alpha"))
    );
    assert!(
        s.edges
            .iter()
            .any(|e| e.from == id("org.fix:new-name") && e.to == id("org.fix:mu"))
    );
}

#[test]
fn without_the_repository_nothing_is_guessed() {
    let fx = oracle().join("reactor");
    let project = fx.join("project");
    let read = read_in(&project);
    let src = Sources {
        checkout: &read,
        local: None,
    };
    let text = read("core/pom.xml").unwrap();
    let s = maven::subject("core/pom.xml", &text, &src).expect("parses");
    // The parent chain leaves the checkout: only what the checkout decides is listed.
    let names: BTreeSet<&str> = s.components.iter().map(|c| c.name.as_str()).collect();
    assert!(
        names.contains("org.fix:testlib") && !names.contains("org.fix:alpha"),
        "{names:?}"
    );
    let alpha = s
        .unresolved
        .iter()
        .find(|u| u.name == "org.fix:alpha")
        .expect("alpha");
    assert!(
        alpha
            .requirement
            .contains("needs parent org.fix:corp-parent:3"),
        "{}",
        alpha.requirement
    );
    assert!(
        alpha.requirement.contains("mvn dependency:go-offline"),
        "{}",
        alpha.requirement
    );
    assert_eq!(
        (alpha.location.path.as_str(), alpha.location.line),
        ("core/pom.xml", 7)
    );
    assert!(!s.edges_complete);
    // A dependency listed without its POM says its dependencies are unknown.
    let testlib = s
        .unresolved
        .iter()
        .find(|u| u.name == "org.fix:testlib")
        .expect("testlib");
    assert!(
        testlib.requirement.starts_with("1.0 (its dependencies"),
        "{}",
        testlib.requirement
    );
    // A range with nothing to pick from stays unresolved.
    let text = read("app/pom.xml").unwrap();
    let s = maven::subject("app/pom.xml", &text, &src).expect("parses");
    let ranged = s
        .unresolved
        .iter()
        .find(|u| u.name == "org.fix:ranged")
        .expect("ranged");
    assert!(
        ranged.requirement.starts_with("[1.0,2.0)"),
        "{}",
        ranged.requirement
    );
}

fn pom(body: &str) -> String {
    format!("<project>\n<modelVersion>4.0.0</modelVersion>\n{body}\n</project>\n")
}

#[test]
fn bad_input_is_a_typed_error_with_file_and_line() {
    let files = |files: Vec<(&'static str, String)>| {
        move |p: &str| files.iter().find(|(n, _)| *n == p).map(|(_, t)| t.clone())
    };
    let run = |path: &str, read: &dyn Fn(&str) -> Option<String>| {
        let src = Sources {
            checkout: read,
            local: None,
        };
        resolve(path, &read(path).unwrap(), &src, &Default::default())
    };
    // A cycle through relativePath.
    let a = pom(
        "<parent><groupId>g</groupId><artifactId>b</artifactId><version>1</version><relativePath>b/pom.xml</relativePath></parent>\n<artifactId>a</artifactId>",
    );
    let b = pom(
        "<parent><groupId>g</groupId><artifactId>a</artifactId><version>1</version><relativePath>../pom.xml</relativePath></parent>\n<artifactId>b</artifactId>",
    );
    let read = files(vec![("pom.xml", a), ("b/pom.xml", b)]);
    let e = run("pom.xml", &read).unwrap_err();
    assert!(
        matches!(e, Error::ParentCycle { ref path, line: 3, .. } if path == "b/pom.xml"),
        "{e}"
    );
    assert!(
        e.to_string()
            .starts_with("b/pom.xml:3: cyclic parent chain"),
        "{e}"
    );
    // A property that refers to itself, through another.
    let p = pom(
        "<groupId>g</groupId><artifactId>a</artifactId><version>1</version>\n<properties>\n<x>${y}</x>\n<y>a${x}</y>\n</properties>\n<dependencies><dependency><groupId>d</groupId><artifactId>d</artifactId><version>${x}</version></dependency></dependencies>",
    );
    let read = files(vec![("pom.xml", p)]);
    let e = run("pom.xml", &read).unwrap_err();
    assert!(matches!(e, Error::SelfReference { line: 5 | 6, .. }), "{e}");
    // Malformed XML.
    let read = files(vec![(
        "pom.xml",
        "<project>\n<dependencies>\n<dependency>\n".to_string(),
    )]);
    let e = run("pom.xml", &read).unwrap_err();
    assert!(matches!(e, Error::Malformed(_)), "{e}");
    // A missing parent is reported by the model, and the subject lists what it cannot tell.
    let p = pom(
        "<parent><groupId>g</groupId><artifactId>gone</artifactId><version>1</version></parent>\n<artifactId>a</artifactId>\n<dependencies>\n<dependency><groupId>d</groupId><artifactId>managed</artifactId></dependency>\n</dependencies>",
    );
    let read = files(vec![("pom.xml", p)]);
    let r = run("pom.xml", &read).unwrap();
    assert!(matches!(
        r.project.missing_parent,
        Some(Error::MissingParent { line: 3, .. })
    ));
    assert_eq!(r.missing.len(), 1);
    assert!(
        r.missing[0].requirement.contains("needs parent g:gone:1"),
        "{:?}",
        r.missing
    );
    // A missing BOM: what it would manage is unknown, and so is what lies below any
    // dependency (it would manage their versions too).
    let p = pom(
        "<groupId>g</groupId><artifactId>a</artifactId><version>1</version>\n<dependencyManagement><dependencies><dependency><groupId>b</groupId><artifactId>bom</artifactId><version>1</version><type>pom</type><scope>import</scope></dependency></dependencies></dependencyManagement>\n<dependencies>\n<dependency><groupId>d</groupId><artifactId>pinned</artifactId><version>2</version></dependency>\n<dependency><groupId>d</groupId><artifactId>managed</artifactId></dependency>\n</dependencies>",
    );
    let read = files(vec![("pom.xml", p)]);
    let r = run("pom.xml", &read).unwrap();
    assert_eq!(r.nodes.len(), 1);
    let why: Vec<(&str, &str)> = r
        .missing
        .iter()
        .map(|m| (m.name.as_str(), m.requirement.as_str()))
        .collect();
    assert!(
        why[0].0 == "d:pinned"
            && why[0]
                .1
                .starts_with("2 (its dependencies: unknown while the project needs BOM b:bom:1"),
        "{why:?}"
    );
    assert!(
        why[1].0 == "d:managed" && why[1].1.starts_with("(needs BOM b:bom:1"),
        "{why:?}"
    );
    // A long chain of parents ends at the bound.
    let mut chain: Vec<(&'static str, String)> = Vec::new();
    let names: Vec<&'static str> = (0..40)
        .map(|i| &*Box::leak(format!("m{i}/pom.xml").into_boxed_str()))
        .collect();
    for (i, name) in names.iter().enumerate() {
        chain.push((name, pom(&format!("<parent><groupId>g</groupId><artifactId>m{}</artifactId><version>1</version><relativePath>../m{}/pom.xml</relativePath></parent>\n<artifactId>m{i}</artifactId>", i + 1, i + 1))));
    }
    let read = files(chain);
    let e = run("m0/pom.xml", &read).unwrap_err();
    assert!(matches!(e, Error::TooDeep { .. }), "{e}");
}

/// Every `target/dependency-list.txt` below `dir` (depth-bounded), as module POM paths.
fn listed_modules(root: &Path, dir: &Path, depth: usize, out: &mut Vec<String>) {
    let list = dir.join("target/dependency-list.txt");
    if list.is_file() {
        let rel = dir
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        out.push(if rel.is_empty() {
            "pom.xml".into()
        } else {
            format!("{rel}/pom.xml")
        });
    }
    if depth == 0 {
        return;
    }
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        let name = e.file_name();
        if p.is_dir() && name != "target" && name != ".git" && name != "src" {
            listed_modules(root, &p, depth - 1, out);
        }
    }
}

/// A real project, on demand: `ANNEX_MAVEN_REAL=<checkout>:<local repository>`, after
/// `mvn -Dmaven.repo.local=<local repository> -DoutputFile=target/dependency-list.txt
/// package dependency:list` in the checkout. Every module's list must equal annex's.
#[test]
#[ignore]
fn real_project_equals_maven() {
    let Ok(spec) = std::env::var("ANNEX_MAVEN_REAL") else {
        return;
    };
    let (checkout, repo) = spec.split_once(':').expect("<checkout>:<repo>");
    let (checkout, repo) = (Path::new(checkout), Path::new(repo));
    let read = read_in(checkout);
    let src = Sources {
        checkout: &read,
        local: Some(repo),
    };
    let mut poms = Vec::new();
    listed_modules(checkout, checkout, 6, &mut poms);
    poms.sort();
    let mut differ = Vec::new();
    for pom in &poms {
        let dir = Path::new(pom).parent().unwrap_or(Path::new(""));
        let list =
            std::fs::read_to_string(checkout.join(dir).join("target/dependency-list.txt")).unwrap();
        let want: BTreeSet<String> = maven_lines(&list)
            .into_iter()
            .map(|l| l.trim().to_string())
            .filter(|l| l.matches(':').count() >= 4)
            .collect();
        let r = resolve(pom, &read(pom).unwrap(), &src, &Default::default()).unwrap();
        let got: BTreeSet<String> = r
            .nodes
            .iter()
            .map(|n| format!("{}:{}", coords(n), n.scope))
            .collect();
        println!(
            "{pom}: maven {} annex {} {}",
            want.len(),
            got.len(),
            if got == want { "agree" } else { "DIFFER" }
        );
        if got != want {
            println!(
                "  only maven: {:?}\n  only annex: {:?}\n  missing: {:?}",
                want.difference(&got).collect::<Vec<_>>(),
                got.difference(&want).collect::<Vec<_>>(),
                r.missing
            );
            differ.push(pom.clone());
        }
    }
    assert!(!poms.is_empty());
    assert!(differ.is_empty(), "{differ:?}");
}
