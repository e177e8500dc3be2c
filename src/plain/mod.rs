//! The line front end, for pipes and `--plain`: each `Step` becomes prompts on stderr and
//! each answer one line of stdin. The core, `run_with`, is generic over its input and its
//! prompt output so tests drive it with in-memory buffers and a fake auth task.
//!
//! One run either signs in (`run`, `run_with`) or, already signed in, makes one change on
//! account security and stops when account security comes back (`run_account`,
//! `run_account_with`): the `mfa` and `password` commands.
//!
//! One file per kind of step: `forms` (sign-in form, password, new password, e-mail
//! address, custom answer), `choices` (numbered lists), `codes` (one-time codes and
//! authenticator enrolment), `passkey` (WEB_AUTHN), `account` (account security's
//! status, contact details and password change); `outbox` prints the demo's "sent"
//! messages.

mod account;
mod choices;
mod codes;
mod forms;
#[cfg(unix)]
mod hidden;
mod outbox;
mod passkey;
mod strings;

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};

use time::OffsetDateTime;
use time::macros::format_description;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, BufReader};
use tokio::sync::mpsc;
use zeroize::Zeroizing;

use crate::auth::{
    AccountAction, Answer, Command, Enrolment, Event, FrontEndChannels, Note, Outcome, Problem,
    Security, SessionInfo, Step, Tokens,
};
use crate::outbox::OutboxFeed;
use crate::sensitive::SensitiveString;
use crate::signals::Signals;

/// Prompts on stderr and reads one answer per line from stdin until sign-in or failure.
/// `outbox` is the local pool's outbox in demo mode: each message is printed as it is "sent".
/// Asks for a secret on the terminal without echo (`prompt` on stderr), for commands
/// outside the sign-in (a security key's PIN in `passkeys add`). Blocking: run it off
/// the async threads. `None` when the input ends; without a terminal, a line of stdin.
pub fn read_secret(prompt: &str) -> io::Result<Option<SensitiveString>> {
    #[cfg(unix)]
    if let Ok(hidden) = hidden::HiddenInput::start() {
        eprint!("{prompt}");
        return hidden::read_line(hidden.reader()?);
    }
    eprint!("{prompt}");
    let mut line = zeroize::Zeroizing::new(String::new());
    if io::stdin().read_line(&mut line)? == 0 {
        return Ok(None);
    }
    Ok(Some(SensitiveString::from(
        line.trim_end_matches(['\n', '\r']),
    )))
}

pub async fn run(
    channels: FrontEndChannels,
    info: SessionInfo,
    outbox: Option<OutboxFeed>,
) -> io::Result<Outcome> {
    let input = BufReader::new(tokio::io::stdin());
    run_with(
        channels,
        &info,
        input,
        io::stderr(),
        password_source()?,
        outbox,
    )
    .await
}

/// Makes one change on account security from a signed-in auth task
/// (`auth::spawn_signed_in`), prompting on stderr and reading answers from stdin, until
/// account security comes back.
pub async fn run_account(
    channels: FrontEndChannels,
    action: AccountAction,
) -> io::Result<AccountOutcome> {
    let input = BufReader::new(tokio::io::stdin());
    run_account_with(channels, action, input, io::stderr(), password_source()?).await
}

/// Passwords from the terminal without echo when stdin is one, else from the lines.
fn password_source() -> io::Result<PasswordSource> {
    Ok(if cfg!(unix) && io::stdin().is_terminal() {
        PasswordSource::Terminal(Signals::listen_with_interrupt()?)
    } else {
        PasswordSource::Lines
    })
}

/// How a run of account security ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountOutcome {
    /// Account security came back: the change was made (its notice has been said), or
    /// for `AccountAction::Open` the status has been shown.
    Done(Box<Security>),
    /// The input ended (said) or the person interrupted: nothing more was changed.
    Quit,
    /// The change was refused, or the task failed, with no way to ask again here.
    Failed(Problem),
}

