//! Slowing down password guessing: after `max_failures` failed logins within `window`
//! seconds, further attempts are refused for `block` seconds. The same rule serves the
//! per-account counter (in the database, shared by instances) and the per-address counter
//! (in memory only, because addresses are never stored).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub max_failures: u32,
    pub window: i64,
    pub block: i64,
}

impl ThrottlePolicy {
    /// Wrong passwords per address: more room, since several colleagues may share one office
    /// address. (Per account there is no block, only growing waits: security::login_delay.)
    pub const ADDRESS: ThrottlePolicy = ThrottlePolicy {
        max_failures: 20,
        window: 15 * 60,
        block: 15 * 60,
    };
}

impl ThrottlePolicy {
    /// Wrong withdrawal and resume codes per address: a typo or two is normal, a series is
    /// guessing. Codes have about 60 bits, so this only has to make guessing slow.
    pub const CODE: ThrottlePolicy = ThrottlePolicy {
        max_failures: 10,
        window: 15 * 60,
        block: 15 * 60,
    };
}

/// At most `max` uses per `window` seconds (stories stored from one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub max: u32,
    pub window: i64,
}

/// Uses counted in the current fixed window. Only what succeeded is counted: a refused or
/// mistyped form costs nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WindowCount {
    pub count: u32,
    pub window_start: i64,
}

impl WindowCount {
    /// Seconds until one more use is allowed, or `None` when it is allowed now.
    pub fn wait(&self, now: i64, quota: Quota) -> Option<i64> {
        let window_end = self.window_start + quota.window;
        (now < window_end && self.count >= quota.max).then_some(window_end - now)
    }

    /// The count after one more use at `now`.
    pub fn after_use(self, now: i64, quota: Quota) -> WindowCount {
        if now - self.window_start >= quota.window {
            WindowCount {
                count: 1,
                window_start: now,
            }
        } else {
            WindowCount {
                count: self.count.saturating_add(1),
                ..self
            }
        }
    }
}

/// Failed attempts of one account or address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Failures {
    pub count: u32,
    pub window_start: i64,
    pub blocked_until: Option<i64>,
}

impl Failures {
    /// Seconds until attempts are allowed again, if blocked now.
    pub fn blocked_for(&self, now: i64) -> Option<i64> {
        self.blocked_until
            .filter(|until| *until > now)
            .map(|until| until - now)
    }

    /// The state after one more failure at `now`.
    pub fn after_failure(self, now: i64, policy: ThrottlePolicy) -> Failures {
        let fresh_window = now - self.window_start >= policy.window
            || self.blocked_until.is_some_and(|until| until <= now);
        let (count, window_start) = if fresh_window {
            (1, now)
        } else {
            (self.count.saturating_add(1), self.window_start)
        };
        let blocked_until = if count >= policy.max_failures {
            Some(now + policy.block)
        } else {
            self.blocked_until.filter(|until| *until > now)
        };
        Failures {
            count,
            window_start,
            blocked_until,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: ThrottlePolicy = ThrottlePolicy {
        max_failures: 3,
        window: 100,
        block: 50,
    };

    #[test]
    fn a_quota_counts_uses_per_window() {
        let quota = Quota {
            max: 3,
            window: 600,
        };
        let mut c = WindowCount::default();
        for t in [1000, 1001, 1002] {
            assert_eq!(c.wait(t, quota), None);
            c = c.after_use(t, quota);
        }
        assert_eq!(c.wait(1003, quota), Some(597));
        assert_eq!(c.wait(1599, quota), Some(1));
        // A new window starts fresh.
        assert_eq!(c.wait(1600, quota), None);
        c = c.after_use(1600, quota);
        assert_eq!((c.count, c.window_start), (1, 1600));
    }

    #[test]
    fn blocks_after_too_many_failures_in_the_window() {
        let mut f = Failures::default();
        for t in [1000, 1010] {
            f = f.after_failure(t, P);
            assert_eq!(f.blocked_for(t), None);
        }
        f = f.after_failure(1020, P);
        assert_eq!(f.blocked_for(1020), Some(50));
        assert_eq!(f.blocked_for(1069), Some(1));
        assert_eq!(f.blocked_for(1070), None);
    }

    #[test]
    fn old_failures_are_forgotten() {
        let mut f = Failures::default();
        f = f.after_failure(1000, P).after_failure(1001, P);
        f = f.after_failure(1200, P);
        assert_eq!(f.count, 1);
        assert_eq!(f.blocked_for(1200), None);
    }

    #[test]
    fn a_failure_after_the_block_starts_over() {
        let mut f = Failures::default();
        for t in [0, 1, 2] {
            f = f.after_failure(t, P);
        }
        assert!(f.blocked_for(3).is_some());
        f = f.after_failure(60, P);
        assert_eq!(f.count, 1);
        assert_eq!(f.blocked_for(60), None);
    }
}
