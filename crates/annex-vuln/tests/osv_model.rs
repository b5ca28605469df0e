//! The OSV model: lenient on what the schema leaves open, strict on what matching needs.

use annex_vuln::osv::{Advisory, Event, OsvError, RangeType, SeverityType, parse_timestamp};
use proptest::prelude::*;

const FULL: &str = r#"{
  "schema_version": "1.7.0",
  "id": "GHSA-aaaa-bbbb-cccc",
  "modified": "2024-05-01T10:00:00.123456Z",
  "published": "2024-04-01T00:00:00Z",
  "withdrawn": null,
  "aliases": ["CVE-2024-0001"],
  "related": ["CVE-2024-0002"],
  "upstream": ["CVE-2023-9999"],
  "summary": "Something bad",
  "details": "Long text",
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
               {"type": "Ubuntu", "score": "medium"},
               {"type": "FUTURE_TYPE", "score": "x"}],
  "affected": [{
    "package": {"ecosystem": "PyPI", "name": "Foo_Bar", "purl": "pkg:pypi/foo-bar"},
    "ranges": [
      {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.3"}],
       "database_specific": {"x": 1}},
      {"type": "GIT", "repo": "https://example.com/r.git",
       "events": [{"introduced": "0"}, {"limit": "*"}]}
    ],
    "versions": ["1.0", "1.1"],
    "ecosystem_specific": {"imports": [{"module": "foo"}]},
    "database_specific": {"source": "x"},
    "unknown_field": true
  }],
  "references": [{"type": "WEB", "url": "https://example.com"}],
  "credits": [{"name": "Alice", "contact": ["mailto:a@example.com"], "type": "FINDER"}],
  "database_specific": {"anything": [1, 2, 3]},
  "some_future_field": {"ignored": true}
}"#;

