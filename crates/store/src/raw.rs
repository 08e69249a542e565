//! The one place the store calls SQLite directly: the fast full scan in position order.
//!
//! Why: sqlx's row API costs about 4 µs a row (≈260k rows/s), while the engine itself steps
//! millions of rows a second. Rebuilds, exports and `verify` read the whole log, so they
//! lock the handle sqlx exposes (`SqliteConnection::lock_handle()`) and step a prepared
//! statement themselves, handing borrowed column values to the caller. The `unsafe` code is
//! confined to this module; `libsqlite3-sys` is the exact version sqlx-sqlite links.
#![allow(unsafe_code)]

use std::ffi::{CStr, c_char, c_int};
use std::ops::ControlFlow;
use std::ptr::{self, NonNull};

use libsqlite3_sys as ffi;

use crate::error::StoreError;
use crate::types::{EventRef, ReplayRef};

/// The columns a scan reads and the borrowed row it hands out.
pub(crate) trait Shape: 'static {
    /// `SELECT …` with `?1` = after position and `?2` = limit; column 0 is the position.
    const SQL: &'static str;
    type Row<'a>;
    /// # Safety
    /// `stmt` must have a current row selected by [`Shape::SQL`]; the borrowed row is valid
    /// until the next step/finalize of `stmt`.
    unsafe fn row<'a>(
        stmt: *mut ffi::sqlite3_stmt,
        position: u64,
    ) -> Result<Self::Row<'a>, StoreError>;
}

/// Every stored column ([`EventRef`]): exports, `verify`, reads of whole events.
pub(crate) struct Full;

impl Shape for Full {
    const SQL: &'static str = "SELECT position, stream_id, stream_version, event_id, event_type, \
        schema_version, payload, metadata, recorded_at, effective_at, hash \
        FROM events WHERE position > ?1 ORDER BY position LIMIT ?2";
    type Row<'a> = EventRef<'a>;

    unsafe fn row<'a>(
        s: *mut ffi::sqlite3_stmt,
        position: u64,
    ) -> Result<EventRef<'a>, StoreError> {
        // SAFETY: per the trait contract, `s` has a current row of `Self::SQL`.
        unsafe {
            Ok(EventRef {
                position,
                stream_id: column_text(s, 1, position)?,
                stream_version: u64::try_from(ffi::sqlite3_column_int64(s, 2)).unwrap_or(0),
                event_id: column_bytes(s, 3),
                event_type: column_text(s, 4, position)?,
                schema_version: u32::try_from(ffi::sqlite3_column_int64(s, 5)).unwrap_or(u32::MAX),
                payload: column_text(s, 6, position)?,
                metadata: column_text(s, 7, position)?,
                recorded_at: column_text(s, 8, position)?,
                effective_at: column_text(s, 9, position)?,
                hash: column_bytes(s, 10),
            })
        }
    }
}

/// Only what a fold needs ([`ReplayRef`]): rebuilds skip metadata, ids, hashes and record times.
pub(crate) struct Replay;

impl Shape for Replay {
    const SQL: &'static str = "SELECT position, stream_id, stream_version, event_type, \
        schema_version, payload, effective_at \
        FROM events WHERE position > ?1 ORDER BY position LIMIT ?2";
    type Row<'a> = ReplayRef<'a>;

    unsafe fn row<'a>(
        s: *mut ffi::sqlite3_stmt,
        position: u64,
    ) -> Result<ReplayRef<'a>, StoreError> {
        // SAFETY: per the trait contract, `s` has a current row of `Self::SQL`.
        unsafe {
            Ok(ReplayRef {
                position,
                stream_id: column_text(s, 1, position)?,
                stream_version: u64::try_from(ffi::sqlite3_column_int64(s, 2)).unwrap_or(0),
                event_type: column_text(s, 3, position)?,
                schema_version: u32::try_from(ffi::sqlite3_column_int64(s, 4)).unwrap_or(u32::MAX),
                payload: column_text(s, 5, position)?,
                effective_at: column_text(s, 6, position)?,
            })
        }
    }
}

/// What one call of [`scan_chunk`] saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Chunk {
    /// Rows handed to the callback.
    pub rows: u64,
    /// Position of the last row handed to the callback (`after` if none).
    pub last_position: u64,
    /// The callback asked to stop.
    pub stopped: bool,
}

/// Finalizes the statement on every exit path.
struct Stmt(*mut ffi::sqlite3_stmt);

impl Drop for Stmt {
    fn drop(&mut self) {
        // SAFETY: the pointer came from a successful sqlite3_prepare_v2 and is finalized once.
        unsafe {
            ffi::sqlite3_finalize(self.0);
        }
    }
}

