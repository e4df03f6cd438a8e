//! The steps the commands share, between the CLI's flags and the pure core:
//! reading the input files, loading settings, reaching a controller and
//! reading its state, and what makes a saved plan safe to apply (the inputs
//! it records, their fingerprints, the stale check).
//!
//! Nothing here prints or exits: each step returns values, diagnostics or
//! notes (plain sentences for the CLI to show), and errors as
//! `miette::Report`s. `cli` parses the flags into the small structs taken
//! here, calls these steps and prints.

pub mod cluster;
pub mod controller;
pub mod files;
pub mod saved_plan;
pub mod settings;
