//! How long the SRP halves take: the client's (A, then the signature) and the pool's
//! (B and K, then checking the signature), on the first known-answer vector's data.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use cognito_signin::crypto::{
    PasswordVerifierInput, SrpClient, SrpServer, UserVerifier, pool_name,
};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;

/// Known answers from two independent implementations (see tests/vectors/README.md).
const VECTORS: &str = include_str!("../tests/vectors/cognito-srp.json");

fn first_vector() -> Value {
    let all: Value = serde_json::from_str(VECTORS).expect("vectors are JSON");
    all["srp"][0].clone()
}

fn field<'a>(entry: &'a Value, name: &str) -> &'a str {
    entry[name].as_str().expect("vector field")
}

fn srp(c: &mut Criterion) {
    let entry = first_vector();
    let realm = pool_name(field(&entry, "pool_id"));
    let user_id = field(&entry, "user_id_for_srp");
    let input = PasswordVerifierInput {
        realm,
        user_id,
        password: field(&entry, "password"),
        srp_b_hex: field(&entry, "SRP_B"),
        salt_hex: field(&entry, "salt_hex"),
        secret_block_b64: field(&entry, "SECRET_BLOCK"),
        timestamp: field(&entry, "TIMESTAMP"),
    };
    // The group's tables are built once per process, outside the measurement.
    let _ = SrpClient::new().public_a_hex();

    c.bench_function("client_srp", |b| {
        b.iter(|| {
            let client = SrpClient::new();
            black_box(client.public_a_hex());
            black_box(client.password_claim_signature(black_box(&input)).unwrap())
        })
    });

    let verifier =
        UserVerifier::from_parts(field(&entry, "salt_hex"), field(&entry, "verifier_hex")).unwrap();
    let srp_a = field(&entry, "SRP_A");
    let block = BASE64.decode(field(&entry, "SECRET_BLOCK")).unwrap();
    let timestamp = field(&entry, "TIMESTAMP");
    let signature = field(&entry, "PASSWORD_CLAIM_SIGNATURE");
    c.bench_function("pool_verification", |b| {
        b.iter(|| {
            let server = SrpServer::new(&verifier, black_box(srp_a)).unwrap();
            black_box(server.public_b_hex());
            // A fresh b means a different K: the answer is "wrong", but the work is the same.
            black_box(
                server
                    .verify_signature(realm, user_id, &block, timestamp, signature)
                    .unwrap(),
            )
        })
    });
}

criterion_group!(benches, srp);
criterion_main!(benches);
