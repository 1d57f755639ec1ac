//! A small table that prints as aligned text on the terminal and as Markdown for the README.

use std::fmt::Write as _;

pub struct Table {
    pub title: String,
    headers: Vec<String>,
    /// `true` for columns of figures, right-aligned.
    numeric: Vec<bool>,
    rows: Vec<Vec<String>>,
    /// Lines printed under the table: what was measured how.
    pub notes: Vec<String>,
}

impl Table {
    /// Columns are given as `(header, numeric)`.
    pub fn new(title: impl Into<String>, columns: &[(&str, bool)]) -> Self {
        Table {
            title: title.into(),
            headers: columns.iter().map(|(h, _)| h.to_string()).collect(),
            numeric: columns.iter().map(|(_, n)| *n).collect(),
            rows: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        debug_assert_eq!(cells.len(), self.headers.len(), "{cells:?}");
        self.rows.push(cells);
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    pub fn text(&self) -> String {
        let widths: Vec<usize> = (0..self.headers.len())
            .map(|column| {
                std::iter::once(&self.headers[column])
                    .chain(self.rows.iter().map(|row| &row[column]))
                    .map(|cell| cell.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| {
            let mut out = String::new();
            for (column, cell) in cells.iter().enumerate() {
                let pad = widths[column] - cell.chars().count();
                if column > 0 {
                    out.push_str("  ");
                }
                if self.numeric[column] {
                    out.push_str(&" ".repeat(pad));
                    out.push_str(cell);
                } else {
                    out.push_str(cell);
                    out.push_str(&" ".repeat(pad));
                }
            }
            out.trim_end().to_string()
        };
        let mut out = format!("{}\n", self.title);
        out.push_str(&line(&self.headers));
        out.push('\n');
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        out.push_str(&line(&rule));
        out.push('\n');
        for row in &self.rows {
            out.push_str(&line(row));
            out.push('\n');
        }
        for note in &self.notes {
            let _ = writeln!(out, "  {note}");
        }
        out
    }

    pub fn markdown(&self) -> String {
        let escape = |cell: &str| cell.replace('|', "\\|");
        let mut out = format!("### {}\n\n|", self.title);
        for header in &self.headers {
            let _ = write!(out, " {} |", escape(header));
        }
        out.push_str("\n|");
        for numeric in &self.numeric {
            out.push_str(if *numeric { " ---: |" } else { " --- |" });
        }
        out.push('\n');
        for row in &self.rows {
            out.push('|');
            for cell in row {
                let _ = write!(out, " {} |", escape(cell));
            }
            out.push('\n');
        }
        if !self.notes.is_empty() {
            out.push('\n');
            for note in &self.notes {
                let _ = writeln!(out, "{note}");
            }
        }
        out
    }
}

/// `0.0123` s -> `12.3 ms`; whole seconds above 10 s.
pub fn duration(seconds: f64) -> String {
    if seconds < 0.001 {
        format!("{:.0} µs", seconds * 1e6)
    } else if seconds < 0.1 {
        format!("{:.1} ms", seconds * 1e3)
    } else if seconds < 1.0 {
        format!("{:.0} ms", seconds * 1e3)
    } else if seconds < 10.0 {
        format!("{seconds:.2} s")
    } else {
        format!("{seconds:.1} s")
    }
}

/// Bytes as `412 KB` or `3.5 MB` (powers of 1000, as in MB/s).
pub fn size(bytes: f64) -> String {
    if bytes < 1e6 {
        format!("{:.0} KB", bytes / 1e3)
    } else {
        format!("{:.1} MB", bytes / 1e6)
    }
}

/// `16733` -> `16,733`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The median of some samples (the mean of the middle two for an even count); 0 for none.
pub fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_figures() {
        assert_eq!(duration(0.0123), "12.3 ms");
        assert_eq!(duration(0.25), "250 ms");
        assert_eq!(duration(2.5), "2.50 s");
        assert_eq!(duration(0.000_5), "500 µs");
        assert_eq!(size(412_000.0), "412 KB");
        assert_eq!(size(3_720_208.0), "3.7 MB");
        assert_eq!(count(16733), "16,733");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }

    #[test]
    fn renders_text_and_markdown() {
        let mut table = Table::new("Title", &[("name", false), ("time", true)]);
        table.row(vec!["a|b".into(), "1 ms".into()]);
        table.row(vec!["long name".into(), "10 ms".into()]);
        table.note("measured somehow");
        assert_eq!(
            table.text(),
            "Title\nname        time\n---------  -----\na|b         1 ms\nlong name  10 ms\n  measured somehow\n"
        );
        assert_eq!(
            table.markdown(),
            "### Title\n\n| name | time |\n| --- | ---: |\n| a\\|b | 1 ms |\n| long name | 10 ms |\n\nmeasured somehow\n"
        );
    }
}
