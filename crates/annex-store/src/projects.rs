//! Projects of the fleet.

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError};

/// Longest project name, tag, profile id or location accepted.
const MAX_NAME: usize = 100;
const MAX_LOCATION: usize = 2048;
const MAX_TAGS: usize = 32;

/// A project to add.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NewProject {
    pub name: String,
    /// A repository URL or a local path.
    pub location: String,
    #[serde(default)]
    pub profile: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A project as stored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ProjectRow {
    pub id: i64,
    pub name: String,
    pub location: String,
    pub profile: Option<String>,
    pub tags: Vec<String>,
    pub created_at: i64,
    pub last_run_id: Option<i64>,
}

/// Names and tags appear in URLs and file names: letters, digits, `.`, `_`, `-`.
fn check_word(what: &'static str, value: &str) -> Result<(), StoreError> {
    let ok = !value.is_empty()
        && value.len() <= MAX_NAME
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && !value.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid {
            what,
            why: format!(
                "{value:?}: 1 to {MAX_NAME} letters, digits, '.', '_' or '-', not starting with '.'"
            ),
        })
    }
}

impl NewProject {
    /// Check the fields a client sent.
    pub fn validate(&self) -> Result<(), StoreError> {
        check_word("project name", &self.name)?;
        if self.location.is_empty()
            || self.location.len() > MAX_LOCATION
            || self.location.chars().any(char::is_control)
        {
            return Err(StoreError::Invalid {
                what: "location",
                why: format!("1 to {MAX_LOCATION} characters, no control characters"),
            });
        }
        // The location is shown on the dashboard: a token in it would be published.
        // Over HTTP a token is often the user name; over SSH `git@` names no secret.
        if let Some((scheme, rest)) = self.location.split_once("://")
            && let Some((userinfo, _)) = rest.split('/').next().and_then(|h| h.rsplit_once('@'))
            && (scheme.to_ascii_lowercase().starts_with("http") || userinfo.contains(':'))
        {
            return Err(StoreError::Invalid {
                what: "location",
                why: "a URL with credentials (user@ or user:token@); use a credential helper"
                    .into(),
            });
        }
        if let Some(p) = &self.profile {
            check_word("profile", p)?;
        }
        if self.tags.len() > MAX_TAGS {
            return Err(StoreError::Invalid {
                what: "tags",
                why: format!("at most {MAX_TAGS}"),
            });
        }
        for t in &self.tags {
            check_word("tag", t)?;
        }
        Ok(())
    }
}

/// Tags are stored as `,a,b,` so one `LIKE '%,t,%'` finds a tag.
fn join_tags(tags: &[String]) -> String {
    let mut tags: Vec<&str> = tags.iter().map(String::as_str).collect();
    tags.sort_unstable();
    tags.dedup();
    if tags.is_empty() {
        String::new()
    } else {
        format!(",{},", tags.join(","))
    }
}

pub(crate) fn split_tags(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

pub(crate) fn project_of(row: &AnyRow) -> Result<ProjectRow, sqlx::Error> {
    Ok(ProjectRow {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        location: row.try_get("location")?,
        profile: row.try_get("profile")?,
        tags: split_tags(&row.try_get::<String, _>("tags")?),
        created_at: row.try_get("created_at")?,
        last_run_id: row.try_get("last_run_id")?,
    })
}

impl Store {
    /// Add a project; a name already taken is [`StoreError::Duplicate`].
    pub async fn add_project(&self, p: &NewProject, now: i64) -> Result<ProjectRow, StoreError> {
        p.validate()?;
        if self.project(&p.name).await?.is_some() {
            return Err(StoreError::Duplicate(p.name.clone()));
        }
        let row = sqlx::query(
            "INSERT INTO projects (name, location, profile, tags, created_at) \
             VALUES ($1, $2, $3, $4, $5) \
             RETURNING id, name, location, profile, tags, created_at, last_run_id",
        )
        .bind(&p.name)
        .bind(&p.location)
        .bind(p.profile.as_deref())
        .bind(join_tags(&p.tags))
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                StoreError::Duplicate(p.name.clone())
            }
            _ => StoreError::Query(e),
        })?;
        Ok(project_of(&row)?)
    }

    /// The project named `name`.
    pub async fn project(&self, name: &str) -> Result<Option<ProjectRow>, StoreError> {
        let row = sqlx::query(
            "SELECT id, name, location, profile, tags, created_at, last_run_id FROM projects \
             WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(project_of).transpose()?)
    }

    /// The project with id `id`.
    pub async fn project_by_id(&self, id: i64) -> Result<Option<ProjectRow>, StoreError> {
        let row = sqlx::query(
            "SELECT id, name, location, profile, tags, created_at, last_run_id FROM projects \
             WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(project_of).transpose()?)
    }

    /// Every project, by name; with `tag`, only those carrying it.
    pub async fn projects(&self, tag: Option<&str>) -> Result<Vec<ProjectRow>, StoreError> {
        let rows = match tag {
            Some(t) => {
                sqlx::query(
                    "SELECT id, name, location, profile, tags, created_at, last_run_id \
                     FROM projects WHERE tags LIKE $1 ORDER BY name",
                )
                .bind(format!("%,{t},%"))
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(
                    "SELECT id, name, location, profile, tags, created_at, last_run_id \
                     FROM projects ORDER BY name",
                )
                .fetch_all(&self.pool)
                .await?
            }
        };
        Ok(rows.iter().map(project_of).collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip_sorted_and_unique() {
        let t = join_tags(&["b".into(), "a".into(), "b".into()]);
        assert_eq!(t, ",a,b,");
        assert_eq!(split_tags(&t), ["a", "b"]);
        assert!(split_tags("").is_empty());
    }

    #[test]
    fn names_are_words() {
        let mut p = NewProject {
            name: "ok-1.2_x".into(),
            location: "/x".into(),
            profile: None,
            tags: vec![],
        };
        assert!(p.validate().is_ok());
        for bad in ["", "a b", "../x", ".hidden", "a/b", "<script>"] {
            p.name = bad.into();
            assert!(p.validate().is_err(), "{bad}");
        }
        p.name = "ok".into();
        p.location = "https://user:ghp_secret@example.org/o/r.git".into();
        assert!(p.validate().is_err());
        p.location = "https://example.org/o/r@v2.git".into();
        assert!(p.validate().is_ok(), "@ in the path is fine");
        p.location = "ssh://git@example.org/o/r.git".into();
        assert!(p.validate().is_ok(), "git@ is no secret");
        p.location = "https://ghp_token@example.org/o/r.git".into();
        assert!(p.validate().is_err());
    }
}
