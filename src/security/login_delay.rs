//! Slowing down password guessing on one account without handing anyone a lever to lock its
//! owner out. After a few wrong passwords in a row, each next attempt has to wait, and the
//! wait doubles with every further failure up to a cap. An attempt made during the wait is
//! refused without looking at the password and without counting; once the wait is over the
//! right password works again, whoever typed the wrong ones. A quiet period forgets the
//! failures. (The per-address limit, kept in memory, is `domain::throttle`.)

/// How long failed logins slow an account down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DelayPolicy {
    /// Failures in a row that cost nothing; the wait starts after the last of them.
    pub free_failures: u32,
    /// The wait after the first failure that costs something, in seconds; then it doubles.
    pub first_delay: i64,
    /// The longest wait, in seconds.
    pub max_delay: i64,
    /// Failures are forgotten after this many seconds without one.
    pub forget_after: i64,
}

impl DelayPolicy {
    /// Per account: four free failures, then 2 s after the fifth, 4 s after the sixth, …,
    /// at most 5 minutes; forgotten after an hour without failures. A guesser gets at most
    /// about 300 guesses a day at one account (the old lockout allowed 480), and its owner
    /// waits at most 5 minutes.
    pub const ACCOUNT: DelayPolicy = DelayPolicy {
        free_failures: 4,
        first_delay: 2,
        max_delay: 5 * 60,
        forget_after: 3600,
    };

    /// The wait after `failures` failures in a row, in seconds (0: none).
    pub fn delay(&self, failures: u32) -> i64 {
        match failures.checked_sub(self.free_failures + 1) {
            None => 0,
            Some(doublings) => self
                .first_delay
                .saturating_mul(1_i64 << doublings.min(32))
                .min(self.max_delay),
        }
    }
}

/// The failed logins of one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FailedLogins {
    /// Failures in a row (since the last success or quiet period).
    pub count: u32,
    /// When the latest failure was (Unix seconds).
    pub last_failure: i64,
    /// No attempt is taken before this time.
    pub next_attempt: Option<i64>,
}

impl FailedLogins {
    /// Seconds to wait before an attempt is taken, if it has to wait now.
    pub fn wait(&self, now: i64) -> Option<i64> {
        self.next_attempt.filter(|at| *at > now).map(|at| at - now)
    }

    /// The state after one more failed attempt at `now` (an attempt that did not have to wait).
    pub fn after_failure(self, now: i64, policy: DelayPolicy) -> FailedLogins {
        let count = if self.count > 0 && now - self.last_failure < policy.forget_after {
            self.count.saturating_add(1)
        } else {
            1
        };
        let delay = policy.delay(count);
        FailedLogins {
            count,
            last_failure: now,
            next_attempt: (delay > 0).then_some(now + delay),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: DelayPolicy = DelayPolicy::ACCOUNT;

    #[test]
    fn the_wait_starts_after_the_fifth_failure_and_doubles_up_to_the_cap() {
        let waits: Vec<i64> = (1..=15).map(|n| P.delay(n)).collect();
        assert_eq!(
            waits,
            [0, 0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]
        );
        assert_eq!(P.delay(u32::MAX), 300);
        assert_eq!(P.delay(0), 0);
    }

    #[test]
    fn after_the_wait_the_next_attempt_is_taken() {
        let mut f = FailedLogins::default();
        for t in 1000..1004 {
            assert_eq!(f.wait(t), None);
            f = f.after_failure(t, P);
        }
        assert_eq!(f.wait(1004), None);
        f = f.after_failure(1004, P);
        assert_eq!(f.count, 5);
        assert_eq!(f.wait(1004), Some(2));
        assert_eq!(f.wait(1005), Some(1));
        assert_eq!(f.wait(1006), None);
        f = f.after_failure(1006, P);
        assert_eq!(f.wait(1006), Some(4));
        assert_eq!(f.wait(1010), None);
    }

    #[test]
    fn a_quiet_hour_forgets_the_failures() {
        let mut f = FailedLogins::default();
        for t in 0..6 {
            f = f.after_failure(t * 10, P);
        }
        assert_eq!(f.count, 6);
        f = f.after_failure(50 + 3600, P);
        assert_eq!(f.count, 1);
        assert_eq!(f.wait(50 + 3600), None);
    }

    #[test]
    fn a_steady_guesser_gets_about_three_hundred_guesses_a_day() {
        let (mut f, mut t, mut guesses) = (FailedLogins::default(), 0, 0);
        while t < 24 * 3600 {
            match f.wait(t) {
                Some(wait) => t += wait,
                None => {
                    f = f.after_failure(t, P);
                    guesses += 1;
                }
            }
        }
        assert!((280..=300).contains(&guesses), "{guesses}");
    }
}
