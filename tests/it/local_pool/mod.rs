//! The local pool on its own, spoken to over HTTP as any Cognito client would: sign-in,
//! every challenge it issues, the token lifecycle, a signed-in user's own account, and
//! its limits under abuse.

mod account;
mod aliases;
mod challenges;
mod constraints;
mod lifecycle;
mod limits;
mod lockout;
mod messages;
mod refresh;
mod session_flood;
mod sign_in;
mod srp_answers;
mod webauthn;
mod webauthn_authenticator;
