//! Tables, numbers and the progress line.

use std::io::{IsTerminal, Write};

use serde_json::Value;

/// A column: its heading and where its value is in an item (first key found wins).
pub(crate) struct Column {
    pub(crate) heading: &'static str,
    pub(crate) keys: &'static [&'static str],
}

/// The text of a JSON value in a table cell.
fn cell(item: &Value, keys: &[&str]) -> String {
    let value = keys.iter().find_map(|key| {
        let mut current = item;
        for part in key.split('.') {
            current = current.get(part)?;
        }
        Some(current)
    });
    match value {
        None | Some(Value::Null) => "-".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(other) => other.to_string(),
    }
}

/// Renders items as an aligned table with a heading row.
pub(crate) fn table(items: &[Value], columns: &[Column]) -> String {
    let rows: Vec<Vec<String>> =
        items.iter().map(|item| columns.iter().map(|c| cell(item, c.keys)).collect()).collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            rows.iter().map(|r| r[i].chars().count()).chain([c.heading.len()]).max().unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> =
            cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        padded.join("  ").trim_end().to_owned()
    };
    let mut out = vec![line(columns.iter().map(|c| c.heading).collect())];
    out.extend(rows.iter().map(|r| line(r.iter().map(String::as_str).collect())));
    out.join("\n") + "\n"
}

/// `1234567` → `1,234,567`.
pub(crate) fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// `3456789` → `3.3 MiB`.
pub(crate) fn bytes(n: i64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value.abs() >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Shows a job's progress on standard error: one updating line on a terminal, one line per
/// change otherwise.
pub(crate) struct ProgressLine {
    terminal: bool,
    drawn: bool,
}

impl ProgressLine {
    pub(crate) fn new() -> Self {
        Self { terminal: std::io::stderr().is_terminal(), drawn: false }
    }

    pub(crate) fn show(
        &mut self,
        job_id: i64,
        status: &str,
        rows: Option<i64>,
        bytes_synced: Option<i64>,
        elapsed_secs: u64,
    ) {
        const SPINNER: [char; 4] = ['|', '/', '-', '\\'];
        let mark = SPINNER[(elapsed_secs % 4) as usize];
        let rows = rows.map_or("-".to_owned(), thousands);
        let size = bytes_synced.map_or("-".to_owned(), bytes);
        let text = format!(
            "job {job_id} {status:<10} rows {rows:>12}  bytes {size:>10}  {elapsed_secs:>5}s"
        );
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let _ = write!(err, "\r{mark} {text}\x1b[K");
        } else {
            let _ = writeln!(err, "{text}");
        }
        let _ = err.flush();
        self.drawn = true;
    }

    pub(crate) fn finish(&mut self) {
        if self.terminal && self.drawn {
            let _ = writeln!(std::io::stderr());
        }
        self.drawn = false;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn tables_align_and_show_missing_values_as_dashes() {
        let items = [
            json!({"id": "a", "name": "First", "n": 3}),
            json!({"id": "bbbb", "job": {"status": "ok"}}),
        ];
        let columns = [
            Column { heading: "ID", keys: &["id"] },
            Column { heading: "NAME", keys: &["name"] },
            Column { heading: "STATUS", keys: &["status", "job.status"] },
        ];
        assert_eq!(
            table(&items, &columns),
            "ID    NAME   STATUS\na     First  -\nbbbb  -      ok\n"
        );
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(-1000), "-1,000");
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(3_456_789), "3.3 MiB");
    }
}
