//! Files identified by their sha256: digest lists computed elsewhere, and
//! the files of a tree hashed by banscan itself (`--hash`).

pub mod hash;
pub mod sha256sum;
