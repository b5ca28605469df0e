//! The JSON API: the data of each page, and the writes.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use annex_core::fleet::{RUN_REPORT_SCHEMA, RunReport};
use annex_store::{NewProject, Outcome, OverviewRow, ProjectRow, RunDetail, RunRow};

use crate::state::{ApiError, AppState};

/// Runs listed in a project's history.
pub(crate) const HISTORY: i64 = 100;

/// How the overview is filtered and sorted (query parameters of `/` and `/api/overview`).
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct OverviewQuery {
    /// `name` (default), `fail`, `pass`, `coverage`, `findings`, `last-run`.
    pub sort: Option<String>,
    /// `desc` reverses.
    pub order: Option<String>,
    pub tag: Option<String>,
    pub profile: Option<String>,
    /// `failing`, `passing`, `error`, `never-run`.
    pub status: Option<String>,
}

pub(crate) const SORTS: [&str; 6] = ["name", "fail", "pass", "coverage", "findings", "last-run"];

fn open_findings(r: &OverviewRow) -> usize {
    r.findings.values().sum()
}

fn coverage_permille(r: &OverviewRow) -> usize {
    (r.cra_covered * 1000)
        .checked_div(r.cra_applicable)
        .unwrap_or(0)
}

fn status_of(r: &OverviewRow) -> &'static str {
    match &r.last_run {
        None => "never-run",
        Some(run) if run.outcome != "ok" => "error",
        Some(run) if run.summary.fail > 0 => "failing",
        Some(_) => "passing",
    }
}

/// Filter and sort the overview rows as the query asks.
pub(crate) fn select(mut rows: Vec<OverviewRow>, q: &OverviewQuery) -> Vec<OverviewRow> {
    let nonempty = |o: &Option<String>| o.as_deref().filter(|s| !s.is_empty()).map(str::to_string);
    if let Some(tag) = nonempty(&q.tag) {
        rows.retain(|r| r.project.tags.contains(&tag));
    }
    if let Some(profile) = nonempty(&q.profile) {
        rows.retain(|r| {
            r.last_run
                .as_ref()
                .map(|run| run.profile.as_str())
                .or(r.project.profile.as_deref())
                == Some(profile.as_str())
        });
    }
    if let Some(status) = nonempty(&q.status) {
        rows.retain(|r| status_of(r) == status);
    }
    let key = |r: &OverviewRow| -> (usize, i64) {
        let run = r.last_run.as_ref();
        match q.sort.as_deref().unwrap_or("name") {
            "fail" => (run.map_or(0, |x| x.summary.fail), 0),
            "pass" => (run.map_or(0, |x| x.summary.pass), 0),
            "coverage" => (coverage_permille(r), 0),
            "findings" => (open_findings(r), 0),
            "last-run" => (0, run.map_or(0, |x| x.started_at)),
            _ => (0, 0),
        }
    };
    // Stable: ties keep name order.
    rows.sort_by(|a, b| {
        key(a)
            .cmp(&key(b))
            .then_with(|| a.project.name.cmp(&b.project.name))
    });
    if q.order.as_deref() == Some("desc") {
        rows.reverse();
    }
    rows
}

pub(crate) async fn overview(
    State(state): State<AppState>,
    Query(q): Query<OverviewQuery>,
) -> Result<Json<Vec<OverviewRow>>, ApiError> {
    Ok(Json(select(state.store.overview().await?, &q)))
}

/// A project: its latest run in full and its history.
#[derive(Debug, Serialize)]
pub(crate) struct ProjectView {
    pub project: ProjectRow,
    pub latest: Option<RunDetail>,
    pub history: Vec<RunRow>,
}

pub(crate) async fn project_view(state: &AppState, name: &str) -> Result<ProjectView, ApiError> {
    let project =
        state.store.project(name).await?.ok_or_else(|| {
            ApiError::new(StatusCode::NOT_FOUND, format!("no project named {name}"))
        })?;
    let latest = match project.last_run_id {
        Some(id) => state.store.run_detail(id).await?,
        None => None,
    };
    let history = state.store.history(name, HISTORY).await?;
    Ok(ProjectView {
        project,
        latest,
        history,
    })
}

pub(crate) async fn project(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Json<ProjectView>, ApiError> {
    Ok(Json(project_view(&state, &name).await?))
}

pub(crate) async fn requirement(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<annex_store::RequirementRow>>, ApiError> {
    Ok(Json(state.store.requirement(&id).await?))
}

pub(crate) async fn cra_item(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<annex_store::CraCoverageRow>>, ApiError> {
    Ok(Json(state.store.cra_item(&id).await?))
}

pub(crate) async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
        .into_response()
}

/// A JSON body, with size and syntax errors answered as JSON.
fn parse_body<T: serde::de::DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
) -> Result<T, ApiError> {
    let bytes = body.map_err(|e| ApiError::new(e.status(), e.body_text()))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("invalid JSON body: {e}")))
}

pub(crate) async fn add_project(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<ProjectRow>), ApiError> {
    let p: NewProject = parse_body(body)?;
    let now = (state.clock)() / 1000;
    Ok((
        StatusCode::CREATED,
        Json(state.store.add_project(&p, now).await?),
    ))
}

#[derive(Debug, Serialize)]
pub(crate) struct Uploaded {
    pub run_id: i64,
}

pub(crate) async fn upload_run(
    State(state): State<AppState>,
    Path(name): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Uploaded>), ApiError> {
    let report: RunReport = parse_body(body)?;
    if report.schema != RUN_REPORT_SCHEMA {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("schema must be {RUN_REPORT_SCHEMA}"),
        ));
    }
    let project =
        state.store.project(&name).await?.ok_or_else(|| {
            ApiError::new(StatusCode::NOT_FOUND, format!("no project named {name}"))
        })?;
    let now = (state.clock)() / 1000;
    let run_id = state
        .store
        .save_run(project.id, now, &report.annex_version, Outcome::Ok(&report))
        .await?;
    Ok((StatusCode::CREATED, Json(Uploaded { run_id })))
}

#[derive(Debug, Serialize)]
pub(crate) struct Enqueued {
    pub job_id: i64,
}

/// Queue project `name` for `annex worker` (3 attempts).
pub(crate) async fn enqueue(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<(StatusCode, Json<Enqueued>), ApiError> {
    let project =
        state.store.project(&name).await?.ok_or_else(|| {
            ApiError::new(StatusCode::NOT_FOUND, format!("no project named {name}"))
        })?;
    let now = (state.clock)() / 1000;
    let ids = state.store.enqueue(&[project.id], 3, now).await?;
    let job_id = ids.first().copied().unwrap_or_default();
    Ok((StatusCode::ACCEPTED, Json(Enqueued { job_id })))
}
