//! Cold-start checks: an endpoint that counts the connections made to it,
//! and the AWS environment that points a client built from the environment
//! (`Db::from_env`) at it, so a test can prove that building sends nothing.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::net::TcpListener;

/// A local endpoint that accepts and drops every connection (so every
/// request attempt fails at once) and counts them.
#[derive(Debug)]
pub struct CountingEndpoint {
    url: String,
    connections: Arc<AtomicUsize>,
}

impl CountingEndpoint {
    /// Listens on a free local port.
    ///
    /// Panics (failing the test) when it cannot listen.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = connections.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counted.fetch_add(1, Ordering::SeqCst);
                drop(stream);
            }
        });
        CountingEndpoint { url, connections }
    }

    /// Its URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// How many connections it has accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Sets the process's AWS environment for a client on this endpoint:
    /// region `eu-west-3`, static example credentials, `max_attempts`
    /// attempts per request, no instance metadata and no config or
    /// credentials files. Process-wide: call it from a test binary of its own.
    pub fn set_aws_env(&self, max_attempts: u32) {
        let max_attempts = max_attempts.to_string();
        for (name, value) in [
            ("AWS_REGION", "eu-west-3"),
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "not-a-secret"),
            ("AWS_ENDPOINT_URL_DYNAMODB", self.url.as_str()),
            ("AWS_MAX_ATTEMPTS", max_attempts.as_str()),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_CONFIG_FILE", "/nonexistent/dynamodel-config"),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/dynamodel-credentials",
            ),
        ] {
            std::env::set_var(name, value);
        }
    }
}
