//! Reading numeric tables from CSV text with the `csv` crate: a header naming the columns, then
//! one row per line. [`read_table`] reads every column (a network's inputs, then its target);
//! [`parse`] reads the x and y of a two-weight model (later columns are ignored).
//!
//! What is accepted: quoted fields (a quoted field may hold the separator), a UTF-8 byte-order
//! mark, CRLF or LF line endings, and a comma, tab or semicolon separator, chosen from the header
//! line (the first of `,`, tab, `;` that occurs in it outside quotes; a one-column header means
//! comma). Blank lines and lines starting with `#` are skipped; the first comment before the
//! header says where the data come from. Whitespace around every field, and quotes around a
//! field after the whitespace, are removed.
//!
//! A file that cannot be used whole is refused with one line naming the line and the reason:
//! nothing is half-loaded. The decimal separator is always `.`: "1,5" in a semicolon-separated
//! file is refused as not a number rather than guessed.
//!
//! Line numbers: csv 1.4 gives each record the position where the reader stopped after the
//! previous one (rust-csv issues 208 and 395), which is before any blank or comment lines it
//! skipped and, with CRLF endings, before the previous line's `\n`. `record_line` adds the
//! lines csv-core skipped (the same rule as its `StartRecord` state), so every message names the
//! real line in the file.

use super::{Dataset, MAX_POINTS, Model};

/// Why a CSV text cannot be used.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CsvError {
    #[error("the file is empty: it needs a header naming the x and y columns, then the points")]
    Empty,
    #[error("line {lines}: the file ends without a header line naming the x and y columns")]
    NoHeader { lines: usize },
    #[error("line {line}: the header names {found} column(s); it needs {}", needs(*.need))]
    ShortHeader {
        line: usize,
        found: usize,
        need: usize,
    },
    #[error("line {line}: the header is numbers ({text}); the first line must name the columns")]
    NumericHeader { line: usize, text: String },
    #[error("line {line}: {found} field(s) where the header has {want}")]
    Ragged {
        line: usize,
        found: usize,
        want: usize,
    },
    #[error("line {line}: '{text}' in column {column} is not a number")]
    NotANumber {
        line: usize,
        column: String,
        text: String,
    },
    #[error("line {line}: {column} is {value}; every value must be finite")]
    NotFinite {
        line: usize,
        column: String,
        value: f64,
    },
    #[error("line {line}: a quoted field runs over several lines")]
    LineBreak { line: usize },
    #[error("line {line}: {reason}")]
    Unreadable { line: usize, reason: String },
    #[error("line {line}: y = {value}, but a logistic model needs labels 0 or 1")]
    NotALabel { line: usize, value: f64 },
    #[error("line {line}: the file ends after {found} point(s); a fit needs at least two")]
    TooFew { line: usize, found: usize },
    #[error("line {0}: more than {MAX_POINTS} points")]
    TooMany(usize),
}

/// How many columns a header needs, in words.
fn needs(need: usize) -> String {
    if need == 2 {
        "two, x then y".to_owned()
    } else {
        format!("at least {need}")
    }
}

/// A numeric table read whole from CSV text: the header's names and one row per data line.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The header's column names, trimmed, quotes removed.
    pub names: Vec<String>,
    /// Every row has `names.len()` finite values.
    pub rows: Vec<Vec<f64>>,
    /// The 1-based line number of each row in the text (for messages).
    pub lines: Vec<usize>,
    /// The first `#` comment before the header, trimmed ("" if none).
    pub source: String,
}

/// Reads `text` whole: at least `min_columns` columns, at least two rows, every cell a finite
/// number.
pub fn read_table(text: &str, min_columns: usize) -> Result<Table, CsvError> {
    read(text, min_columns, |names| (0..names.len()).collect())
}

