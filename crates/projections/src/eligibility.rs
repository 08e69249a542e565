//! Promotion candidates: every cadre's folded `cadre` stream state (the state the promotion command decides on), and who may be promoted to a rank on a date, and what stands in the way of the others.
//!
//! The [`CadreStates`] model folds each cadre stream with the domain's own `evolve`, so the
//! rules read here exactly what the `PromoteRank` command reads; [`candidates`] runs the
//! domain's [`promotion::obstacles`] over the cadres of the feeder rank (no second statement of
//! the rules lives here).

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use dossier_domain::{
    Event, Obstacle, Policy,
    cadre::State,
    promotion,
    types::{LeadershipLevel, Rank},
};
use serde::{Deserialize, Serialize};

use crate::{envelope::Envelope, intern::Interner, model::ReadModel, models::Models};

/// Every cadre stream folded by the domain's `evolve`, dense in order of first mention.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct CadreStates {
    pub ids: Interner,
    pub states: Vec<State>,
}

impl CadreStates {
    /// The folded state of a cadre, if the stream exists.
    pub fn get(&self, cadre_id: &str) -> Option<&State> {
        self.ids
            .get(cadre_id)
            .and_then(|i| self.states.get(i as usize))
    }
}

impl ReadModel for CadreStates {
    const NAME: &'static str = "cadre_states";
    const VERSION: u32 = 3;

    fn apply(&mut self, env: &Envelope<'_>) {
        if let Event::Cadre(e) = env.event
            && let Some(cadre_id) = env.stream_id.strip_prefix("cadre-")
        {
            let i = self.ids.intern(cadre_id) as usize;
            if i >= self.states.len() {
                self.states.resize_with(i + 1, State::default);
            }
            self.states[i].apply(e);
        }
    }
}

/// One cadre of the feeder ranks and where they stand toward the target rank.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub cadre_id: String,
    pub name: String,
    pub unit_id: String,
    pub rank: Option<Rank>,
    pub leadership_level: Option<LeadershipLevel>,
    /// Every rule that blocks the promotion on the date asked (empty: eligible).
    pub obstacles: Vec<Obstacle>,
    /// The first date every obstacle is lifted if nothing but time changes (the date asked
    /// when eligible; `None` when an obstacle needs an act).
    pub eligible_from: Option<NaiveDate>,
    pub served_months: u32,
    pub counted_months: u32,
    pub required_months: u32,
    /// Promotion points on the date asked and the place in the district's ranking (1 = highest).
    pub points: f64,
    pub points_rank: Option<u32>,
    /// The time counted toward the rank, year by year.
    pub time: crate::explain::TimeCounted,
    /// Training hours against the requirement of the cadre's level.
    pub training: crate::explain::TrainingHours,
}

impl Candidate {
    pub fn eligible(&self) -> bool {
        self.obstacles.is_empty()
    }
}

/// The year's front-line quota (职级数) on the date asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QuotaLeft {
    pub year: i32,
    pub size: u32,
    pub used: u32,
    pub left: u32,
}

/// Who may be promoted to `to` on `on`: the eligible first, then the others, each side by
/// points rank (then cadre id).
#[derive(Debug, Clone, PartialEq)]
pub struct Candidates {
    pub to: Rank,
    pub on: NaiveDate,
    /// The rank promoted from and its equivalent leadership level.
    pub from: Rank,
    pub equivalent: Option<LeadershipLevel>,
    /// The candidates as they were worked out, a part per chunk of cadres (cadre order);
    /// [`Candidates::iter`] gives them in the list's order. Neither joined into one list nor
    /// sorted themselves: sorting their places moves eight bytes per candidate instead of a
    /// few hundred, and no single allocation of tens of megabytes is asked of the system.
    found: Vec<Vec<Candidate>>,
    /// Where each candidate lies in `found`, in the list's order.
    order: Vec<Place>,
    pub eligible: usize,
    /// `None` when no quota was opened for the year of `on`.
    pub quota: Option<QuotaLeft>,
}

impl Candidates {
    /// The candidates in the list's order: the eligible first, then the others, each side by
    /// points rank, then cadre id.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Candidate> + ExactSizeIterator + '_ {
        self.order
            .iter()
            .map(|&(part, i)| &self.found[part as usize][i as usize])
    }

    /// How many cadres of the feeder ranks the list holds.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether no cadre stands in the feeder ranks.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// Every registered cadre ranked by promotion points on a date (highest first, then by cadre
/// id): the ranking the front-line quota is allocated by. Cadres are held by their profile's
/// index, so a ranking of a large district allocates no string per cadre.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ranking {
    /// (profile index, points), highest first.
    order: Vec<(u32, f64)>,
    /// Place (1 = highest) by profile index; 0 for a cadre not ranked.
    places: Vec<u32>,
}

impl Ranking {
    /// The place (1 = highest) and points of the cadre whose profile index is `profile`.
    pub fn place(&self, profile: u32) -> Option<(u32, f64)> {
        let place = *self.places.get(profile as usize)?;
        let (_, points) = self.order.get(place.checked_sub(1)? as usize)?;
        Some((place, *points))
    }

