//! `completions SHELL` and `man`: the shell completion script and the manual page,
//! both generated from the clap definitions `--help` shows, so the three never disagree.

use std::io::Write;

use clap::builder::PossibleValuesParser;
use clap::{Command, CommandFactory};

use crate::cli::Cli;
use crate::saved_pools::SavedPools;

use super::CommandError;

/// The binary's name, as the scripts complete it.
const BIN: &str = "cognito-signin";

/// Prints the completion script for `shell` on stdout. `--pool` completes the names
/// saved when the script is made (a config file that cannot be read gives none), so
/// `source <(cognito-signin completions bash)` at each shell's start keeps them fresh.
pub fn completions(shell: clap_complete::Shell) -> Result<(), CommandError> {
    let names: Vec<&'static str> = SavedPools::load()
        .map(|saved| saved.pools.into_keys().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        // The script is written once and the process ends: leaking the names is free.
        .map(|name| &*Box::leak(name.into_boxed_str()))
        .collect();
    let mut command = Cli::command();
    if !names.is_empty() {
        command = name_saved_pools(command, &names);
    }
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, BIN, &mut script);
    write_out(&script)
}

/// `command` and its subcommands, with `--pool` completing `names`.
fn name_saved_pools(command: Command, names: &[&'static str]) -> Command {
    let takes_pool = command
        .get_arguments()
        .any(|arg| arg.get_id() == SAVED_POOL_ARG);
    let command = if takes_pool {
        command.mut_arg(SAVED_POOL_ARG, |arg| {
            arg.value_parser(PossibleValuesParser::new(names.iter().copied()))
        })
    } else {
        command
    };
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|subcommand| subcommand.get_name().to_owned())
        .collect();
    subcommands.iter().fold(command, |command, name| {
        command.mut_subcommand(name, |subcommand| name_saved_pools(subcommand, names))
    })
}

/// The id clap gives `--pool` (the field `PoolArgs::saved_pool`).
const SAVED_POOL_ARG: &str = "saved_pool";

/// Prints the manual page (roff) on stdout.
pub fn man_page() -> Result<(), CommandError> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|error| {
            CommandError::Failed(format!("could not write the manual page: {error}"))
        })?;
    write_out(&page)
}

/// Writes `bytes` to stdout; a closed pipe (`| head`) is not an error worth a message.
fn write_out(bytes: &[u8]) -> Result<(), CommandError> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(CommandError::Failed(format!(
            "could not write to stdout: {error}"
        ))),
    }
}
