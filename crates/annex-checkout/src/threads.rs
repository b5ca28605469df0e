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

#[cfg(test)]
mod tests {
    use super::*;

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
