//! `GET /_aws/cognito-idp/messages`: every SMS and e-mail the pool "sent", codes
//! included, oldest first, for test suites that must read a code to finish a sign-in.
//!
//! Why it exists: the local pool delivers nothing anywhere (`serve` prints each message
//! on its console, for people), and Cognito has no operation that lists what it sent,
//! so this endpoint is the pool's own, not Cognito's. It follows LocalStack's convention
//! for an emulator's internal endpoints, `/_aws/<service>/…` (LocalStack lists the
//! e-mails it "sent" at `/_aws/ses` and the text messages at `/_aws/sns/sms-messages`;
//! moto keeps its own endpoints under `/moto-api/`; cognito-local only logs codes to its
//! console). It is read-only: other methods get 405.
//!
//! The answer: `{"messages": [{"Timestamp", "UserPoolId", "Username", "Medium",
//! "Destination", "Message", "Code"}, …]}`. The query may narrow it to one pool
//! (`userPoolId`) and one phone number or address (`destination`), each an exact match;
//! any other parameter is refused, so a misspelt filter never silently lists everything.
//! Values are percent-decoded without turning `+` into a space, so
//! `?destination=+15555550101` finds that number as typed (`%2B` works too).

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::header::ALLOW;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};

use crate::outbox::Delivery;

use super::error::{ApiError, ErrorType};
use super::server::{error_response, error_response_with};
use super::state::Shared;

/// Where the pool lists the messages it sent.
pub const PATH: &str = "/_aws/cognito-idp/messages";

/// The query parameters the endpoint takes, as its errors name them.
const PARAMETERS: &str = "userPoolId and destination";

/// `GET`: the messages the query lets through, oldest first.
pub async fn list(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    match Filter::from_query(query.as_deref()) {
        Ok(filter) => axum::Json(listing(&shared.outbox.all(), &filter)).into_response(),
        Err(error) => error_response(&error),
    }
}

/// Any other method: 405, saying the endpoint is read-only.
pub async fn refuse_method() -> Response {
    let error = ApiError::new(
        ErrorType::UnknownOperation,
        format!("{PATH} is read-only: use GET (filters: {PARAMETERS})."),
    );
    let mut response = error_response_with(StatusCode::METHOD_NOT_ALLOWED, &error);
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
    response
}

/// Which messages a query asks for: `None` lets every value through.
#[derive(Debug, Default, PartialEq, Eq)]
struct Filter {
    user_pool_id: Option<String>,
    destination: Option<String>,
}

impl Filter {
    /// Reads `userPoolId` and `destination` from the query string; anything else, a
    /// parameter given twice, or a value that is not UTF-8 once decoded is refused.
    fn from_query(query: Option<&str>) -> Result<Self, ApiError> {
        let mut filter = Self::default();
        for pair in query.unwrap_or_default().split('&') {
            if pair.is_empty() {
                continue;
            }
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decode(name)?;
            let slot = match name.as_str() {
                "userPoolId" => &mut filter.user_pool_id,
                "destination" => &mut filter.destination,
                _ => {
                    return Err(invalid(format!(
                        "Unknown query parameter {name:?}: {PATH} takes {PARAMETERS}."
                    )));
                }
            };
            if slot.is_some() {
                return Err(invalid(format!(
                    "The query parameter {name} is given twice; give it once."
                )));
            }
            *slot = Some(decode(value)?);
        }
        Ok(filter)
    }

    /// Whether `delivery` is one the query asks for.
    fn admits(&self, delivery: &Delivery) -> bool {
        let matches = |wanted: &Option<String>, value: &str| {
            wanted.as_deref().is_none_or(|wanted| wanted == value)
        };
        matches(&self.user_pool_id, &delivery.pool_id)
            && matches(&self.destination, &delivery.destination)
    }
}

/// A query component, percent-decoded (`+` stays a plus).
fn decode(component: &str) -> Result<String, ApiError> {
    percent_decode_str(component)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| invalid("A query parameter is not UTF-8 once percent-decoded.".to_owned()))
}

