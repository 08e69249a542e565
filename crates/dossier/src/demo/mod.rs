//! The Jiangyan demo district: a seeded, synthetic district whose dashboards show the published figures, built only through public commands.
//!
//! [`build`] draws every random choice up front from a ChaCha RNG seeded with `seed`
//! (same seed, same district), then issues the commands phase by phase through the API's
//! command service with a fixed "today" ([`TODAY`]). Phases run in dependency order
//! (policy, units and posts, cadres and appointments, grades, cultivation, supervision,
//! care, awards, quota, “down”, rotation, then the selection cases with their post quotas and reserve
//! pool, and the obstacles in the way of the next 三级主任科员); inside a phase independent streams run
//! concurrently, so the log's order of unrelated events may differ between runs while
//! its content does not.
//!
//! The published figures (DOMAIN.md §5) it reproduces, see [`figures`]:
//! 9 main and 13 thematic classes; the three-good contest 4 years running (2023–2026);
//! 5 Steed Award batches with 37 awardees over 3 years (2024–2026); 20 front-line
//! promotion quotas a year (2024–2026), allocated by points ranking; 8 cadres moved
//! “down” by committee decision; 56 hot-post heads in 8 business-facing units rotated in
//! 2026; 85 typical appeal cases.

mod district;
mod exec;
mod people;
mod scenario;

pub use scenario::{Report, build, check_size};

/// Cadres in the default district (the scenario needs at least [`MIN_CADRES`]).
pub const DEFAULT_CADRES: usize = 300;

/// The fewest cadres that fill every post the scenario uses.
pub const MIN_CADRES: usize = 272;

/// The scenario's "today": every fact is effective on or before it.
pub const TODAY: (i32, u32, u32) = (2026, 11, 20);

/// The published figures the demo reproduces.
pub mod figures {
    pub const THREE_GOOD_YEARS: [i32; 4] = [2023, 2024, 2025, 2026];
    pub const STEED_AWARDEES: usize = 37;
    pub const QUOTA_PER_YEAR: u32 = 20;
    pub const QUOTA_YEARS: [i32; 3] = [2024, 2025, 2026];
    pub const DOWN_DECISIONS: usize = 8;
    pub const TYPICAL_APPEALS: usize = 85;
}
