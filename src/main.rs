//! The `cognito-signin` binary: parse the flags, then hand them to their command.

use std::process::ExitCode;

use std::path::PathBuf;

use clap::Parser;
use cognito_signin::cli::{Cli, Commands};
use cognito_signin::commands::{self, fail, finish};
use cognito_signin::trace;

/// jemalloc rather than the system's malloc: `serve` gives memory back after a flood of
/// sessions instead of keeping more after each one (measured with `cargo bench --bench
/// load -- --flood N`; see Cargo.toml).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    // A saved pool fills in the flags left out; a broken config file stops here.
    if let Err(error) = commands::with_saved_pool(&mut cli) {
        return commands::usage_error(&error.to_string());
    }
    let trace_file = match start_trace(&cli) {
        Ok(file) => file,
        Err(error) => return commands::usage_error(&error),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(&format!("could not start the async runtime: {error}")),
    };
    let code = runtime.block_on(async {
        match cli.command {
            None => commands::sign_in::run(cli.sign_in).await,
            Some(Commands::Demo(args)) => commands::demo::run(args).await,
            Some(Commands::Serve(args)) => commands::serve::run(args).await,
            Some(Commands::Tokens(args)) => finish(commands::tokens::run(args).await),
            Some(Commands::Whoami(args)) => finish(commands::whoami::run(args).await),
            Some(Commands::SignOut(args)) => finish(commands::sign_out::run(args).await),
            Some(Commands::Devices(args)) => finish(commands::devices::run(args).await),
            Some(Commands::Passkeys(args)) => finish(commands::passkeys::run(args).await),
            Some(Commands::Mfa(args)) => finish(commands::mfa::run(args).await),
            Some(Commands::Password(args)) => finish(commands::password::run(args).await),
            Some(Commands::Config(args)) => finish(commands::config::run(args).await),
            Some(Commands::Completions { shell }) => finish(commands::manual::completions(shell)),
            Some(Commands::Man) => finish(commands::manual::man_page()),
        }
    });
    // A read of the terminal may still be blocked in its thread (Ctrl-C at a prompt);
    // it ends with the process instead of holding the exit up.
    runtime.shutdown_background();
    if let Some(path) = trace_file {
        eprintln!("cognito-signin: the debug trace is in {}", path.display());
    }
    code
}

/// Installs the debug trace when asked for, and the wire panel's feed for the
/// full-screen console; the trace's file when the console would otherwise draw over it
/// (said once the console is gone).
fn start_trace(cli: &Cli) -> Result<Option<PathBuf>, String> {
    let variable = std::env::var(trace::LOG_VARIABLE).ok();
    let console = match &cli.command {
        None => Some(&cli.sign_in.console),
        Some(Commands::Demo(args)) => Some(&args.console),
        Some(_) => None,
    };
    let full_screen = console.is_some_and(commands::sign_in::uses_full_screen);
    let to = trace::destination(
        cli.debug,
        cli.debug_file.as_deref(),
        variable.as_deref(),
        full_screen,
    );
    if to.is_some() || full_screen {
        trace::install(to.as_ref(), variable.as_deref(), full_screen)?;
    }
    Ok(match to {
        Some(trace::TraceTo::File(path)) if full_screen && cli.debug_file.is_none() => Some(path),
        _ => None,
    })
}
