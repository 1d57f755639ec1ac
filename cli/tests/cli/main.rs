//! The `ecosuite` binary, run as a process against local servers: one test binary, so the
//! suite links once.

mod errors;
mod every_operation;
mod help;
mod login;
mod raw;
mod readme;
mod session;
mod spinner;
mod support;
mod tags;
