//! A load driver for the local pool (issue 13): sign-ins per second by USER_PASSWORD_AUTH
//! and USER_SRP_AUTH at 1, 8 and 32 connections with p50 and p99 latency, GetUser
//! latency alone and beside 32 connections signing in, a soak mode that prints the
//! process's RSS before and after N sign-ins, and a flood mode: N CUSTOM_AUTH sessions
//! (which need only a username) opened while honest password sign-ins run, with the
//! honest rate and latency before and during the flood, and the RSS before, at the
//! peak, and after the flood's sessions expired and were swept.
//!
//! ```sh
//! cargo bench --bench load                              # the table, a few seconds a row
//! cargo bench --bench load -- --seconds 5 --count 20000 # longer rows, or fewer operations
//! cargo bench --bench load -- --against http://127.0.0.1:5002  # also moto, same load
//! cargo bench --bench load -- --soak 100000             # RSS over 100,000 sign-ins
//! cargo bench --bench load -- --flood 50000             # 50,000 sessions beside sign-ins
//! ```
//!
//! Every call is the JSON 1.1 a real client sends, made by the console's own client
//! (`cognito::Client`), over 127.0.0.1. The pool runs in this process but on a tokio
//! runtime of its own, as `serve` runs in its own process; the load generator has
//! another. Both share this machine's cores, so the client's SRP maths competes with
//! the server's. These are figures, never a test: nothing here asserts a time.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cognito_signin::cognito::types::{
    AccessTokenRequest, AdminCreateUserRequest, AdminSetUserPasswordRequest, AuthenticationResult,
    CreateUserPoolClientRequest, CreateUserPoolRequest, InitiateAuthRequest,
    RespondToAuthChallengeRequest,
};
use cognito_signin::cognito::{ApiError, AuthFlowType, Client, Endpoint};
use cognito_signin::crypto::{PasswordVerifierInput, SrpClient, format_timestamp, pool_name};
use cognito_signin::local_pool::{self, RunningPool, demo};
use cognito_signin::sensitive::{Sensitive, SensitiveString};
use tokio::sync::{Barrier, Notify};
use tokio::task::JoinSet;

/// The binary's allocator (src/main.rs), so the pool's memory is measured as `serve` has it.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The connection counts every sign-in row is measured at.
const CONNECTIONS: [usize; 3] = [1, 8, 32];

/// The connections signing in beside GetUser.
const BESIDE: usize = 32;

/// The connections the soak signs in on.
const SOAK_CONNECTIONS: usize = 8;

/// How many parts the soak is reported in.
const SOAK_SLICES: u64 = 10;

/// The connections the flood opens sessions on.
const FLOOD_CONNECTIONS: usize = 16;

/// The connections honest sign-ins run on, before and during the flood.
const HONEST_CONNECTIONS: usize = 4;

/// How long honest sign-ins are measured before the flood.
const BEFORE_FLOOD: Duration = Duration::from_secs(5);

/// How often the flood samples the RSS for its peak.
const RSS_SAMPLE_EVERY: Duration = Duration::from_millis(50);

/// Past every session's lifetime and the minutes it is kept after (2 x 3 minutes).
const PAST_SESSION_LIFETIME: Duration = Duration::from_secs(7 * 60);

/// How many floods the flood mode runs, one after the other.
const FLOOD_ROUNDS: u32 = 2;

/// How long the flood mode waits after the sweep before its last RSS reading: past
/// the keep-alive timeout and tokio's 10 s blocking-thread keep-alive.
const SETTLE_AFTER_FLOOD: Duration = Duration::from_secs(15);

/// The usage line, for a flag this driver does not know.
const USAGE: &str = "usage: cargo bench --bench load [-- [--seconds S] [--count N] \
                     [--against URL] [--soak N] [--flood N]]";

