//! `cargo bench --bench latency`: `latency/lr_change` is the time from a learning-rate change
//! sent by the window to a snapshot holding the new run's first 500 steps (what the next frame
//! draws), through the real stepper thread.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use criterion::{Criterion, criterion_group, criterion_main};
use downhill::live::stepper::{Command, PREVIEW_STEPS, Speed, StepperHandle};
use downhill_engine::run::setup::Setup;

fn latency(c: &mut Criterion) {
    let published = Arc::new(AtomicU64::new(0));
    let p = Arc::clone(&published);
    let handle = StepperHandle::spawn(Setup::default(), Speed::PerSecond(10.0), move || {
        p.fetch_add(1, Ordering::Release);
    })
    .expect("the stepper starts");
    handle.send(Command::Pause);
    let mut setup = Setup::default();
    let mut flip = false;
    c.bench_function("latency/lr_change", |b| {
        b.iter(|| {
            flip = !flip;
            setup.runs[0].config.hyper.lr = if flip { 0.05 } else { 0.2 };
            let before = handle.snapshot().generation;
            handle.send(Command::SetSetup(Box::new(setup.clone())));
            loop {
                let snap = handle.snapshot();
                if snap.generation != before {
                    assert!(snap.step >= PREVIEW_STEPS);
                    break;
                }
                std::hint::spin_loop();
            }
        })
    });
}

criterion_group!(benches, latency);
criterion_main!(benches);
