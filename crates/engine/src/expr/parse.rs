//! The grammar of typed formulas, parsed by recursive descent into an [`Ast`].
//!
//! ```text
//! expr   := term (('+' | '-') term)*
//! term   := unary (('*' | '/') unary)*
//! unary  := ('-' | '+') unary | power
//! power  := atom (('^' | '**') unary)?        right-associative: 2^3^2 = 2^9, -x^2 = -(x^2)
//! atom   := number | x | y | w0 | w1 | pi | e | func '(' expr ')' | '(' expr ')'
//! func   := sin | cos | tan | exp | ln | log | sqrt | abs | tanh
//! ```
//! `log` is the natural logarithm, as in numpy and torch. Errors carry the column (counted in
//! characters from 1) and say what was expected there.

use std::fmt;

/// A parse error: where and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    /// 1-based column, in characters, of the offending token (one past the end for "the end").
    pub column: usize,
    /// What was expected and what was found.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

/// Functions of one argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Func {
    Sin,
    Cos,
    Tan,
    Exp,
    Ln,
    Sqrt,
    Abs,
    Tanh,
}

impl Func {
    /// Every name the grammar accepts for a function.
    pub const NAMES: [(&'static str, Func); 9] = [
        ("sin", Func::Sin),
        ("cos", Func::Cos),
        ("tan", Func::Tan),
        ("exp", Func::Exp),
        ("ln", Func::Ln),
        ("log", Func::Ln),
        ("sqrt", Func::Sqrt),
        ("abs", Func::Abs),
        ("tanh", Func::Tanh),
    ];

    pub fn name(self) -> &'static str {
        match self {
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Tan => "tan",
            Func::Exp => "exp",
            Func::Ln => "ln",
            Func::Sqrt => "sqrt",
            Func::Abs => "abs",
            Func::Tanh => "tanh",
        }
    }
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

/// A parsed formula.
#[derive(Clone, Debug, PartialEq)]
pub enum Ast {
    Num(f64),
    /// 0 = x (w0), 1 = y (w1).
    Var(usize),
    Neg(Box<Ast>),
    Bin(BinOp, Box<Ast>, Box<Ast>),
    Call(Func, Box<Ast>),
}

/// Deeper nesting than this is refused (it keeps the recursive parser's stack bounded).
pub const MAX_DEPTH: usize = 200;
/// Longer formulas than this (in characters) are refused.
pub const MAX_LEN: usize = 10_000;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LParen,
    RParen,
    End,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Num(v) => format!("the number {v}"),
            Tok::Ident(s) => format!("'{s}'"),
            Tok::Plus => "'+'".into(),
            Tok::Minus => "'-'".into(),
            Tok::Star => "'*'".into(),
            Tok::Slash => "'/'".into(),
            Tok::Caret => "'^'".into(),
            Tok::LParen => "'('".into(),
            Tok::RParen => "')'".into(),
            Tok::End => "the end of the formula".into(),
        }
    }
}