/// What the command line asked for.
#[derive(Debug, Clone)]
struct Args {
    /// How long each row runs at most.
    seconds: Duration,
    /// How many operations each row runs at most.
    count: u64,
    /// Another Cognito-compatible server to run the password load against too.
    against: Option<String>,
    /// Only the soak: this many password sign-ins.
    soak: Option<u64>,
    /// Only the flood: this many CUSTOM_AUTH sessions opened.
    flood: Option<u64>,
}

impl Default for Args {
    fn default() -> Self {
        Self {
            seconds: Duration::from_secs(3),
            count: 100_000,
            against: None,
            soak: None,
            flood: None,
        }
    }
}

/// Reads the flags; `--bench`, which `cargo bench` passes every bench, is ignored.
fn parse_args(mut words: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut args = Args::default();
    while let Some(word) = words.next() {
        let mut value = |flag: &str| words.next().ok_or_else(|| format!("{flag} needs a value"));
        match word.as_str() {
            "--bench" => {}
            "--seconds" => {
                let seconds: f64 = parse_number(&value("--seconds")?, "--seconds")?;
                args.seconds = Duration::try_from_secs_f64(seconds)
                    .map_err(|_| "--seconds must be a positive number".to_owned())?;
            }
            "--count" => args.count = parse_number(&value("--count")?, "--count")?,
            "--against" => args.against = Some(value("--against")?),
            "--soak" => args.soak = Some(parse_number(&value("--soak")?, "--soak")?),
            "--flood" => args.flood = Some(parse_number(&value("--flood")?, "--flood")?),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(args)
}

/// A flag's number, or a sentence naming the flag.
fn parse_number<T: std::str::FromStr>(text: &str, flag: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{flag} takes a number, not {text:?}"))
}

/// One user to sign in as, in a pool and app client made for the bench on one server.
#[derive(Debug)]
struct Target {
    /// How the table names the server.
    server: String,
    url: String,
    pool_id: String,
    client_id: String,
    username: String,
    password: String,
}

/// Makes a pool, an app client that allows password and SRP sign-in, and a confirmed
/// user through the API, as a test suite would (no access key: the local pool is open
/// while it has none, and moto checks none).
async fn set_up(server: &str, url: &str) -> Result<Target, String> {
    let api = client(url)?;
    let pool = api
        .create_user_pool(&CreateUserPoolRequest {
            pool_name: "load".to_owned(),
            ..Default::default()
        })
        .await
        .map_err(failed("CreateUserPool"))?
        .user_pool;
    let flows = [
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    ];
    let app = api
        .create_user_pool_client(&CreateUserPoolClientRequest {
            user_pool_id: pool.id.clone(),
            client_name: "load".to_owned(),
            explicit_auth_flows: Some(flows.iter().map(|flow| (*flow).to_owned()).collect()),
            ..Default::default()
        })
        .await
        .map_err(failed("CreateUserPoolClient"))?
        .user_pool_client;
    let target = Target {
        server: server.to_owned(),
        url: url.to_owned(),
        pool_id: pool.id,
        client_id: app.client_id,
        username: "loaduser".to_owned(),
        password: "Load-Password-1!".to_owned(),
    };
    api.admin_create_user(&AdminCreateUserRequest {
        user_pool_id: target.pool_id.clone(),
        username: target.username.clone(),
        temporary_password: Some("Temporary-Pass-1!".into()),
        user_attributes: Vec::new(),
        message_action: Some("SUPPRESS".to_owned()),
    })
    .await
    .map_err(failed("AdminCreateUser"))?;
    api.admin_set_user_password(&AdminSetUserPasswordRequest {
        user_pool_id: target.pool_id.clone(),
        username: target.username.clone(),
        password: target.password.as_str().into(),
        permanent: true,
    })
    .await
    .map_err(failed("AdminSetUserPassword"))?;
    Ok(target)
}

/// Names the set-up step that failed.
fn failed(step: &'static str) -> impl Fn(ApiError) -> String {
    move |error| format!("{step}: {error}")
}

/// The console's wire client for `url`: its own connection pool, so one client per
/// worker is one connection per worker.
fn client(url: &str) -> Result<Client, String> {
    Client::new(Endpoint {
        url: format!("{}/", url.trim_end_matches('/')),
    })
    .map_err(|error| error.to_string())
}

/// One kind of operation a worker repeats.
#[derive(Debug, Clone)]
enum Load {
    /// InitiateAuth USER_PASSWORD_AUTH, to tokens.
    Password(Arc<Target>),
    /// InitiateAuth USER_SRP_AUTH, then PASSWORD_VERIFIER, to tokens.
    Srp(Arc<Target>),
    /// GetUser with this access token.
    GetUser(Arc<SensitiveString>),
    /// InitiateAuth CUSTOM_AUTH with a username alone: a session opened and never
    /// answered.
    Custom(Arc<Target>),
}

impl Load {
    /// The operation's name in the table.
    fn name(&self) -> &'static str {
        match self {
            Self::Password(_) => "USER_PASSWORD_AUTH",
            Self::Srp(_) => "USER_SRP_AUTH",
            Self::GetUser(_) => "GetUser",
            Self::Custom(_) => "CUSTOM_AUTH (session left open)",
        }
    }

    /// Runs the operation once.
    async fn once(&self, api: &Client) -> Result<(), String> {
        match self {
            Self::Password(target) => password_sign_in(api, target).await.map(drop),
            Self::Srp(target) => srp_sign_in(api, target).await.map(drop),
            Self::GetUser(token) => api
                .get_user(&AccessTokenRequest {
                    access_token: SensitiveString::clone(token),
                })
                .await
                .map(drop)
                .map_err(|error| format!("GetUser: {error}")),
            Self::Custom(target) => open_custom_session(api, target).await,
        }
    }
}

/// USERNAME and PASSWORD in one InitiateAuth.
async fn password_sign_in(api: &Client, target: &Target) -> Result<AuthenticationResult, String> {
    let parameters = BTreeMap::from([
        ("USERNAME".to_owned(), target.username.clone()),
        ("PASSWORD".to_owned(), target.password.clone()),
    ]);
    let answer = api
        .initiate_auth(&InitiateAuthRequest {
            auth_flow: AuthFlowType::UserPasswordAuth,
            client_id: target.client_id.clone(),
            auth_parameters: Sensitive::new(parameters),
            ..Default::default()
        })
        .await
        .map_err(|error| format!("InitiateAuth USER_PASSWORD_AUTH: {error}"))?;
    tokens_of(answer.authentication_result, answer.challenge_name)
}

/// CUSTOM_AUTH with USERNAME alone: the pool opens a session for the first round.
async fn open_custom_session(api: &Client, target: &Target) -> Result<(), String> {
    let parameters = BTreeMap::from([("USERNAME".to_owned(), target.username.clone())]);
    let answer = api
        .initiate_auth(&InitiateAuthRequest {
            auth_flow: AuthFlowType::CustomAuth,
            client_id: target.client_id.clone(),
            auth_parameters: Sensitive::new(parameters),
            ..Default::default()
        })
        .await
        .map_err(|error| format!("InitiateAuth CUSTOM_AUTH: {error}"))?;
    match answer.challenge_name.as_deref() {
        Some("CUSTOM_CHALLENGE") => Ok(()),
        other => Err(format!("CUSTOM_AUTH answered {other:?}")),
    }
}

/// SRP_A in InitiateAuth, then the PASSWORD_VERIFIER answer the library's SRP client
/// signs (the client's maths run here, on the load generator's runtime).
async fn srp_sign_in(api: &Client, target: &Target) -> Result<AuthenticationResult, String> {
    let srp = SrpClient::new();
    let parameters = BTreeMap::from([
        ("USERNAME".to_owned(), target.username.clone()),
        ("SRP_A".to_owned(), srp.public_a_hex()),
    ]);
    let challenge = api
        .initiate_auth(&InitiateAuthRequest {
            auth_flow: AuthFlowType::UserSrpAuth,
            client_id: target.client_id.clone(),
            auth_parameters: Sensitive::new(parameters),
            ..Default::default()
        })
        .await
        .map_err(|error| format!("InitiateAuth USER_SRP_AUTH: {error}"))?;
    let responses = password_verifier(&srp, target, &challenge.challenge_parameters)?;
    let answer = api
        .respond_to_auth_challenge(&RespondToAuthChallengeRequest {
            client_id: target.client_id.clone(),
            challenge_name: "PASSWORD_VERIFIER".to_owned(),
            challenge_responses: Sensitive::new(responses),
            session: challenge.session,
            ..Default::default()
        })
        .await
        .map_err(|error| format!("RespondToAuthChallenge PASSWORD_VERIFIER: {error}"))?;
    tokens_of(answer.authentication_result, answer.challenge_name)
}

/// The PASSWORD_VERIFIER ChallengeResponses for a challenge's parameters: the claim
/// HMAC(K, pool name | USER_ID_FOR_SRP | SECRET_BLOCK | TIMESTAMP), signed now.
fn password_verifier(
    srp: &SrpClient,
    target: &Target,
    parameters: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, String> {
    let parameter = |name: &str| {
        parameters
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| format!("PASSWORD_VERIFIER came without {name}"))
    };
    let timestamp = format_timestamp(time::OffsetDateTime::now_utc());
    let signature = srp
        .password_claim_signature(&PasswordVerifierInput {
            realm: pool_name(&target.pool_id),
            user_id: parameter("USER_ID_FOR_SRP")?,
            password: &target.password,
            srp_b_hex: parameter("SRP_B")?,
            salt_hex: parameter("SALT")?,
            secret_block_b64: parameter("SECRET_BLOCK")?,
            timestamp: &timestamp,
        })
        .map_err(|error| format!("PASSWORD_VERIFIER: {error}"))?;
    Ok(BTreeMap::from([
        ("USERNAME".to_owned(), parameter("USERNAME")?.to_owned()),
        (
            "PASSWORD_CLAIM_SECRET_BLOCK".to_owned(),
            parameter("SECRET_BLOCK")?.to_owned(),
        ),
        ("PASSWORD_CLAIM_SIGNATURE".to_owned(), signature),
        ("TIMESTAMP".to_owned(), timestamp),
    ]))
}

/// The tokens of an answer, or what came instead.
fn tokens_of(
    tokens: Option<AuthenticationResult>,
    challenge: Option<String>,
) -> Result<AuthenticationResult, String> {
    tokens.ok_or_else(|| format!("no tokens but the challenge {challenge:?}"))
}

/// When a row stops: after `count` operations, at `deadline` after the start, or when
/// `stop` is set, whichever comes first. `begun` is told when the clock starts.
#[derive(Debug, Clone)]
struct Budget {
    count: u64,
    deadline: Option<Duration>,
    stop: Arc<AtomicBool>,
    begun: Arc<Notify>,
}

impl Budget {
    /// At most `count` operations for at most `duration`.
    fn new(count: u64, duration: Option<Duration>) -> Self {
        Self {
            count,
            deadline: duration,
            stop: Arc::new(AtomicBool::new(false)),
            begun: Arc::new(Notify::new()),
        }
    }
}

/// What one row measured.
#[derive(Debug, Default)]
struct Sample {
    /// Each successful operation's latency.
    latencies: Vec<Duration>,
    errors: u64,
    first_error: Option<String>,
    /// From the start (every connection open and warmed) to the last operation's end.
    elapsed: Duration,
}

impl Sample {
    /// Adds a worker's results.
    fn absorb(&mut self, other: Sample) {
        self.latencies.extend(other.latencies);
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }
}

/// Runs `load` on `connections` workers, each with its own connection to `url`, until
/// the budget runs out. Every worker makes one untimed call first (connecting, and
/// building the SRP tables), and the clock starts when all have.
async fn measure(url: &str, load: &Load, connections: usize, budget: &Budget) -> Sample {
    let started = Arc::new(AtomicU64::new(0));
    let ready = Arc::new(Barrier::new(connections + 1));
    let mut workers = JoinSet::new();
    for _ in 0..connections {
        let (url, load, budget) = (url.to_owned(), load.clone(), budget.clone());
        let (started, ready) = (Arc::clone(&started), Arc::clone(&ready));
        workers.spawn(async move { worker(&url, &load, &budget, &started, &ready).await });
    }
    ready.wait().await;
    let start = Instant::now();
    budget.begun.notify_one();
    let mut sample = Sample::default();
    while let Some(done) = workers.join_next().await {
        match done {
            Ok(part) => sample.absorb(part),
            Err(error) => sample.absorb(failure(format!("a worker stopped: {error}"))),
        }
    }
    sample.elapsed = start.elapsed();
    sample
}

/// One connection's loop: warm up, wait for the others, then repeat `load`.
async fn worker(
    url: &str,
    load: &Load,
    budget: &Budget,
    started: &AtomicU64,
    ready: &Barrier,
) -> Sample {
    let prepared = match client(url) {
        Ok(api) => load.once(&api).await.map(|()| api),
        Err(error) => Err(error),
    };
    // Every worker reaches the barrier, or `measure` would wait for it forever.
    ready.wait().await;
    let api = match prepared {
        Ok(api) => api,
        Err(error) => return failure(error),
    };
    let deadline = budget.deadline.map(|duration| Instant::now() + duration);
    let mut sample = Sample::default();
    while started.fetch_add(1, Ordering::Relaxed) < budget.count
        && !budget.stop.load(Ordering::Relaxed)
        && deadline.is_none_or(|deadline| Instant::now() < deadline)
    {
        let begun = Instant::now();
        match load.once(&api).await {
            Ok(()) => sample.latencies.push(begun.elapsed()),
            Err(error) => {
                sample.errors += 1;
                sample.first_error.get_or_insert(error);
            }
        }
    }
    sample
}

/// A sample of one failure.
fn failure(error: String) -> Sample {
    Sample {
        errors: 1,
        first_error: Some(error),
        ..Sample::default()
    }
}

/// One line of the table.
#[derive(Debug)]
struct Row {
    server: String,
    operation: String,
    connections: usize,
    count: usize,
    per_second: f64,
    p50: Duration,
    p99: Duration,
    errors: u64,
}

impl Row {
    /// The row for `sample`, sorting its latencies.
    fn of(server: &str, operation: String, connections: usize, mut sample: Sample) -> Self {
        sample.latencies.sort_unstable();
        let count = sample.latencies.len();
        let seconds = sample.elapsed.as_secs_f64();
        if let Some(error) = &sample.first_error {
            eprintln!(
                "{server} {operation} x{connections}: {} errors, the first: {error}",
                sample.errors
            );
        }
        Self {
            server: server.to_owned(),
            operation,
            connections,
            count,
            per_second: if seconds > 0.0 {
                count as f64 / seconds
            } else {
                0.0
            },
            p50: percentile(&sample.latencies, 0.50),
            p99: percentile(&sample.latencies, 0.99),
            errors: sample.errors,
        }
    }
}

/// The nearest-rank percentile of sorted latencies (zero when there are none).
fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let rank = (fraction * sorted.len() as f64).ceil() as usize;
    sorted
        .get(rank.saturating_sub(1))
        .copied()
        .unwrap_or_default()
}

