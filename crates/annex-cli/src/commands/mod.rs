//! One module per command (or family of commands): arguments, the library call, rendering,
//! the exit status.

pub mod check;
pub mod docs;
pub mod fleet;
pub mod inventory;
pub mod shell;
pub mod spec;
pub mod vulns;
