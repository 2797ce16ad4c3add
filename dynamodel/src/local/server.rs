//! Starting and supervising the java process: the java executable, a free port, the
//! command line, and the thread that owns the process, reaps it and records how it
//! ended.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::command::{collect_output, describe};
use super::error::LocalError;
use super::guard::spawn_guarded;
use super::install::{JAR, NATIVE_LIB_DIR};

/// The java executable: `$JAVA_HOME/bin/java` when it exists, else `java` from `PATH`.
pub(super) fn java_command() -> PathBuf {
    if let Some(home) = std::env::var_os("JAVA_HOME").filter(|home| !home.is_empty()) {
        let exe = if cfg!(windows) { "java.exe" } else { "java" };
        let java = PathBuf::from(home).join("bin").join(exe);
        if java.is_file() {
            return java;
        }
    }
    PathBuf::from("java")
}

/// Starts DynamoDB Local from `dir` on `port`, without waiting for it to answer.
pub(super) fn start_java(dir: &Path, port: u16) -> Result<Server, LocalError> {
    let java = java_command();
    let mut command = Command::new(&java);
    command
        .arg(format!(
            "-Djava.library.path={}",
            dir.join(NATIVE_LIB_DIR).display()
        ))
        .arg("-jar")
        .arg(dir.join(JAR))
        .args(["-inMemory", "-sharedDb", "-port", &port.to_string()])
        // Telemetry cannot reach anything from tests; older versions ignore this variable.
        .env("DDB_LOCAL_TELEMETRY", "0")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    tracing::debug!(java = %java.display(), dir = %dir.display(), port, "starting DynamoDB Local");
    Server::spawn(command, &java)
}

/// A free TCP port on 127.0.0.1 (free when this returns; a race is retried by the caller).
pub(super) fn free_port() -> Result<u16, LocalError> {
    let port_error = |source| LocalError::Port {
        source: Arc::new(source),
    };
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).map_err(port_error)?;
    Ok(listener.local_addr().map_err(port_error)?.port())
}

/// A running java process, owned by a dedicated thread (see [`Server::spawn`]).
pub(super) struct Server {
    /// Asks the owning thread to kill the process.
    kill: mpsc::Sender<()>,
    /// How the process ended, once it has.
    exit: Arc<Mutex<Option<String>>>,
    /// The last lines of its standard output and error.
    output: Arc<Mutex<VecDeque<String>>>,
}

impl Server {
    /// Spawns `command` from a thread that stays alive as long as the process does.
    ///
    /// On Linux the process gets `PR_SET_PDEATHSIG(SIGKILL)`, which fires when the *thread*
    /// that spawned it ends; that thread only ends once the process is gone (or with this
    /// process). The thread also reaps the process and records how it ended.
    fn spawn(command: Command, java: &Path) -> Result<Server, LocalError> {
        let java_name = java.display().to_string();
        let (spawned_tx, spawned_rx) = mpsc::channel();
        let (kill, kill_rx) = mpsc::channel::<()>();
        let exit = Arc::new(Mutex::new(None));
        let output = Arc::new(Mutex::new(VecDeque::new()));
        let thread_exit = Arc::clone(&exit);
        let thread_output = Arc::clone(&output);
        std::thread::Builder::new()
            .name("dynamodel-local-java".into())
            .spawn(move || {
                let spawned = spawn_guarded(command);
                let (mut child, _watchdog) = match spawned {
                    Ok(spawned) => spawned,
                    Err(error) => {
                        let _ = spawned_tx.send(Err(error));
                        return;
                    }
                };
                if let Some(stdout) = child.stdout.take() {
                    collect_output(stdout, Arc::clone(&thread_output));
                }
                if let Some(stderr) = child.stderr.take() {
                    collect_output(stderr, Arc::clone(&thread_output));
                }
                tracing::debug!(pid = child.id(), "DynamoDB Local process started");
                let _ = spawned_tx.send(Ok(()));
                let status = supervise(&mut child, &kill_rx);
                tracing::debug!(status = %status, "DynamoDB Local process ended");
                if let Ok(mut exit) = thread_exit.lock() {
                    *exit = Some(status);
                }
                // `_watchdog` (the pipe feeding the watchdog shell, if any) closes only now.
            })
            .map_err(|error| LocalError::Internal {
                detail: format!("could not spawn the java supervisor thread: {error}"),
            })?;
        match spawned_rx.recv() {
            Ok(Ok(())) => Ok(Server { kill, exit, output }),
            Ok(Err(error)) if error.kind() == std::io::ErrorKind::NotFound => {
                Err(LocalError::JavaNotFound { java: java_name })
            }
            Ok(Err(error)) => Err(LocalError::Spawn {
                java: java_name,
                source: Arc::new(error),
            }),
            Err(_) => Err(LocalError::Internal {
                detail: "the java supervisor thread ended without spawning java".into(),
            }),
        }
    }

    /// How the process ended, if it has.
    pub(super) fn exit_status(&self) -> Option<String> {
        self.exit.lock().ok().and_then(|exit| exit.clone())
    }

    /// The last lines of the process's output, for error messages.
    pub(super) fn output_tail(&self) -> String {
        // Give the reader threads a moment to drain what a dying process just wrote.
        std::thread::sleep(Duration::from_millis(100));
        match self.output.lock() {
            Ok(lines) if !lines.is_empty() => lines.iter().cloned().collect::<Vec<_>>().join("\n"),
            _ => "(no output)".into(),
        }
    }

    /// Kills the process and waits (briefly) until it is gone.
    pub(super) fn kill(self) {
        let _ = self.kill.send(());
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.exit_status().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Waits for the child to end or for a kill request, and returns how it ended.
fn supervise(child: &mut Child, kill: &mpsc::Receiver<()>) -> String {
    let waited = |child: &mut Child| match child.wait() {
        Ok(status) => describe(status),
        Err(error) => format!("unknown ({error})"),
    };
    loop {
        match kill.recv_timeout(Duration::from_millis(200)) {
            Ok(()) => {
                let _ = child.kill();
                return waited(child);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => match child.try_wait() {
                Ok(Some(status)) => return describe(status),
                Ok(None) => {}
                Err(error) => return format!("unknown ({error})"),
            },
            // Nobody can ask for a kill any more: the server runs until it ends.
            Err(mpsc::RecvTimeoutError::Disconnected) => return waited(child),
        }
    }
}
