//! Helper for `tests/tests/local.rs`: starts the shared DynamoDB Local, prints its endpoint
//! (`ENDPOINT <url>`), then sleeps until it is killed.
//!
//! With `LOCAL_HOLDER_CHECK_ONLY` set it instead tries one ListTables, prints
//! `LIST_TABLES ok` or `LIST_TABLES failed`, the client's region
//! (`REGION <name>`) and, when `LOCAL_HOLDER_TABLE` names a table, whether
//! the client sees it (`TABLE visible` or `TABLE missing`), and exits.

use std::io::Write;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = dynamodel::local::endpoint().await?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "ENDPOINT {endpoint}")?;
    stdout.flush()?;
    if std::env::var_os("LOCAL_HOLDER_CHECK_ONLY").is_some() {
        let client = dynamodel::local::client().await?;
        let outcome = match client.list_tables().send().await {
            Ok(_) => "ok",
            Err(_) => "failed",
        };
        writeln!(stdout, "LIST_TABLES {outcome}")?;
        let region = client.config().region().map(|r| r.to_string());
        writeln!(stdout, "REGION {}", region.unwrap_or_default())?;
        if let Ok(table) = std::env::var("LOCAL_HOLDER_TABLE") {
            let seen = client.describe_table().table_name(table).send().await;
            writeln!(
                stdout,
                "TABLE {}",
                if seen.is_ok() { "visible" } else { "missing" }
            )?;
        }
        return Ok(());
    }
    // Bounded, so a failing test never leaves this process behind for long.
    tokio::time::sleep(std::time::Duration::from_secs(120)).await;
    Ok(())
}
