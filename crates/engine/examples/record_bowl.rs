//! GD on the bowl from (3, 2) for a million recorded updates, as `engine/gd_bowl_1m` times it,
//! for counting instructions, which this shared machine measures far more steadily than time:
//!
//! ```text
//! cargo build --release -p downhill-engine --example record_bowl
//! valgrind --tool=callgrind target/release/examples/record_bowl 1e-6 1
//! ```
//!
//! Arguments: the learning rate (default 1e-6: every update computed, none at a fixed point)
//! and the number of runs (default 1). Prints the time per run and the last point.

use std::hint::black_box;

use downhill_engine::landscape::Landscape;
use downhill_engine::optim::{OptimizerKind, Vec2};
use downhill_engine::run::{Run, RunConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let lr: f64 = args.next().map_or(Ok(1e-6), |s| s.parse())?;
    let reps: u32 = args.next().map_or(Ok(1), |s| s.parse())?;
    let bowl = Landscape::builtin("bowl")?;
    let mut config = RunConfig::new(OptimizerKind::Sgd);
    config.hyper.lr = lr;
    let mut rows = Vec::new();
    let t = std::time::Instant::now();
    for _ in 0..reps.max(1) {
        let mut run = Run::new(black_box(&bowl).clone(), &config, Vec2::new(3.0, 2.0))?;
        rows.clear();
        run.record_into(&mut rows, 1_000_000);
    }
    println!(
        "{:?} per run of 1,000,000 updates; last point {:?}",
        t.elapsed() / reps.max(1),
        rows.last().map(|r| (r.w.x, r.w.y))
    );
    Ok(())
}
