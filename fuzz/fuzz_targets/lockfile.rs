//! Every lockfile and manifest parser behind `parse_file`: the first byte picks the file
//! name (odd: an extractor of the registry, by the name it goes by when it claims it;
//! even: the list below), the rest is the content. Must never panic, overflow the stack or
//! run away.
#![no_main]

use libfuzzer_sys::fuzz_target;

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
    "poetry.lock",
    "uv.lock",
    "pdm.lock",
    "Pipfile.lock",
    "pylock.toml",
    "requirements.txt",
    "composer.lock",
    "Gemfile.lock",
    "pom.xml",
    "gradle.lockfile",
    "packages.lock.json",
    "conan.lock",
    "vcpkg.json",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, content)) = data.split_first() else {
        return;
    };
    let registry = annex_inventory::extract::REGISTRY;
    let from_registry = registry[usize::from(pick / 2) % registry.len()].name();
    let name = if pick % 2 == 1 && annex_inventory::extract::find(from_registry, "").is_some() {
        from_registry
    } else {
        NAMES[usize::from(pick / 2) % NAMES.len()]
    };
    let _ = annex_inventory::parse::parse_file(name, content);
    let _ = annex_inventory::purl::parse_purl(&String::from_utf8_lossy(content));
});
