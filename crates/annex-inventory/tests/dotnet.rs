//! NuGet `packages.lock.json`. No .NET SDK is available here (not in Debian bookworm nor on
//! the reachable registries, and nuget.org is not reachable), so the parser is checked on
//! the peers' lockfiles, which the .NET SDK wrote, and on examples below.

use annex_inventory::Scope;
use annex_inventory::parse::{ParseError, dotnet};
use proptest::prelude::*;

mod common;
use common::*;

fn norm(n: &str) -> String {
    n.to_string()
}

#[test]
fn lock_per_framework_deduplicated() {
    let text = r#"{
  "version": 2,
  "dependencies": {
    "net6.0": {
      "Newtonsoft.Json": {
        "type": "Direct",
        "requested": "[13.0.1, )",
        "resolved": "13.0.1",
        "contentHash": "ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzjpdAHRFfZe0Dw9HmA0+za13IdyrgJwpkDTDA9fHaxOrt20A==",
        "dependencies": { "System.Memory": "4.5.0" }
      },
      "System.Memory": { "type": "Transitive", "resolved": "4.5.0", "contentHash": "" },
      "MyLib": { "type": "Project", "dependencies": { "Newtonsoft.Json": "[13.0.1, )" } },
      "Central.Pkg": { "type": "CentralTransitive", "requested": "[1.0.0, )", "resolved": "1.0.0" }
    },
    "net8.0": {
      "Newtonsoft.Json": { "type": "Direct", "requested": "[13.0.1, )", "resolved": "13.0.1" },
      "System.Memory": { "type": "Transitive", "resolved": "4.5.5" }
    }
  }
}"#;
    let s = dotnet::packages_lock("src/App/packages.lock.json", text).expect("parses");
    assert_eq!(s.format, "packages.lock.json v2");
    let got: Vec<(&str, &str, bool, u64)> = s
        .components
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.version.as_str(),
                c.direct,
                c.location.line,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("Central.Pkg", "1.0.0", false, 14),
            ("Newtonsoft.Json", "13.0.1", true, 5),
            ("System.Memory", "4.5.0", false, 12),
            ("System.Memory", "4.5.5", false, 18),
        ]
    );
    let nj = &s.components[1];
    assert_eq!(nj.purl, "pkg:nuget/Newtonsoft.Json@13.0.1");
    assert_eq!(nj.hashes.len(), 1);
    assert_eq!(nj.hashes[0].alg, "sha512");
    assert!(
        nj.hashes[0]
            .value
            .starts_with("a693c5a4172fc5db1f5289cd72f2132aa2e5ddba"),
        "{}",
        nj.hashes[0].value
    );
    assert!(s.components.iter().all(|c| c.scope == Scope::Required));
    assert_eq!(s.edges.len(), 1, "{:?}", s.edges);
    let e = dotnet::packages_lock(
        "packages.lock.json",
        "{\"version\": 3, \"dependencies\": {}}",
    )
    .unwrap_err();
    assert!(
        matches!(e, ParseError::UnsupportedVersion { line: 1, .. }),
        "{e}"
    );
    let e = dotnet::packages_lock(
        "packages.lock.json",
        "{\"version\": 1,\n \"dependencies\": {\n",
    )
    .unwrap_err();
    assert!(matches!(e, ParseError::Syntax { line: 3, .. }), "{e}");
}

#[test]
fn packages_lock_peers() {
    check(
        "nuget/scalibr-packageslockjson",
        &plain(dotnet::packages_lock),
        &[],
    );
    check("nuget/trivy-nuget-lock", &plain(dotnet::packages_lock), &[]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]
    #[test]
    fn never_panics(s in "\\PC{0,300}", at in 0usize..8_000, len in 0usize..64, junk in "\\PC{0,8}") {
        let _ = dotnet::packages_lock("x", &s);
        let real = std::fs::read_to_string(lockfiles().join("nuget/trivy-nuget-lock/testdata/packages_lock_multi.json")).unwrap_or_default();
        let (m, t) = mutate(&real, at, len, &junk);
        let _ = dotnet::packages_lock("x", &m);
        let _ = dotnet::packages_lock("x", &t);
    }
}