fn error(db: *mut ffi::sqlite3) -> StoreError {
    // SAFETY: `db` is a valid open connection; errmsg returns a NUL-terminated string
    // owned by SQLite, copied out before any other call on the connection.
    let (code, message) = unsafe {
        let code = ffi::sqlite3_extended_errcode(db);
        let msg = ffi::sqlite3_errmsg(db);
        let message = if msg.is_null() {
            String::from("unknown error")
        } else {
            CStr::from_ptr(msg).to_string_lossy().into_owned()
        };
        (code, message)
    };
    StoreError::from_sqlite(code, message)
}

/// # Safety
/// `stmt` must have a current row (the last step returned SQLITE_ROW); the slice is valid
/// until the next step/finalize of `stmt`, which the caller's borrow of the row ensures.
unsafe fn column_bytes<'a>(stmt: *mut ffi::sqlite3_stmt, i: c_int) -> &'a [u8] {
    // SAFETY: per the SQLite docs, call column_blob first, then column_bytes for its length.
    unsafe {
        let p = ffi::sqlite3_column_blob(stmt, i) as *const u8;
        let n = ffi::sqlite3_column_bytes(stmt, i);
        if p.is_null() || n <= 0 {
            &[]
        } else {
            std::slice::from_raw_parts(p, n as usize)
        }
    }
}

/// # Safety
/// As for [`column_bytes`].
unsafe fn column_text<'a>(
    stmt: *mut ffi::sqlite3_stmt,
    i: c_int,
    position: u64,
) -> Result<&'a str, StoreError> {
    // SAFETY: column_text first (converts to UTF-8 text if needed), then column_bytes.
    let bytes = unsafe {
        let p = ffi::sqlite3_column_text(stmt, i);
        let n = ffi::sqlite3_column_bytes(stmt, i);
        if p.is_null() || n <= 0 {
            &[][..]
        } else {
            std::slice::from_raw_parts(p, n as usize)
        }
    };
    std::str::from_utf8(bytes).map_err(|e| StoreError::Corrupt {
        position,
        reason: format!("第 {i} 列不是 UTF-8 文本：{e}"),
    })
}

/// Step through up to `limit` events with position > `after`, in position order, calling `f`
/// with each. Blocking: the caller must hold the connection's lock for the duration.
pub(crate) fn scan_chunk<S: Shape>(
    db: NonNull<ffi::sqlite3>,
    after: u64,
    limit: u64,
    f: &mut dyn FnMut(S::Row<'_>) -> ControlFlow<()>,
) -> Result<Chunk, StoreError> {
    let db = db.as_ptr();
    let mut raw: *mut ffi::sqlite3_stmt = ptr::null_mut();
    // SAFETY: `db` is the open connection locked by the caller; SQL text and length are valid.
    let rc = unsafe {
        ffi::sqlite3_prepare_v2(
            db,
            S::SQL.as_ptr() as *const c_char,
            S::SQL.len() as c_int,
            &mut raw,
            ptr::null_mut(),
        )
    };
    if rc != ffi::SQLITE_OK || raw.is_null() {
        return Err(error(db));
    }
    let stmt = Stmt(raw);
    let after_i = i64::try_from(after).unwrap_or(i64::MAX);
    let limit_i = i64::try_from(limit).unwrap_or(i64::MAX);
    // SAFETY: valid statement with two parameters.
    let rc = unsafe {
        let a = ffi::sqlite3_bind_int64(stmt.0, 1, after_i);
        if a != ffi::SQLITE_OK {
            a
        } else {
            ffi::sqlite3_bind_int64(stmt.0, 2, limit_i)
        }
    };
    if rc != ffi::SQLITE_OK {
        return Err(error(db));
    }

    let mut chunk = Chunk {
        rows: 0,
        last_position: after,
        stopped: false,
    };
    loop {
        // SAFETY: valid statement; only this thread touches the connection while locked.
        let rc = unsafe { ffi::sqlite3_step(stmt.0) };
        if rc == ffi::SQLITE_DONE {
            return Ok(chunk);
        }
        if rc != ffi::SQLITE_ROW {
            return Err(error(db));
        }
        // SAFETY: the statement has a current row of `S::SQL`; the borrowed row lives only
        // until the callback returns, before the next step.
        let position = u64::try_from(unsafe { ffi::sqlite3_column_int64(stmt.0, 0) }).unwrap_or(0);
        let event = unsafe { S::row(stmt.0, position)? };
        chunk.rows += 1;
        chunk.last_position = position;
        if f(event).is_break() {
            chunk.stopped = true;
            return Ok(chunk);
        }
    }
}
