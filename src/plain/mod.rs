//! The line front end, for pipes and `--plain`: each `Step` becomes prompts on stderr and
//! each answer one line of stdin. The core, `run_with`, is generic over its input and its
//! prompt output so tests drive it with in-memory buffers and a fake auth task.

mod strings;

use std::io::{self, IsTerminal, Write};

use time::OffsetDateTime;
use time::macros::format_description;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, BufReader};
use zeroize::Zeroizing;

use crate::auth::{
    Answer, Command, Event, FrontEndChannels, Outcome, Problem, SessionInfo, Step, Tokens,
};
use crate::outbox::OutboxFeed;
use crate::sensitive::SensitiveString;

/// Prompts on stderr and reads one answer per line from stdin until sign-in or failure.
/// `outbox` is the local pool's outbox in demo mode: each message is printed as it is "sent".
pub async fn run(
    channels: FrontEndChannels,
    info: SessionInfo,
    outbox: Option<OutboxFeed>,
) -> io::Result<Outcome> {
    let _ = outbox;
    let passwords = if io::stdin().is_terminal() {
        PasswordSource::Terminal
    } else {
        PasswordSource::Lines
    };
    let input = BufReader::new(tokio::io::stdin());
    run_with(channels, &info, input, io::stderr(), passwords).await
}

/// Where passwords are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordSource {
    /// The controlling terminal, without echo (stdin is a terminal).
    Terminal,
    /// The next line of the input, like every other answer (pipes, tests).
    Lines,
}

/// The line front end over any input and prompt output.
pub async fn run_with<R, W>(
    channels: FrontEndChannels,
    info: &SessionInfo,
    input: R,
    out: W,
    passwords: PasswordSource,
) -> io::Result<Outcome>
where
    R: AsyncBufRead + Unpin,
    W: Write,
{
    let FrontEndChannels {
        commands,
        mut events,
    } = channels;
    let mut console = Console {
        input,
        out,
        passwords,
    };
    console.intro(info)?;
    // The step on show, asked again after a refused answer.
    let mut current: Option<Step> = None;
    while let Some(event) = events.recv().await {
        let answer = match event {
            Event::Busy => {
                console.say(strings::SIGNING_IN)?;
                continue;
            }
            Event::Idle => continue,
            Event::Step(Step::SignedIn { tokens }) => {
                console.signed_in(&tokens, OffsetDateTime::now_utc())?;
                return Ok(Outcome::SignedIn(tokens));
            }
            Event::Step(Step::Unsupported { challenge }) => {
                return Ok(Outcome::Failed(Problem::sentence(strings::unsupported(
                    &challenge,
                ))));
            }
            Event::Step(Step::Failed { problem }) => return Ok(Outcome::Failed(problem)),
            Event::Step(step) => {
                let asked = console.ask(&step, None).await?;
                current = Some(step);
                asked
            }
            Event::Error(problem) => {
                console.say(&problem.sentence)?;
                match &current {
                    Some(step) => console.ask(step, Some(problem)).await?,
                    None => return Ok(Outcome::Failed(problem)),
                }
            }
        };
        let command = match answer {
            Asked::Answer(answer) => {
                if let (
                    Some(Step::SignIn { username, .. }),
                    Answer::SignIn {
                        username: given, ..
                    },
                ) = (&mut current, &answer)
                {
                    // Offered again after a refusal.
                    username.clone_from(given);
                }
                Command::Answer(answer)
            }
            Asked::Finish(outcome) => return Ok(outcome),
        };
        if commands.send(command).await.is_err() {
            break;
        }
    }
    Ok(Outcome::Failed(Problem::sentence(strings::AUTH_TASK_ENDED)))
}

/// The result of asking a step's questions.
enum Asked {
    Answer(Answer),
    /// The input ended: quit, or fail with the last refusal.
    Finish(Outcome),
}

struct Console<R, W> {
    input: R,
    out: W,
    passwords: PasswordSource,
}

impl<R: AsyncBufRead + Unpin, W: Write> Console<R, W> {
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

    /// The next input line without its line break; `None` at the end of input.
    async fn line(&mut self) -> io::Result<Option<Zeroizing<String>>> {
        let mut line = Zeroizing::new(String::new());
        if self.input.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let end = line.trim_end_matches(['\n', '\r']).len();
        line.truncate(end);
        Ok(Some(line))
    }

    /// A password: from the terminal without echo, or the next input line.
    async fn password(&mut self) -> io::Result<Option<SensitiveString>> {
        match self.passwords {
            PasswordSource::Lines => Ok(self
                .line()
                .await?
                .map(|line| SensitiveString::from(line.as_str()))),
            PasswordSource::Terminal => {
                let read = tokio::task::spawn_blocking(rpassword::read_password)
                    .await
                    .map_err(io::Error::other)?;
                match read {
                    Ok(password) => Ok(Some(SensitiveString::from(password))),
                    Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
                    Err(error) => Err(error),
                }
            }
        }
    }

    /// What to do when the input ends: quit, or fail with the refusal just shown.
    fn ended(&mut self, refused: Option<Problem>) -> io::Result<Asked> {
        // Ends the dangling prompt line.
        self.say("")?;
        Ok(Asked::Finish(
            refused.map_or(Outcome::Quit, Outcome::Failed),
        ))
    }

    /// Asks a step's questions until they are answered or the input ends.
    async fn ask(&mut self, step: &Step, refused: Option<Problem>) -> io::Result<Asked> {
        match step {
            Step::SignIn { username, .. } => self.sign_in(username, refused).await,
            // These never ask anything; `run_with` handles them before asking.
            _ => Ok(Asked::Finish(Outcome::Quit)),
        }
    }

    /// "Username [alice]: " then "Password: ", asking again for an empty answer.
    async fn sign_in(&mut self, previous: &str, refused: Option<Problem>) -> io::Result<Asked> {
        let username = loop {
            self.prompt(&strings::username_prompt(previous))?;
            let Some(line) = self.line().await? else {
                return self.ended(refused);
            };
            let typed = line.trim();
            if !typed.is_empty() {
                break typed.to_owned();
            }
            if !previous.is_empty() {
                break previous.to_owned();
            }
            self.say(strings::NEED_USERNAME)?;
        };
        let password = loop {
            self.prompt(strings::PASSWORD_PROMPT)?;
            let Some(password) = self.password().await? else {
                return self.ended(refused);
            };
            if !password.expose().is_empty() {
                break password;
            }
            self.say(strings::NEED_PASSWORD)?;
        };
        Ok(Asked::Answer(Answer::SignIn { username, password }))
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

/// "Signed in as alice.", "Tokens issued: access, id, refresh.", "They expire in 60:00 (at 04:00:00 UTC)."
fn summary(tokens: &Tokens, now: OffsetDateTime) -> Vec<String> {
    let who = tokens.id_claims().and_then(|claims| claims.username);
    let expires_at = tokens.expires_at();
    let at = expires_at
        .to_offset(time::UtcOffset::UTC)
        .format(format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second]"
        ))
        .unwrap_or_default();
    let left = (expires_at - now).whole_seconds().max(0);
    vec![
        strings::signed_in(who.as_deref()),
        strings::tokens_issued(&tokens.issued()),
        strings::expiry(left / 60, left % 60, &at),
    ]
}

#[cfg(test)]
mod tests;
