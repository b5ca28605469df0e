//! The report formats of `annex check` on a real assessment (testdata/assessment.json, made
//! by testdata/make-assessment): snapshots, the official schemas, determinism, and the HTML
//! page in headless Chromium.

use annex_assess::{Assessment, Status};
use annex_report::{badge, html, junit, oscal, sarif};
use annex_spec::oscal::{DocumentRef, OscalLinks};
use annex_types::BuildTime;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The shared corpus (schemas, validators): `ANNEX_SHARED` or ../shared beside the repo.
fn shared() -> PathBuf {
    std::env::var_os("ANNEX_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

fn fixture() -> Assessment {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testdata/assessment.json"),
    )
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn links() -> OscalLinks {
    OscalLinks {
        profile: Some(DocumentRef {
            id: "osps-l1".into(),
            version: "2026.11".into(),
            uuid: "0b6c2f8e-5a1d-5c3e-9f00-112233445566".into(),
        }),
        catalogs: vec![DocumentRef {
            id: "osps".into(),
            version: "v2026.02.19".into(),
            uuid: "7d1e0c44-2b9a-5f1e-8c77-665544332211".into(),
        }],
    }
}

fn out_file(name: &str, content: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("annex-report");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn validate(kind: &str, file: &Path) {
    let out = Command::new("python3")
        .arg(shared().join("tools/validate_doc.py"))
        .arg(kind)
        .arg(file)
        .output()
        .expect("python3 runs (pip install 'jsonschema[format-nongpl]>=4.18')");
    assert!(
        out.status.success(),
        "{kind} {}: {}{}",
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Well-formed XML, checked by xmllint (scripts/test installs libxml2-utils).
fn well_formed(file: &Path) {
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg(file)
        .output()
        .expect("xmllint runs (apt-get install libxml2-utils; scripts/test installs it)");
    assert!(
        out.status.success(),
        "{}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn with_status(mut a: Assessment, requirement: &str, status: Status) -> Assessment {
    let r = a
        .results
        .iter_mut()
        .find(|r| r.requirement == requirement)
        .unwrap();
    r.status = status;
    a
}

#[test]
fn sarif_snapshot_schema_and_locations() {
    let a = fixture();
    let doc = sarif::check_sarif(&a);
    let text = serde_json::to_string_pretty(&doc).unwrap();
    assert_eq!(
        text,
        serde_json::to_string_pretty(&sarif::check_sarif(&a)).unwrap()
    );
    validate("sarif-2.1.0", &out_file("check.sarif", &text));
    insta::assert_snapshot!("check_sarif", text);
    let run = &doc["runs"][0];
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        a.results.len()
    );
    // Each result sits at its requirement's evidence; only failures are alerts.
    for (r, res) in a.results.iter().zip(run["results"].as_array().unwrap()) {
        assert_eq!(res["ruleId"], r.requirement.as_str());
        let locs = res["locations"].as_array().map(Vec::len).unwrap_or(0);
        assert_eq!(locs, r.evidence.len(), "{}", r.requirement);
        assert_eq!(res["level"] == "error", r.status == Status::Fail);
    }
    let unknown = with_status(a, "OSPS-LE-02.01", Status::Unknown);
    let doc = sarif::check_sarif(&unknown);
    let res = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "OSPS-LE-02.01")
        .unwrap();
    assert_eq!(res["kind"], "open", "unknown is neither pass nor fail");
}

#[test]
fn junit_snapshot_and_counts() {
    let a = fixture();
    let xml = junit::junit(&a);
    assert_eq!(xml, junit::junit(&a));
    well_formed(&out_file("check.junit.xml", &xml));
    insta::assert_snapshot!("check_junit", xml);
    let s = &a.summary;
    assert!(xml.contains(&format!(
        "tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\"",
        s.total,
        s.fail,
        s.needs_review + s.not_run + s.not_applicable
    )));
    let unknown = junit::junit(&with_status(a, "OSPS-LE-02.01", Status::Unknown));
    assert!(unknown.contains("<error type=\"unknown\""), "{unknown}");
}

#[test]
fn badge_snapshot_and_colours() {
    let a = fixture();
    let svg = badge::badge(&a);
    assert_eq!(svg, badge::badge(&a));
    well_formed(&out_file("badge.svg", &svg));
    insta::assert_snapshot!("check_badge", svg);
    let (pass, na) = (a.summary.pass, a.summary.not_applicable);
    assert!(svg.contains(&format!(">{pass}/{}<", a.summary.total - na)));
    assert!(svg.contains("#e05d44"), "a failure makes the badge red");
    let mut all = a.clone();
    for r in &mut all.results {
        if r.status != Status::NotApplicable {
            r.status = Status::Pass;
        }
    }
    all.summary.pass = all.summary.total - na;
    (
        all.summary.fail,
        all.summary.needs_review,
        all.summary.not_run,
    ) = (0, 0, 0);
    assert!(badge::badge(&all).contains("#44cc11"));
    let mut review = all.clone();
    review.summary.pass -= 1;
    review.summary.needs_review = 1;
    assert!(badge::badge(&review).contains("#dfb317"));
}

#[test]
fn oscal_assessment_results_validate_link_and_read_back() {
    let a = fixture();
    let doc = oscal::assessment_results(&a, &links(), BuildTime::DEFAULT);
    let text = serde_json::to_string_pretty(&doc).unwrap();
    assert_eq!(
        text,
        serde_json::to_string_pretty(&oscal::assessment_results(&a, &links(), BuildTime::DEFAULT))
            .unwrap()
    );
    validate(
        "oscal-1.1.2:assessment-results",
        &out_file("check.oscal.json", &text),
    );
    insta::assert_snapshot!("check_oscal_ar", text);
    let ar = &doc["assessment-results"];
    assert_eq!(
        ar["import-ap"]["href"],
        "#0b6c2f8e-5a1d-5c3e-9f00-112233445566"
    );
    let resources = ar["back-matter"]["resources"].as_array().unwrap();
    assert!(
        resources
            .iter()
            .any(|r| r["uuid"] == "7d1e0c44-2b9a-5f1e-8c77-665544332211")
    );
    let back = oscal::assessment_from_oscal(&text, "check.oscal.json").unwrap();
    assert_eq!(back, a);
    // Only a pass is `satisfied`.
    for f in ar["results"][0]["findings"].as_array().unwrap() {
        let satisfied = f["target"]["status"]["state"] == "satisfied";
        let status = f["props"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "status")
            .unwrap();
        assert_eq!(satisfied, status["value"] == "pass");
    }
}

#[test]
fn oscal_reader_rejects_what_it_cannot_read() {
    for bad in [
        "{",
        "{\"assessment-results\": 1}",
        "{\"assessment-results\": {\"metadata\": {}}}",
    ] {
        assert!(
            oscal::assessment_from_oscal(bad, "bad.json").is_err(),
            "{bad}"
        );
    }
    let a = fixture();
    let mut doc = oscal::assessment_results(&a, &links(), BuildTime::DEFAULT);
    doc["assessment-results"]["results"][0]["findings"][0]["props"][1]["value"] = "great".into();
    let err = oscal::assessment_from_oscal(&doc.to_string(), "x.json").unwrap_err();
    assert!(err.to_string().contains("unknown status `great`"), "{err}");
}

#[test]
fn html_snapshot_links_and_filters() {
    let a = fixture();
    let opts = html::HtmlOptions {
        source_base: Some("https://github.com/example/demo/blob/HEAD/".into()),
    };
    let page = html::html(&a, &opts);
    assert_eq!(page, html::html(&a, &opts));
    insta::assert_snapshot!("check_html", page);
    assert!(!page.contains("<script"), "no script needed");
    assert!(!page.contains("src=\"http"), "nothing from the network");
    let first = a.results.iter().flat_map(|r| &r.evidence).next().unwrap();
    assert!(page.contains(&format!(
        "href=\"https://github.com/example/demo/blob/HEAD/{}#L{}\"",
        first.path, first.line
    )));
    assert!(page.contains("#st-fail:target~main .req:not(.st-fail)"));
    let plain = html::html(&a, &html::HtmlOptions::default());
    assert!(
        !plain.contains("github.com"),
        "no links without a known remote"
    );
}

/// The page renders in headless Chromium without console errors; the screenshot is left in
/// the target directory as the test's artefact.
#[test]
fn html_renders_in_headless_chromium() {
    let chromium = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok())
        .expect(
            "chromium is not installed: `apt-get install -y chromium` (scripts/test and .ci/run install it)",
        );
    let page = html::html(&fixture(), &html::HtmlOptions::default());
    let file = out_file("check.html", &page);
    let shot = file.with_extension("png");
    let _ = std::fs::remove_file(&shot);
    let url = format!("file://{}#st-fail", file.display());
    let run = |extra: &[&str]| {
        let out = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--enable-logging=stderr",
                "--v=0",
            ])
            .args(extra)
            .arg(&url)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let dom = run(&["--dump-dom"]);
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    assert!(dom_text.contains("id=\"requirements\""), "{dom_text}");
    let shot_arg = format!("--screenshot={}", shot.display());
    let out = run(&[&shot_arg, "--window-size=1200,1600"]);
    let stderr =
        String::from_utf8_lossy(&dom.stderr).to_string() + &String::from_utf8_lossy(&out.stderr);
    let console: Vec<&str> = stderr.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:?}");
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "screenshot at {}",
        shot.display()
    );
    eprintln!("screenshot: {}", shot.display());
}
