//! What every handler shares: the server's configuration and the JSON error.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use annex_store::Store;
use annex_store::fleet::Clock;

/// How the server runs.
#[derive(Clone)]
pub struct ServerConfig {
    pub store: Store,
    /// Reads need a token too.
    pub private: bool,
    pub max_body: usize,
    /// The caller's clock, milliseconds since the epoch (upload times).
    pub clock: Clock,
}

pub(crate) type AppState = Arc<ServerConfig>;

/// An error answered as JSON `{"error": message}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            axum::Json(serde_json::json!({ "error": self.message })),
        )
            .into_response()
    }
}

impl From<annex_store::StoreError> for ApiError {
    fn from(e: annex_store::StoreError) -> ApiError {
        use annex_store::StoreError as E;
        match &e {
            E::NoProject(_) => ApiError::new(StatusCode::NOT_FOUND, e.to_string()),
            E::Duplicate(_) => ApiError::new(StatusCode::CONFLICT, e.to_string()),
            E::Invalid { .. } => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
            // The cause stays in the server; the client learns only that it failed.
            _ => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the store failed"),
        }
    }
}
