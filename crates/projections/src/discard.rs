//! Large kept values dropped off the request path: an evicted candidate list or dated fold is freed on a thread of its own.
//!
//! A list of a 100,000-cadre district holds hundreds of thousands of allocations, and a dated
//! fold is a whole set of read models; freeing one where a cache evicts it would add its cost
//! to the request that happened to compute the next value.

/// Drop `value` on a background thread. If no thread can be started, the closure holding it is
/// dropped by the failed spawn, and with it the value, inline.
pub fn drop_later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("dossier-discard".into())
        .spawn(move || drop(value));
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex, mpsc};

    /// Reports on a channel when dropped, and on which thread.
    struct Noisy(Mutex<mpsc::Sender<std::thread::ThreadId>>);

    impl Drop for Noisy {
        fn drop(&mut self) {
            if let Ok(tx) = self.0.lock() {
                let _ = tx.send(std::thread::current().id());
            }
        }
    }

    #[test]
    fn a_value_is_dropped_once_on_another_thread() {
        let (tx, rx) = mpsc::channel();
        let value = Arc::new(Noisy(Mutex::new(tx)));
        super::drop_later(value);
        let on = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("dropped");
        assert_ne!(on, std::thread::current().id());
        assert!(
            rx.recv_timeout(std::time::Duration::from_millis(50))
                .is_err()
        );
    }
}
