-- The work queue: one row per project to assess, claimed by a worker under a lease.
CREATE TABLE jobs (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    run_after BIGINT NOT NULL,
    worker TEXT,
    lease_until BIGINT,
    run_id BIGINT,
    error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX jobs_ready ON jobs(state, run_after);
