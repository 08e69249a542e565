//! The bitemporal law of dashboards, for random valid histories whose effective dates are not in
//! log order: `dashboards(asOf: D, knownAt: P)` equals the dashboards of a fresh fold of only the
//! events effective on or before D and recorded at or before P.

use chrono::{Duration, NaiveDate};
use dossier_projections::{
    Models, Projections, dashboards::dated::DatedDashboards, runner::apply_recorded,
};
use dossier_store::RecordedEvent;
use proptest::prelude::*;

use super::{
    common::*,
    laws::{Counters, Op, op, record, setup},
};

/// The dashboards of a fresh fold of the events effective on or before `on` and recorded at or
/// before `known_at`, event by event (no replay pipeline, no cache, no live models).
fn fresh(events: &[RecordedEvent], on: NaiveDate, known_at: u64) -> DatedDashboards {
    DatedDashboards::of(&fold(events, on, known_at), on, known_at)
}

/// Every model, folded fresh from the events effective on or before `on` and recorded at or
/// before `known_at`.
fn fold(events: &[RecordedEvent], on: NaiveDate, known_at: u64) -> Models {
    let mut models = Models::default();
    for e in events
        .iter()
        .filter(|e| e.position <= known_at && e.effective_at <= on)
    {
        apply_recorded(&mut models, e);
    }
    models
}

/// Ask `p` for each (date, position) and compare with the fresh fold of that slice.
async fn check(p: &Projections, events: &[RecordedEvent], asks: &[(NaiveDate, Option<u64>)]) {
    let head = events.last().map_or(0, |e| e.position);
    for &(on, known_at) in asks {
        let got = p.dashboards(on, known_at).await.expect("dashboards");
        let slice = known_at.map_or(head, |k| k.min(head));
        let want = fresh(events, on, slice);
        assert_eq!(got.position, slice, "as of {on}, known at {known_at:?}");
        assert_eq!(
            got.figures, want.figures,
            "figures as of {on}, known at {known_at:?}"
        );
        assert_eq!(got.training, want.training, "training as of {on}");
        assert_eq!(got.care, want.care, "care as of {on}");
        assert_eq!(got.log, want.log, "log as of {on}");
        // Asked again (from what was kept), the same answer.
        let again = p.dashboards(on, known_at).await.expect("dashboards");
        assert_eq!(again.figures, got.figures, "kept answer as of {on}");
        // A read of the same slice that needs every model (a candidate list reads the cadre
        // states, which the dashboards' fold leaves out) folds them all.
        let states = p
            .read_as_of(on, known_at, |m| {
                (
                    m.is_whole(),
                    serde_json::to_value(&m.cadre_states.model.states).ok(),
                )
            })
            .await
            .expect("read as of");
        let whole = fold(events, on, slice);
        assert_eq!(
            states,
            (
                true,
                serde_json::to_value(&whole.cadre_states.model.states).ok()
            ),
            "cadre states as of {on}, known at {known_at:?}, after the dashboards"
        );
    }
}

/// Dates and positions to ask about: before everything, inside the history (picked), the
/// latest effective date (the live models answer), and positions inside the log.
fn asks(events: &[RecordedEvent], picks: &[(u16, u16)]) -> Vec<(NaiveDate, Option<u64>)> {
    let (Some(first), Some(last)) = (
        events.iter().map(|e| e.effective_at).min(),
        events.iter().map(|e| e.effective_at).max(),
    ) else {
        return Vec::new();
    };
    let head = events.last().map_or(0, |e| e.position);
    let span = (last - first).num_days().max(1);
    let mut out = vec![
        (first - Duration::days(1), None),
        (last, None),
        (last + Duration::days(30), None),
        (last, Some(head / 2)),
    ];
    for &(date, position) in picks {
        let on = first + Duration::days(i64::from(date) * span / 1000);
        out.push((on, None));
        out.push((on, Some(u64::from(position) * head / 1000)));
    }
    out
}

