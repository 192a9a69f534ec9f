//! The `downhill` command: the headless engine (`list`, `trace`); the window comes next.

fn main() {
    std::process::exit(downhill::cli::main_with(std::env::args_os()));
}
