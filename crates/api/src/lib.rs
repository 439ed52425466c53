//! Rolebase's service: the HTTP API, its PostgreSQL storage, the embedded
//! cluster and the curated knowledge base loader. `main.rs` is the CLI on top.

pub mod database;
pub mod documents;
pub mod embedded;
pub mod etags;
pub mod http;
pub mod knowledge_base;
pub mod oews;
pub mod publishing;
pub mod settings;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod views;
