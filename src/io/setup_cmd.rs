//! `downhill setup`: the setup text for the runs the flags describe, so a worksheet can carry
//! one line that opens the window (`downhill --setup TEXT`) without anyone opening it first.

use std::io::Write;

use downhill_engine::run::setup::{RunSpec, Setup};
use downhill_engine::run::share::Shared;

use super::Failure;
use super::args::SetupArgs;

/// Prints the current version's setup text for `args` on `out`, one line.
pub fn setup(args: &SetupArgs, out: &mut impl Write) -> Result<(), Failure> {
    // Only the specs and configurations are written: a network's plane is not trained for.
    let run = super::args::TraceArgs {
        check_only: true,
        ..args.run.clone()
    };
    let (resolved, setup_view) = run.resolve_all()?;
    let Some(first) = resolved.first() else {
        return Err(Failure::Bad("no run to write".into()));
    };
    let setup = Setup {
        landscape: first.landscape.spec(),
        runs: resolved.iter().map(|r| RunSpec::new(r.config)).collect(),
        start: [first.start.x, first.start.y],
        steps: first.steps,
        ..Setup::default()
    };
    let shared = Shared {
        setup,
        view: args.view.or(setup_view),
    };
    let text = shared.to_text();
    // What is printed must open: the same checks the window and --setup make.
    Shared::from_text(&text).map_err(|e| Failure::Bad(e.to_string()))?;
    writeln!(out, "{text}")?;
    out.flush()?;
    Ok(())
}
