//! Article 14: recording actively exploited vulnerabilities and severe incidents, the
//! reporting clocks, and drafts of the reports and of the user notice.
//!
//! Each event is a TOML file under `.annex/incidents/<id>.toml` in the checkout. The
//! clocks (Article 14(2) and (4)):
//!
//! | report | vulnerability (14(2)) | severe incident (14(4)) |
//! |---|---|---|
//! | early warning | 24 h after awareness | 24 h after awareness |
//! | notification | 72 h after awareness | 72 h after awareness |
//! | final report | 14 days after a corrective or mitigating measure is available | one month after the notification was submitted |
//!
//! Only an actively exploited vulnerability starts clocks. Deadlines are instants: they
//! are computed on the time with the offset given (so time zones and daylight-saving
//! changes cannot shift them) and shown in that offset and in UTC. "One month" is the
//! same day of the next month, or that month's last day when it has no such day (31
//! January → 28 or 29 February), as in Regulation (EEC, Euratom) No 1182/71. annex counts
//! from the moment itself and does not extend a period ending on a weekend or holiday,
//! so its deadlines are never later than the legal ones.

mod clocks;
mod draft;
mod model;
mod notice;
mod report;
mod store;

pub use clocks::*;
pub use draft::*;
pub use model::*;
pub use report::REPORT_SCHEMA;
pub use store::*;
