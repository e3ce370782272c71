//! Checks of the policies themselves, as opposed to scans of software.
//!
//! This sits above both [`crate::policy`] and [`crate::matcher`]: checking
//! that a policy's examples match as they say needs the compiled matcher,
//! and the matcher is built from policies. Keeping the runner here, not in
//! `policy/`, keeps the dependency one way (check → matcher → policy).

pub mod examples;
