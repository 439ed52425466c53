//! Black-box tests: the real service on a random port, a real PostgreSQL (the
//! embedded cluster, or `DATABASE_URL` when set), a fresh database per test.

mod helpers;

mod auth;
mod caching;
mod career;
mod catalogue;
mod catalogue_writes;
mod changes;
mod child_writes;
mod children;
mod compare;
mod compression;
mod content;
mod cors;
mod documents;
mod embedded;
mod errors;
mod export;
mod faults;
mod health;
mod idempotency;
mod knowledge_base;
mod logs;
mod metrics;
mod normalize;
mod occupations;
mod oews;
mod openapi;
mod postings;
mod preconditions;
mod problems;
mod proxy;
mod rate_limits;
mod relation_writes;
mod requirements;
mod revisions;
mod role_wages;
mod roles;
mod search;
mod security;
mod serve_process;
mod shutdown;
mod statements;
mod supervision;
mod writes;
