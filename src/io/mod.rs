//! The command line: `downhill list`, `trace`, `render`, `setup`.
//!
//! [`args`] is what clap reads, [`resolve`] turns flags into runs, [`trace`], [`list`] and
//! [`render_cmd`] are the commands; this module runs them (docs/design.md, "The headless
//! contract"). Bad input is one line on stderr and exit status 2; nothing panics.

pub mod args;
pub mod list;
pub mod render_cmd;
pub mod resolve;
pub mod setup_cmd;
pub mod trace;

use std::io::{self, Write};

use clap::Parser;

use downhill_engine::teach::preset;

use crate::ui::options::WindowOptions;

pub use args::{Cli, Command, Format, HyperArgs, RenderArgs, TraceArgs};
pub use list::list;
pub use render_cmd::render;
pub use resolve::Resolved;
pub use trace::trace;

/// Why a command failed: bad input (one line for the user), or the reader of our output went
/// away (a closed pipe, as in `downhill trace … | head`), which is no error at all.
#[derive(Debug)]
pub enum Failure {
    Bad(String),
    ClosedPipe,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self::Bad(message)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Self::ClosedPipe
        } else {
            Self::Bad(format!(
                "cannot write the output: {}",
                crate::atomic::plain(&e)
            ))
        }
    }
}

/// The window's options from the command line, or why they are wrong.
fn window_options(cli: &Cli) -> Result<WindowOptions, Failure> {
    let lesson = match &cli.lesson {
        None => None,
        Some(name) => {
            let all = preset::presets().map_err(Failure::Bad)?;
            preset::find(name).map_err(|e| Failure::Bad(e.replace("preset", "lesson")))?;
            all.iter().position(|p| &p.name == name)
        }
    };
    let setup = resolve::shared_setup(cli.setup.as_deref(), cli.setup_file.as_deref())
        .map_err(Failure::Bad)?;
    Ok(WindowOptions { lesson, setup })
}

/// Runs the command line; returns the process exit code. Without a subcommand it calls
/// `open_window`.
pub fn main_with(
    args: impl IntoIterator<Item = std::ffi::OsString>,
    open_window: impl FnOnce(WindowOptions) -> Result<(), String>,
) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let written =
                    write!(io::stdout().lock(), "{e}").and_then(|()| io::stdout().flush());
                return match written.map_err(Failure::from) {
                    Ok(()) | Err(Failure::ClosedPipe) => 0,
                    Err(Failure::Bad(message)) => say(&format!("error: {message}"), 1),
                };
            }
            // One clear line: clap's first line says what is wrong, with the indented lines
            // under it when it ends in a colon ("… were not provided:" then "  --net").
            let text = e.to_string();
            let mut lines = text.lines();
            let mut first = lines.next().unwrap_or("error: bad arguments").to_owned();
            if first.ends_with(':') {
                let listed: Vec<&str> = lines
                    .take_while(|l| l.starts_with(' ') && !l.trim().is_empty())
                    .map(str::trim)
                    .collect();
                if !listed.is_empty() {
                    first = format!("{first} {}", listed.join(", "));
                }
            }
            return say(&first, 2);
        }
    };
    let stdout = io::stdout();
    let result = match cli.command {
        None => window_options(&cli).and_then(|options| {
            open_window(options).map_err(|e| {
                Failure::Bad(format!(
                    "cannot open the window: {e} (the headless commands work without one: \
                     downhill list, downhill trace --help)"
                ))
            })
        }),
        Some(_) if cli.lesson.is_some() => Err(Failure::Bad(
            "--lesson opens the window: give it without a subcommand (trace takes --preset)".into(),
        )),
        Some(Command::List) => list(&mut stdout.lock()).map_err(Failure::from),
        Some(Command::Trace(args)) => {
            let out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
            trace(&args, out, &mut io::stderr()).map(|_| ())
        }
        Some(Command::Render(args)) => render(&args, &mut io::stderr()),
        Some(Command::Setup(args)) => setup_cmd::setup(&args, &mut stdout.lock()),
    };
    match result {
        Ok(()) | Err(Failure::ClosedPipe) => 0,
        Err(Failure::Bad(message)) => say(&format!("error: {message}"), 2),
    }
}

/// Writes `line` on stderr and gives back `code`; a closed or full stderr cannot be told
/// anything, so the exit code alone carries it (no panic, as `eprintln!` would).
fn say(line: &str, code: i32) -> i32 {
    let mut err = io::stderr().lock();
    if writeln!(err, "{line}").and_then(|()| err.flush()).is_err() {
        return code.max(1);
    }
    code
}
