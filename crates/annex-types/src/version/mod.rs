//! Version orderings more than one engine needs: Maven's (dependency mediation in
//! annex-inventory, advisory ranges in annex-vuln) and the number helpers the orderings share.

pub mod maven;
pub mod num;
