//! Property tests: no input makes a parser panic — random bytes under every file name the
//! dispatcher knows, and real lockfiles cut short or mutated — and purls round-trip.

#[path = "scan_shared.rs"]
mod shared;

use annex_inventory::parse::parse_file;
use annex_inventory::purl::{parse_purl, purl};
use proptest::prelude::*;

const NAMES: &[&str] = &[
    "Cargo.lock",
    "Cargo.toml",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "package.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "go.mod",
    "go.sum",
];

/// Real lockfiles of every format, from our fixtures and the peers'.
fn samples() -> Vec<(&'static str, Vec<u8>)> {
    let f = shared::fixtures();
    let s = shared::shared_lockfiles();
    let files: &[(&str, std::path::PathBuf)] = &[
        ("Cargo.lock", f.join("cargo/v4/Cargo.lock")),
        (
            "Cargo.lock",
            s.join("cargo/trivy-rust-cargo/testdata/cargo_normal.lock"),
        ),
        ("Cargo.toml", f.join("cargo/v4/Cargo.toml")),
        (
            "package-lock.json",
            f.join("npm/workspaces/package-lock.json"),
        ),
        (
            "package-lock.json",
            s.join("npm/scalibr-packagelockjson/testdata/nested-dependencies.v1.json"),
        ),
        ("package.json", f.join("npm/v3/package.json")),
        (
            "yarn.lock",
            s.join("yarn/scalibr-yarnlock/testdata/commits.v1.lock"),
        ),
        ("yarn.lock", f.join("yarn/berry-workspace/yarn.lock")),
        ("pnpm-lock.yaml", f.join("pnpm/workspace/pnpm-lock.yaml")),
        (
            "pnpm-lock.yaml",
            s.join("pnpm/scalibr-pnpmlock/testdata/exotic.yaml"),
        ),
        (
            "pnpm-lock.yaml",
            s.join("pnpm/scalibr-pnpmlock/testdata/peer-dependencies-v6.yaml"),
        ),
        ("bun.lock", f.join("bun/workspace/bun.lock")),
        ("go.mod", f.join("go/basic/go.mod")),
        ("go.sum", f.join("go/basic/go.sum")),
    ];
    files
        .iter()
        .map(|(n, p)| {
            (
                *n,
                std::fs::read(p).unwrap_or_else(|e| panic!("{p:?}: {e}")),
            )
        })
        .collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    Duplicate(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (
            any::<usize>(),
            prop::sample::select(b"{}[]():,\"'\n #@/=-\\ \t\x00\xff".to_vec())
        )
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), 1usize..256).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
    ]
}

fn apply(mut data: Vec<u8>, muts: &[Mutation]) -> Vec<u8> {
    for m in muts {
        let len = data.len().max(1);
        match *m {
            Mutation::Truncate(i) => data.truncate(i % len),
            Mutation::Flip(i, b) => {
                if !data.is_empty() {
                    let i = i % data.len();
                    data[i] ^= b;
                }
            }
            Mutation::Insert(i, b) => data.insert(i % (data.len() + 1), b),
            Mutation::Delete(i, n) => {
                if !data.is_empty() {
                    let i = i % data.len();
                    let end = (i + n).min(data.len());
                    data.drain(i..end);
                }
            }
            Mutation::Duplicate(i, n) => {
                if !data.is_empty() {
                    let i = i % data.len();
                    let end = (i + n).min(data.len());
                    let chunk = data[i..end].to_vec();
                    data.splice(i..i, chunk);
                }
            }
        }
    }
    data
}