#[test]
fn full_record_round_trips() {
    let a = Advisory::from_json(FULL.as_bytes()).unwrap();
    assert_eq!(a.id, "GHSA-aaaa-bbbb-cccc");
    assert_eq!(a.aliases, ["CVE-2024-0001"]);
    assert_eq!(a.upstream, ["CVE-2023-9999"]);
    assert!(!a.is_withdrawn());
    assert_eq!(a.severity[0].kind, SeverityType::CvssV3);
    assert_eq!(a.severity[1].kind, SeverityType::Ubuntu);
    assert_eq!(
        a.severity[2].kind,
        SeverityType::Other("FUTURE_TYPE".into())
    );
    let aff = &a.affected[0];
    assert_eq!(aff.package.as_ref().unwrap().name, "Foo_Bar");
    assert_eq!(aff.ranges[0].kind, RangeType::Ecosystem);
    assert_eq!(
        aff.ranges[0].events,
        [Event::Introduced("0".into()), Event::Fixed("1.2.3".into())]
    );
    assert_eq!(aff.ranges[1].kind, RangeType::Git);
    assert_eq!(aff.ranges[1].events[1], Event::Limit("*".into()));
    assert_eq!(aff.versions, ["1.0", "1.1"]);
    assert_eq!(a.credits[0].kind.as_deref(), Some("FINDER"));
    assert_eq!(a.id_prefix(), "GHSA");
    assert_eq!(
        a.ids().collect::<Vec<_>>(),
        ["GHSA-aaaa-bbbb-cccc", "CVE-2024-0001"]
    );
    // Serialising and reading back gives the same model.
    let json = serde_json::to_string(&a).unwrap();
    assert!(json.contains(r#"{"introduced":"0"}"#));
    let b = Advisory::from_json(json.as_bytes()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn nulls_and_missing_lists_are_empty() {
    let a = Advisory::from_json(
        br#"{"id":"OSV-1","modified":"2024-01-01T00:00:00Z","aliases":null,"affected":null,
             "references":null,"severity":null}"#,
    )
    .unwrap();
    assert!(a.aliases.is_empty() && a.affected.is_empty() && a.references.is_empty());
}

#[test]
fn yaml_records_parse() {
    let yaml = r#"
id: PYSEC-2099-1
modified: 2023-07-25T16:31:58.309647Z
published: 2023-03-31T20:15:00Z
aliases:
- CVE-2099-1
details: text
affected:
- package:
    ecosystem: PyPI
    name: zstd
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: "0"
    - fixed: 1.5
  versions:
  - 1.0
  - 2
  - 1.4.5.1
"#;
    let a = Advisory::from_yaml(yaml).unwrap();
    assert_eq!(a.modified, "2023-07-25T16:31:58.309647Z");
    // Plain scalars that look like numbers stay the strings they were written as.
    assert_eq!(a.affected[0].versions, ["1.0", "2", "1.4.5.1"]);
    assert_eq!(
        a.affected[0].ranges[0].events[1],
        Event::Fixed("1.5".into())
    );
}

fn invalid(json: &str) -> String {
    match Advisory::from_json(json.as_bytes()) {
        Ok(_) => panic!("accepted: {json}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn garbage_is_rejected_with_a_clear_error() {
    let e = invalid("not json at all");
    assert!(
        e.contains("invalid OSV JSON") && e.contains("line 1"),
        "{e}"
    );
    let e = invalid(r#"{"id": "X-1"}"#);
    assert!(e.contains("missing field `modified`"), "{e}");
    let e = invalid(r#"[1, 2, 3]"#);
    assert!(e.contains("invalid OSV JSON"), "{e}");
    let e = invalid(r#"{"id": "", "modified": "2024-01-01T00:00:00Z"}"#);
    assert!(e.contains("`id` is empty"), "{e}");
    let e = invalid(r#"{"id": "a b", "modified": "2024-01-01T00:00:00Z"}"#);
    assert!(e.contains("not an identifier"), "{e}");
    let e = invalid(r#"{"id": "X-1", "modified": "yesterday"}"#);
    assert!(e.contains("RFC 3339"), "{e}");
    let e = invalid(r#"{"id": "X-1", "modified": 17}"#);
    assert!(e.contains("invalid type"), "{e}");
}

fn with_events(events: &str) -> String {
    format!(
        r#"{{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{{"package":{{"ecosystem":"npm","name":"a"}},
            "ranges":[{{"type":"SEMVER","events":{events}}}]}}]}}"#
    )
}

#[test]
fn events_follow_the_schema() {
    let e = invalid(&with_events(r#"[{"introduced":"1.0.0","fixed":"1.0.2"}]"#));
    assert!(e.contains("exactly one is allowed"), "{e}");
    let e = invalid(&with_events(r#"[{"foo":"1"}]"#));
    assert!(e.contains("none of"), "{e}");
    let e = invalid(&with_events(r#"[{"fixed":"1.0.0"}]"#));
    assert!(e.contains("no `introduced` event"), "{e}");
    let e = invalid(&with_events(r#"[]"#));
    assert!(e.contains("no events"), "{e}");
    let e = invalid(&with_events(
        r#"[{"introduced":"0"},{"fixed":"1"},{"last_affected":"2"}]"#,
    ));
    assert!(e.contains("mixes `fixed` and `last_affected`"), "{e}");
    let e = invalid(&with_events(r#"[{"introduced":""}]"#));
    assert!(e.contains("empty `introduced`"), "{e}");
    // Unknown extra keys in an event are tolerated.
    Advisory::from_json(with_events(r#"[{"introduced":"0","note":"x"}]"#).as_bytes()).unwrap();
}

#[test]
fn git_ranges_need_a_repo_and_get_linted() {
    let no_repo = r#"{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"ranges":[{"type":"GIT","events":[{"introduced":"0"}]}]}]}"#;
    assert!(invalid(no_repo).contains("without `repo`"));
    let short = r#"{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"a"},
        "ranges":[{"type":"GIT","repo":"https://x","events":[{"introduced":"0"},{"fixed":"cb35df940a"}]}]}]}"#;
    let a = Advisory::from_json(short.as_bytes()).unwrap();
    let lint = a.lint();
    assert_eq!(lint.len(), 1);
    assert!(lint[0].contains("not a full commit hash"), "{lint:?}");
}

#[test]
fn timestamps() {
    assert!(parse_timestamp("2024-01-02T03:04:05Z").is_some());
    assert!(parse_timestamp("2024-01-02T03:04:05.123456789+02:00").is_some());
    assert!(parse_timestamp("2024-01-02").is_some());
    assert!(parse_timestamp("2024-13-02").is_none());
    assert!(
        parse_timestamp("2024-01-02T00:00:00.5Z").unwrap()
            > parse_timestamp("2024-01-02T00:00:00Z").unwrap()
    );
}

#[test]
fn error_type_is_typed() {
    assert!(matches!(
        Advisory::from_yaml(": : :\n  - ["),
        Err(OsvError::Yaml(_))
    ));
    assert!(matches!(Advisory::from_json(b"{}"), Err(OsvError::Json(_))));
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let depth = 100_000;
    let json = format!(
        r#"{{"id":"X-1","modified":"2024-01-01T00:00:00Z","database_specific":{}{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert!(Advisory::from_json(json.as_bytes()).is_err());
    let yaml = format!(
        "id: X-1\nmodified: 2024-01-01T00:00:00Z\ndatabase_specific: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert!(Advisory::from_yaml(&yaml).is_err());
    // Alias expansion ("billion laughs") is bounded too.
    let mut laughs = String::from(
        "id: X-1\nmodified: 2024-01-01T00:00:00Z\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..12 {
        let prev = i - 1;
        laughs.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    laughs.push_str("database_specific: {x: *a11}\n");
    let _ = Advisory::from_yaml(&laughs);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = Advisory::from_json(&bytes);
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = Advisory::from_yaml(text);
        }
    }

    #[test]
    fn mutated_records_never_panic(cut in 0usize..FULL.len(), insert in ".{0,8}") {
        let mut s = FULL.to_string();
        let at = (0..=cut).rev().find(|i| s.is_char_boundary(*i)).unwrap_or(0);
        s.insert_str(at, &insert);
        let _ = Advisory::from_json(s.as_bytes());
        let _ = Advisory::from_yaml(&s);
        let _ = Advisory::from_json(&s.as_bytes()[..at]);
    }
}

/// Issue 16 item 10: a record with more `affected` entries than MAX_AFFECTED is refused
/// with a clear error (one with 200,000 cost ~220 MB per matched package).
#[test]
fn too_many_affected_entries_are_refused() {
    let entry = r#"{"package": {"ecosystem": "PyPI", "name": "x"}, "versions": ["1.0"]}"#;
    let record = |n: usize| {
        format!(
            r#"{{"id": "PYSEC-0", "modified": "2024-01-01T00:00:00Z", "affected": [{}]}}"#,
            vec![entry; n].join(",")
        )
    };
    let limit = annex_vuln::osv::MAX_AFFECTED;
    assert!(Advisory::from_json(record(limit).as_bytes()).is_ok());
    let e = Advisory::from_json(record(limit + 1).as_bytes()).expect_err("over the limit");
    assert!(e.to_string().contains("affected"), "{e}");
}