/// Where passwords are read from.
#[derive(Debug)]
pub enum PasswordSource {
    /// The controlling terminal, without echo (stdin is a terminal). Ctrl-C, SIGTERM
    /// and SIGHUP end the run quietly (exit 130) instead of killing it, so echo is
    /// always turned back on.
    Terminal(Signals),
    /// The next line of the input, like every other answer (pipes, tests).
    Lines,
}

impl PasswordSource {
    /// Resolves when the person interrupts the run; never for `Lines`.
    async fn interrupted(&mut self) {
        match self {
            Self::Terminal(signals) => signals.received().await,
            Self::Lines => std::future::pending().await,
        }
    }
}

/// The line front end over any input and prompt output. Deliveries on `outbox` are
/// printed as they arrive while waiting on the auth task, and before every step.
pub async fn run_with<R, W>(
    channels: FrontEndChannels,
    info: &SessionInfo,
    input: R,
    out: W,
    passwords: PasswordSource,
    outbox: Option<OutboxFeed>,
) -> io::Result<Outcome>
where
    R: AsyncBufRead + Unpin,
    W: Write,
{
    let mut console = Console::new(input, out, passwords, outbox, Goal::SignIn);
    console.intro(info)?;
    Ok(match console.converse(channels).await? {
        Ended::Outcome(outcome) => outcome,
        // A sign-in never opens account security; were it to, the run ends there.
        Ended::Security(_) => Outcome::Quit,
    })
}

/// `run_account` over any input and prompt output: the signed-in start opens account
/// security, which is answered with `action`; then each step's questions are asked
/// until account security comes back.
pub async fn run_account_with<R, W>(
    channels: FrontEndChannels,
    action: AccountAction,
    input: R,
    out: W,
    passwords: PasswordSource,
) -> io::Result<AccountOutcome>
where
    R: AsyncBufRead + Unpin,
    W: Write,
{
    let mut console = Console::new(input, out, passwords, None, Goal::Account(action));
    Ok(match console.converse(channels).await? {
        Ended::Security(security) => AccountOutcome::Done(security),
        Ended::Outcome(Outcome::Failed(problem)) => AccountOutcome::Failed(problem),
        Ended::Outcome(Outcome::Quit) => AccountOutcome::Quit,
        // The task went back to the signed-in step: account security closed.
        Ended::Outcome(Outcome::SignedIn(_)) => {
            AccountOutcome::Failed(Problem::sentence(strings::ACCOUNT_CLOSED))
        }
    })
}

/// What a run is for, which decides where it stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Goal {
    /// A sign-in: stops signed in.
    SignIn,
    /// One change on account security, from a signed-in task: stops on `Step::Security`.
    Account(AccountAction),
}

/// How a conversation with the auth task ended.
enum Ended {
    Outcome(Outcome),
    /// Account security came back.
    Security(Box<Security>),
}

/// What to print while the auth task works on `answer`, given on `step`: "Signing in…"
/// only before a call that signs in. A resend has already said "Asking for a new code.",
/// a reset's code goes out with its new password, and a password reset, the
/// remember-this-device answer and account security's answers are no sign-in call.
fn busy_line(step: Option<&Step>, answer: &Answer) -> Option<&'static str> {
    match (step, answer) {
        (_, Answer::ResendCode | Answer::RememberDevice(_) | Answer::SwitchAuthenticator) => None,
        (_, Answer::ForgotPassword { .. }) => Some(strings::ASKING_FOR_RESET_CODE),
        (_, Answer::Account(action)) => account::busy_line(*action),
        (_, Answer::Contact(_)) => Some(strings::SAVING_CONTACT),
        (_, Answer::ChangePassword { .. }) => Some(strings::CHANGING_PASSWORD),
        (Some(Step::ResetCode { .. }), _) => None,
        (Some(Step::ResetPassword { .. }), _) => Some(strings::CHANGING_PASSWORD),
        (
            Some(
                Step::ContactCode { .. }
                | Step::TotpSetup {
                    enrolment: Enrolment::Account,
                    ..
                },
            ),
            _,
        ) => Some(strings::CHECKING_CODE),
        _ => Some(strings::SIGNING_IN),
    }
}

