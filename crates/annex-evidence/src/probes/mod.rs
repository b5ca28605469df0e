//! The probes: each turns the walked files into one part of the evidence document.

pub(crate) mod ci;
pub(crate) mod ci_analysis;
pub(crate) mod deps;
pub(crate) mod dockerfile;
pub(crate) mod docs;
pub(crate) mod gitlab;
pub(crate) mod job_purpose;
pub(crate) mod license;
pub(crate) mod markers;
pub(crate) mod misc;
pub(crate) mod names;
pub(crate) mod policy;
pub(crate) mod project;
pub(crate) mod scripts;
pub(crate) mod toml_lines;
pub(crate) mod tools;
pub(crate) mod workflows;
pub(crate) mod yaml_tree;
