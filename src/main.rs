//! cohabit's command-line entry: parse, run, map failures to exit codes (2: bad input,
//! 1: anything else), with a one-paragraph message and no backtrace.

use clap::Parser;

fn main() {
    let command_line = std::env::args().collect::<Vec<_>>().join(" ");
    let cli = cohabit::cli::Cli::parse();
    if let Err(failure) = cohabit::cli::execute(cli, command_line) {
        eprintln!("cohabit: {}", failure.message);
        std::process::exit(failure.code);
    }
}
