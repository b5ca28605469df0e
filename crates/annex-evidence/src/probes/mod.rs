//! The probes: each turns the walked files into one part of the evidence document.

pub(crate) mod ci;
pub(crate) mod deps;
pub(crate) mod docs;
pub(crate) mod license;
pub(crate) mod markers;
pub(crate) mod misc;
pub(crate) mod names;
pub(crate) mod policy;
pub(crate) mod project;
pub(crate) mod toml_lines;
pub(crate) mod tools;
