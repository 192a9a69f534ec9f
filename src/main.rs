//! The `downhill` command: the window, or the headless engine (`list`, `trace`).

fn main() {
    let code = downhill::io::main_with(std::env::args_os(), |options| {
        downhill::ui::run(options).map_err(|e| e.to_string())
    });
    std::process::exit(code);
}
