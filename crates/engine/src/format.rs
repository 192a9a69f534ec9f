//! Numbers as they leave the program: shortest round-trip text, in the same form Python's
//! `repr` prints (`3.0`, `1e-06`, `-3.094850098213458e-18`), so a trajectory from
//! `downhill trace` and one from torch can be compared line by line. Rows are written by
//! `run::rows`.

/// `x` in shortest round-trip form, spelled like Python's `repr(float)`.
pub fn num(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    // `{:e}` gives the shortest round-trip digits: "-1.2345e-5", "1e16", "0e0".
    let sci = format!("{x:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if (-4..16).contains(&exp) {
        // Positional, always with a decimal point.
        let point = exp + 1; // digits before the decimal point
        let n = digits.len() as i32;
        if point <= 0 {
            format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
        } else if point >= n {
            format!("{sign}{digits}{}.0", "0".repeat((point - n) as usize))
        } else {
            let (a, b) = digits.split_at(point as usize);
            format!("{sign}{a}.{b}")
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{first}{frac}e{esign}{:02}", exp.abs())
    }
}

/// A number for people: shortest round-trip without a trailing ".0" (`3`, `0.125`).
pub fn short(x: f64) -> String {
    let s = num(x);
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}

/// A number for a field or a title, at most about `width` characters: as [`short`] when that
/// fits, else in scientific notation with as many digits as fit (`1.5e308`, not 309 digits).
pub fn fit(x: f64, width: usize) -> String {
    let s = short(x);
    if s.len() <= width {
        return s;
    }
    let digits = width.saturating_sub(7).max(1);
    let e = format!("{x:.digits$e}");
    // "1.50000e308" → "1.5e308": trailing zeros of the mantissa say nothing.
    match e.split_once('e') {
        Some((m, exp)) if m.contains('.') => {
            let m = m.trim_end_matches('0').trim_end_matches('.');
            format!("{m}e{exp}")
        }
        _ => e,
    }
}

/// A number to four significant digits, for facts that are read rather than reused.
pub fn sig(x: f64) -> String {
    short(format!("{x:.3e}").parse().unwrap_or(x))
}

/// A number for JSON: as [`num`], or `null` where JSON has no number (NaN, ±∞).
pub fn json_num(x: f64) -> String {
    if x.is_finite() { num(x) } else { "null".into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_python_repr() {
        let cases = [
            (3.0, "3.0"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (2.1, "2.1"),
            (-0.3999999999999999, "-0.3999999999999999"),
            (1e-6, "1e-06"),
            (0.0001, "0.0001"),
            (1e-5, "1e-05"),
            (-3.094850098213458e-18, "-3.094850098213458e-18"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123456789012345680.0, "1.2345678901234568e+17"),
            (1.5e300, "1.5e+300"),
            (5e-324, "5e-324"),
            (25.0, "25.0"),
            (0.1 + 0.2, "0.30000000000000004"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
        ];
        for (x, want) in cases {
            assert_eq!(num(x), want);
            if x.is_finite() {
                assert_eq!(num(x).parse::<f64>().unwrap().to_bits(), x.to_bits());
            }
        }
        assert_eq!(num(f64::NAN), "nan");
        assert_eq!(json_num(f64::NAN), "null");
    }

    #[test]
    fn fitted_numbers_stay_narrow() {
        assert_eq!(fit(3.0, 12), "3");
        assert_eq!(fit(0.125, 12), "0.125");
        assert_eq!(fit(1e308, 12), "1e+308");
        assert_eq!(fit(-1.2345678901234567e300, 12), "-1.23457e300");
        assert!(
            fit(123456789012.5, 12).len() <= 12,
            "{}",
            fit(123456789012.5, 12)
        );
        for x in [1e308, -1e308, 5e-324, 123456.789012345, f64::MAX] {
            assert!(fit(x, 12).len() <= 12, "{x}: {}", fit(x, 12));
            assert!(fit(x, 12).parse::<f64>().is_ok());
        }
    }
}