/// The table's header.
fn header() -> String {
    format!(
        "{:<8} {:<36} {:>5} {:>7} {:>9} {:>8} {:>8} {:>6}",
        "server", "operation", "conns", "count", "per sec", "p50 ms", "p99 ms", "errors"
    )
}

/// A row as the table shows it.
fn line(row: &Row) -> String {
    format!(
        "{:<8} {:<36} {:>5} {:>7} {:>9.1} {:>8.2} {:>8.2} {:>6}",
        row.server,
        row.operation,
        row.connections,
        row.count,
        row.per_second,
        millis(row.p50),
        millis(row.p99),
        row.errors
    )
}

/// A duration in milliseconds.
fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The sign-in rows for `load` at each connection count, printed as they finish.
async fn sign_in_rows(target: &Target, load: &Load, args: &Args) {
    for connections in CONNECTIONS {
        let budget = Budget::new(args.count, Some(args.seconds));
        let sample = measure(&target.url, load, connections, &budget).await;
        println!(
            "{}",
            line(&Row::of(
                &target.server,
                load.name().to_owned(),
                connections,
                sample
            ))
        );
    }
}

/// GetUser on one connection alone, then beside `BESIDE` connections signing in by
/// password (their rate is a row too).
async fn get_user_rows(target: &Arc<Target>, args: &Args) -> Result<(), String> {
    let api = client(&target.url)?;
    let tokens = password_sign_in(&api, target).await?;
    let get_user = Load::GetUser(Arc::new(tokens.access_token.clone()));
    let alone = measure(
        &target.url,
        &get_user,
        1,
        &Budget::new(args.count, Some(args.seconds)),
    )
    .await;
    println!(
        "{}",
        line(&Row::of(
            &target.server,
            "GetUser (alone)".to_owned(),
            1,
            alone
        ))
    );

    let background = Budget::new(u64::MAX, None);
    let signing_in = Load::Password(Arc::clone(target));
    let beside = async {
        // GetUser's clock starts once every signing-in connection is warm and busy.
        background.begun.notified().await;
        let sample = measure(
            &target.url,
            &get_user,
            1,
            &Budget::new(args.count, Some(args.seconds)),
        )
        .await;
        background.stop.store(true, Ordering::Relaxed);
        sample
    };
    let (beside, load) = tokio::join!(
        beside,
        measure(&target.url, &signing_in, BESIDE, &background)
    );
    let label = format!("GetUser (beside {BESIDE} signing in)");
    println!("{}", line(&Row::of(&target.server, label, 1, beside)));
    let label = "USER_PASSWORD_AUTH (beside GetUser)".to_owned();
    println!("{}", line(&Row::of(&target.server, label, BESIDE, load)));
    Ok(())
}

