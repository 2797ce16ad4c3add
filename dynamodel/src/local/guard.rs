//! Spawning java so that it dies with this process, however this process ends.
//!
//! * Linux: `PR_SET_PDEATHSIG(SIGKILL)`, armed in the child before `exec`; it fires
//!   when the spawning *thread* ends, which is why [`Server`](super::server::Server)
//!   spawns from a thread that lives as long as java does.
//! * Other Unix systems: a small `sh` watchdog reading a pipe only this process
//!   holds; when the pipe closes, the watchdog `kill -9`s java.
//! * Elsewhere: a plain spawn; java may outlive this process.

#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
use std::process::Stdio;
use std::process::{Child, Command};

/// What keeps the out-of-process watchdog armed, if there is one.
#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
pub(super) type Watchdog = Option<std::process::ChildStdin>;
/// What keeps the out-of-process watchdog armed, if there is one.
#[cfg(not(all(unix, not(any(target_os = "linux", target_os = "android")))))]
pub(super) type Watchdog = ();

/// Spawns `command` so that it dies with this process (Linux: parent-death signal).
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(super) fn spawn_guarded(mut command: Command) -> std::io::Result<(Child, Watchdog)> {
    use std::os::unix::process::CommandExt;
    // SAFETY: `getpid` is async-signal-safe and called before the fork.
    let parent = unsafe { libc::getpid() };
    // SAFETY: the closure runs in the forked child before exec and only calls
    // async-signal-safe functions (`prctl`, `getppid`) without allocating.
    unsafe {
        command.pre_exec(move || {
            if libc::prctl(
                libc::PR_SET_PDEATHSIG,
                libc::SIGKILL as libc::c_ulong,
                0,
                0,
                0,
            ) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            // The parent may have died before the signal was armed.
            if libc::getppid() != parent {
                return Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
            }
            Ok(())
        });
    }
    Ok((command.spawn()?, ()))
}

/// Spawns `command` under a `sh` watchdog that kills it when this process goes away.
///
/// A missing `java` is caught earlier (`which` in [`start_server`](super::start_server)): here it would only
/// make the shell fail.
///
/// The watchdog reads a pipe whose write end only this process holds; when this process
/// ends, however it ends, the pipe closes and the watchdog `kill -9`s java. The watchdog
/// runs in a subshell, so it survives even if the outer shell is killed.
#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
pub(super) fn spawn_guarded(command: Command) -> std::io::Result<(Child, Watchdog)> {
    const SCRIPT: &str = r#"exec 3<&0
"$@" </dev/null 3<&- &
jpid=$!
{ read _ <&3; kill -9 "$jpid" 2>/dev/null; } &
wpid=$!
exec 3<&-
wait "$jpid"; st=$?
kill "$wpid" 2>/dev/null
exit "$st""#;
    let mut shell = Command::new("/bin/sh");
    shell
        .arg("-c")
        .arg(SCRIPT)
        .arg("dynamodel-local-watchdog")
        .arg(command.get_program())
        .args(command.get_args())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => shell.env(key, value),
            None => shell.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        shell.current_dir(dir);
    }
    let mut child = shell.spawn()?;
    let watchdog = child.stdin.take();
    Ok((child, watchdog))
}

/// Spawns `command`; on this system it may outlive this process.
#[cfg(not(unix))]
pub(super) fn spawn_guarded(mut command: Command) -> std::io::Result<(Child, Watchdog)> {
    Ok((command.spawn()?, ()))
}
