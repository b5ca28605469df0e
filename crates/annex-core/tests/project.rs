//! Project::open on annex.toml that is missing, too large, a symlink or malformed: defaults
//! when absent, a named error otherwise, never a silent default.

use annex_core::{Project, ProjectOptions};

#[test]
fn a_missing_annex_toml_gives_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let p = Project::open(dir.path(), ProjectOptions::default()).unwrap();
    assert!(p.config.text.is_none());
    assert!(p.config.scope.exclude.is_empty());
}

#[test]
fn an_oversized_annex_toml_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let big = "# x\n".repeat(300_000);
    std::fs::write(dir.path().join("annex.toml"), big).unwrap();
    let err = Project::open(dir.path(), ProjectOptions::default()).unwrap_err();
    let chain = format!("{err}: {}", std::error::Error::source(&err).unwrap());
    assert!(
        chain.contains("annex.toml") && chain.contains("limit"),
        "{chain}"
    );
}

#[cfg(unix)]
#[test]
fn an_annex_toml_symlink_is_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("t.toml"),
        "[scope]\nexclude = [\"x/\"]\n",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path().join("t.toml"), dir.path().join("annex.toml"))
        .unwrap();
    let err = Project::open(dir.path(), ProjectOptions::default()).unwrap_err();
    let chain = format!("{err}: {}", std::error::Error::source(&err).unwrap());
    assert!(chain.contains("symlink"), "{chain}");
}

#[test]
fn a_malformed_scope_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("annex.toml"), "[scope]\nexclude = 3\n").unwrap();
    let err = Project::open(dir.path(), ProjectOptions::default()).unwrap_err();
    assert!(err.to_string().starts_with("annex.toml:"), "{err}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
    /// Issue 16 "Done when": annex.toml's readers (`[scope]`, `[[vex]]`) on arbitrary and
    /// mutated text never panic (the stable twin of fuzz/annex_toml.rs).
    #[test]
    fn annex_toml_readers_never_panic(text in "\\PC{0,300}", at in 0usize..400, junk in "\\PC{0,8}") {
        let seed = "[scope]\nexclude = [\"vendor/**\"]\n\n[[vex]]\nid = \"CVE-2024-1\"\n\
                    purl = \"pkg:cargo/a@1\"\nstatus = \"not_affected\"\n\
                    justification = \"vulnerable_code_not_in_execute_path\"\n";
        let mut a = at % (seed.len() + 1);
        while !seed.is_char_boundary(a) { a -= 1; }
        let mutated = format!("{}{junk}{}", &seed[..a], &seed[a..]);
        for t in [text.as_str(), mutated.as_str()] {
            let _ = annex_inventory::scan::ScopeConfig::from_annex_toml(t, "annex.toml");
            let _ = annex_vuln::triage::parse_annex_toml(t, "annex.toml");
        }
    }
}
