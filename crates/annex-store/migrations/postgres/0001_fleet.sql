-- Fleet history: projects, every run, and what each run found.
CREATE TABLE projects (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    location TEXT NOT NULL,
    profile TEXT,
    tags TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    last_run_id BIGINT
);

CREATE TABLE runs (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    started_at BIGINT NOT NULL,
    commit_id TEXT,
    annex_version TEXT NOT NULL,
    profile TEXT NOT NULL,
    catalogs TEXT NOT NULL,
    duration_ms BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    error TEXT,
    pass BIGINT NOT NULL DEFAULT 0,
    fail BIGINT NOT NULL DEFAULT 0,
    needs_review BIGINT NOT NULL DEFAULT 0,
    not_applicable BIGINT NOT NULL DEFAULT 0,
    not_run BIGINT NOT NULL DEFAULT 0,
    unknown BIGINT NOT NULL DEFAULT 0,
    vulns_unchecked TEXT,
    sbom_subjects BIGINT NOT NULL DEFAULT 0,
    sbom_components BIGINT NOT NULL DEFAULT 0,
    sbom_ecosystems TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX runs_project ON runs(project_id, id);

CREATE TABLE results (
    run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    requirement TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    remediation TEXT
);
CREATE INDEX results_run ON results(run_id);
CREATE INDEX results_requirement ON results(requirement);

CREATE TABLE cra (
    run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    requirement TEXT NOT NULL,
    title TEXT NOT NULL,
    coverage TEXT NOT NULL
);
CREATE INDEX cra_run ON cra(run_id);
CREATE INDEX cra_requirement ON cra(requirement);

CREATE TABLE findings (
    run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    advisory TEXT NOT NULL,
    ecosystem TEXT NOT NULL,
    package TEXT NOT NULL,
    version TEXT NOT NULL,
    severity TEXT NOT NULL,
    score DOUBLE PRECISION,
    vex TEXT,
    suppressed BIGINT NOT NULL
);
CREATE INDEX findings_run ON findings(run_id);

CREATE TABLE tokens (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
