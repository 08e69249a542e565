//! The case lists (appeals, supervision leads, monthly bulletins, training classes, forum cycles): every stream of those kinds folded by the domain's own `evolve`, kept in id order, and read a page at a time by cursor.
//!
//! A list's cursor is the entity id of an item (`a1`, `2025-03`, …): it does not move when
//! other items are added, so a client that feeds an `endCursor` back as `after` gets the next
//! page whatever was appended meanwhile. Which items a caller may see is the caller's filter,
//! applied before counting and paging, so `total_count` and the cursors speak only of those.

use std::collections::BTreeMap;

use dossier_domain::{Aggregate, Event, appeal, bulletin, forum, lead, training};
use serde::{Deserialize, Serialize};

use crate::{envelope::Envelope, model::ReadModel};

/// Every appeal, lead, bulletin, training class and forum stream, folded, by entity id.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct CaseLists {
    pub appeals: BTreeMap<String, appeal::State>,
    pub leads: BTreeMap<String, lead::State>,
    pub bulletins: BTreeMap<String, bulletin::State>,
    pub classes: BTreeMap<String, training::State>,
    pub forums: BTreeMap<String, forum::State>,
}

/// Fold one event of an `A` stream into that stream's state, kept under its entity id.
fn fold<A: Aggregate>(states: &mut BTreeMap<String, A::State>, id: &str, event: &A::Event) {
    match states.get_mut(id) {
        Some(state) => A::evolve(state, event),
        None => {
            let mut state = A::State::default();
            A::evolve(&mut state, event);
            states.insert(id.to_owned(), state);
        }
    }
}

impl ReadModel for CaseLists {
    const NAME: &'static str = "case_lists";
    // 3: a class's enrolments keep the hours of each session date (`training::Enrolment`).
    const VERSION: u32 = 3;

    fn apply(&mut self, env: &Envelope<'_>) {
        let id = env.entity_id();
        match env.event {
            Event::Appeal(e) => fold::<appeal::Aggregate>(&mut self.appeals, id, e),
            Event::Lead(e) => fold::<lead::Aggregate>(&mut self.leads, id, e),
            Event::Bulletin(e) => fold::<bulletin::Aggregate>(&mut self.bulletins, id, e),
            // A class's listing reads its enrolments, completions and closing, never its
            // sessions: attendance (most of a class's events) is not folded, so the states
            // stay small and a rebuild does not pay for it.
            Event::Training(training::Event::AttendanceRecorded(_)) => {}
            Event::Training(e) => fold::<training::Aggregate>(&mut self.classes, id, e),
            Event::Forum(e) => fold::<forum::Aggregate>(&mut self.forums, id, e),
            _ => {}
        }
    }
}

/// Which page of a list to read (Relay: `first`/`after` forward, `last`/`before` backward).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageRequest {
    pub first: Option<usize>,
    pub after: Option<String>,
    pub last: Option<usize>,
    pub before: Option<String>,
}

/// A page of a list: the items with their cursors, whether there is more on either side,
/// and how many items the caller may see in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<(String, T)>,
    pub has_previous: bool,
    pub has_next: bool,
    pub total_count: usize,
}

/// A cursor that names no item the caller may see.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown cursor {0:?}")]
pub struct UnknownCursor(pub String);