/// What was just typed is offered again if it is refused: the sign-in form's username,
/// a new e-mail address or phone number.
fn keep_typed(current: &mut Option<Step>, answer: &Answer) {
    match (current, answer) {
        (
            Some(Step::SignIn { username, .. }),
            Answer::SignIn {
                username: given, ..
            },
        ) => username.clone_from(given),
        (Some(Step::ContactForm { current, .. }), Answer::Contact(given)) => {
            *current = Some(given.clone());
        }
        _ => {}
    }
}

/// The result of asking a step's questions.
enum Asked {
    Answer(Answer),
    /// Throw the sign-in away and start a fresh one for this username (`back` on the
    /// passkey step, or no passkey to sign with).
    Restart(String),
    /// The input ended, or the step cannot be answered here: quit or fail.
    Finish(Outcome),
}

/// Why a step's questions stopped without an answer.
enum Stop {
    /// The input ended.
    Ended,
    /// Ctrl-C, SIGTERM or SIGHUP at a terminal.
    Interrupted,
    /// Reading or writing failed.
    Io(io::Error),
}

impl From<io::Error> for Stop {
    fn from(error: io::Error) -> Self {
        Self::Io(error)
    }
}

/// What a step's questions give: an answer, or why they stopped.
type Reply<T> = Result<T, Stop>;

/// Plain values typed earlier, offered again after a refusal (never secrets).
#[derive(Debug, Default)]
struct Kept {
    /// The last e-mail address given for e-mail MFA.
    email: Option<String>,
    /// The last values given for required attributes.
    attributes: BTreeMap<String, String>,
}