fn invalid(message: String) -> ApiError {
    ApiError::new(ErrorType::InvalidParameter, message)
}

/// The answer's body: the messages `filter` admits, in the order they were sent.
fn listing(sent: &[Delivery], filter: &Filter) -> Value {
    let messages: Vec<Value> = sent
        .iter()
        .filter(|delivery| filter.admits(delivery))
        .map(|delivery| {
            json!({
                "Timestamp": delivery.sent_rfc3339(),
                "UserPoolId": delivery.pool_id,
                "Username": delivery.username,
                "Medium": delivery.medium.api_name(),
                "Destination": delivery.destination,
                "Message": delivery.text,
                "Code": delivery.code,
            })
        })
        .collect();
    json!({ "messages": messages })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::test_support::delivery;

    fn filter(query: &str) -> Filter {
        Filter::from_query(Some(query)).unwrap()
    }

    fn refused(query: &str) -> ApiError {
        Filter::from_query(Some(query)).unwrap_err()
    }

    #[test]
    fn no_query_lets_everything_through() {
        assert_eq!(Filter::from_query(None).unwrap(), Filter::default());
        assert_eq!(filter(""), Filter::default());
        assert_eq!(filter("&"), Filter::default());
    }

    #[test]
    fn both_filters_are_read_and_a_plus_stays_a_plus() {
        let wanted = Filter {
            user_pool_id: Some("us-east-1_Demo0001".into()),
            destination: Some("+15555550101".into()),
        };
        assert_eq!(
            filter("userPoolId=us-east-1_Demo0001&destination=+15555550101"),
            wanted
        );
        assert_eq!(
            filter("destination=%2B15555550101&userPoolId=us-east-1_Demo0001"),
            wanted
        );
        assert_eq!(
            filter("destination=bob%40example.com")
                .destination
                .as_deref(),
            Some("bob@example.com")
        );
    }

    #[test]
    fn an_unknown_or_repeated_parameter_is_refused_naming_the_ones_taken() {
        for query in [
            "phoneNumber=+15555550101",
            "userpoolid=x",
            "destination=a&id=1",
        ] {
            let error = refused(query);
            assert_eq!(error.error_type, ErrorType::InvalidParameter, "{query}");
            assert!(
                error.message.contains("takes userPoolId and destination"),
                "{query}: {}",
                error.message
            );
        }
        let twice = refused("destination=a&destination=b");
        assert!(twice.message.contains("given twice"), "{}", twice.message);
        assert_eq!(
            refused("destination=%FF").error_type,
            ErrorType::InvalidParameter
        );
    }

    #[test]
    fn filters_are_exact_and_together() {
        // Odd messages by SMS to +15555550101, even ones by e-mail to bob@example.com.
        let mut sent: Vec<Delivery> = (1..=4).map(delivery).collect();
        sent[3].pool_id = "us-east-1_Other".into();
        let codes = |query: &str| -> Vec<String> {
            listing(&sent, &filter(query))["messages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|message| message["Code"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(codes(""), ["000001", "000002", "000003", "000004"]);
        assert_eq!(codes("destination=+15555550101"), ["000001", "000003"]);
        assert_eq!(codes("destination=+1555555010"), Vec::<String>::new());
        assert_eq!(codes("userPoolId=us-east-1_Other"), ["000004"]);
        assert_eq!(
            codes("userPoolId=us-east-1_Demo0001&destination=bob@example.com"),
            ["000002"]
        );
    }

    #[test]
    fn each_message_has_aws_style_names_and_an_rfc_3339_time() {
        let body = listing(&[delivery(1)], &Filter::default());
        assert_eq!(
            body,
            json!({"messages": [{
                "Timestamp": "2026-11-22T03:00:00.000Z",
                "UserPoolId": "us-east-1_Demo0001",
                "Username": "bob",
                "Medium": "SMS",
                "Destination": "+15555550101",
                "Message": "Your code is 000001",
                "Code": "000001",
            }]})
        );
    }
}
