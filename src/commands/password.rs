//! `cognito-signin password change`: ChangePassword for the cached sign-in's user, the
//! current password and the new one (twice) asked on stderr.

use crate::auth::AccountAction;
use crate::cli::{PasswordArgs, PasswordCommand};

use super::CommandError;
use super::account::change;

/// Runs `password`.
pub async fn run(args: PasswordArgs) -> Result<(), CommandError> {
    match args.command {
        PasswordCommand::Change { account } => {
            change(&account, AccountAction::ChangePassword, None).await?;
        }
    }
    Ok(())
}
