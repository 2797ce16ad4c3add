//! Running helper processes: bounded runs (`npm`, `tar`), the tail of a process's
//! output for error messages, readable exit statuses, and looking a program up on
//! `PATH`.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
#[cfg(unix)]
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How many lines of java's output are kept for error messages.
const OUTPUT_TAIL_LINES: usize = 40;

/// A readable description of an exit status.
pub(super) fn describe(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("killed by signal {signal}");
        }
    }
    status.to_string()
}

/// Keeps the last [`OUTPUT_TAIL_LINES`] lines of `stream`, draining it until it closes.
pub(super) fn collect_output(
    stream: impl Read + Send + 'static,
    lines: Arc<Mutex<VecDeque<String>>>,
) {
    let spawned = std::thread::Builder::new()
        .name("dynamodel-local-output".into())
        .spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                if let Ok(mut lines) = lines.lock() {
                    if lines.len() == OUTPUT_TAIL_LINES {
                        lines.pop_front();
                    }
                    lines.push_back(line);
                }
            }
        });
    if let Err(error) = spawned {
        tracing::debug!(%error, "could not spawn a thread reading DynamoDB Local's output");
    }
}

/// Fails with `NotFound` when `program` cannot be found on `PATH`.
#[cfg(unix)]
pub(super) fn which(program: &std::ffi::OsStr) -> std::io::Result<()> {
    let program = Path::new(program);
    let found = if program.components().count() > 1 {
        program.is_file()
    } else {
        std::env::var_os("PATH")
            .map(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
            .unwrap_or(false)
    };
    if found {
        Ok(())
    } else {
        Err(std::io::Error::from(std::io::ErrorKind::NotFound))
    }
}

/// Why a helper command failed.
#[derive(Debug, thiserror::Error)]
pub(super) enum RunError {
    /// The program does not exist.
    #[error("program not found")]
    NotFound,
    /// Running it failed.
    #[error("could not run it: {0}")]
    Io(std::io::Error),
    /// It did not finish in time and was killed.
    #[error("it did not finish within {0:?}")]
    Timeout(Duration),
    /// It failed.
    #[error("it failed ({status}): {output}")]
    Failed {
        /// How it ended.
        status: String,
        /// The tail of its standard error.
        output: String,
    },
}

/// Runs `command` to completion within `timeout`, killing it otherwise.
pub(super) fn run_bounded(mut command: Command, timeout: Duration) -> Result<(), RunError> {
    tracing::debug!(program = ?command.get_program(), args = ?command.get_args().collect::<Vec<_>>(), "running");
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = command.spawn().map_err(|error| {
        if error.kind() == std::io::ErrorKind::NotFound {
            RunError::NotFound
        } else {
            RunError::Io(error)
        }
    })?;
    let stderr = Arc::new(Mutex::new(VecDeque::new()));
    if let Some(stream) = child.stderr.take() {
        collect_output(stream, Arc::clone(&stderr));
    }
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait().map_err(RunError::Io)? {
            Some(status) => break status,
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(RunError::Timeout(timeout));
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    if status.success() {
        return Ok(());
    }
    std::thread::sleep(Duration::from_millis(100));
    let output = stderr
        .lock()
        .map(|lines| lines.iter().cloned().collect::<Vec<_>>().join("\n"))
        .unwrap_or_default();
    Err(RunError::Failed {
        status: describe(status),
        output,
    })
}
