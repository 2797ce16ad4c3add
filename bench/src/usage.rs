//! The process's own resource use, from `getrusage(RUSAGE_SELF)`: CPU time
//! (user + system, all threads; DynamoDB Local is another process and is not
//! counted) and peak resident memory.

use std::time::Duration;

/// CPU time this process used so far (user + system).
pub fn cpu_time() -> Duration {
    let usage = rusage();
    to_duration(usage.ru_utime) + to_duration(usage.ru_stime)
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
