//! Analytics export: the event log and the dashboards' figures as CSV or NDJSON, written to any `std::io::Write`.

use std::{io::Write, ops::ControlFlow};

use dossier_store::Store;
use serde_json::value::RawValue;

use crate::{ProjectionError, dashboards::Figure};

/// Write one CSV field (RFC 4180: quoted when it holds a comma, quote or line break).
pub fn csv_field(w: &mut impl Write, s: &str) -> std::io::Result<()> {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        w.write_all(b"\"")?;
        w.write_all(s.replace('"', "\"\"").as_bytes())?;
        w.write_all(b"\"")
    } else {
        w.write_all(s.as_bytes())
    }
}

fn csv_row(w: &mut impl Write, fields: &[&str]) -> std::io::Result<()> {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        csv_field(w, f)?;
    }
    w.write_all(b"\n")
}

/// The columns of the event-log CSV export.
pub const EVENT_COLUMNS: [&str; 9] = [
    "position",
    "stream_id",
    "stream_version",
    "event_type",
    "schema_version",
    "recorded_at",
    "effective_at",
    "metadata",
    "payload",
];

/// How an export of the log should be formatted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Ndjson,
}

/// Export every event after `after_position` (0: all) in `format`. Returns the number of events written.
///
/// NDJSON lines carry the metadata and payload as JSON objects; CSV carries them as JSON text.
pub async fn export_events<W: Write + Send>(
    store: &Store,
    after_position: u64,
    format: Format,
    w: &mut W,
) -> Result<u64, ProjectionError> {
    let mut written = 0u64;
    let mut failure: Option<ProjectionError> = None;
    if format == Format::Csv {
        csv_row(w, &EVENT_COLUMNS)?;
    }
    store
        .scan(after_position, |e| {
            let result: Result<(), ProjectionError> = (|| {
                match format {
                    Format::Csv => {
                        let pos = e.position.to_string();
                        let ver = e.stream_version.to_string();
                        let schema = e.schema_version.to_string();
                        csv_row(
                            w,
                            &[
                                &pos,
                                e.stream_id,
                                &ver,
                                e.event_type,
                                &schema,
                                e.recorded_at,
                                e.effective_at,
                                e.metadata,
                                e.payload,
                            ],
                        )?;
                    }
                    Format::Ndjson => {
                        #[derive(serde::Serialize)]
                        struct Line<'a> {
                            position: u64,
                            stream_id: &'a str,
                            stream_version: u64,
                            event_type: &'a str,
                            schema_version: u32,
                            recorded_at: &'a str,
                            effective_at: &'a str,
                            metadata: &'a RawValue,
                            payload: &'a RawValue,
                        }
                        let line = Line {
                            position: e.position,
                            stream_id: e.stream_id,
                            stream_version: e.stream_version,
                            event_type: e.event_type,
                            schema_version: e.schema_version,
                            recorded_at: e.recorded_at,
                            effective_at: e.effective_at,
                            metadata: serde_json::from_str(e.metadata)?,
                            payload: serde_json::from_str(e.payload)?,
                        };
                        serde_json::to_writer(&mut *w, &line)?;
                        w.write_all(b"\n")?;
                    }
                }
                Ok(())
            })();
            match result {
                Ok(()) => {
                    written += 1;
                    ControlFlow::Continue(())
                }
                Err(e) => {
                    failure = Some(e);
                    ControlFlow::Break(())
                }
            }
        })
        .await?;
    if let Some(e) = failure {
        return Err(e);
    }
    w.flush()?;
    Ok(written)
}

/// Export dashboard figures: CSV with columns `dashboard,metric,key,value`, or one JSON object a line.
pub fn export_figures<W: Write>(
    figures: &[Figure],
    format: Format,
    w: &mut W,
) -> Result<usize, ProjectionError> {
    match format {
        Format::Csv => {
            csv_row(w, &["dashboard", "metric", "key", "value"])?;
            for f in figures {
                let value = f.value.to_string();
                csv_row(w, &[f.dashboard, f.metric, &f.key, &value])?;
            }
        }
        Format::Ndjson => {
            for f in figures {
                serde_json::to_writer(&mut *w, f)?;
                w.write_all(b"\n")?;
            }
        }
    }
    w.flush()?;
    Ok(figures.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        let mut out = Vec::new();
        csv_row(&mut out, &["plain", "a,b", "say \"hi\"", "两行\n文本"]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"两行\n文本\"\n"
        );
    }

    #[test]
    fn figures_export_as_csv_and_ndjson() {
        let figures = vec![
            Figure::new("training", "classes", "main", 9.0),
            Figure::new("training", "classes", "thematic", 13.0),
        ];
        let mut csv = Vec::new();
        assert_eq!(export_figures(&figures, Format::Csv, &mut csv).unwrap(), 2);
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "dashboard,metric,key,value\ntraining,classes,main,9\ntraining,classes,thematic,13\n"
        );
        let mut nd = Vec::new();
        export_figures(&figures, Format::Ndjson, &mut nd).unwrap();
        let lines: Vec<serde_json::Value> = String::from_utf8(nd)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1]["key"], "thematic");
        assert_eq!(lines[1]["value"], 13.0);
    }
}
