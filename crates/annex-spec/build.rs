//! Embeds every file under catalogs/, mappings/, rules/ and profiles/ into the library,
//! so the binary carries its specifications and new files need no code change.
use std::{env, fs, path::Path};

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut entries = Vec::new();
    for dir in ["catalogs", "mappings", "rules", "profiles"] {
        let path = Path::new(&root).join(dir);
        println!("cargo:rerun-if-changed={}", path.display());
        let Ok(read) = fs::read_dir(&path) else {
            continue;
        };
        for entry in read.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".yaml") {
                println!("cargo:rerun-if-changed={}", entry.path().display());
                entries.push(format!("{dir}/{name}"));
            }
        }
    }
    entries.sort();
    let mut out = String::from("pub static BUILTIN_FILES: &[(&str, &str)] = &[\n");
    for e in &entries {
        out.push_str(&format!(
            "    ({e:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{e}\"))),\n"
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin.rs");
    fs::write(dest, out).expect("write builtin.rs");
}