    /// The first `limit` cadres with their points, by id.
    pub fn top(&self, profiles: &crate::profile::Profiles, limit: usize) -> Vec<(String, f64)> {
        self.order
            .iter()
            .take(limit)
            .map(|&(i, points)| (profiles.ids.resolve(i).to_owned(), points))
            .collect()
    }
}

/// Every registered cadre ranked by promotion points on `on` (see [`Ranking`]).
pub fn points_ranking(models: &Models, on: NaiveDate) -> Ranking {
    let policy = models.policies.model.in_force(on);
    let p = &models.profiles.model;
    // Taken in id order, then sorted (stably) by points alone: equal points stay by id, and no
    // two ids are compared as strings.
    let mut order: Vec<(u32, f64)> = parallel_chunks(p.ids.sorted(), |_, ids| {
        ids.iter()
            .filter_map(|&i| {
                let r = p.recs.get(i as usize).filter(|r| r.registered)?;
                Some((i, crate::points::points_total(r, on, &policy.points)))
            })
            .collect::<Vec<_>>()
    })
    .concat();
    order.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut places = vec![0u32; p.recs.len()];
    for (k, &(i, _)) in order.iter().enumerate() {
        places[i as usize] = k as u32 + 1;
    }
    Ranking { order, places }
}

/// The candidates for `to` on `on` among the cadres folded in `models`, with `ranking` (see
/// [`points_ranking`]) for their points. `None` when the policy's ladder has no step to `to`.
pub fn candidates(
    models: &Models,
    to: Rank,
    on: NaiveDate,
    ranking: &Ranking,
) -> Option<Candidates> {
    let policy: Policy = models.policies.model.in_force(on);
    let step = policy.promotion.step_to(to)?.clone();
    let states = &models.cadre_states.model;
    let feeder = |s: &State| {
        s.registered
            && (s.rank == Some(step.from)
                || (step.equivalent.is_some() && s.leadership_level == step.equivalent))
    };
    let profiles = &models.profiles.model;
    // Each candidate's sort key: eligible first, then by points rank, then by id (its place in
    // id order, so no two ids are compared as strings).
    let mut id_place = vec![0u32; states.ids.len()];
    for (k, &sym) in states.ids.sorted().iter().enumerate() {
        id_place[sym as usize] = k as u32;
    }
    let candidate = |i: usize, s: &State| -> Option<((bool, u32), Candidate)> {
        if !feeder(s) {
            return None;
        }
        let (e, obstacles) = promotion::obstacles(s, to, on, &policy).ok()?;
        let eligible_from = promotion::eligible_from_obstacles(s, to, on, &obstacles, &policy);
        let cadre_id = states.ids.resolve(i as u32);
        let time = crate::explain::time_counted(s, &e, &policy);
        let profile = profiles.ids.get(cadre_id);
        let rec = profile.and_then(|i| profiles.recs.get(i as usize));
        let training = crate::explain::training_hours(s, rec, on, &policy);
        let (points_rank, points) = profile
            .and_then(|i| ranking.place(i))
            .map_or((None, 0.0), |(r, p)| (Some(r), p));
        let key = (!obstacles.is_empty(), points_rank.unwrap_or(u32::MAX));
        Some((
            key,
            Candidate {
                cadre_id: cadre_id.to_owned(),
                name: s.name.clone(),
                unit_id: s.unit_id.clone(),
                rank: s.rank,
                leadership_level: s.leadership_level,
                obstacles,
                eligible_from,
                served_months: e.served_months,
                counted_months: e.counted_months,
                required_months: e.required_months,
                points,
                points_rank,
                time,
                training,
            },
        ))
    };
    // Every cadre is looked at on its own, so a large district's cadres are shared among the
    // pool's threads a chunk at a time. Each part counts its feeders first, so its lists are
    // allocated once at their size, and keeps its candidates apart from their sort keys.
    let parts = parallel_chunks(&states.states, |first, chunk| {
        let feeders = chunk.iter().filter(|s| feeder(s)).count();
        let mut keys = Vec::with_capacity(feeders);
        let mut list = Vec::with_capacity(feeders);
        for (j, s) in chunk.iter().enumerate() {
            if let Some(((ineligible, place), c)) = candidate(first + j, s) {
                keys.push((ineligible, place, id_place[first + j]));
                list.push(c);
            }
        }
        (keys, list)
    });
    let (mut keys, found) = place_parts(parts);
    // Sorted on the small keys; the candidates stay where they were found.
    keys.sort_unstable();
    let order: Vec<Place> = keys.iter().map(|k| k.1).collect();
    let eligible = found.iter().flatten().filter(|c| c.eligible()).count();
    let quota = models
        .promotion
        .model
        .years
        .get()
        .get(&on.year())
        .map(|q| QuotaLeft {
            year: on.year(),
            size: q.size,
            used: q.used(),
            left: q.left(),
        });
    Some(Candidates {
        to,
        on,
        from: step.from,
        equivalent: step.equivalent,
        found,
        order,
        eligible,
        quota,
    })
}