/// Every row for one server: password sign-ins, SRP sign-ins where the server checks
/// them (`srp`), and GetUser.
async fn server_rows(target: Arc<Target>, srp: bool, args: &Args) -> Result<(), String> {
    sign_in_rows(&target, &Load::Password(Arc::clone(&target)), args).await;
    if srp {
        sign_in_rows(&target, &Load::Srp(Arc::clone(&target)), args).await;
    }
    get_user_rows(&target, args).await
}

/// The whole table: the local pool at `local_url`, then the other server if asked.
async fn table(local_url: &str, args: &Args) -> Result<(), String> {
    let local = Arc::new(set_up("local", local_url).await?);
    let other = match &args.against {
        Some(url) => Some(Arc::new(set_up("other", url).await?)),
        None => None,
    };
    println!("local: the local pool at {local_url}, in this process");
    if let Some(other) = &other {
        println!("other: {}", other.url);
    }
    println!("{}", header());
    server_rows(local, true, args).await?;
    if let Some(other) = other {
        // moto's SRP is a stand-in (SRP_B is a UUID, the signature never checked), so
        // only its password sign-ins and GetUser compare.
        server_rows(other, false, args).await?;
    }
    println!(
        "(load generator and server share the machine's {} cores; --seconds {:.1}, --count {})",
        std::thread::available_parallelism().map_or(0, usize::from),
        args.seconds.as_secs_f64(),
        args.count
    );
    Ok(())
}

