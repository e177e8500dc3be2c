//! The local pool on its own, spoken to over HTTP as any Cognito client would: sign-in,
//! every challenge it issues, and the token lifecycle.

mod challenges;
mod lifecycle;
mod refresh;
mod sign_in;
