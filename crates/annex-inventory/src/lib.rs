//! Detect package ecosystems and (later) parse their lockfiles and manifests into an
//! inventory. For now this crate only knows which file names are manifests or lockfiles of
//! which ecosystem ([`detect::classify`]); `annex-evidence` uses that during its walk.

pub mod detect;