/// Parses `text` whole into x and y (the columns named `x` and `y`, else the first two; later
/// columns are ignored and need not be numbers); for a logistic model every y must be 0 or 1.
pub fn parse(text: &str, name: &str, model: Model) -> Result<Dataset, CsvError> {
    let table = read(text, 2, |names| {
        let (x, y) = xy_columns(names);
        vec![x, y]
    })?;
    let mut x = Vec::with_capacity(table.rows.len());
    let mut y = Vec::with_capacity(table.rows.len());
    for (row, &line) in table.rows.iter().zip(&table.lines) {
        let [xv, yv] = row[..] else {
            unreachable!("`read` gives every row one value per chosen column")
        };
        if !model.label_ok(yv) {
            return Err(CsvError::NotALabel { line, value: yv });
        }
        x.push(xv);
        y.push(yv);
    }
    let mut names = table.names.into_iter();
    let columns = [
        names.next().unwrap_or_default(),
        names.next().unwrap_or_default(),
    ];
    Ok(Dataset {
        name: name.to_owned(),
        source: table.source,
        columns,
        x,
        y,
    })
}

/// Reads `text` whole, keeping the columns `choose` picks from the header's names (in its order;
/// each index below the number of names): those must be finite numbers in every row, the others
/// only be present. The table's `names` are the chosen ones.
fn read(
    text: &str,
    min_columns: usize,
    choose: impl FnOnce(&[String]) -> Vec<usize>,
) -> Result<Table, CsvError> {
    if text.is_empty() {
        return Err(CsvError::Empty);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The last line, for the messages about what the file lacks at its end.
    let last_line = || text.lines().count();
    let (source, header_line) = preamble(text);
    let separator = header_line.map_or(b',', separator);
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .delimiter(separator)
        .from_reader(text.as_bytes());
    let bytes = text.as_bytes();
    let mut record = ::csv::StringRecord::new();

    // The header: the first record that is neither blank nor a comment.
    let header_at = loop {
        match next_record(&mut reader, &mut record, bytes)? {
            Next::End => return Err(CsvError::NoHeader { lines: last_line() }),
            Next::Skip => {}
            Next::Record(line) => break line,
        }
    };
    let all = record
        .iter()
        .map(|f| cell(f, header_at).map(str::to_owned))
        .collect::<Result<Vec<_>, _>>()?;
    let want = all.len();
    if want < min_columns.max(1) {
        return Err(CsvError::ShortHeader {
            line: header_at,
            found: want,
            need: min_columns.max(1),
        });
    }
    // A header whose first two names (or only one) are numbers is a data line.
    if all.iter().take(2).all(|s| s.parse::<f64>().is_ok()) {
        return Err(CsvError::NumericHeader {
            line: header_at,
            text: all
                .join(&char::from(separator).to_string())
                .chars()
                .take(40)
                .collect(),
        });
    }
    let chosen = choose(&all);
    let names: Vec<String> = chosen.iter().map(|&k| all[k].clone()).collect();

    let mut rows = Vec::new();
    let mut lines = Vec::new();
    loop {
        let line = match next_record(&mut reader, &mut record, bytes)? {
            Next::End => break,
            Next::Skip => continue,
            Next::Record(line) => line,
        };
        if record.len() != want {
            return Err(CsvError::Ragged {
                line,
                found: record.len(),
                want,
            });
        }
        let mut row = Vec::with_capacity(chosen.len());
        for &k in &chosen {
            let raw = record.get(k).unwrap_or_default();
            // Most cells are bare numbers: only the others are trimmed and unquoted.
            let v = match raw.parse::<f64>() {
                Ok(v) => v,
                Err(_) => cell(raw, line)?.parse().map_err(|_| CsvError::NotANumber {
                    line,
                    column: all[k].clone(),
                    text: cell(raw, line).unwrap_or(raw).chars().take(40).collect(),
                })?,
            };
            if !v.is_finite() {
                return Err(CsvError::NotFinite {
                    line,
                    column: all[k].clone(),
                    value: v,
                });
            }
            row.push(v);
        }
        if rows.len() == MAX_POINTS {
            return Err(CsvError::TooMany(line));
        }
        rows.push(row);
        lines.push(line);
    }
    if rows.len() < 2 {
        return Err(CsvError::TooFew {
            line: last_line(),
            found: rows.len(),
        });
    }
    Ok(Table {
        names,
        rows,
        lines,
        source,
    })
}

/// What [`next_record`] read.
enum Next {
    /// The end of the text.
    End,
    /// A blank or comment line that csv does not skip itself (one with leading whitespace).
    Skip,
    /// A record starting on this 1-based line.
    Record(usize),
}

/// Reads the next record into `record`.
fn next_record<R: std::io::Read>(
    reader: &mut ::csv::Reader<R>,
    record: &mut ::csv::StringRecord,
    bytes: &[u8],
) -> Result<Next, CsvError> {
    match reader.read_record(record) {
        Ok(false) => Ok(Next::End),
        Ok(true) => {
            let (start, line) = record.position().map_or((0, 1), |p| record_line(bytes, p));
            let rest = bytes.get(start..).unwrap_or_default();
            let first = rest.iter().position(|b| !matches!(b, b' ' | b'\t'));
            let blank_or_comment = match first.and_then(|i| rest.get(i)) {
                None | Some(b'\r' | b'\n' | b'#') => true,
                Some(_) => false,
            };
            Ok(if blank_or_comment {
                Next::Skip
            } else {
                Next::Record(line)
            })
        }
        Err(e) => {
            let line = e
                .position()
                .map_or(1, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
            Err(CsvError::Unreadable {
                line,
                reason: e.to_string().replace(['\n', '\r'], " "),
            })
        }
    }
}

/// Where a record really starts: its byte offset and 1-based line. csv reports where the previous
/// record ended ([`::csv::Position`]); from there csv-core skips `\r` and `\n` bytes and `#`
/// comments running to the next `\n` before the first field. The same skip here, counting its
/// `\n`s onto csv's line.
fn record_line(bytes: &[u8], at: &::csv::Position) -> (usize, usize) {
    let mut i = usize::try_from(at.byte()).unwrap_or(usize::MAX);
    let mut line = usize::try_from(at.line()).unwrap_or(usize::MAX);
    loop {
        match bytes.get(i) {
            Some(b'\n') => {
                line = line.saturating_add(1);
                i += 1;
            }
            Some(b'\r') => i += 1,
            Some(b'#') => match bytes
                .get(i..)
                .and_then(|r| r.iter().position(|&b| b == b'\n'))
            {
                Some(n) => {
                    line = line.saturating_add(1);
                    i += n + 1;
                }
                None => return (bytes.len(), line),
            },
            _ => return (i, line),
        }
    }
}

/// A field trimmed, then a pair of quotes around what is left removed (csv only unquotes a
/// field whose quote comes first, so `x, "y"` keeps them), then trimmed again; one holding a
/// line break is refused (it would break the one-line messages).
fn cell(field: &str, line: usize) -> Result<&str, CsvError> {
    let f = field.trim();
    let f = f
        .strip_prefix('"')
        .and_then(|g| g.strip_suffix('"'))
        .map_or(f, str::trim);
    if f.bytes().any(|b| b == b'\n' || b == b'\r') {
        Err(CsvError::LineBreak { line })
    } else {
        Ok(f)
    }
}

/// The first non-empty `#` comment before the header, trimmed, and the header line itself (for
/// the separator): the lines csv skips as blank or comments come first.
fn preamble(text: &str) -> (String, Option<&str>) {
    let mut source = String::new();
    for l in text.split(['\n', '\r']).map(str::trim) {
        if l.is_empty() {
            continue;
        }
        if let Some(comment) = l.strip_prefix('#') {
            if source.is_empty() {
                comment.trim().clone_into(&mut source);
            }
            continue;
        }
        return (source, Some(l));
    }
    (source, None)
}

/// The separator of a header line: the first of `,`, tab and `;` found in it outside quotes;
/// comma for a one-column header.
fn separator(header: &str) -> u8 {
    let mut quoted = false;
    let mut found = [false; 3];
    for b in header.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => found[0] = true,
            b'\t' if !quoted => found[1] = true,
            b';' if !quoted => found[2] = true,
            _ => {}
        }
    }
    [b',', b'\t', b';']
        .into_iter()
        .zip(found)
        .find_map(|(s, f)| f.then_some(s))
        .unwrap_or(b',')
}

