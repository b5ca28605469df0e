//! Dependency lockfiles of ecosystems annex has no parser for. Registered so that a scan
//! reports them as skipped (`unsupported`) instead of passing over them in silence; not
//! named by [`crate::detect::classify`], so evidence's output is as before.
//!
//! Chosen: files that pin a project's resolved third-party packages, each written by its
//! package manager under a fixed name. Left out: `flake.lock` (pins Nix flake inputs,
//! source trees rather than packages of an advisory ecosystem), and names too generic to
//! claim without reading the file (`Manifest.toml`, `*.lock`).

use super::simple::{Read, Simple};
use crate::kind::Kind;

const fn lock(name: &'static str, ecosystem: &'static str, what: &'static str) -> Simple {
    Simple {
        name,
        aliases: &[],
        ecosystem,
        kind: Kind::Lockfile,
        read: Read::Unsupported(what),
        classified: false,
    }
}

pub(super) const PUBSPEC_LOCK: Simple = lock("pubspec.lock", "Pub", "Dart/Flutter (pub) lockfile");
pub(super) const MIX_LOCK: Simple = lock("mix.lock", "Hex", "Elixir (Mix) lockfile");
pub(super) const REBAR_LOCK: Simple = lock("rebar.lock", "Hex", "Erlang (rebar3) lockfile");
pub(super) const PACKAGE_RESOLVED: Simple = lock(
    "Package.resolved",
    "SwiftURL",
    "Swift Package Manager lockfile",
);
pub(super) const PODFILE_LOCK: Simple = lock("Podfile.lock", "CocoaPods", "CocoaPods lockfile");
pub(super) const CARTFILE_RESOLVED: Simple =
    lock("Cartfile.resolved", "Carthage", "Carthage lockfile");
pub(super) const DENO_LOCK: Simple = lock("deno.lock", "npm", "Deno lockfile");
pub(super) const PAKET_LOCK: Simple = lock("paket.lock", "NuGet", "Paket (.NET) lockfile");
pub(super) const RENV_LOCK: Simple = lock("renv.lock", "CRAN", "R (renv) lockfile");
pub(super) const STACK_LOCK: Simple = lock("stack.yaml.lock", "Hackage", "Haskell Stack lockfile");
pub(super) const CABAL_FREEZE: Simple = lock(
    "cabal.project.freeze",
    "Hackage",
    "Haskell Cabal freeze file",
);
