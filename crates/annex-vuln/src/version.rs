//! Version ordering per ecosystem.
