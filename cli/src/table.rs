//! `--output table`: a JSON answer as aligned columns, for reading at a terminal.
//!
//! Ecosuite's answers wrap their content in one field (`{"projects": [...]}`), so the table
//! looks through single-field wrappers to the list or record inside. A list of objects is a
//! row per object; an object of objects (records keyed by id) is a row per key; any other
//! object is a field/value table. Nested values are shown as compact JSON, cut to fit.

use serde_json::{Map, Value};

/// The widest a cell may be before it is cut.
const MAX_CELL: usize = 48;

pub fn render(value: &Value) -> String {
    let value = focus(value);
    let (header, rows) = match value {
        Value::Array(items) => list(items),
        Value::Object(fields) => {
            let records: Option<Vec<(&String, &Map<String, Value>)>> = fields
                .iter()
                .map(|(key, value)| value.as_object().map(|record| (key, record)))
                .collect();
            match records {
                Some(records) if !records.is_empty() => keyed(&records),
                _ => (
                    vec!["field".to_string(), "value".to_string()],
                    fields
                        .iter()
                        .map(|(key, value)| vec![key.clone(), cell(value)])
                        .collect(),
                ),
            }
        }
        scalar => return format!("{}\n", cell(scalar)),
    };
    if rows.is_empty() {
        return "(no rows)\n".into();
    }
    layout(&header, &rows)
}

/// Looks through objects with one field that holds a list or an object.
fn focus(mut value: &Value) -> &Value {
    while let Value::Object(fields) = value {
        match fields.values().next() {
            Some(inner) if fields.len() == 1 && (inner.is_array() || inner.is_object()) => {
                value = inner
            }
            _ => break,
        }
    }
    value
}

fn list(items: &[Value]) -> (Vec<String>, Vec<Vec<String>>) {
    if items.iter().all(Value::is_object) {
        let records: Vec<&Map<String, Value>> = items.iter().filter_map(Value::as_object).collect();
        let columns = columns(records.iter().copied());
        let rows = records
            .iter()
            .map(|record| columns.iter().map(|c| field(record, c)).collect())
            .collect();
        (columns, rows)
    } else {
        (
            vec!["value".to_string()],
            items.iter().map(|item| vec![cell(item)]).collect(),
        )
    }
}

fn keyed(records: &[(&String, &Map<String, Value>)]) -> (Vec<String>, Vec<Vec<String>>) {
    let columns = columns(records.iter().map(|(_, record)| *record));
    let rows = records
        .iter()
        .map(|(key, record)| {
            std::iter::once((*key).clone())
                .chain(columns.iter().map(|c| field(record, c)))
                .collect()
        })
        .collect();
    let header = std::iter::once("key".to_string()).chain(columns).collect();
    (header, rows)
}

/// Every field name, in the order first met.
fn columns<'a>(records: impl Iterator<Item = &'a Map<String, Value>>) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    for record in records {
        for key in record.keys() {
            if !columns.contains(key) {
                columns.push(key.clone());
            }
        }
    }
    columns
}

fn field(record: &Map<String, Value>, column: &str) -> String {
    record.get(column).map(cell).unwrap_or_default()
}

fn cell(value: &Value) -> String {
    let text = match value {
        Value::Null => String::new(),
        Value::String(s) => s.split_whitespace().collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    };
    match text.char_indices().nth(MAX_CELL - 1) {
        Some((at, _)) if text.chars().count() > MAX_CELL => format!("{}…", &text[..at]),
        _ => text,
    }
}

fn layout(header: &[String], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|row| row[i].chars().count())
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, text) in cells.iter().enumerate() {
            if i > 0 {
                out.push_str("  ");
            }
            out.push_str(text);
            out.extend(std::iter::repeat_n(' ', widths[i] - text.chars().count()));
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    };
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    let mut out = line(header);
    out.push_str(&line(&rule));
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_wrapped_list_of_objects_is_a_row_per_object() {
        let value = json!({"projects": [
            {"code": "PRJ1", "name": "Solar One", "capacity": 12.5},
            {"code": "PRJ22", "name": "Storage", "status": "active"},
        ]});
        assert_eq!(
            render(&value),
            "code   name       capacity  status\n\
             -----  ---------  --------  ------\n\
             PRJ1   Solar One  12.5\n\
             PRJ22  Storage              active\n"
        );
    }

    #[test]
    fn records_keyed_by_id_are_a_row_per_key() {
        let value =
            json!({"sites": {"S1": {"name": "North"}, "S2": {"name": "South", "tags": ["a"]}}});
        assert_eq!(
            render(&value),
            "key  name   tags\n---  -----  -----\nS1   North\nS2   South  [\"a\"]\n"
        );
    }

    #[test]
    fn a_record_is_a_field_value_table() {
        let value = json!({"project": {"code": "PRJ1", "notes": "two\nlines", "owner": null}});
        assert_eq!(
            render(&value),
            "field  value\n-----  ---------\ncode   PRJ1\nnotes  two lines\nowner\n"
        );
    }

    #[test]
    fn long_cells_are_cut_and_empty_lists_said() {
        let long = "x".repeat(60);
        let table = render(&json!([long]));
        assert!(table.contains(&format!("{}…\n", "x".repeat(47))), "{table}");
        assert_eq!(render(&json!({"projects": []})), "(no rows)\n");
        assert_eq!(render(&json!(42)), "42\n");
    }
}
