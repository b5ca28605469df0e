//! The crate's error type, a leaf of its own so that returning it imports nothing else.

/// Why evidence could not be collected.
#[derive(thiserror::Error, Debug)]
pub enum EvidenceError {
    /// The checkout could not be indexed (missing root, invalid exclude pattern).
    #[error(transparent)]
    Checkout(#[from] annex_checkout::CheckoutError),
}
