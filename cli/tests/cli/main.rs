//! The `ecosuite` binary, run as a process against local servers: one test binary, so the
//! suite links once.

mod support;
mod tags;
