//! The `cognito-signin` binary: parse the flags, then hand them to their command.

use std::process::ExitCode;

use clap::Parser;
use cognito_signin::cli::{Cli, Commands};
use cognito_signin::commands::{self, fail, finish};

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
    code
}
