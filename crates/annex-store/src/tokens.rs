//! API tokens for the server's writes: only their SHA-256 is stored, so a copy of the
//! database gives no usable token.

use sqlx::Row;

use crate::{Store, StoreError};

/// The prefix of every token, so a leaked one is recognisable (secret scanners).
pub const TOKEN_PREFIX: &str = "annex_";

/// The token for 32 random bytes the caller drew (the library reads no randomness source).
pub fn token_from_bytes(random: &[u8; 32]) -> String {
    let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
    format!("{TOKEN_PREFIX}{hex}")
}

fn hash(token: &str) -> String {
    annex_types::digest::sha256_hex(token.as_bytes())
}

impl Store {
    /// Store the hash of `token` under `name`.
    pub async fn add_token(&self, name: &str, token: &str, now: i64) -> Result<(), StoreError> {
        if token.len() < 32 {
            return Err(StoreError::Invalid {
                what: "token",
                why: "shorter than 32 characters".into(),
            });
        }
        sqlx::query("INSERT INTO tokens (name, hash, created_at) VALUES ($1, $2, $3)")
            .bind(name)
            .bind(hash(token))
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The name of the token `token` is, when it is one.
    pub async fn token_name(&self, token: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT name FROM tokens WHERE hash = $1")
            .bind(hash(token))
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("name")).transpose()?)
    }
}
