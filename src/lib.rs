//! banscan: checks software against government bans.

pub mod ident;
pub mod inventory;