/// The soak: `total` password sign-ins on `SOAK_CONNECTIONS` connections, reported in
/// slices with the process's RSS after each.
async fn soak(local_url: &str, total: u64) -> Result<(), String> {
    let target = Arc::new(set_up("local", local_url).await?);
    let load = Load::Password(Arc::clone(&target));
    println!("soak: {total} USER_PASSWORD_AUTH sign-ins on {SOAK_CONNECTIONS} connections");
    println!("RSS at the start: {}", shown_rss());
    println!("{} {:>10} {:>10}", header(), "done", "RSS MiB");
    let slice = total.div_ceil(SOAK_SLICES).max(1);
    let mut done = 0;
    while done < total {
        let count = slice.min(total - done);
        // Besides `count`, each connection signs in once untimed (its warm-up).
        let sample = measure(
            &target.url,
            &load,
            SOAK_CONNECTIONS,
            &Budget::new(count, None),
        )
        .await;
        done += count;
        let row = Row::of("local", load.name().to_owned(), SOAK_CONNECTIONS, sample);
        println!("{} {done:>10} {:>10}", line(&row), shown_rss());
    }
    println!("RSS at the end: {}", shown_rss());
    Ok(())
}

/// A demo user of the demo pool (its public client allows CUSTOM_AUTH).
fn demo_target(url: &str, username: &str) -> Arc<Target> {
    Arc::new(Target {
        server: "local".to_owned(),
        url: url.to_owned(),
        pool_id: demo::POOL_ID.to_owned(),
        client_id: demo::PUBLIC_CLIENT_ID.to_owned(),
        username: username.to_owned(),
        password: demo::PASSWORD.to_owned(),
    })
}

