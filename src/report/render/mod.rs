//! Renderers: each reads only the [`Report`](super::Report).

pub mod human;