impl Kept {
    /// Remembers the plain parts of an answer.
    fn remember(&mut self, answer: &Answer) {
        match answer {
            Answer::EmailSetup { email } => self.email = Some(email.clone()),
            Answer::NewPassword { attributes, .. } => {
                self.attributes
                    .extend(attributes.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            _ => {}
        }
    }
}

/// The prompts, the input and the outbox of one run.
struct Console<R, W> {
    input: R,
    out: W,
    passwords: PasswordSource,
    outbox: Option<OutboxFeed>,
    kept: Kept,
    /// Whether a sign-in form has been shown: the first one takes `--username` as given
    /// instead of asking; later ones (after a refusal) ask, with it as the default.
    sign_in_shown: bool,
    goal: Goal,
}

impl<R: AsyncBufRead + Unpin, W: Write> Console<R, W> {
    /// A console that has asked nothing yet.
    fn new(
        input: R,
        out: W,
        passwords: PasswordSource,
        outbox: Option<OutboxFeed>,
        goal: Goal,
    ) -> Self {
        Self {
            input,
            out,
            passwords,
            outbox,
            kept: Kept::default(),
            sign_in_shown: false,
            goal,
        }
    }

    /// Asks each step the auth task sends and sends the answers, until the goal's last
    /// step, a failure, or the input ends. A refused answer asks its step again.
    async fn converse(&mut self, channels: FrontEndChannels) -> io::Result<Ended> {
        let FrontEndChannels {
            commands,
            mut events,
        } = channels;
        // The step on show, asked again after a refused answer.
        let mut current: Option<Step> = None;
        // Where an account run is on its way to its action.
        let mut errand = match self.goal {
            Goal::Account(action) => Some(account::Errand::new(action)),
            Goal::SignIn => None,
        };
        loop {
            let event = match self.next_event(&mut events).await {
                Ok(Some(event)) => event,
                Ok(None) | Err(Stop::Ended) => break,
                Err(Stop::Interrupted) => {
                    self.interrupted()?;
                    return Ok(Ended::Outcome(Outcome::Quit));
                }
                Err(Stop::Io(error)) => return Err(error),
            };
            let asked = match event {
                Event::Step { step, note } => {
                    let refused = self.note(note)?;
                    match step {
                        Step::SignedIn { tokens } => {
                            match errand.as_mut().map(account::Errand::at_signed_in) {
                                None => return self.finish_signed_in(tokens),
                                Some(Some(open)) => {
                                    current = None;
                                    Asked::Answer(open)
                                }
                                // Back at the signed-in screen: account security closed.
                                Some(None) => {
                                    return Ok(Ended::Outcome(Outcome::SignedIn(tokens)));
                                }
                            }
                        }
                        Step::Security(security) => {
                            match errand.as_mut().and_then(account::Errand::at_security) {
                                Some(action) => {
                                    current = None;
                                    Asked::Answer(action)
                                }
                                None => {
                                    if self.goal == Goal::Account(AccountAction::Open) {
                                        self.security(&security)?;
                                    }
                                    return Ok(Ended::Security(security));
                                }
                            }
                        }
                        Step::Failed { problem } => {
                            return Ok(Ended::Outcome(Outcome::Failed(problem)));
                        }
                        step => {
                            let asked = self.ask(&step, refused).await?;
                            current = Some(step);
                            asked
                        }
                    }
                }
                // What to do with the key while the answer is worked on: said, and
                // the answer's own event still to come.
                Event::Progress(progress) => {
                    self.say(&progress)?;
                    continue;
                }
                Event::Refused(problem) => match &current {
                    Some(step) => {
                        self.say(&problem.sentence)?;
                        self.ask(step, Some(problem)).await?
                    }
                    // Nothing to ask again (an account action refused at once): the
                    // caller says the sentence as it fails.
                    None => return Ok(Ended::Outcome(Outcome::Failed(problem))),
                },
            };
            let command = match asked {
                Asked::Answer(answer) => {
                    keep_typed(&mut current, &answer);
                    self.kept.remember(&answer);
                    // Busy until the task answers.
                    if let Some(line) = busy_line(current.as_ref(), &answer) {
                        self.say(line)?;
                    }
                    Command::Answer(answer)
                }
                Asked::Restart(username) => {
                    current = None;
                    Command::Restart { username }
                }
                Asked::Finish(outcome) => return Ok(Ended::Outcome(outcome)),
            };
            if commands.send(command).await.is_err() {
                break;
            }
        }
        Ok(Ended::Outcome(Outcome::Failed(Problem::sentence(
            strings::AUTH_TASK_ENDED,
        ))))
    }

    /// Says what a step arrived with; a refusal is also returned, to fail with should
    /// the input end on this step.
    fn note(&mut self, note: Option<Note>) -> io::Result<Option<Problem>> {
        match note {
            Some(Note::Notice(notice)) => {
                self.say(&notice)?;
                Ok(None)
            }
            Some(Note::Refused(problem)) => {
                self.say(&problem.sentence)?;
                Ok(Some(problem))
            }
            None => Ok(None),
        }
    }

    /// Signed in: the summary, and the end of a sign-in.
    fn finish_signed_in(&mut self, tokens: Box<Tokens>) -> io::Result<Ended> {
        self.signed_in(&tokens, OffsetDateTime::now_utc())?;
        Ok(Ended::Outcome(Outcome::SignedIn(tokens)))
    }

    /// Where the sign-in goes, and the notes (demo users).
    fn intro(&mut self, info: &SessionInfo) -> io::Result<()> {
        if !info.title.is_empty() || !info.endpoint.is_empty() {
            self.say(&strings::signing_in_to(&info.title, &info.endpoint))?;
        }
        for note in &info.notes {
            self.say(note)?;
        }
        Ok(())
    }

    /// The auth task's next event, printing outbox deliveries while waiting for it.
    /// `None` when the auth task has ended.
    async fn next_event(&mut self, events: &mut mpsc::Receiver<Event>) -> Reply<Option<Event>> {
        loop {
            tokio::select! {
                // Deliveries first: the message was sent before the step that asks for its code.
                biased;
                () = self.passwords.interrupted() => return Err(Stop::Interrupted),
                notice = outbox::next_notice(&mut self.outbox) => self.say(&notice)?,
                event = events.recv() => return Ok(event),
            }
        }
    }

    /// Prints every delivery already waiting in the outbox.
    fn show_outbox(&mut self) -> io::Result<()> {
        while let Some(notice) = outbox::pending_notice(&mut self.outbox) {
            self.say(&notice)?;
        }
        Ok(())
    }

    /// One line on the prompt output.
    fn say(&mut self, line: &str) -> io::Result<()> {
        writeln!(self.out, "{line}")?;
        self.out.flush()
    }

    /// A prompt with no line break.
    fn prompt(&mut self, prompt: &str) -> io::Result<()> {
        write!(self.out, "{prompt}")?;
        self.out.flush()
    }

    /// The next input line without its line break; `Stop::Ended` at the end of input.
    async fn line(&mut self) -> Reply<Zeroizing<String>> {
        let mut line = Zeroizing::new(String::new());
        let read = tokio::select! {
            () = self.passwords.interrupted() => return Err(Stop::Interrupted),
            read = self.input.read_line(&mut line) => read?,
        };
        if read == 0 {
            return Err(Stop::Ended);
        }
        let end = line.trim_end_matches(['\n', '\r']).len();
        line.truncate(end);
        Ok(line)
    }

    /// Shows `prompt` and reads a secret (password, answer): from the terminal without
    /// echo, or the next line.
    async fn secret(&mut self, prompt: &str) -> Reply<SensitiveString> {
        match self.passwords {
            PasswordSource::Lines => {
                self.prompt(prompt)?;
                Ok(SensitiveString::from(self.line().await?.as_str()))
            }
            #[cfg(unix)]
            PasswordSource::Terminal(_) => {
                // Echo goes off before the prompt shows: nothing typed after it is echoed.
                let hidden = hidden::HiddenInput::start()?;
                self.prompt(prompt)?;
                let tty = hidden.reader()?;
                let read = tokio::task::spawn_blocking(move || hidden::read_line(tty));
                let read = tokio::select! {
                    // Dropping `hidden` turns echo back on; the blocked read ends with the process.
                    () = self.passwords.interrupted() => return Err(Stop::Interrupted),
                    read = read => read.map_err(io::Error::other)??,
                };
                drop(hidden);
                read.ok_or(Stop::Ended)
            }
            #[cfg(not(unix))]
            PasswordSource::Terminal(_) => {
                self.prompt(prompt)?;
                Ok(SensitiveString::from(self.line().await?.as_str()))
            }
        }
    }

    /// Shows `prompt` and reads lines until `accept` takes one; its `Err` is said first.
    async fn ask_line<T>(
        &mut self,
        prompt: &str,
        accept: impl Fn(&str) -> Result<T, String>,
    ) -> Reply<T> {
        loop {
            self.prompt(prompt)?;
            let line = self.line().await?;
            match accept(&line) {
                Ok(value) => return Ok(value),
                Err(why) => self.say(&why)?,
            }
        }
    }

    /// Like `ask_line`, for a secret read without echo on a terminal.
    async fn ask_secret<T>(
        &mut self,
        prompt: &str,
        accept: impl Fn(&str) -> Result<T, String>,
    ) -> Reply<T> {
        loop {
            let secret = self.secret(prompt).await?;
            match accept(secret.expose()) {
                Ok(value) => return Ok(value),
                Err(why) => self.say(&why)?,
            }
        }
    }

    /// Asks a step's questions until they are answered or the input ends. Deliveries
    /// waiting in the outbox are printed first: they usually carry this step's code.
    async fn ask(&mut self, step: &Step, refused: Option<Problem>) -> io::Result<Asked> {
        self.show_outbox()?;
        let reply = match step {
            Step::SignIn {
                username,
                needs_password,
            } => self.sign_in(username, *needs_password).await,
            Step::SelectFirstFactor { username, options } => {
                match self.first_factor(username, options).await {
                    Ok(Some(answer)) => Ok(answer),
                    Ok(None) => return unusable(strings::NO_USABLE_FIRST_FACTOR),
                    Err(stop) => Err(stop),
                }
            }
            Step::Password { username } => self.password(username).await,
            Step::Code(prompt) => self.code(prompt).await,
            Step::SelectMfa { options } => match self.mfa(options).await {
                Ok(Some(answer)) => Ok(answer),
                Ok(None) => return unusable(strings::NO_MFA_OFFERED),
                Err(stop) => Err(stop),
            },
            Step::SelectMfaSetup { options } => match self.mfa_setup(options).await {
                Ok(Some(answer)) => Ok(answer),
                Ok(None) => return unusable(strings::NO_USABLE_MFA_SETUP),
                Err(stop) => Err(stop),
            },
            Step::TotpSetup {
                username,
                issuer,
                secret,
                uri,
                code_length,
                enrolment: _,
            } => {
                self.totp_setup(username, issuer, secret, uri, *code_length)
                    .await
            }
            Step::EmailSetup { username } => self.email_setup(username).await,
            Step::NewPassword {
                username,
                required_attributes,
                user_attributes,
            } => {
                self.new_password(username, required_attributes, user_attributes)
                    .await
            }
            Step::Custom { parameters, round } => self.custom(parameters, *round).await,
            Step::WebAuthn(prompt) => match self.passkey(prompt).await {
                Ok(passkey::PasskeyReply::Answer(answer)) => Ok(answer),
                Ok(passkey::PasskeyReply::Restart) => {
                    return Ok(Asked::Restart(prompt.username.clone()));
                }
                Err(stop) => Err(stop),
            },
            Step::KeyPin(prompt) => self.key_pin(prompt).await,
            Step::RememberDevice { device_name } => self.remember_device(device_name).await,
            Step::ResetCode { username, prompt } => self.reset_code(username, prompt).await,
            Step::ResetPassword { username } => self.reset_password(username).await,
            Step::ContactCode {
                contact,
                prompt,
                then_enable,
            } => self.contact_code(*contact, prompt, *then_enable).await,
            Step::ContactForm { contact, current } => {
                self.contact_form(*contact, current.as_deref()).await
            }
            Step::ChangePassword { username } => self.change_password(username).await,
            // These never ask anything; `converse` handles them before asking.
            Step::SignedIn { .. } | Step::Security(_) | Step::Failed { .. } => {
                return Ok(Asked::Finish(Outcome::Quit));
            }
        };
        match reply {
            Ok(answer) => Ok(Asked::Answer(answer)),
            Err(Stop::Ended) => self.ended(refused),
            Err(Stop::Interrupted) => self.interrupted(),
            Err(Stop::Io(error)) => Err(error),
        }
    }

    /// What to do when the input ends: quit, saying why, or fail with the refusal just
    /// shown (which `fail` then says).
    fn ended(&mut self, refused: Option<Problem>) -> io::Result<Asked> {
        // Ends the dangling prompt line.
        self.say("")?;
        if refused.is_none() {
            self.say(match self.goal {
                Goal::SignIn => strings::INPUT_ENDED,
                Goal::Account(_) => strings::INPUT_ENDED_ACCOUNT,
            })?;
        }
        Ok(Asked::Finish(
            refused.map_or(Outcome::Quit, Outcome::Failed),
        ))
    }

    /// Ctrl-C (or SIGTERM, SIGHUP) at a prompt: end the prompt's line and quit.
    fn interrupted(&mut self) -> io::Result<Asked> {
        self.say("")?;
        Ok(Asked::Finish(Outcome::Quit))
    }

    /// A short summary of the sign-in.
    fn signed_in(&mut self, tokens: &Tokens, now: OffsetDateTime) -> io::Result<()> {
        let summary = summary(tokens, now);
        for line in summary {
            self.say(&line)?;
        }
        Ok(())
    }
}

/// A step none of whose options works here ends the sign-in with `sentence`.
fn unusable(sentence: &str) -> io::Result<Asked> {
    Ok(Asked::Finish(Outcome::Failed(Problem::sentence(sentence))))
}

/// "Signed in as alice.", "Tokens issued: access, id, refresh.", "They expire in 60:00 (at 04:00:00 UTC)."
fn summary(tokens: &Tokens, now: OffsetDateTime) -> Vec<String> {
    let who = tokens.id_claims().and_then(|claims| claims.username);
    let expires_at = tokens.expires_at();
    #[expect(
        clippy::expect_used,
        reason = "an OffsetDateTime has a date and a time of day, and the text goes to a String, so formatting cannot fail"
    )]
    let at = expires_at
        .to_offset(time::UtcOffset::UTC)
        .format(format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second]"
        ))
        .expect("an OffsetDateTime has every component of the expiry format");
    let left = (expires_at - now).whole_seconds().max(0);
    vec![
        strings::signed_in(who.as_deref()),
        strings::tokens_issued(&tokens.issued()),
        strings::expiry(left / 60, left % 60, &at),
    ]
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! Whole runs of the line front end: the introduction and the summary, a refusal asked
    //! again, the input or the auth task ending, steps that end the sign-in, and a password
    //! reset from the sign-in prompt back to it.

    use super::strings;
    use crate::auth::{Answer, CodeMedium, Command, Event, Outcome, Problem, Step};
    use crate::test_support::plain::{drive, sign_in_sent, signed_in};
    use crate::test_support::{
        code_prompt, first_factors, new_password, password_changed, reset_code, reset_password,
        sign_in, totp_setup, unsupported, wrong_password,
    };

    #[tokio::test]
    async fn signs_in_with_a_username_and_a_password_line() {
        let (outcome, printed) = drive("alice\nTr0ub4dor&3\n", |mut auth| async move {
            auth.step(sign_in("")).await;
            assert_eq!(
                auth.next_command().await,
                sign_in_sent("alice", "Tr0ub4dor&3")
            );
            auth.send(signed_in()).await;
        })
        .await;
        assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
        assert!(printed.contains(
            "Signing in to us-east-1_Demo0001 · client 1example23456789 (http://127.0.0.1:9229/)"
        ));
        assert!(printed.contains("Demo users (password Passw0rd!):"));
        assert!(printed.contains("Username: Password (? if you forgot it): "));
        assert!(printed.contains("Signing in…\n"));
        assert!(printed.contains("Signed in as alice.\n"));
        assert!(printed.contains("Tokens issued: access, id, refresh.\n"));
        assert!(
            printed.contains("They expire in 59 min") || printed.contains("They expire in 60 min")
        );
        assert!(
            !printed.contains("Tr0ub4dor&3"),
            "the password is never echoed: {printed}"
        );
    }

    #[tokio::test]
    async fn a_refusal_is_printed_and_asked_again_offering_the_username() {
        let (outcome, printed) = drive("alice\nwrong\n\nright\n", |mut auth| async move {
            auth.step(sign_in("")).await;
            assert_eq!(auth.next_command().await, sign_in_sent("alice", "wrong"));
            auth.send(Event::Refused(wrong_password())).await;
            // An empty line kept the offered username.
            assert_eq!(auth.next_command().await, sign_in_sent("alice", "right"));
            auth.send(signed_in()).await;
        })
        .await;
        assert!(matches!(outcome, Outcome::SignedIn(_)));
        assert!(
            printed.contains("Incorrect username or password.\nUsername [alice]: "),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn a_refusal_at_the_end_of_input_fails_with_its_sentence() {
        let (outcome, _) = drive("alice\nwrong\n", |mut auth| async move {
            auth.step(sign_in("")).await;
            assert_eq!(auth.next_command().await, sign_in_sent("alice", "wrong"));
            auth.send(Event::Refused(wrong_password())).await;
            // The front end gives up and drops its sender.
            assert_eq!(auth.next_command().await, None);
        })
        .await;
        assert_eq!(outcome, Outcome::Failed(wrong_password()));
    }

    #[tokio::test]
    async fn the_end_of_input_before_any_answer_quits_saying_so() {
        let (outcome, printed) = drive("", |mut auth| async move {
            auth.step(sign_in("")).await;
            assert_eq!(auth.next_command().await, None);
        })
        .await;
        assert_eq!(outcome, Outcome::Quit);
        assert!(
            printed.ends_with(&format!("{}\n", strings::INPUT_ENDED)),
            "{printed}"
        );
    }

    #[tokio::test]
    async fn the_end_of_input_on_any_step_quits() {
        for step in [
            first_factors(),
            code_prompt(CodeMedium::Sms, None, true),
            totp_setup(),
            new_password(),
        ] {
            let (outcome, _) = drive("", |mut auth| async move {
                auth.step(step).await;
                assert_eq!(auth.next_command().await, None);
            })
            .await;
            assert_eq!(outcome, Outcome::Quit);
        }
    }

    #[tokio::test]
    async fn an_unsupported_challenge_fails_naming_it() {
        let (outcome, _) = drive("", |auth| async move {
            auth.step(unsupported()).await;
        })
        .await;
        assert_eq!(
            outcome,
            Outcome::Failed(Problem::sentence(
                "This challenge is not supported yet: CUSTOM_CHALLENGE"
            ))
        );
    }

    #[tokio::test]
    async fn a_failed_step_fails_with_its_problem() {
        let problem = Problem::sentence("The user pool does not exist.");
        let sent = problem.clone();
        let (outcome, _) = drive("", |auth| async move {
            auth.step(Step::Failed { problem: sent }).await;
        })
        .await;
        assert_eq!(outcome, Outcome::Failed(problem));
    }

    #[tokio::test]
    async fn the_auth_task_ending_early_is_a_failure_with_a_sentence() {
        let (outcome, _) = drive("", |auth| async move {
            drop(auth);
        })
        .await;
        assert_eq!(
            outcome,
            Outcome::Failed(Problem::sentence(strings::AUTH_TASK_ENDED))
        );
    }

    #[tokio::test]
    async fn crlf_and_passwords_with_spaces_are_read_as_typed() {
        let (outcome, _) = drive("dave\r\n  pass word \r\n", |mut auth| async move {
            auth.step(sign_in("")).await;
            assert_eq!(
                auth.next_command().await,
                sign_in_sent("dave", "  pass word ")
            );
            auth.send(signed_in()).await;
        })
        .await;
        assert!(matches!(outcome, Outcome::SignedIn(_)));
    }

    #[tokio::test]
    async fn a_question_mark_for_the_password_resets_it_then_signs_in_with_the_new_one() {
        let input =
            "alice\n?\n12345\n123456\nReset-Password-2!\nReset-Password-2!\n\nReset-Password-2!\n";
        let (outcome, printed) = drive(input, |mut auth| async move {
            auth.step(sign_in("")).await;
            assert_eq!(
                auth.next_command().await,
                Some(Command::Answer(Answer::ForgotPassword {
                    username: "alice".into()
                }))
            );
            auth.step(reset_code()).await;
            // "12345" is refused here (too short); the six digits go out.
            assert_eq!(
                auth.next_command().await,
                Some(Command::Answer(Answer::Code("123456".into())))
            );
            auth.step(reset_password()).await;
            assert_eq!(
                auth.next_command().await,
                Some(Command::Answer(Answer::NewPassword {
                    password: "Reset-Password-2!".into(),
                    attributes: Default::default(),
                }))
            );
            auth.send(password_changed("alice")).await;
            // An empty username line keeps "alice".
            assert_eq!(
                auth.next_command().await,
                sign_in_sent("alice", "Reset-Password-2!")
            );
            auth.send(signed_in()).await;
        })
        .await;
        assert!(matches!(outcome, Outcome::SignedIn(_)), "{outcome:?}");
        assert!(
            printed.contains("Resetting the password of alice."),
            "{printed}"
        );
        assert!(printed.contains("a***@e***"), "{printed}");
        assert!(printed.contains("(or r to resend)"), "{printed}");
        // The notice is printed before the sign-in prompt it belongs with.
        let notice = printed.find("Your password was changed.").unwrap();
        let prompt = printed.rfind("Username [alice]").unwrap();
        assert!(notice < prompt, "{printed}");
        assert!(!printed.contains("Reset-Password-2!"), "no password echoed");
        // The reset's calls say what they do; "Signing in…" only before the sign-in.
        assert!(
            printed.contains(strings::ASKING_FOR_RESET_CODE),
            "{printed}"
        );
        assert!(printed.contains(strings::CHANGING_PASSWORD), "{printed}");
        assert_eq!(printed.matches(strings::SIGNING_IN).count(), 1, "{printed}");
        let signing_in = printed.find(strings::SIGNING_IN).unwrap();
        assert!(notice < signing_in, "{printed}");
    }
}
