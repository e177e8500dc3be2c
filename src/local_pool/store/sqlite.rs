//! The data file itself: one SQLite table `records (kind, key, value)`, written one
//! transaction per save and read whole at start-up.
//!
//! Durability: WAL with `synchronous=FULL`, so a committed transaction is on disk
//! (fsync'd) before `write` returns, and a crash at any moment leaves the last commit.
//! `locking_mode=EXCLUSIVE` keeps the file locked while the pool runs, so a second
//! `serve` on the same directory is refused instead of diverging from the first.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior, params};

use super::StoreError;
use super::records::Write;

/// The file format this version writes (`PRAGMA user_version`).
const FORMAT: i64 = 1;

/// One record as read back: its kind's name, its key and its JSON value.
pub struct Row {
    pub kind: String,
    pub key: String,
    pub value: Vec<u8>,
}

/// The open file.
pub struct RecordFile {
    path: PathBuf,
    connection: Connection,
}

impl RecordFile {
    /// Opens or creates the file (0600), checks it, and locks it for this process.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        create_private_file(path)?;
        let corrupt = |error: rusqlite::Error| classify(path, &error);
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(corrupt)?;
        connection
            .pragma_update(None, "locking_mode", "EXCLUSIVE")
            .map_err(corrupt)?;
        let mode: String = connection
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(corrupt)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Corrupt {
                file: path.to_owned(),
                reason: format!("SQLite could not use a write-ahead log (journal mode {mode})"),
            });
        }
        connection
            .pragma_update(None, "synchronous", "FULL")
            .map_err(corrupt)?;
        let check: String = connection
            .query_row("PRAGMA quick_check", [], |row| row.get(0))
            .map_err(corrupt)?;
        if check != "ok" {
            return Err(StoreError::Corrupt {
                file: path.to_owned(),
                reason: format!("SQLite's quick_check found: {check}"),
            });
        }
        let found: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(corrupt)?;
        if found > FORMAT {
            return Err(StoreError::Newer {
                file: path.to_owned(),
                found,
                known: FORMAT,
            });
        }
        // The first write takes the exclusive lock and keeps it until the pool stops.
        connection
            .execute_batch(&format!(
                "BEGIN IMMEDIATE;
                 CREATE TABLE IF NOT EXISTS records (
                     kind TEXT NOT NULL,
                     key TEXT NOT NULL,
                     value BLOB NOT NULL,
                     PRIMARY KEY (kind, key)
                 ) WITHOUT ROWID;
                 PRAGMA user_version = {FORMAT};
                 COMMIT;"
            ))
            .map_err(corrupt)?;
        Ok(Self {
            path: path.to_owned(),
            connection,
        })
    }

    /// The file's path, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every record, ordered by kind then key.
    pub fn read_all(&self) -> Result<Vec<Row>, StoreError> {
        let corrupt = |error: rusqlite::Error| classify(&self.path, &error);
        let mut statement = self
            .connection
            .prepare("SELECT kind, key, value FROM records ORDER BY kind, key")
            .map_err(corrupt)?;
        let rows = statement
            .query_map([], |row| {
                Ok(Row {
                    kind: row.get(0)?,
                    key: row.get(1)?,
                    value: row.get(2)?,
                })
            })
            .map_err(corrupt)?;
        rows.collect::<Result<Vec<Row>, _>>().map_err(corrupt)
    }

    /// Puts and deletes records in one transaction, committed to disk before it returns.
    /// Nothing to write writes nothing.
    pub fn write(&mut self, writes: &[Write]) -> Result<(), StoreError> {
        if writes.is_empty() {
            return Ok(());
        }
        let failed = |error: rusqlite::Error| StoreError::Write {
            file: self.path.clone(),
            reason: error.to_string(),
        };
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(failed)?;
        {
            let mut put = transaction
                .prepare_cached(
                    "INSERT INTO records (kind, key, value) VALUES (?1, ?2, ?3)
                     ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value",
                )
                .map_err(failed)?;
            let mut delete = transaction
                .prepare_cached("DELETE FROM records WHERE kind = ?1 AND key = ?2")
                .map_err(failed)?;
            for write in writes {
                match write {
                    Write::Put { kind, key, value } => {
                        put.execute(params![kind.as_str(), key, value])
                    }
                    Write::Delete { kind, key } => delete.execute(params![kind.as_str(), key]),
                }
                .map_err(failed)?;
            }
        }
        transaction.commit().map_err(failed)
    }
}

/// "In use" when another process holds the lock; otherwise unreadable or corrupt.
fn classify(path: &Path, error: &rusqlite::Error) -> StoreError {
    match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::InUse {
            file: path.to_owned(),
        },
        _ => StoreError::Corrupt {
            file: path.to_owned(),
            reason: error.to_string(),
        },
    }
}

/// Creates the file empty and 0600 unless it exists (SQLite gives its -wal file the
/// same mode), and takes any wider permission off an existing one.
fn create_private_file(path: &Path) -> Result<(), StoreError> {
    let unreadable = |error: std::io::Error| StoreError::Corrupt {
        file: path.to_owned(),
        reason: error.to_string(),
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path).map_err(unreadable)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(unreadable)?;
    }
    drop(file);
    Ok(())
}