/// Floods twice, one after the other: what RSS keeps after the first flood, and whether
/// the second reuses that memory or adds to it.
async fn flood(pool: &RunningPool, total: u64) -> Result<(), String> {
    for round in 1..=FLOOD_ROUNDS {
        println!("flood {round} of {FLOOD_ROUNDS}");
        flood_once(pool, total).await?;
    }
    Ok(())
}

/// The flood: honest password sign-ins alone for [`BEFORE_FLOOD`]; then `total`
/// CUSTOM_AUTH sessions on [`FLOOD_CONNECTIONS`] while honest sign-ins go on beside
/// them, the RSS sampled for its peak; then the pool's clock moved past every
/// session's time and one sweep run, as the sweeper would a few minutes later.
async fn flood_once(pool: &RunningPool, total: u64) -> Result<(), String> {
    let honest = Load::Password(demo_target(pool.url(), "alice"));
    let custom = Load::Custom(demo_target(pool.url(), "cody"));
    println!(
        "flood: {total} CUSTOM_AUTH sessions on {FLOOD_CONNECTIONS} connections, beside \
         USER_PASSWORD_AUTH on {HONEST_CONNECTIONS}; the pool keeps at most {} sessions",
        local_pool::MAX_PENDING_SESSIONS
    );
    println!("{} {:>10}", header(), "RSS MiB");
    let before = measure(
        pool.url(),
        &honest,
        HONEST_CONNECTIONS,
        &Budget::new(u64::MAX, Some(BEFORE_FLOOD)),
    )
    .await;
    let label = "USER_PASSWORD_AUTH (before the flood)".to_owned();
    let row = Row::of("local", label, HONEST_CONNECTIONS, before);
    println!("{} {:>10}", line(&row), shown_rss());
    let rss_before = rss_mib();

    let beside = Budget::new(u64::MAX, None);
    let peak = Arc::new(AtomicU64::new(0));
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (peak, sampling) = (Arc::clone(&peak), Arc::clone(&sampling));
        tokio::spawn(async move {
            while sampling.load(Ordering::Relaxed) {
                if let Some(mib) = rss_mib() {
                    peak.fetch_max((mib * 1024.0) as u64, Ordering::Relaxed);
                }
                tokio::time::sleep(RSS_SAMPLE_EVERY).await;
            }
        })
    };
    let flooding = async {
        let sample = measure(
            pool.url(),
            &custom,
            FLOOD_CONNECTIONS,
            &Budget::new(total, None),
        )
        .await;
        beside.stop.store(true, Ordering::Relaxed);
        sample
    };
    let (flooded, during) = tokio::join!(
        flooding,
        measure(pool.url(), &honest, HONEST_CONNECTIONS, &beside)
    );
    sampling.store(false, Ordering::Relaxed);
    let _ = sampler.await;
    let kept_at_peak = pool.kept_sessions();
    let row = Row::of(
        "local",
        custom.name().to_owned(),
        FLOOD_CONNECTIONS,
        flooded,
    );
    println!("{} {:>10}", line(&row), shown_rss());
    let label = "USER_PASSWORD_AUTH (during the flood)".to_owned();
    let row = Row::of("local", label, HONEST_CONNECTIONS, during);
    println!("{} {:>10}", line(&row), shown_rss());

    pool.advance_clock(PAST_SESSION_LIFETIME);
    pool.sweep_now();
    let shown = |mib: Option<f64>| mib.map_or_else(|| "n/a".to_owned(), |mib| format!("{mib:.1}"));
    println!("RSS before the flood: {} MiB", shown(rss_before));
    println!(
        "RSS at the peak:      {} MiB ({kept_at_peak} sessions kept at the end of the flood)",
        shown(Some(peak.load(Ordering::Relaxed) as f64 / 1024.0))
    );
    println!(
        "RSS after expiry:     {} MiB ({} sessions kept after one sweep)",
        shown_rss(),
        pool.kept_sessions()
    );
    // The flood's connections close once idle for the keep-alive timeout, and tokio's
    // idle blocking threads end after 10 s: memory they hold is counted until then.
    tokio::time::sleep(SETTLE_AFTER_FLOOD).await;
    pool.sweep_now();
    println!(
        "RSS {} s later:       {} MiB (idle connections and threads gone)",
        SETTLE_AFTER_FLOOD.as_secs(),
        shown_rss()
    );
    Ok(())
}