/// The page `request` asks for of `states`, counting only the states `select` admits (and
/// what of them it picks), each shown by `show` (run on the page's items only). With neither
/// `first` nor `last`, the whole range between the cursors.
pub fn page<'a, S, V: Copy, T>(
    states: &'a BTreeMap<String, S>,
    request: &PageRequest,
    select: impl Fn(&'a S) -> Option<V>,
    show: impl Fn(&str, V) -> T,
) -> Result<Page<T>, UnknownCursor> {
    let visible: Vec<(&String, V)> = states
        .iter()
        .filter_map(|(id, s)| select(s).map(|v| (id, v)))
        .collect();
    let locate = |cursor: &String| {
        visible
            .binary_search_by(|(id, _)| id.as_str().cmp(cursor.as_str()))
            .map_err(|_| UnknownCursor(cursor.clone()))
    };
    let mut start = match &request.after {
        Some(c) => locate(c)? + 1,
        None => 0,
    };
    let mut end = match &request.before {
        Some(c) => locate(c)?,
        None => visible.len(),
    };
    if start > end {
        start = end;
    }
    if let Some(first) = request.first {
        end = end.min(start + first);
    }
    if let Some(last) = request.last {
        start = start.max(end.saturating_sub(last));
    }
    Ok(Page {
        items: visible[start..end]
            .iter()
            .map(|(id, v)| ((*id).clone(), show(id, *v)))
            .collect(),
        has_previous: start > 0,
        has_next: end < visible.len(),
        total_count: visible.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(n: usize) -> BTreeMap<String, usize> {
        (0..n).map(|i| (format!("a{i:03}"), i)).collect()
    }

    fn ids(p: &Page<usize>) -> Vec<usize> {
        p.items.iter().map(|(_, v)| *v).collect()
    }

    #[test]
    fn forward_pages_follow_end_cursors_to_the_end() {
        let l = list(7);
        let mut after = None;
        let mut seen = Vec::new();
        loop {
            let req = PageRequest {
                first: Some(3),
                after: after.clone(),
                ..Default::default()
            };
            let p = page(&l, &req, Some, |_, v| *v).unwrap();
            assert_eq!(p.total_count, 7);
            assert_eq!(p.has_previous, after.is_some());
            seen.extend(ids(&p));
            if !p.has_next {
                break;
            }
            after = p.items.last().map(|(c, _)| c.clone());
        }
        assert_eq!(seen, (0..7).collect::<Vec<_>>());
    }

    #[test]
    fn backward_pages_and_ranges_between_cursors() {
        let l = list(7);
        let req = PageRequest {
            last: Some(2),
            before: Some("a005".into()),
            ..Default::default()
        };
        let p = page(&l, &req, Some, |_, v| *v).unwrap();
        assert_eq!(ids(&p), vec![3, 4]);
        assert!(p.has_previous && p.has_next);
        let req = PageRequest {
            after: Some("a001".into()),
            before: Some("a004".into()),
            ..Default::default()
        };
        assert_eq!(ids(&page(&l, &req, Some, |_, v| *v).unwrap()), vec![2, 3]);
        let crossed = PageRequest {
            after: Some("a004".into()),
            before: Some("a001".into()),
            ..Default::default()
        };
        assert!(
            page(&l, &crossed, Some, |_, v| *v)
                .unwrap()
                .items
                .is_empty()
        );
    }

    #[test]
    fn cursors_are_stable_when_items_are_added_and_hidden_ones_are_unknown() {
        let mut l = list(4);
        let req = PageRequest {
            first: Some(2),
            ..Default::default()
        };
        let p = page(&l, &req, Some, |_, v| *v).unwrap();
        let end = p.items.last().unwrap().0.clone();
        l.insert("a000a".into(), 100);
        let next = PageRequest {
            first: Some(2),
            after: Some(end),
            ..Default::default()
        };
        assert_eq!(ids(&page(&l, &next, Some, |_, v| *v).unwrap()), vec![2, 3]);
        // Only the even ones are visible: an odd id is no cursor, and the count is theirs.
        let even = |v: &usize| v.is_multiple_of(2).then_some(*v);
        let p = page(&l, &PageRequest::default(), even, |_, v| v).unwrap();
        assert_eq!(p.total_count, 3);
        let bad = PageRequest {
            after: Some("a001".into()),
            ..Default::default()
        };
        assert_eq!(
            page(&l, &bad, even, |_, v| v).unwrap_err(),
            UnknownCursor("a001".into())
        );
    }
}
