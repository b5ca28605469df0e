//! C and C++: `conan.lock`, `vcpkg.json`; conanfiles are recognised, not read.

use super::simple::{Read, Simple, declared_only, lockfile};
use crate::kind::Kind;
use crate::parse::cpp;
use annex_types::ecosystem::{CONAN, VCPKG};

pub(super) const CONAN_LOCK: Simple = lockfile("conan.lock", CONAN, cpp::conan_lock);
pub(super) const CONANFILE: Simple = declared_only(
    "conanfile.txt",
    &["conanfile.py"],
    CONAN,
    "a Conan recipe (requirements, not a resolved graph); conan.lock pins them",
);
pub(super) const VCPKG_JSON: Simple = Simple {
    name: "vcpkg.json",
    aliases: &[],
    ecosystem: VCPKG,
    kind: Kind::Manifest,
    read: Read::Parse(cpp::vcpkg),
    classified: true,
};
