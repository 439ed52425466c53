//! Black-box tests: the real service on a random port, a real PostgreSQL (the
//! embedded cluster, or `DATABASE_URL` when set), a fresh database per test.

mod helpers;

mod caching;
mod career;
mod catalogue;
mod children;
mod compare;
mod embedded;
mod errors;
mod health;
mod knowledge_base;
mod openapi;
mod requirements;
mod roles;
mod search;