/// The columns read as x and y: the ones named `x` and `y` (any case) wherever they stand,
/// so a header `y,x` is read by name; otherwise the first two, x then y.
fn xy_columns(names: &[String]) -> (usize, usize) {
    let find = |want: &str| {
        let mut hits = names
            .iter()
            .enumerate()
            .filter(|(_, n)| n.eq_ignore_ascii_case(want));
        match (hits.next(), hits.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    };
    match (find("x"), find("y")) {
        (Some(x), Some(y)) => (x, y),
        _ => (0, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_file_reads_whole_with_its_source() {
        let d = parse(
            "# from somewhere\nsize,price,note\n1,2,a\n\n3, 4 ,b\n# late comment\n5,6e1,c\n",
            "f.csv",
            Model::Linear,
        )
        .unwrap();
        assert_eq!(d.x, vec![1.0, 3.0, 5.0]);
        assert_eq!(d.y, vec![2.0, 4.0, 60.0]);
        assert_eq!(d.source, "from somewhere");
        assert_eq!(d.columns, ["size".to_owned(), "price".to_owned()]);
    }

    #[test]
    fn bad_files_are_refused_with_the_line_and_reason() {
        let err = |t: &str, m: Model| parse(t, "f", m).unwrap_err().to_string();
        assert_eq!(
            err("", Model::Linear),
            "the file is empty: it needs a header naming the x and y columns, then the points"
        );
        assert_eq!(
            err("# only a comment\n", Model::Linear),
            "line 1: the file ends without a header line naming the x and y columns"
        );
        assert_eq!(
            err("x\n1\n", Model::Linear),
            "line 1: the header names 1 column(s); it needs two, x then y"
        );
        assert!(err("1,2\n3,4\n", Model::Linear).contains("the first line must name"));
        assert_eq!(
            err("x,y\n1,2\n3\n", Model::Linear),
            "line 3: 1 field(s) where the header has 2"
        );
        assert_eq!(
            err("x,y\n1,2\n3,abc\n", Model::Linear),
            "line 3: 'abc' in column y is not a number"
        );
        assert!(err("x,y\n1,2\nnan,4\n", Model::Linear).starts_with("line 3: x is NaN"));
        assert!(err("x,y\n1,inf\n2,3\n", Model::Linear).starts_with("line 2: y is inf"));
        assert_eq!(
            err("x,y\n1,0\n2,0.5\n", Model::Logistic),
            "line 3: y = 0.5, but a logistic model needs labels 0 or 1"
        );
        assert_eq!(
            err("x,y\n1,2\n", Model::Linear),
            "line 2: the file ends after 1 point(s); a fit needs at least two"
        );
    }

    #[test]
    fn columns_named_x_and_y_are_read_by_name() {
        let d = parse("y,x\n1,10\n2,20\n", "swapped.csv", Model::Linear).unwrap();
        assert_eq!(d.x, vec![10.0, 20.0]);
        assert_eq!(d.y, vec![1.0, 2.0]);
        assert_eq!(d.columns, ["x".to_owned(), "y".to_owned()]);
        let d = parse("size,price\n1,10\n2,20\n", "plain.csv", Model::Linear).unwrap();
        assert_eq!(d.x, vec![1.0, 2.0]);
    }

    fn table(text: &str) -> Table {
        read_table(text, 2).unwrap()
    }

    fn refusal(text: &str, min_columns: usize) -> String {
        read_table(text, min_columns).unwrap_err().to_string()
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_name() {
        let t = table("\u{feff}x,y\n1,2\n3,4\n");
        assert_eq!(t.names, ["x", "y"]);
        let t = table("\u{feff}# the source\nx,y\n1,2\n3,4\n");
        assert_eq!(t.source, "the source");
        assert_eq!(t.lines, [3, 4]);
    }

    #[test]
    fn crlf_line_endings_read_and_count_like_lf() {
        let t = table("# made on Windows\r\nx,y\r\n1,2\r\n\r\n3,4\r\n");
        assert_eq!(t.rows, [[1.0, 2.0], [3.0, 4.0]]);
        assert_eq!(t.lines, [3, 5]);
        assert_eq!(t.source, "made on Windows");
        assert_eq!(
            refusal("x,y\r\n1,2\r\n\r\n3\r\n", 2),
            "line 4: 1 field(s) where the header has 2"
        );
    }

    #[test]
    fn a_tab_separated_file_reads() {
        let t = table("x\ty\n1\t2\n 3 \t 4 \n");
        assert_eq!(t.names, ["x", "y"]);
        assert_eq!(t.rows, [[1.0, 2.0], [3.0, 4.0]]);
    }

    #[test]
    fn a_semicolon_separated_file_reads_and_decimal_commas_are_refused() {
        let t = table("x;y\n1.5;2\n3;4\n");
        assert_eq!(t.rows, [[1.5, 2.0], [3.0, 4.0]]);
        assert_eq!(
            refusal("x;y\n1,5;2\n3;4\n", 2),
            "line 2: '1,5' in column x is not a number"
        );
    }

    #[test]
    fn quoted_fields_are_unquoted() {
        let t = table("\"x\", \"y\"\n\"1\",2\n3, \"4\"\n");
        assert_eq!(t.names, ["x", "y"]);
        assert_eq!(t.rows, [[1.0, 2.0], [3.0, 4.0]]);
    }

    #[test]
    fn a_quoted_field_may_hold_the_separator() {
        // The separator is the comma outside the quotes, not the semicolon inside them.
        let t = table("\"size; m²\",\"price, €\"\n1,2\n3,4\n");
        assert_eq!(t.names, ["size; m²", "price, €"]);
        let t = table("\"a,b\";y\n1;2\n3;4\n");
        assert_eq!(t.names, ["a,b", "y"]);
        let err = parse("x,y\n1,2\n2,\"3,4\"\n", "f", Model::Linear).unwrap_err();
        assert_eq!(err.to_string(), "line 3: '3,4' in column y is not a number");
    }

    #[test]
    fn a_quoted_field_over_several_lines_is_refused_and_later_lines_stay_right() {
        // A line break that trimming removes is harmless; the next row is still on its line.
        let t = table("x,y\n1,\"2\n\"\n3,4\n");
        assert_eq!(t.rows, [[1.0, 2.0], [3.0, 4.0]]);
        assert_eq!(t.lines, [2, 4]);
        assert_eq!(
            refusal("x,y\n1,\"2\n3\"\n4,5\n", 2),
            "line 2: a quoted field runs over several lines"
        );
    }

    #[test]
    fn three_columns_read_in_order() {
        let t = read_table("# xor\nx1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n", 3).unwrap();
        assert_eq!(t.names, ["x1", "x2", "y"]);
        assert_eq!(t.rows.len(), 4);
        assert_eq!(t.rows[1], [0.0, 1.0, 1.0]);
        assert_eq!(t.lines, [3, 4, 5, 6]);
        assert_eq!(t.source, "xor");
        assert_eq!(
            refusal("x1,x2,y\n0,0,0\n0,z,1\n", 3),
            "line 3: 'z' in column x2 is not a number"
        );
        assert_eq!(
            refusal("x,y\n0,0\n0,1\n", 3),
            "line 1: the header names 2 column(s); it needs at least 3"
        );
    }

    #[test]
    fn a_ragged_line_is_named_after_blank_and_comment_lines() {
        assert_eq!(
            refusal(
                "x1,x2,y\n1,2,3\n\n# a note\n  \n   # an indented note\n4,5\n",
                3
            ),
            "line 7: 2 field(s) where the header has 3"
        );
        assert_eq!(
            refusal("\n\n# src\n\nx1,x2,y\n1,2,3\n4,5,6\n7,8,9,10\n", 3),
            "line 8: 4 field(s) where the header has 3"
        );
    }

    #[test]
    fn too_few_rows_are_refused() {
        assert_eq!(
            refusal("x1,x2,y\n1,2,3\n\n", 3),
            "line 3: the file ends after 1 point(s); a fit needs at least two"
        );
        assert_eq!(
            refusal("x,y\n", 2),
            "line 1: the file ends after 0 point(s); a fit needs at least two"
        );
    }

    #[test]
    fn a_numeric_header_is_refused() {
        assert_eq!(
            refusal("# src\n1,2,3\n4,5,6\n7,8,9\n", 3),
            "line 2: the header is numbers (1,2,3); the first line must name the columns"
        );
        assert_eq!(
            refusal("1;2\n4;5\n7;8\n", 2),
            "line 1: the header is numbers (1;2); the first line must name the columns"
        );
    }
}