proptest! {
    // PROPTEST_CASES raises the count for a longer run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_bytes_never_panic(
        name in prop::sample::select(NAMES),
        data in prop::collection::vec(any::<u8>(), 0..2048),
    ) {
        let _ = parse_file(name, &data);
    }

    #[test]
    fn random_text_never_panics(
        name in prop::sample::select(NAMES),
        text in "[ -~\n\t{}\\[\\]:\"'@/#=_.()-]{0,512}",
    ) {
        let _ = parse_file(name, text.as_bytes());
    }

    #[test]
    fn mutated_lockfiles_never_panic(
        pick in any::<prop::sample::Index>(),
        muts in prop::collection::vec(mutation(), 1..6),
    ) {
        thread_local! {
            static SAMPLES: Vec<(&'static str, Vec<u8>)> = samples();
        }
        let (name, data) = SAMPLES.with(|s| s[pick.index(s.len())].clone());
        let mutated = apply(data, &muts);
        if let Err(e) = parse_file(name, &mutated) {
            // Errors name the file and a position inside it.
            prop_assert!(e.to_string().starts_with(name), "{}", e);
        }
    }

    #[test]
    fn purl_parse_never_panics(s in "\\PC{0,64}") {
        let _ = parse_purl(&s);
        let _ = parse_purl(&format!("pkg:{s}"));
    }

    #[test]
    fn purls_round_trip(
        eco in prop::sample::select(&["crates.io", "npm", "Go", "PyPI", "Maven", "NuGet", "RubyGems"][..]),
        name in "[a-zA-Z0-9][a-zA-Z0-9._~ +-]{0,20}",
        scope in proptest::option::of("[a-z][a-z0-9.-]{0,10}"),
        version in "[0-9a-zA-Z.+ :-]{0,12}",
    ) {
        let ns = match eco {
            "npm" => scope.map(|s| format!("@{s}")),
            "Go" => Some(format!("example.com/{}", scope.unwrap_or_else(|| "x".into()))),
            "Maven" => Some(scope.unwrap_or_else(|| "org.example".into())),
            _ => None,
        };
        let p = purl(eco, ns.as_deref(), &name, &version, &[("repository_url", "https://r.example/x y")]);
        let parsed = parse_purl(&p).map_err(|e| TestCaseError::fail(format!("{p}: {e}")))?;
        prop_assert_eq!(parsed.to_string(), p.clone());
        prop_assert_eq!(parsed.version.unwrap_or_default(), version.clone());
        prop_assert_eq!(&parsed.qualifiers[0].1, "https://r.example/x y");
        if eco != "PyPI" {
            prop_assert_eq!(parsed.name, name);
            prop_assert_eq!(parsed.namespace, ns);
        }
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    for (name, text) in [
        ("package-lock.json", "[".repeat(100_000)),
        ("bun.lock", "{\"a\":".repeat(100_000)),
        ("pnpm-lock.yaml", "[".repeat(100_000)),
        (
            "yarn.lock",
            format!("__metadata:\n  version: 6\na: {}", "[".repeat(100_000)),
        ),
        ("Cargo.lock", format!("x = {}", "{a=".repeat(100_000))),
        ("Cargo.toml", format!("x = {}", "[".repeat(100_000))),
    ] {
        assert!(parse_file(name, text.as_bytes()).is_err(), "{name}");
    }
}

#[test]
fn oversized_input_is_refused() {
    // Checked before anything is read: a zero-filled vector of the limit plus one byte.
    let big = vec![0u8; (annex_inventory::parse::MAX_FILE_SIZE + 1) as usize];
    assert!(matches!(
        parse_file("Cargo.lock", &big),
        Err(annex_inventory::parse::ParseError::TooLarge { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    /// Issue 16 "Done when": every extractor of the registry, by the name it goes by, on
    /// random bytes and on a mutated npm lock (the stable twin of fuzz/lockfile.rs).
    #[test]
    fn every_registered_parser_survives_hostile_input(
        bytes in proptest::collection::vec(any::<u8>(), 0..300),
        at in 0usize..4_000, len in 0usize..32, junk in "\\PC{0,8}",
    ) {
        let lock = r#"{"name":"r","lockfileVersion":3,"packages":{"":{"name":"r","dependencies":{"a":"^1"}},"node_modules/a":{"version":"1.0.0","resolved":"https://registry.npmjs.org/a/-/a-1.0.0.tgz","integrity":"sha512-AAAA","dependencies":{"b":"2"}},"node_modules/b":{"version":"2.0.0","dev":true}}}"#;
        let mut a = at % (lock.len() + 1);
        while !lock.is_char_boundary(a) { a -= 1; }
        let b = (a + len).min(lock.len());
        let mutated = format!("{}{junk}{}", &lock[..a], &lock[b..]);
        for e in annex_inventory::extract::REGISTRY {
            let _ = annex_inventory::parse::parse_file(e.name(), &bytes);
            let _ = annex_inventory::parse::parse_file(e.name(), mutated.as_bytes());
        }
    }
}
