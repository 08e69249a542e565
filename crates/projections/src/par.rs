//! Work over many cadres split across the machine's cores: an order-keeping parallel filter-map for the folds that read every profile or cadre state on a date.

/// Below this many items the work stays on the calling thread (a thread costs more than it saves).
const MIN_PER_THREAD: usize = 1_000;

/// `items.iter().filter_map(f).collect()`, the items split in contiguous parts across up to
/// the machine's available cores (scoped threads borrowing `items` and `f`); the output keeps
/// the items' order. A panic in `f` is raised again on the calling thread.
pub fn filter_map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> Option<U> + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len() / MIN_PER_THREAD)
        .max(1);
    if threads == 1 {
        return items.iter().filter_map(&f).collect();
    }
    let part = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(part)
            .map(|chunk| scope.spawn(move || chunk.iter().filter_map(f).collect::<Vec<U>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for handle in parts {
            match handle.join() {
                Ok(v) => out.extend(v),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::filter_map;

    #[test]
    fn keeps_the_order_and_drops_what_f_drops_at_every_size() {
        for n in [0, 1, 999, 1_000, 2_001, 10_007] {
            let items: Vec<u32> = (0..n).collect();
            let got = filter_map(&items, |x| (x % 3 != 0).then_some(x * 2));
            let want: Vec<u32> = items
                .iter()
                .filter(|x| *x % 3 != 0)
                .map(|x| x * 2)
                .collect();
            assert_eq!(got, want, "n = {n}");
        }
    }

    #[test]
    #[should_panic(expected = "boom")]
    fn a_panic_in_f_reaches_the_caller() {
        let items: Vec<u32> = (0..5_000).collect();
        filter_map(&items, |x| {
            if *x == 4_321 {
                panic!("boom")
            } else {
                Some(*x)
            }
        });
    }
}
