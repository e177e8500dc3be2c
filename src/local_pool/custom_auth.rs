//! CUSTOM_AUTH without Lambda: a pool's scripted rounds, evaluated the way Cognito's
//! three triggers would evaluate them.
//!
//! - Define auth challenge looks at the session's history: after SRP_A it issues
//!   PASSWORD_VERIFIER; a wrong password fails; once `max_wrong_answers` custom
//!   answers were wrong it fails; when every round was answered right it issues
//!   tokens; otherwise it issues the first round not yet answered right (so a wrong
//!   answer gets the same round again, with a new Session).
//! - Create auth challenge gives the round's public `parameters` as the
//!   ChallengeParameters.
//! - Verify auth challenge response compares ANSWER with the round's answer, exactly,
//!   after trimming white space at both ends.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

/// Cognito's sample Define trigger allows three attempts.
pub const DEFAULT_MAX_WRONG_ANSWERS: u32 = 3;

/// One scripted round: what the person sees and the answer that passes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CustomRound {
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    pub answer: String,
}

/// A pool's custom challenge script.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomAuth {
    pub rounds: Vec<CustomRound>,
    pub max_wrong_answers: u32,
}

impl Default for CustomAuth {
    fn default() -> Self {
        Self {
            rounds: Vec::new(),
            max_wrong_answers: DEFAULT_MAX_WRONG_ANSWERS,
        }
    }
}

/// One entry of the session's history, as the Define trigger receives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// SRP_A was sent (CHALLENGE_NAME = SRP_A).
    SrpA,
    /// PASSWORD_VERIFIER was answered, right or wrong.
    Password(bool),
    /// A custom round was answered, right or wrong.
    Custom { round: usize, correct: bool },
}

/// What the Define trigger decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    PasswordVerifier,
    /// CUSTOM_CHALLENGE for this round.
    Round(usize),
    Tokens,
    Fail,
}

impl CustomAuth {
    /// Define auth challenge.
    pub fn define(&self, history: &[Attempt]) -> Decision {
        if history.last() == Some(&Attempt::SrpA) {
            return Decision::PasswordVerifier;
        }
        if history.contains(&Attempt::Password(false)) {
            return Decision::Fail;
        }
        let wrong = history
            .iter()
            .filter(|attempt| matches!(attempt, Attempt::Custom { correct: false, .. }))
            .count();
        if u32::try_from(wrong).unwrap_or(u32::MAX) >= self.max_wrong_answers {
            return Decision::Fail;
        }
        let passed = history
            .iter()
            .filter(|attempt| matches!(attempt, Attempt::Custom { correct: true, .. }))
            .count();
        if passed >= self.rounds.len() {
            Decision::Tokens
        } else {
            Decision::Round(passed)
        }
    }

    /// Create auth challenge: the public parameters of a round.
    pub fn parameters(&self, round: usize) -> BTreeMap<String, String> {
        self.rounds
            .get(round)
            .map(|round| round.parameters.clone())
            .unwrap_or_default()
    }

    /// Verify auth challenge response.
    pub fn verify(&self, round: usize, answer: &str) -> bool {
        self.rounds.get(round).is_some_and(|expected| {
            bool::from(
                expected
                    .answer
                    .trim()
                    .as_bytes()
                    .ct_eq(answer.trim().as_bytes()),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_rounds() -> CustomAuth {
        let round = |question: &str, answer: &str| CustomRound {
            parameters: BTreeMap::from([("question".to_owned(), question.to_owned())]),
            answer: answer.to_owned(),
        };
        CustomAuth {
            rounds: vec![round("6x7?", "42"), round("reverse", "otingoc")],
            max_wrong_answers: 3,
        }
    }

    #[test]
    fn rounds_are_issued_in_order_then_tokens() {
        let script = two_rounds();
        assert_eq!(script.define(&[]), Decision::Round(0));
        let first = Attempt::Custom {
            round: 0,
            correct: true,
        };
        assert_eq!(script.define(&[first]), Decision::Round(1));
        let second = Attempt::Custom {
            round: 1,
            correct: true,
        };
        assert_eq!(script.define(&[first, second]), Decision::Tokens);
    }

    #[test]
    fn srp_comes_first_and_a_wrong_password_fails() {
        let script = two_rounds();
        assert_eq!(script.define(&[Attempt::SrpA]), Decision::PasswordVerifier);
        assert_eq!(
            script.define(&[Attempt::SrpA, Attempt::Password(true)]),
            Decision::Round(0)
        );
        assert_eq!(
            script.define(&[Attempt::SrpA, Attempt::Password(false)]),
            Decision::Fail
        );
    }

    #[test]
    fn a_wrong_answer_repeats_the_round_until_the_limit() {
        let script = two_rounds();
        let wrong = Attempt::Custom {
            round: 0,
            correct: false,
        };
        assert_eq!(script.define(&[wrong]), Decision::Round(0));
        assert_eq!(script.define(&[wrong, wrong]), Decision::Round(0));
        assert_eq!(script.define(&[wrong, wrong, wrong]), Decision::Fail);
        assert!(script.verify(0, " 42 "));
        assert!(!script.verify(0, "41"));
        assert!(!script.verify(7, "42"));
    }
}
