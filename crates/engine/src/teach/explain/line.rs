//! One line of an update written out, with its numbers kept as values: `w0 ← w0 − η·∂L/∂w0 =
//! 6 − 0.3 × 8 = 3.6` is text, the parameters' names and three numbers, formatted only when the
//! line is shown — rounded for reading, or in full (the step table's digits) — and named for
//! what the parameters are (w0, w1 on two weights; p0, p1 for a network's θ).

use std::borrow::Cow;

use crate::format::short;

/// A piece of a [`Line`].
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Text(Cow<'static, str>),
    /// The parameter with this index: `w0` on two weights, `p0` on a network.
    Param(usize),
    /// A number, shown as its [`Style`] says.
    Num(f64, Style),
}

/// How a number stands in a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// As it is (`-2.5`, `1e-08`): a factor that is rarely negative (η, β, ε).
    Plain,
    /// A term of its own, the minus sign typeset (`−2.5`): the first term of a sum, a result.
    Lead,
    /// A factor that may be negative, in parentheses when it is (`0.9 × (−1.2)`).
    Paren,
}

/// How many digits a number is shown with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Digits {
    /// Shortest round-trip when that is at most ten digits, else ten significant digits
    /// marked `≈` (so a reader comparing with the step table sees the figure was rounded).
    Reading,
    /// Every digit (shortest round-trip): the value the step table shows.
    Full,
}

/// What the parameters are called.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Params {
    /// The two weights of a landscape: w0, w1.
    #[default]
    Weights,
    /// A network's θ: p0, p1, … in torch's `parameters()` order.
    Network,
}

impl Params {
    fn letter(self) -> char {
        match self {
            Self::Weights => 'w',
            Self::Network => 'p',
        }
    }
}

/// One formula with its numbers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Line(pub Vec<Part>);

impl Line {
    /// The line as shown, with numbers to `digits` and parameters named as `params`.
    pub fn render(&self, digits: Digits, params: Params) -> String {
        let mut s = String::new();
        for part in &self.0 {
            match part {
                Part::Text(t) => s.push_str(t),
                Part::Param(i) => {
                    s.push(params.letter());
                    s.push_str(&i.to_string());
                }
                Part::Num(x, style) => s.push_str(&styled(*x, *style, digits)),
            }
        }
        s
    }

    /// The line as read in the window: numbers rounded, on two weights.
    pub fn text(&self) -> String {
        self.render(Digits::Reading, Params::Weights)
    }

    /// Whether a number of the line is shown rounded when read (so its full form differs).
    pub fn rounded(&self) -> bool {
        self.values().any(|x| rounded(x).is_some())
    }

    /// The line's numbers, in order.
    pub fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.0.iter().filter_map(|p| match p {
            Part::Num(x, _) => Some(*x),
            _ => None,
        })
    }

    /// The last number: a line's result.
    pub fn result(&self) -> Option<f64> {
        self.values().last()
    }

    /// The parameter this line updates, when it is one (`w1 ← …`).
    pub fn updates(&self) -> Option<usize> {
        match (self.0.first(), self.0.get(1)) {
            (Some(Part::Param(i)), Some(Part::Text(t))) if t.starts_with(" ←") => Some(*i),
            _ => None,
        }
    }
}

