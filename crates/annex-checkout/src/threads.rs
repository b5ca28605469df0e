//! How many threads a walk or a parse may start.

/// The thread count a run uses, and what the user asked for when it was capped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadChoice {
    /// Threads to start (at least 1).
    pub threads: usize,
    /// The request, when it was above [`ThreadChoice::max`] and was lowered.
    pub capped_from: Option<usize>,
    /// The cap: four threads per core.
    pub max: usize,
}

/// `requested` threads (0: one per core), capped at four per core: more only adds context
/// switches and memory, and `--threads 100000` would otherwise start that many.
pub fn choose_threads(requested: usize) -> ThreadChoice {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let max = cores.saturating_mul(4).max(1);
    match requested {
        0 => ThreadChoice {
            threads: cores,
            capped_from: None,
            max,
        },
        n if n > max => ThreadChoice {
            threads: max,
            capped_from: Some(n),
            max,
        },
        n => ThreadChoice {
            threads: n,
            capped_from: None,
            max,
        },
    }
}

/// Run `worker` on up to `threads` scoped threads, which share their work through the
/// state `worker` captures (a queue, an atomic index). A thread the system refuses (a
/// process or memory limit) is not started, never a panic; when none starts, `worker` runs
/// on the calling thread. Returns how many threads ran it.
pub fn run_workers<F: Fn() + Sync>(threads: usize, worker: F) -> usize {
    run_workers_with(threads, std::thread::Builder::new, worker)
}

fn run_workers_with<F: Fn() + Sync>(
    threads: usize,
    builder: impl Fn() -> std::thread::Builder,
    worker: F,
) -> usize {
    std::thread::scope(|s| {
        let mut started = 0;
        for _ in 0..threads {
            if builder().spawn_scoped(s, &worker).is_err() {
                break;
            }
            started += 1;
        }
        if started == 0 {
            worker();
            started = 1;
        }
        started
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn drain(counter: &AtomicUsize, done: &AtomicUsize) {
        while counter.fetch_add(1, Ordering::Relaxed) < 1000 {
            done.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[test]
    fn workers_share_the_work() {
        let (next, done) = (AtomicUsize::new(0), AtomicUsize::new(0));
        assert_eq!(run_workers(3, || drain(&next, &done)), 3);
        assert_eq!(done.into_inner(), 1000);
    }

    /// Issue 16 item 13: a thread the system cannot start (here: a stack no machine can
    /// map) is skipped and the work still done, on the calling thread; `thread::scope`'s
    /// `spawn` panicked instead.
    #[test]
    fn refused_threads_fall_back_to_the_caller() {
        let (next, done) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let refused = || std::thread::Builder::new().stack_size(usize::MAX / 2);
        assert_eq!(run_workers_with(4, refused, || drain(&next, &done)), 1);
        assert_eq!(done.into_inner(), 1000);
    }

    #[test]
    fn huge_requests_are_capped_and_reported() {
        let c = choose_threads(100_000);
        assert_eq!(c.threads, c.max);
        assert_eq!(c.capped_from, Some(100_000));
        let one = choose_threads(1);
        assert_eq!((one.threads, one.capped_from), (1, None));
        assert!(choose_threads(0).threads >= 1);
    }
}
