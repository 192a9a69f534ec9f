//! Reading (x, y) points from CSV text: a header naming the columns, x then y (later columns
//! are ignored), then one point per line. Lines starting with `#` are comments; the first says
//! where the data come from. A file that cannot be used whole is refused with the line and the
//! reason: nothing is half-loaded.

use super::{Dataset, MAX_POINTS, Model};

/// Why a CSV text cannot be used.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CsvError {
    #[error("the file is empty: it needs a header naming the x and y columns, then the points")]
    Empty,
    #[error("line {lines}: the file ends without a header line naming the x and y columns")]
    NoHeader { lines: usize },
    #[error("line {line}: the header names {found} column(s); it needs two, x then y")]
    ShortHeader { line: usize, found: usize },
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
    #[error("line {line}: y = {value}, but a logistic model needs labels 0 or 1")]
    NotALabel { line: usize, value: f64 },
    #[error("line {line}: the file ends after {found} point(s); a fit needs at least two")]
    TooFew { line: usize, found: usize },
    #[error("line {0}: more than {MAX_POINTS} points")]
    TooMany(usize),
}

/// Parses `text` whole; for a logistic model every y must be 0 or 1.
pub fn parse(text: &str, name: &str, model: Model) -> Result<Dataset, CsvError> {
    let mut source = String::new();
    let mut lines = 0;
    let mut header: Option<(Vec<String>, usize)> = None;
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        lines = line;
        let l = raw.trim().trim_start_matches('\u{feff}');
        if l.is_empty() {
            continue;
        }
        if let Some(comment) = l.strip_prefix('#') {
            if source.is_empty() && header.is_none() {
                source = comment.trim().to_owned();
            }
            continue;
        }
        let fields: Vec<&str> = l.split(',').map(str::trim).collect();
        let Some((names, _)) = &header else {
            if fields.len() < 2 {
                return Err(CsvError::ShortHeader {
                    line,
                    found: fields.len(),
                });
            }
            if fields[..2].iter().all(|f| f.parse::<f64>().is_ok()) {
                return Err(CsvError::NumericHeader {
                    line,
                    text: l.chars().take(40).collect(),
                });
            }
            let names = fields
                .iter()
                .map(|f| f.trim_matches('"').to_owned())
                .collect();
            header = Some((names, line));
            continue;
        };
        if fields.len() != names.len() {
            return Err(CsvError::Ragged {
                line,
                found: fields.len(),
                want: names.len(),
            });
        }
        let value = |k: usize| -> Result<f64, CsvError> {
            let v: f64 = fields[k].parse().map_err(|_| CsvError::NotANumber {
                line,
                column: names[k].clone(),
                text: fields[k].chars().take(40).collect(),
            })?;
            if v.is_finite() {
                Ok(v)
            } else {
                Err(CsvError::NotFinite {
                    line,
                    column: names[k].clone(),
                    value: v,
                })
            }
        };
        let (xi, yi) = xy_columns(names);
        let (xv, yv) = (value(xi)?, value(yi)?);
        if !model.label_ok(yv) {
            return Err(CsvError::NotALabel { line, value: yv });
        }
        if x.len() == MAX_POINTS {
            return Err(CsvError::TooMany(line));
        }
        x.push(xv);
        y.push(yv);
    }
    let Some((names, _)) = header else {
        return Err(if lines == 0 {
            CsvError::Empty
        } else {
            CsvError::NoHeader { lines }
        });
    };
    if x.len() < 2 {
        return Err(CsvError::TooFew {
            line: lines,
            found: x.len(),
        });
    }
    let (xi, yi) = xy_columns(&names);
    Ok(Dataset {
        name: name.to_owned(),
        source,
        columns: [names[xi].clone(), names[yi].clone()],
        x,
        y,
    })
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
        assert!(err("x\n1\n", Model::Linear).starts_with("line 1: the header names 1"));
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
}
