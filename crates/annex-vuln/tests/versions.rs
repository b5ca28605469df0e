//! Version ordering against the peer's vectors (`shared/data/semantic/*.txt`, from
//! osv-scalibr; the `*-generated.txt` ones produced by each ecosystem's own tooling), and
//! properties: parsing never panics, and every scheme is a total order.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use annex_vuln::version::{
    MAX_VERSION_LEN, VersionError, VersionScheme, compare, parse, scheme_for,
};
use proptest::prelude::*;

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/semantic")
}

/// The scheme each vector file is for, by file-name prefix.
fn scheme_of_file(name: &str) -> VersionScheme {
    let prefix = name.split('-').next().unwrap_or_default();
    match prefix {
        "alpine" => VersionScheme::Alpine,
        "cran" => VersionScheme::Cran,
        "debian" => VersionScheme::Debian,
        "hackage" => VersionScheme::Hackage,
        "maven" => VersionScheme::Maven,
        "nuget" => VersionScheme::NuGet,
        "packagist" => VersionScheme::Packagist,
        "pub" => VersionScheme::Pub,
        "pypi" => VersionScheme::Pep440,
        "redhat" => VersionScheme::Rpm,
        "rubygems" => VersionScheme::RubyGems,
        "semver" => VersionScheme::SemVer,
        other => panic!("vector file {name}: no scheme for {other:?}"),
    }
}

/// Vector lines that contradict the rest of the vectors under any transitive order that
/// treats versions of the same shape alike, because the ecosystem's own comparator is not
/// transitive there (see the scheme modules). Each is still checked: it must give exactly
/// the relation written here, the opposite of the file's.
///
/// - Maven (`ComparableVersion` treats `0` as equal to "nothing" yet newer than any
///   sub-list). For one package the generated file has `1.0.0 < 1.0.0-gradle-rework-beta1
///   < … < 1.0.0-gradle-rework-beta3 < 1.0.0.RC7-3 < 1.0.0.RC8` (lines 2783-2787), so a
///   transitive order must put `1.0.0.RC8` after `1.0.0`; yet the same file has
///   `2.0.0.CR1 < 2.0.0.Final` (line 73), `10.0.0.CR5 < 10.0.0.Final` and many more of that
///   shape (and `1.0.0.RC8-beta < 1.0.0`, line 2782). `2.9.0-1 < 2.9.0.RC1` and
///   `1.1.0-01-glassfish < 1.1.0.Beta1` close the same cycle with `1.0 < 1.0-1`
///   (maven-versions.txt) and `X.0.0.CRn < X.0.0.Final`.
/// - Packagist (PHP's `version_compare` treats its `#` marker as equal to any number):
///   `1.2.3.# = 1.2.3` and `1.2.3.# = 1.2.3.1` would make `1.2.3` = `1.2.3.1`, while the
///   generated file has `2.0.4 < 2.0.4.1`, `2.0.5 < 2.0.5.1`, ….
const KNOWN_INTRANSITIVE: &[(&str, &str, &str, &str)] = &[
    (
        "maven-versions-generated.txt",
        "1.0.0-gradle-rework-beta3",
        ">",
        "1.0.0.RC7-3",
    ),
    ("maven-versions-generated.txt", "2.9.0-1", ">", "2.9.0.RC1"),
    (
        "maven-versions-generated.txt",
        "1.1.0-01-glassfish",
        ">",
        "1.1.0.Beta1",
    ),
    ("packagist-versions.txt", "1.2.3.#", "<", "1.2.3.1"),
];

fn relation(o: Ordering) -> &'static str {
    match o {
        Ordering::Less => "<",
        Ordering::Equal => "=",
        Ordering::Greater => ">",
    }
}