/// The cadres [`parallel_chunks`] hands to a thread at a time: enough to outweigh the hand-over,
/// few enough that a thread held up by other work leaves the rest to the others.
const CHUNK: usize = 2048;

/// `f` over consecutive chunks of `items` of [`CHUNK`] items (each with the index of its first
/// item), shared among the threads of the process's pool, the results in chunk order. The
/// pool's threads live on, so the memory a list frees is reused by the next one instead of
/// being asked of the system again; and as each thread takes the next chunk when it is done,
/// a core busy with something else delays the list by a chunk, not by half of it.
fn parallel_chunks<T: Sync, R: Send>(items: &[T], f: impl Fn(usize, &[T]) -> R + Sync) -> Vec<R> {
    use rayon::prelude::*;
    if items.len() <= CHUNK {
        return vec![f(0, items)];
    }
    items
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(k, chunk)| f(k * CHUNK, chunk))
        .collect()
}

/// Where an item of [`parallel_chunks`]'s parts lies: (part, index in the part).
type Place = (u32, u32);

/// Split the parts of [`parallel_chunks`], each its items' keys beside the items themselves:
/// every key with its item's place (part, index in the part), and the parts' items as they are.
fn place_parts<K, T>(parts: Vec<(Vec<K>, Vec<T>)>) -> (Vec<(K, Place)>, Vec<Vec<T>>) {
    let total = parts.iter().map(|(k, _)| k.len()).sum();
    let mut keys = Vec::with_capacity(total);
    let mut items = Vec::with_capacity(parts.len());
    for (part, (part_keys, list)) in parts.into_iter().enumerate() {
        keys.extend(
            part_keys
                .into_iter()
                .enumerate()
                .map(|(i, k)| (k, (part as u32, i as u32))),
        );
        items.push(list);
    }
    (keys, items)
}

/// A list's key: the models' position, the date, the target rank.
pub type CandidatesKey = (u64, NaiveDate, Rank);

/// The last candidate lists computed, each valid while the models stay at its position.
#[derive(Debug, Default)]
pub struct CandidatesCache {
    kept: Vec<(CandidatesKey, Arc<Option<Candidates>>)>,
}

/// How many candidate lists are kept (a list of a 100,000-cadre district holds tens of megabytes;
/// a user paging through one list, or comparing two dates or ranks, needs a few).
pub const CANDIDATES_KEPT: usize = 4;

impl CandidatesCache {
    /// The list kept for (`position`, `on`, `to`), or `compute`'s, which is then kept.
    pub fn get_or(
        &mut self,
        key: CandidatesKey,
        compute: impl FnOnce() -> Option<Candidates>,
    ) -> Arc<Option<Candidates>> {
        if let Some((_, v)) = self.kept.iter().find(|(k, _)| *k == key) {
            return v.clone();
        }
        let value = Arc::new(compute());
        // Lists of another position, and the oldest beyond the limit, are freed off this path.
        let (kept, mut evicted): (Vec<_>, Vec<_>) = std::mem::take(&mut self.kept)
            .into_iter()
            .partition(|(k, _)| k.0 == key.0);
        self.kept = kept;
        if self.kept.len() >= CANDIDATES_KEPT {
            evicted.push(self.kept.remove(0));
        }
        if !evicted.is_empty() {
            crate::discard::drop_later(evicted);
        }
        self.kept.push((key, value.clone()));
        value
    }
}

#[cfg(test)]
mod tests {
    use super::{CHUNK, parallel_chunks, place_parts};

    #[test]
    fn parallel_chunks_cover_every_item_once_in_order_with_its_index() {
        for n in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, CHUNK * 3 + 7] {
            let items: Vec<usize> = (0..n).map(|i| i * 3).collect();
            let parts = parallel_chunks(&items, |first, chunk| {
                chunk
                    .iter()
                    .enumerate()
                    .map(|(j, v)| (first + j, *v))
                    .collect::<Vec<_>>()
            });
            let joined: Vec<(usize, usize)> = parts.into_iter().flatten().collect();
            let want: Vec<(usize, usize)> = items.iter().map(|v| (v / 3, *v)).collect();
            assert_eq!(joined, want, "{n} items");
        }
    }

    #[test]
    fn placed_parts_name_every_item_by_part_and_index() {
        let parts = vec![
            (vec![], vec![]),
            (vec!['a', 'b'], vec![10, 11]),
            (vec![], vec![]),
            (vec!['c'], vec![12]),
        ];
        let (keys, items) = place_parts(parts);
        assert_eq!(keys, vec![('a', (1, 0)), ('b', (1, 1)), ('c', (3, 0))]);
        for (_, (part, i)) in &keys {
            assert!(items[*part as usize].get(*i as usize).is_some());
        }
        assert_eq!(items[1], vec![10, 11]);
        assert_eq!(items[3], vec![12]);
    }
}
