//! The process's own resource use, from `getrusage(RUSAGE_SELF)`: CPU time
//! (user + system, all threads; DynamoDB Local is another process and is not
//! counted) and peak resident memory.

use std::time::Duration;

/// CPU time this process used so far (user + system).
pub fn cpu_time() -> Duration {
    let usage = rusage();
    to_duration(usage.ru_utime) + to_duration(usage.ru_stime)
}

/// What the kernel counted for this process so far: CPU time split into
/// user and system, page faults and context switches. System time, page
/// faults and wake-ups are what an instruction count (callgrind counts user
/// instructions on one thread) does not show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Events {
    /// CPU time in user mode.
    pub user: Duration,
    /// CPU time in the kernel (page faults, system calls, scheduling).
    pub system: Duration,
    /// Page faults served without I/O (first touch of fresh memory).
    pub minor_faults: u64,
    /// Context switches because a thread waited (parked, blocked).
    pub voluntary_switches: u64,
    /// Context switches because a thread was preempted.
    pub involuntary_switches: u64,
}

impl Events {
    /// The events counted so far.
    pub fn now() -> Self {
        let usage = rusage();
        let count = |n: libc::c_long| u64::try_from(n).unwrap_or(0);
        Events {
            user: to_duration(usage.ru_utime),
            system: to_duration(usage.ru_stime),
            minor_faults: count(usage.ru_minflt),
            voluntary_switches: count(usage.ru_nvcsw),
            involuntary_switches: count(usage.ru_nivcsw),
        }
    }

    /// The events between `earlier` and `self`.
    pub fn since(self, earlier: Events) -> Self {
        Events {
            user: self.user.saturating_sub(earlier.user),
            system: self.system.saturating_sub(earlier.system),
            minor_faults: self.minor_faults.saturating_sub(earlier.minor_faults),
            voluntary_switches: self
                .voluntary_switches
                .saturating_sub(earlier.voluntary_switches),
            involuntary_switches: self
                .involuntary_switches
                .saturating_sub(earlier.involuntary_switches),
        }
    }
}

impl std::ops::AddAssign for Events {
    fn add_assign(&mut self, other: Events) {
        self.user += other.user;
        self.system += other.system;
        self.minor_faults += other.minor_faults;
        self.voluntary_switches += other.voluntary_switches;
        self.involuntary_switches += other.involuntary_switches;
    }
}

/// The peak resident set size of this process so far, in KiB.
pub fn max_rss_kib() -> u64 {
    // Linux reports KiB, macOS bytes.
    let raw = u64::try_from(rusage().ru_maxrss).unwrap_or(0);
    if cfg!(target_os = "macos") {
        raw / 1024
    } else {
        raw
    }
}

fn rusage() -> libc::rusage {
    // SAFETY: getrusage only writes the struct it is given, which is
    // zero-initialised plain data.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    }
}

fn to_duration(time: libc::timeval) -> Duration {
    let secs = u64::try_from(time.tv_sec).unwrap_or(0);
    let micros = u32::try_from(time.tv_usec).unwrap_or(0);
    Duration::from_secs(secs) + Duration::from_micros(u64::from(micros))
}