#[test]
fn peer_vectors() {
    let dir = vectors_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert_eq!(
        files.len(),
        19,
        "expected the 19 vector files in {}",
        dir.display()
    );

    let mut failures = Vec::new();
    // Per file: lines matching as written, lines matching their documented relation, lines.
    let mut counts: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut known_seen = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let scheme = scheme_of_file(&name);
        let text = std::fs::read_to_string(path).unwrap();
        let count = counts.entry(name.clone()).or_default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
                continue;
            }
            let at = format!("{name}:{}", i + 1);
            let fields: Vec<&str> = line.split(' ').collect();
            let [a, op, b] = fields[..] else {
                panic!("{at}: not `A op B`: {line:?}");
            };
            let expected = match op {
                "<" => Ordering::Less,
                "=" => Ordering::Equal,
                ">" => Ordering::Greater,
                _ => panic!("{at}: unknown relation {op:?}"),
            };
            let known = KNOWN_INTRANSITIVE
                .iter()
                .find(|k| k.0 == name && k.1 == a && k.3 == b);
            let expected = match known {
                Some(k) => {
                    known_seen += 1;
                    match k.2 {
                        "<" => Ordering::Less,
                        "=" => Ordering::Equal,
                        _ => Ordering::Greater,
                    }
                }
                None => expected,
            };
            count.2 += 1;
            let forward = compare(scheme, a, b);
            let backward = compare(scheme, b, a);
            match (&forward, &backward) {
                (Ok(f), Ok(r)) if *f == expected && *r == expected.reverse() => {
                    if known.is_some() {
                        count.1 += 1;
                    } else {
                        count.0 += 1;
                    }
                }
                _ => failures.push(format!(
                    "{at}: {a} {op} {b}: got {} / reversed {}",
                    show(&forward),
                    show(&backward)
                )),
            }
        }
    }
    for (name, (as_written, documented, total)) in &counts {
        println!("{name}: {as_written}/{total} as written, {documented} as documented");
    }
    assert_eq!(
        known_seen,
        KNOWN_INTRANSITIVE.len(),
        "every known-intransitive line must still be in the vectors"
    );
    assert!(
        failures.is_empty(),
        "{} vector lines fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn show(r: &Result<Ordering, VersionError>) -> String {
    match r {
        Ok(o) => relation(*o).to_string(),
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn ecosystem_names() {
    for (eco, scheme) in [
        ("npm", VersionScheme::SemVer),
        ("crates.io", VersionScheme::SemVer),
        ("Go", VersionScheme::SemVer),
        ("Hex", VersionScheme::SemVer),
        ("GitHub Actions", VersionScheme::SemVer),
        ("PyPI", VersionScheme::Pep440),
        ("Maven", VersionScheme::Maven),
        ("Maven:https://repo.example/maven2", VersionScheme::Maven),
        ("NuGet", VersionScheme::NuGet),
        ("RubyGems", VersionScheme::RubyGems),
        ("Packagist", VersionScheme::Packagist),
        ("Pub", VersionScheme::Pub),
        ("Debian:12", VersionScheme::Debian),
        ("Ubuntu:22.04:LTS", VersionScheme::Debian),
        ("Alpine:v3.18", VersionScheme::Alpine),
        ("Red Hat:enterprise_linux:9", VersionScheme::Rpm),
        ("AlmaLinux:8", VersionScheme::Rpm),
        ("Rocky Linux", VersionScheme::Rpm),
        ("openSUSE:Leap 15.5", VersionScheme::Rpm),
        ("SUSE:Linux Enterprise Server 15 SP5", VersionScheme::Rpm),
        ("CRAN", VersionScheme::Cran),
        ("Hackage", VersionScheme::Hackage),
    ] {
        assert_eq!(scheme_for(eco), Ok(scheme), "{eco}");
    }
    for eco in ["Linux", "Android", "OSS-Fuzz", "opam", "", "npmx"] {
        assert_eq!(
            scheme_for(eco),
            Err(VersionError::Unsupported {
                ecosystem: eco.to_string()
            }),
            "{eco}"
        );
    }
}

#[test]
fn sorting_a_mixed_list() {
    let mut versions: Vec<_> = [
        "1.0.0",
        "1.0.0-rc.1",
        "0.9.9",
        "1.0.0-alpha",
        "v1.0.1",
        "1.0",
    ]
    .into_iter()
    .map(|s| parse(VersionScheme::SemVer, s).unwrap())
    .collect();
    versions.sort();
    let order: Vec<&str> = versions.iter().map(|v| v.as_str()).collect();
    assert_eq!(
        order,
        [
            "0.9.9",
            "1.0.0-alpha",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0",
            "v1.0.1"
        ]
    );
}

#[test]
fn pathological_inputs_are_bounded() {
    let patterns = [
        "-", ".", "1-", "a1", "1.", "0.", "-a", "_p", "~", "^", "+", "9", "-r", "rc.",
    ];
    let start = std::time::Instant::now();
    for scheme in VersionScheme::ALL {
        for pattern in patterns {
            let long = pattern.repeat(MAX_VERSION_LEN / pattern.len());
            let longer = format!("{long}{pattern}");
            for s in [&long, &longer] {
                if let Ok(v) = parse(scheme, s) {
                    assert_eq!(v.cmp(&v), Ordering::Equal);
                    let _ = compare(scheme, s, "1");
                }
            }
            assert!(parse(scheme, &"1".repeat(MAX_VERSION_LEN + 1)).is_err());
        }
    }
    assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
}

#[test]
fn long_numbers_compare_exactly() {
    let big = "9".repeat(100);
    let bigger = format!("1{}", "0".repeat(100));
    for scheme in VersionScheme::ALL {
        assert_eq!(
            compare(scheme, &big, &bigger),
            Ok(Ordering::Less),
            "{scheme}"
        );
        assert_eq!(
            compare(scheme, &format!("1.{big}"), &format!("1.{bigger}")),
            Ok(Ordering::Less),
            "{scheme}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Properties

/// Version-ish text: pieces the schemes give meaning to, glued together.
fn versionish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("0"),
        Just("1"),
        Just("2"),
        Just("10"),
        Just("01"),
        Just("."),
        Just("."),
        Just("-"),
        Just("_"),
        Just("+"),
        Just("~"),
        Just("^"),
        Just(":"),
        Just("a"),
        Just("b"),
        Just("c"),
        Just("r"),
        Just("p"),
        Just("v"),
        Just("alpha"),
        Just("beta"),
        Just("rc"),
        Just("RC"),
        Just("pre"),
        Just("dev"),
        Just("post"),
        Just("sp"),
        Just("ga"),
        Just("final"),
        Just("snapshot"),
        Just("xyz"),
        Just("#"),
        Just("é"),
    ];
    prop::collection::vec(piece, 1..9).prop_map(|pieces| pieces.concat())
}

fn scheme() -> impl Strategy<Value = VersionScheme> {
    prop::sample::select(VersionScheme::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parsing_never_panics(scheme in scheme(), s in any::<String>()) {
        let _ = parse(scheme, &s);
    }

    #[test]
    fn parsing_versionish_never_panics(scheme in scheme(), s in versionish()) {
        if let Ok(v) = parse(scheme, &s) {
            prop_assert_eq!(v.as_str(), s.as_str());
            prop_assert_eq!(v.cmp(&v), Ordering::Equal);
        }
    }

    #[test]
    fn total_order_on_triples(scheme in scheme(), a in versionish(), b in versionish(), c in versionish()) {
        let (Ok(a), Ok(b), Ok(c)) = (parse(scheme, &a), parse(scheme, &b), parse(scheme, &c)) else {
            return Ok(());
        };
        for (x, y) in [(&a, &b), (&b, &c), (&a, &c)] {
            prop_assert_eq!(x.cmp(y), y.cmp(x).reverse(), "antisymmetry of {} and {}", x, y);
            prop_assert_eq!(x == y, x.cmp(y) == Ordering::Equal);
        }
        for [x, y, z] in [[&a, &b, &c], [&a, &c, &b], [&b, &a, &c], [&b, &c, &a], [&c, &a, &b], [&c, &b, &a]] {
            if x <= y && y <= z {
                prop_assert!(x <= z, "{} <= {} <= {} but {} > {}", x, y, z, x, z);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Sorting a few dozen versions, every pair must then be in order: a cycle anywhere
    /// would show up as a pair out of order.
    #[test]
    fn sorted_lists_are_pairwise_ordered(scheme in scheme(), strings in prop::collection::vec(versionish(), 2..40)) {
        let mut versions: Vec<_> = strings.iter().filter_map(|s| parse(scheme, s).ok()).collect();
        versions.sort();
        for i in 0..versions.len() {
            for j in i + 1..versions.len() {
                prop_assert!(
                    versions[i] <= versions[j],
                    "{}: {} sorted before {} but compares greater", scheme, versions[i], versions[j]
                );
            }
        }
    }
}