async fn run(ops: Vec<(Op, u16)>, more: Vec<(Op, u16)>, picks: Vec<(u16, u16)>) {
    let mut env = Env::new().await;
    let (live, _task) = env.start().await;
    let mut day = d(2019, 2, 1);
    let mut counters = Counters::default();
    setup(&mut env).await;
    record(&mut env, &live, &mut day, &mut counters, ops).await;
    let head = env.store().head().await.expect("head");
    live.wait_for(head, WAIT).await.expect("live caught up");
    let events = env.store().read_all(0, usize::MAX).await.expect("log");
    let asked = asks(&events, &picks);
    check(&live, &events, &asked).await;

    // More history: the folds kept for past dates advance with it and stay exact.
    record(&mut env, &live, &mut day, &mut counters, more).await;
    let head = env.store().head().await.expect("head");
    live.wait_for(head, WAIT).await.expect("live caught up");
    let events = env.store().read_all(0, usize::MAX).await.expect("log");
    let mut again: Vec<(NaiveDate, Option<u64>)> =
        asked.iter().map(|(on, _)| (*on, None)).collect();
    again.extend(asks(&events, &picks));
    check(&live, &events, &again).await;
}

/// Requests for dashboards of past dates that arrive together take turns: each slice is folded
/// once (a request that waited for the same slice finds the answer kept), and each gets the
/// answer it would have got alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_for_past_dates_at_once_fold_each_slice_once_and_agree_with_a_fresh_fold() {
    let mut env = Env::new().await;
    let (live, _task) = env.start().await;
    let mut day = d(2019, 2, 1);
    let mut counters = Counters::default();
    setup(&mut env).await;
    let mut ops = Vec::new();
    for i in 0..5 {
        // Grades recorded late (effective up to months before their day), then hours.
        ops.push((
            Op::Grade {
                cadre: i,
                year: 2019,
                grade: None,
            },
            (i as u16) * 40,
        ));
        ops.push((
            Op::Class {
                kind: i % 2 == 0,
                method: i,
            },
            0,
        ));
        ops.push((
            Op::Attend {
                class: i % 3,
                cadre: i,
                hours: 4,
            },
            0,
        ));
        ops.push((Op::Appoint { cadre: i, post: i }, 0));
    }
    record(&mut env, &live, &mut day, &mut counters, ops).await;
    let head = env.store().head().await.expect("head");
    live.wait_for(head, WAIT).await.expect("live caught up");
    let events = env.store().read_all(0, usize::MAX).await.expect("log");
    let first = events.iter().map(|e| e.effective_at).min().expect("events");
    let dates = [
        first + Duration::days(20),
        first + Duration::days(60),
        first + Duration::days(100),
    ];
    let before = live.dated_folds();

    // Two requests for each date, all at once.
    let asks: Vec<NaiveDate> = dates.iter().chain(dates.iter()).copied().collect();
    let requests: Vec<_> = asks
        .iter()
        .map(|&on| {
            let live = live.clone();
            tokio::spawn(async move { live.dashboards(on, None).await })
        })
        .collect();
    let mut answers = Vec::new();
    for request in requests {
        answers.push(request.await);
    }

    let after = live.dated_folds();
    assert_eq!(after.runs - before.runs, 3, "one fold for each date asked");
    assert_eq!(after.waiting, 0, "nobody is left waiting");
    for (on, answer) in asks.iter().zip(answers) {
        let answer = answer.expect("request ran").expect("dashboards");
        let want = fresh(&events, *on, head);
        assert_eq!(answer.figures, want.figures, "figures as of {on}");
        assert_eq!(answer.care, want.care, "care as of {on}");
    }
}

fn dated_op() -> impl Strategy<Value = (Op, u16)> {
    // A third of the facts are recorded late: effective up to about a year before their day.
    (op(), prop_oneof![2 => Just(0u16), 1 => 0..400u16])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, max_shrink_iters: 64, ..ProptestConfig::default() })]

    #[test]
    fn dashboards_as_of_a_date_as_known_at_a_position_equal_a_fresh_fold_of_that_slice(
        ops in proptest::collection::vec(dated_op(), 1..40),
        more in proptest::collection::vec(dated_op(), 0..12),
        picks in proptest::collection::vec((0..1000u16, 0..1000u16), 1..4),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(run(ops, more, picks));
    }
}
