//! A thread's comments as their authors and readers change them, in PostgreSQL: posting
//! (one comment per idempotency key across instances), recommending (once per reader key:
//! the primary key), editing and deleting.

use super::{comment_of, Postgres, COLUMNS};
use crate::db::{sha256_hex, NewRow, ReadError, Replay, Stored, WriteError};
use crate::store::Conversation;
use reader_comments_core::{Comment, Status};

impl Conversation for Postgres {
    fn schema_version(&self) -> Result<usize, ReadError> {
        let rows = self.rows("SELECT version FROM reader_comments_schema".into(), params![], |r| r.get::<_, i32>(0))?;
        Ok(rows.first().copied().unwrap_or_default() as usize)
    }

    fn count(&self, thread: &str) -> Result<usize, ReadError> {
        let sql = "SELECT COUNT(*) FROM comments WHERE thread = $1".to_string();
        let rows = self.rows(sql, params![thread.to_string()], |r| r.get::<_, i64>(0))?;
        Ok(rows.first().copied().unwrap_or_default() as usize)
    }

    fn replay(&self, thread: &str, key: &str) -> Result<Option<Replay>, ReadError> {
        let sql = format!(
            "SELECT {COLUMNS}, i.fingerprint FROM idempotency i JOIN comments c ON c.id = i.comment_id
             WHERE i.thread = $1 AND i.key = $2"
        );
        let rows = self.rows(sql, params![thread.to_string(), key.to_string()], |r| Replay {
            comment: comment_of(r),
            fingerprint: r.get(9),
        })?;
        Ok(rows.into_iter().next())
    }

    fn reader_hash(&self, reader_key: &str) -> String {
        sha256_hex(&[self.reader_secret.as_slice(), b"\0", reader_key.to_ascii_lowercase().as_bytes()])
    }

    fn insert_row(&self, new: &NewRow<'_>) -> Result<Comment, WriteError> {
        let pool = self.pool.clone();
        let (thread, author, body) = (new.thread.to_string(), new.author.to_string(), new.body.to_string());
        let (status, created_at, parent) = (new.status.as_str(), new.created_at, new.parent);
        let (token_hash, client_hash, reader_hash) = (new.token_hash.clone(), new.client.clone(), new.reader.clone());
        let idempotency = new.idempotency.map(|(k, f)| (k.to_string(), f.to_string()));
        let id = self.run(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            let row = tx
                .query_one(
                    "INSERT INTO comments (thread, author, body, created_at, status, parent_id, root_id, edit_token_hash,
                                           client_hash, reader_hash)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                    &[
                        &thread,
                        &author,
                        &body,
                        &created_at,
                        &status,
                        &parent.map(|p| p.0),
                        &parent.map(|p| p.1),
                        &token_hash,
                        &client_hash,
                        &reader_hash,
                    ],
                )
                .await?;
            let id: i64 = row.get(0);
            if let Some((key, fingerprint)) = idempotency {
                tx.execute(
                    "INSERT INTO idempotency (thread, key, fingerprint, comment_id, created_at) VALUES ($1, $2, $3, $4, $5)",
                    &[&thread, &key, &fingerprint, &id, &created_at],
                )
                .await?;
            }
            tx.commit().await?;
            Ok(id)
        })?;
        Ok(new.stored_as(id))
    }

    fn find(&self, thread: &str, id: i64) -> Result<Option<Stored>, ReadError> {
        let sql =
            format!("SELECT {COLUMNS}, c.root_id, c.edit_token_hash FROM comments c WHERE c.thread = $1 AND c.id = $2");
        let rows = self.rows(sql, params![thread.to_string(), id], |r| Stored {
            comment: comment_of(r),
            root: r.get(9),
            token_hash: r.get(10),
        })?;
        Ok(rows.into_iter().next())
    }

    fn recommend(&self, id: i64, reader: &str, on: bool, now_ms: i64) -> Result<(u64, bool), WriteError> {
        let (pool, reader) = (self.pool.clone(), reader.to_string());
        Ok(self.run(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            let changed = if on {
                tx.execute(
                    "INSERT INTO recommends (comment_id, reader, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    &[&id, &reader, &now_ms],
                )
                .await?
            } else {
                tx.execute("DELETE FROM recommends WHERE comment_id = $1 AND reader = $2", &[&id, &reader]).await?
            };
            let step: i64 = if on { 1 } else { -1 };
            let row = if changed == 1 {
                tx.query_one(
                    "UPDATE comments SET recommends = GREATEST(recommends + $2, 0) WHERE id = $1 RETURNING recommends",
                    &[&id, &step],
                )
                .await?
            } else {
                tx.query_one("SELECT recommends FROM comments WHERE id = $1", &[&id]).await?
            };
            tx.commit().await?;
            Ok((row.get::<_, i64>(0).max(0) as u64, on))
        })?)
    }

    fn edit(&self, id: i64, body: &str, status: Status, now_ms: i64) -> Result<(), WriteError> {
        let sql = "UPDATE comments SET body = $2, status = $3, edited_at = $4 WHERE id = $1 AND deleted_at IS NULL";
        self.execute(sql, params![id, body.to_string(), status.as_str(), now_ms])?;
        Ok(())
    }

    fn set_token(&self, id: i64, token_hash: &str) -> Result<(), WriteError> {
        self.execute("UPDATE comments SET edit_token_hash = $2 WHERE id = $1", params![id, token_hash.to_string()])?;
        Ok(())
    }

    fn remove(&self, id: i64, now_ms: i64) -> Result<bool, WriteError> {
        let pool = self.pool.clone();
        Ok(self.run(async move {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            // The comment and the chain above it, locked against a reply arriving meanwhile.
            if tx.query_opt("SELECT 1 FROM comments WHERE id = $1 FOR UPDATE", &[&id]).await?.is_none() {
                return Ok(false);
            }
            let (mut current, mut first) = (Some(id), true);
            while let Some(target) = current {
                let replies: i64 =
                    tx.query_one("SELECT COUNT(*) FROM comments WHERE parent_id = $1", &[&target]).await?.get(0);
                let row = tx.query_one("SELECT parent_id, deleted_at FROM comments WHERE id = $1", &[&target]).await?;
                let (parent, deleted): (Option<i64>, Option<i64>) = (row.get(0), row.get(1));
                if replies > 0 {
                    if first {
                        tx.execute(
                            "UPDATE comments SET deleted_at = $2, author = '', body = '', edit_token_hash = NULL WHERE id = $1",
                            &[&target, &now_ms],
                        )
                        .await?;
                    }
                    break;
                }
                if !first && deleted.is_none() {
                    break;
                }
                tx.execute("DELETE FROM idempotency WHERE comment_id = $1", &[&target]).await?;
                tx.execute("DELETE FROM recommends WHERE comment_id = $1", &[&target]).await?;
                tx.execute("DELETE FROM comments WHERE id = $1", &[&target]).await?;
                current = parent;
                first = false;
            }
            tx.commit().await?;
            Ok(true)
        })?)
    }
}