/// The process's resident set size in MiB, from /proc/self/status (Linux).
fn rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The RSS as the output shows it.
fn shown_rss() -> String {
    rss_mib().map_or_else(|| "n/a".to_owned(), |mib| format!("{mib:.1}"))
}

/// A multi-threaded runtime named `name`, with the default worker count (one per core).
fn runtime(name: &str) -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name(name)
        .build()
        .map_err(|error| format!("the {name} runtime did not start: {error}"))
}

/// Starts the pool on its own runtime, runs the table or the soak on another, stops it.
fn run(args: &Args) -> Result<(), String> {
    let server = runtime("pool")?;
    let load = runtime("load")?;
    // The flood needs a pool whose client allows CUSTOM_AUTH, with its scripted
    // rounds: the demo pool has both.
    let seed = args.flood.map(|_| demo::pool_file());
    let pool = server
        .block_on(local_pool::start(seed, 0))
        .map_err(|error| format!("the local pool did not start: {error}"))?;
    let url = pool.url().to_owned();
    let outcome = match (args.soak, args.flood) {
        (Some(total), _) => load.block_on(soak(&url, total)),
        (None, Some(total)) => load.block_on(flood(&pool, total)),
        (None, None) => load.block_on(table(&url, args)),
    };
    server.block_on(pool.shutdown());
    outcome
}

fn main() -> ExitCode {
    let outcome = parse_args(std::env::args().skip(1)).and_then(|args| run(&args));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("load: {error}");
            ExitCode::FAILURE
        }
    }
}
