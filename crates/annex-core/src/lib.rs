//! The annex pipeline as a library. A [`Project`] reads the checkout, its file index and
//! `annex.toml` once, and produces evidence, inventory, findings (with VEX triage) and the
//! assessment as typed values; every command, the fleet workers and the server call it. It
//! is the only place that chains the engines, and the only place (with `annex-forge`) where
//! network actions live, each behind an explicit option.

pub mod db_update;
