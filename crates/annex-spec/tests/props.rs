//! Untrusted specification files: whatever the bytes, loading returns a value or an error.
use annex_spec::parse_document;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = parse_document(&text, "fuzz.yaml");
    }

    #[test]
    fn yaml_like_text_never_panics(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("controls:".to_string()),
                Just("  - id: OSPS-X-01".to_string()),
                Just("    assessment-requirements:".to_string()),
                Just("      - id: OSPS-X-01.01".to_string()),
                Just("        applicability: [maturity-1]".to_string()),
                Just("metadata: {id: x}".to_string()),
                Just("rules: [{requirement: a, rule: 'x &&'}]".to_string()),
                Just("mappings: [{source: a, target: b, relationship: nope}]".to_string()),
                Just("imports: {catalogs: [{reference-id: osps}]}".to_string()),
                Just("a: &x [*x]".to_string()),
                "[ -~]{0,30}",
            ],
            0..12,
        )
    ) {
        let _ = parse_document(&lines.join("\n"), "fuzz.yaml");
    }
}

#[test]
fn alias_bombs_are_bounded() {
    // Nine levels of ten-fold aliasing: a billion nodes if expanded naively.
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let prev = format!("*a{}", i - 1);
        text.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
    }
    text.push_str("controls: *a8\n");
    assert!(parse_document(&text, "bomb.yaml").is_err());
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let text = format!("controls: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse_document(&text, "deep.yaml").is_err());
}