/// Splits `text` into tokens with their 0-based character columns.
fn lex(text: &str) -> Result<Vec<(Tok, usize)>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let tok = match c {
            _ if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '+' => Tok::Plus,
            '-' | '−' => Tok::Minus,
            '*' | '×' | '·' => {
                if chars.get(i + 1) == Some(&'*') {
                    i += 1;
                    Tok::Caret
                } else {
                    Tok::Star
                }
            }
            '/' | '÷' => Tok::Slash,
            '^' => Tok::Caret,
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            '0'..='9' | '.' => {
                let mut j = i;
                while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
                    j += 1;
                }
                // An exponent: e or E, an optional sign, at least one digit.
                if j < chars.len() && (chars[j] == 'e' || chars[j] == 'E') {
                    let mut k = j + 1;
                    if k < chars.len() && (chars[k] == '+' || chars[k] == '-') {
                        k += 1;
                    }
                    if k < chars.len() && chars[k].is_ascii_digit() {
                        while k < chars.len() && chars[k].is_ascii_digit() {
                            k += 1;
                        }
                        j = k;
                    }
                }
                let s: String = chars[i..j].iter().collect();
                let v: f64 = s.parse().map_err(|_| ParseError {
                    column: start + 1,
                    message: format!("'{s}' is not a number"),
                })?;
                if !v.is_finite() {
                    return Err(ParseError {
                        column: start + 1,
                        message: format!("the number {s} is too large"),
                    });
                }
                i = j;
                out.push((Tok::Num(v), start));
                continue;
            }
            'π' => Tok::Ident("pi".into()),
            _ if c.is_alphabetic() || c == '_' => {
                let mut j = i;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                let s: String = chars[i..j].iter().collect();
                i = j;
                out.push((Tok::Ident(s), start));
                continue;
            }
            _ => {
                return Err(ParseError {
                    column: start + 1,
                    message: format!("unexpected character '{c}'"),
                });
            }
        };
        i += 1;
        out.push((tok, start));
    }
    out.push((Tok::End, chars.len()));
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].0
    }

    fn column(&self) -> usize {
        self.toks[self.pos.min(self.toks.len() - 1)].1 + 1
    }

    fn bump(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn error<T>(&self, message: String) -> Result<T, ParseError> {
        Err(ParseError {
            column: self.column(),
            message,
        })
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        // A parenthesis level passes through `expr` and `unary`: two counts a level.
        if self.depth > 2 * MAX_DEPTH {
            return self.error(format!(
                "the formula is nested too deeply (more than {MAX_DEPTH} levels)"
            ));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Ast, ParseError> {
        self.enter()?;
        let mut lhs = self.term()?;
        loop {
            let op = match self.peek() {
                Tok::Plus => BinOp::Add,
                Tok::Minus => BinOp::Sub,
                _ => break,
            };
            self.bump();
            let rhs = self.term()?;
            lhs = Ast::Bin(op, Box::new(lhs), Box::new(rhs));
        }
        self.depth -= 1;
        Ok(lhs)
    }

    fn term(&mut self) -> Result<Ast, ParseError> {
        let mut lhs = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Star => BinOp::Mul,
                Tok::Slash => BinOp::Div,
                _ => break,
            };
            self.bump();
            let rhs = self.unary()?;
            lhs = Ast::Bin(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Ast, ParseError> {
        self.enter()?;
        let out = match self.peek() {
            Tok::Minus => {
                self.bump();
                Ast::Neg(Box::new(self.unary()?))
            }
            Tok::Plus => {
                self.bump();
                self.unary()?
            }
            _ => self.power()?,
        };
        self.depth -= 1;
        Ok(out)
    }

    fn power(&mut self) -> Result<Ast, ParseError> {
        let base = self.atom()?;
        if *self.peek() == Tok::Caret {
            self.bump();
            let exponent = self.unary()?;
            return Ok(Ast::Bin(BinOp::Pow, Box::new(base), Box::new(exponent)));
        }
        Ok(base)
    }

    fn atom(&mut self) -> Result<Ast, ParseError> {
        let column = self.column();
        match self.bump() {
            Tok::Num(v) => Ok(Ast::Num(v)),
            Tok::LParen => {
                let inner = self.expr()?;
                if *self.peek() != Tok::RParen {
                    return self.error(format!(
                        "expected ')' to close the '(' at column {column}, found {}",
                        self.peek().describe()
                    ));
                }
                self.bump();
                Ok(inner)
            }
            Tok::Ident(name) => self.ident(&name, column),
            other => Err(ParseError {
                column,
                message: format!(
                    "expected a number, x, y, a function or '(', found {}",
                    other.describe()
                ),
            }),
        }
    }

    fn ident(&mut self, name: &str, column: usize) -> Result<Ast, ParseError> {
        match name {
            "x" | "w0" => return Ok(Ast::Var(0)),
            "y" | "w1" => return Ok(Ast::Var(1)),
            "pi" => return Ok(Ast::Num(std::f64::consts::PI)),
            "e" => return Ok(Ast::Num(std::f64::consts::E)),
            _ => {}
        }
        let Some(&(_, func)) = Func::NAMES.iter().find(|(n, _)| *n == name) else {
            return Err(ParseError {
                column,
                message: format!(
                    "unknown name '{name}': use x and y (or w0 and w1), pi, e, or one of \
                     sin cos tan exp ln log sqrt abs tanh"
                ),
            });
        };
        if *self.peek() != Tok::LParen {
            return self.error(format!(
                "expected '(' after '{name}', found {}",
                self.peek().describe()
            ));
        }
        self.bump();
        let arg = self.expr()?;
        if *self.peek() != Tok::RParen {
            return self.error(format!(
                "expected ')' to close '{name}(', found {}",
                self.peek().describe()
            ));
        }
        self.bump();
        Ok(Ast::Call(func, Box::new(arg)))
    }
}

/// Parses a formula in x and y.
pub fn parse(text: &str) -> Result<Ast, ParseError> {
    let len = text.chars().count();
    if len > MAX_LEN {
        return Err(ParseError {
            column: MAX_LEN + 1,
            message: format!("the formula is too long (more than {MAX_LEN} characters)"),
        });
    }
    let toks = lex(text)?;
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    if *p.peek() == Tok::End {
        return p.error("expected a formula, found nothing".into());
    }
    let ast = p.expr()?;
    match p.peek() {
        Tok::End => Ok(ast),
        Tok::RParen => p.error("this ')' has no matching '('".into()),
        Tok::Ident(_) | Tok::Num(_) | Tok::LParen => p.error(format!(
            "expected an operator (+ - * / ^) or the end, found {}; write 2*x for a product",
            p.peek().describe()
        )),
        other => p.error(format!("unexpected {}", other.describe())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ParseError {
        parse(text).unwrap_err()
    }

    #[test]
    fn precedence_and_associativity() {
        use Ast::*;
        let x = || Box::new(Var(0));
        // -x^2 = -(x^2)
        assert_eq!(
            parse("-x^2").unwrap(),
            Neg(Box::new(Bin(BinOp::Pow, x(), Box::new(Num(2.0)))))
        );
        // 2^3^2 = 2^(3^2)
        let Bin(BinOp::Pow, _, rhs) = parse("2^3^2").unwrap() else {
            panic!()
        };
        assert!(matches!(*rhs, Bin(BinOp::Pow, _, _)));
        // x**2 is x^2; w0 is x
        assert_eq!(parse("x**2").unwrap(), parse("w0^2").unwrap());
        // x^-2 is allowed
        assert!(parse("x^-2").is_ok());
        // a - b - c = (a - b) - c
        let Bin(BinOp::Sub, lhs, _) = parse("x - y - 1").unwrap() else {
            panic!()
        };
        assert!(matches!(*lhs, Bin(BinOp::Sub, _, _)));
    }

    #[test]
    fn errors_name_the_column_and_what_was_expected() {
        let e = err("x + * y");
        assert_eq!(e.column, 5);
        assert!(e.message.contains("expected a number"), "{e}");
        let e = err("sin x");
        assert_eq!(e.column, 5);
        assert!(e.message.contains("expected '(' after 'sin'"), "{e}");
        let e = err("(x + y");
        assert_eq!(e.column, 7);
        assert!(e.message.contains("expected ')'"), "{e}");
        let e = err("2x");
        assert_eq!(e.column, 2);
        assert!(e.message.contains("2*x"), "{e}");
        let e = err("x + z");
        assert_eq!(e.column, 5);
        assert!(e.message.contains("unknown name 'z'"), "{e}");
        let e = err("x # y");
        assert_eq!(e.column, 3);
        let e = err("");
        assert_eq!(e.column, 1);
        let e = err("x)");
        assert!(e.message.contains("no matching '('"), "{e}");
        let e = err("1e999");
        assert!(e.message.contains("too large"), "{e}");
        let e = err("x +");
        assert_eq!(e.column, 4);
        assert!(e.message.contains("the end"), "{e}");
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = "(".repeat(2000) + "x" + &")".repeat(2000);
        assert!(err(&deep).message.contains("nested too deeply"));
        let minus = "-".repeat(5000) + "x";
        assert!(err(&minus).message.contains("nested too deeply"));
        let ok = "(".repeat(190) + "x" + &")".repeat(190);
        assert!(parse(&ok).is_ok());
        assert_eq!(parse("π*x").unwrap(), parse("pi*x").unwrap());
    }
}