/// `x` rounded for reading, when its shortest round-trip form has more than ten digits.
fn rounded(x: f64) -> Option<String> {
    let s = short(x);
    let digits = s
        .split(['e', 'E'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .count();
    (digits > 10).then(|| short(format!("{x:.9e}").parse().unwrap_or(x)))
}

/// A number in a line: shortest round-trip (`6`, `0.3`, `1e-08`), or to reading precision
/// marked `≈` (`≈0.01599999999`).
pub fn number(x: f64, digits: Digits) -> String {
    match (digits, rounded(x)) {
        (Digits::Reading, Some(r)) => format!("≈{r}"),
        _ => short(x),
    }
}

fn styled(x: f64, style: Style, digits: Digits) -> String {
    let s = number(x, digits);
    match style {
        Style::Plain => s,
        Style::Lead => s.replace('-', "−"),
        Style::Paren => {
            let s = s.replace('-', "−");
            if x.is_sign_negative() && x != 0.0 {
                format!("({s})")
            } else {
                s
            }
        }
    }
}

/// A number as it is: a factor that is rarely negative.
pub fn num(x: f64) -> Part {
    Part::Num(x, Style::Plain)
}

/// A number as a term of its own (the minus sign typeset).
pub fn lead(x: f64) -> Part {
    Part::Num(x, Style::Lead)
}

/// A number as a factor that may be negative (in parentheses when it is).
pub fn paren(x: f64) -> Part {
    Part::Num(x, Style::Paren)
}

/// The parameter with index `i` (w0 or p0, …).
pub fn param(i: usize) -> Part {
    Part::Param(i)
}

impl From<&'static str> for Part {
    fn from(s: &'static str) -> Self {
        Self::Text(Cow::Borrowed(s))
    }
}

impl From<String> for Part {
    fn from(s: String) -> Self {
        Self::Text(Cow::Owned(s))
    }
}

/// A [`Line`] of parts, each anything that is `Into<Part>`: text, [`param`], [`num`],
/// [`lead`], [`paren`].
#[macro_export]
macro_rules! line_of {
    ($($part:expr),* $(,)?) => {
        $crate::teach::explain::line::Line(vec![$($crate::teach::explain::line::Part::from($part)),*])
    };
}
pub use crate::line_of;

/// A formula for coordinate `i` from a template: `#` is the index, `w#` the parameter
/// (`"w# − η·g#"` is `w0 − η·g0` on two weights, `p0 − η·g0` on a network).
pub fn formula(i: usize, template: &str) -> Line {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(k) = rest.find('#') {
        let (before, after) = rest.split_at(k);
        rest = &after[1..];
        match before.strip_suffix('w') {
            Some(head) => {
                text.push_str(head);
                if !text.is_empty() {
                    parts.push(Part::from(std::mem::take(&mut text)));
                }
                parts.push(Part::Param(i));
            }
            None => {
                text.push_str(before);
                text.push_str(&i.to_string());
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        parts.push(Part::from(text));
    }
    Line(parts)
}

impl Line {
    /// This line followed by `other`'s parts.
    pub fn then(mut self, other: impl Into<Line>) -> Self {
        self.0.extend(other.into().0);
        self
    }
}

impl From<Part> for Line {
    fn from(p: Part) -> Self {
        Self(vec![p])
    }
}

impl From<&'static str> for Line {
    fn from(s: &'static str) -> Self {
        Self(vec![s.into()])
    }
}

impl From<String> for Line {
    fn from(s: String) -> Self {
        Self(vec![s.into()])
    }
}

/// `name# ← formula = numbers = value` for coordinate `i` ([`formula`]'s templates): a
/// quantity's update with its numbers and its new value.
pub fn update(i: usize, name: &str, template: &str, numbers: Line, value: f64) -> Line {
    formula(i, &format!("{name}#"))
        .then(" ← ")
        .then(formula(i, template))
        .then(" = ")
        .then(numbers)
        .then(" = ")
        .then(lead(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_rounded_ones_are_marked() {
        let n = |x| number(x, Digits::Reading);
        assert_eq!(n(6.0), "6");
        assert_eq!(n(3.5999999999999996), "≈3.6");
        assert_eq!(n(0.1 + 0.2), "≈0.3");
        assert_eq!(n(1e-8), "1e-08");
        assert_eq!(n(-2.5), "-2.5");
        assert_eq!(number(0.1 + 0.2, Digits::Full), "0.30000000000000004");
    }

    #[test]
    fn a_line_names_its_parameters_when_shown() {
        let l = update(
            0,
            "w",
            "w# − η·∂L/∂w#",
            line_of![lead(6.0), " − ", num(0.3), " × ", paren(-8.0)],
            8.4,
        );
        assert_eq!(
            l.render(Digits::Reading, Params::Weights),
            "w0 ← w0 − η·∂L/∂w0 = 6 − 0.3 × (−8) = 8.4"
        );
        assert_eq!(
            l.render(Digits::Reading, Params::Network),
            "p0 ← p0 − η·∂L/∂p0 = 6 − 0.3 × (−8) = 8.4"
        );
        assert_eq!(l.updates(), Some(0));
        assert_eq!(l.result(), Some(8.4));
        assert!(!l.rounded());
        let r = line_of!["v = ", num(0.1 + 0.2)];
        assert!(r.rounded());
        assert_eq!(r.updates(), None);
        assert_eq!(
            r.render(Digits::Full, Params::Weights),
            "v = 0.30000000000000004"
        );
        let f = formula(1, "max(v_max#, v#)·w#/w");
        assert_eq!(
            f.render(Digits::Full, Params::Network),
            "max(v_max1, v1)·p1/w"
        );
        assert_eq!(f.0.len(), 3);
    }
}
