//! annex-server: the fleet dashboard and its JSON API, over an [`annex_store::Store`].
//!
//! Pages are rendered on the server as plain HTML with inline CSS and SVG charts: they work
//! without JavaScript and load nothing from elsewhere. Every page has a JSON twin under
//! `/api/`, described by `/api/openapi.json`. Writes (add a project, upload a run, queue a scan) need a
//! bearer token the store knows (only its hash is kept); reads are public unless the server
//! is private. Request bodies are size-limited and every error is JSON `{"error": "…"}`.

mod api;
mod pages;
mod state;
mod svg;

use state::AppState;
pub use state::{ApiError, ServerConfig};

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

/// Default largest request body: a run report of a large project is a few MiB.
pub const DEFAULT_MAX_BODY: usize = 8 * 1024 * 1024;

/// The bearer token of a request, if it carries one.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// Whether the request carries a token the store knows.
async fn authorised(state: &ServerConfig, headers: &HeaderMap) -> Result<bool, ApiError> {
    match bearer(headers) {
        Some(t) if !t.is_empty() => Ok(state.store.token_name(t).await?.is_some()),
        _ => Ok(false),
    }
}

fn unauthorised() -> Response {
    let mut r = ApiError::new(
        StatusCode::UNAUTHORIZED,
        "a valid bearer token is needed (annex serve token create)",
    )
    .into_response();
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Bearer"),
    );
    r
}

/// Writes always need a token.
async fn require_token(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match authorised(&state, req.headers()).await {
        Ok(true) => next.run(req).await,
        Ok(false) => unauthorised(),
        Err(e) => e.into_response(),
    }
}

/// Reads need one only on a private server.
async fn read_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !state.private {
        return next.run(req).await;
    }
    match authorised(&state, req.headers()).await {
        Ok(true) => next.run(req).await,
        Ok(false) => unauthorised(),
        Err(e) => e.into_response(),
    }
}

async fn not_found(req: Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        ApiError::new(StatusCode::NOT_FOUND, "no such endpoint").into_response()
    } else {
        pages::not_found("no such page")
    }
}

/// The application: pages, API, limits.
pub fn router(config: ServerConfig) -> Router {
    let state: AppState = Arc::new(config);
    let writes = Router::new()
        .route("/api/projects", post(api::add_project))
        .route("/api/projects/{name}/runs", post(api::upload_run))
        .route("/api/projects/{name}/enqueue", post(api::enqueue))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            require_token,
        ));
    let reads = Router::new()
        .route("/", get(pages::overview))
        .route("/projects/{name}", get(pages::project))
        .route("/requirements/{id}", get(pages::requirement))
        .route("/cra/{id}", get(pages::cra_item))
        .route("/api/overview", get(api::overview))
        .route("/api/projects/{name}", get(api::project))
        .route("/api/requirements/{id}", get(api::requirement))
        .route("/api/cra/{id}", get(api::cra_item))
        .route("/api/openapi.json", get(api::openapi))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            read_guard,
        ));
    let max_body = state.max_body;
    Router::new()
        .merge(writes)
        .merge(reads)
        .route("/healthz", get(|| async { "ok" }))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}

/// Serve on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: ServerConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(config))
        .with_graceful_shutdown(shutdown)
        .await
}
