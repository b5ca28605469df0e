//! Dockerfiles: `FROM` images pinned by digest, and the shell lines of `RUN`.

use std::collections::BTreeSet;

use crate::probes::ci_analysis::{Analysis, Ctx};

pub(crate) fn analyse(a: &mut Analysis, rel: &str, text: &str, hashed: &dyn Fn(&str) -> bool) {
    let mut stages: BTreeSet<String> = BTreeSet::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        // Join continuation lines.
        let mut joined = String::new();
        loop {
            let l = lines[i].trim_end();
            match l.strip_suffix('\\') {
                Some(body) => {
                    joined.push_str(body);
                    joined.push(' ');
                    i += 1;
                    if i >= lines.len() {
                        break;
                    }
                }
                None => {
                    joined.push_str(l);
                    i += 1;
                    break;
                }
            }
        }
        let n = start as u64 + 1;
        let t = joined.trim();
        if t.starts_with('#') || t.is_empty() {
            continue;
        }
        let (instr, rest) = t.split_once(char::is_whitespace).unwrap_or((t, ""));
        if instr.eq_ignore_ascii_case("FROM") {
            let words: Vec<&str> = rest
                .split_whitespace()
                .filter(|w| !w.starts_with("--"))
                .collect();
            let Some(image) = words.first() else { continue };
            let earlier_stage = stages.contains(&image.to_ascii_lowercase());
            if words.len() >= 3 && words[1].eq_ignore_ascii_case("AS") {
                stages.insert(words[2].to_ascii_lowercase());
            }
            if image.eq_ignore_ascii_case("scratch") || earlier_stage {
                continue;
            }
            a.image(rel, n, image, None);
        } else if instr.eq_ignore_ascii_case("RUN") {
            // Exec form: RUN ["sh", "-c", "…"] is checked as written.
            a.shell(rel, rest, n, None, &Ctx::default(), hashed);
        }
    }
}
