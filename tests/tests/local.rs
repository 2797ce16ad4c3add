//! Tests of `dynamodel::local`: the shared DynamoDB Local of a test binary.

use std::sync::Mutex;
use std::time::Duration;

use dynamodel::local;
use dynamodel_tests::raw::{create_table_with_string_key, unique_table_name};

/// Endpoints seen by the tests of this binary, to check that they share one server.
static SEEN_ENDPOINTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Records the shared endpoint and checks it is the same as every other one seen.
async fn record_shared_endpoint() -> String {
    let endpoint = local::endpoint().await.expect("DynamoDB Local starts");
    let mut seen = SEEN_ENDPOINTS.lock().expect("lock");
    seen.push(endpoint.clone());
    assert!(
        seen.iter().all(|other| *other == endpoint),
        "one server per process: {seen:?}"
    );
    endpoint
}

#[tokio::test]
async fn client_creates_lists_and_deletes_a_table() {
    record_shared_endpoint().await;
    let client = local::client().await.expect("DynamoDB Local starts");
    let name = unique_table_name("local-client");
    create_table_with_string_key(&client, &name, "pk").await;
    let tables = client.list_tables().send().await.expect("list tables");
    assert!(tables.table_names().contains(&name), "{tables:?}");
    client
        .delete_table()
        .table_name(&name)
        .send()
        .await
        .expect("delete table");
    let tables = client.list_tables().send().await.expect("list tables");
    assert!(!tables.table_names().contains(&name), "{tables:?}");
}

#[tokio::test]
async fn concurrent_tests_share_one_server_a() {
    shares_one_server().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_tests_share_one_server_b() {
    shares_one_server().await;
}

async fn shares_one_server() {
    let endpoint = record_shared_endpoint().await;
    // A second call, once started, is immediate and gives the same endpoint.
    assert_eq!(local::endpoint().await.expect("endpoint"), endpoint);
    let client = local::client().await.expect("client");
    client.list_tables().send().await.expect("list tables");
    #[cfg(target_os = "linux")]
    if std::env::var_os("DYNAMODB_ENDPOINT").is_none() {
        let port = port_of(&endpoint);
        let ours = dynamodb_local_processes()
            .into_iter()
            .filter(|process| process.parent == std::process::id())
            .collect::<Vec<_>>();
        assert_eq!(ours.len(), 1, "exactly one server per process: {ours:?}");
        assert_eq!(ours[0].port.as_deref(), Some(port), "{ours:?}");
    }
}

#[test]
fn a_client_for_a_runtime_that_ended_still_works_elsewhere() {
    // Each #[tokio::test] has its own runtime; the shared server must outlive them.
    for _ in 0..2 {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let client = local::client().await.expect("client");
            client.list_tables().send().await.expect("list tables");
        });
    }
}

#[tokio::test]
async fn a_client_for_a_closed_port_fails() {
    let client = local::client_for_endpoint("http://127.0.0.1:1");
    let result = tokio::time::timeout(Duration::from_secs(30), client.list_tables().send())
        .await
        .expect("fails quickly rather than hanging");
    assert!(result.is_err(), "{result:?}");
}

/// `DYNAMODB_ENDPOINT` is honoured (checked in a child process: env vars are process-wide).
#[test]
fn dynamodb_endpoint_overrides_the_local_server() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_local_holder"))
        .env("DYNAMODB_ENDPOINT", "http://127.0.0.1:1")
        .env("LOCAL_HOLDER_CHECK_ONLY", "1")
        .output()
        .expect("run local_holder");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stdout.contains("ENDPOINT http://127.0.0.1:1\n"),
        "{stdout}\n{stderr}"
    );
    assert!(stdout.contains("LIST_TABLES failed"), "{stdout}\n{stderr}");
}

/// The standard AWS environment is honoured: `AWS_ENDPOINT_URL_DYNAMODB`
/// points at this process's server, `AWS_REGION` and the `AWS_*` keys are
/// used, and a table made by another client with other keys is visible
/// (checked in a child process: env vars are process-wide).
#[tokio::test]
async fn the_standard_aws_environment_is_honoured() {
    let endpoint = record_shared_endpoint().await;
    // Another tool's client: its own key id and region.
    let other = aws_sdk_dynamodb::Client::from_conf(
        aws_sdk_dynamodb::Config::builder()
            .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
            .region(aws_sdk_dynamodb::config::Region::new("ap-south-1"))
            .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
                "othertool",
                "secret",
                None,
                None,
                "test",
            ))
            .endpoint_url(&endpoint)
            .build(),
    );
    let name = unique_table_name("local-other-tool");
    create_table_with_string_key(&other, &name, "pk").await;
    // Visible to dynamodel's own client in this process.
    let client = local::client().await.expect("client");
    client
        .describe_table()
        .table_name(&name)
        .send()
        .await
        .expect("a table made with other keys is visible");

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_local_holder"))
        .env_remove("DYNAMODB_ENDPOINT")
        .env("AWS_ENDPOINT_URL_DYNAMODB", &endpoint)
        .env("AWS_ACCESS_KEY_ID", "thirdtool")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_REGION", "eu-west-3")
        .env("LOCAL_HOLDER_CHECK_ONLY", "1")
        .env("LOCAL_HOLDER_TABLE", &name)
        .output()
        .expect("run local_holder");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stdout.contains(&format!("ENDPOINT {endpoint}\n")),
        "{stdout}\n{stderr}"
    );
    assert!(stdout.contains("LIST_TABLES ok"), "{stdout}\n{stderr}");
    assert!(stdout.contains("REGION eu-west-3\n"), "{stdout}\n{stderr}");
    assert!(stdout.contains("TABLE visible"), "{stdout}\n{stderr}");
    other
        .delete_table()
        .table_name(&name)
        .send()
        .await
        .expect("delete");
}

/// SIGKILLing a process that started DynamoDB Local kills DynamoDB Local too.
#[cfg(target_os = "linux")]
#[test]
fn the_server_dies_with_a_killed_process() {
    use std::io::BufRead;

    let mut holder = std::process::Command::new(env!("CARGO_BIN_EXE_local_holder"))
        .env_remove("DYNAMODB_ENDPOINT")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run local_holder");
    let stdout = holder.stdout.take().expect("stdout");
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        let _ = sender.send(line);
    });
    // Generous: a cold cache means a download first.
    let line = receiver.recv_timeout(Duration::from_secs(300));
    let Ok(line) = line else {
        let _ = holder.kill();
        panic!("local_holder did not report its endpoint in time");
    };
    let endpoint = line
        .trim()
        .strip_prefix("ENDPOINT ")
        .unwrap_or_else(|| {
            let _ = holder.kill();
            panic!("unexpected local_holder output: {line:?}")
        })
        .to_owned();
    let port = port_of(&endpoint).to_owned();
    let holder_pid = holder.id();
    let servers = dynamodb_local_processes()
        .into_iter()
        .filter(|process| process.parent == holder_pid)
        .collect::<Vec<_>>();
    assert_eq!(servers.len(), 1, "{servers:?}");
    assert_eq!(servers[0].port.as_deref(), Some(port.as_str()));
    let server_pid = servers[0].pid;

    holder.kill().expect("SIGKILL local_holder");
    holder.wait().expect("reap local_holder");

    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while dynamodb_local_processes()
        .iter()
        .any(|process| process.pid == server_pid)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "DynamoDB Local (pid {server_pid}, port {port}) outlived its killed parent"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The port of an `http://127.0.0.1:<port>` endpoint.
fn port_of(endpoint: &str) -> &str {
    endpoint.rsplit(':').next().unwrap_or_default()
}

/// A live (not zombie) DynamoDB Local java process.
#[cfg(target_os = "linux")]
#[derive(Debug)]
struct JavaProcess {
    pid: u32,
    parent: u32,
    port: Option<String>,
}

/// Every live DynamoDB Local java process on this machine, from /proc.
#[cfg(target_os = "linux")]
fn dynamodb_local_processes() -> Vec<JavaProcess> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in entries.filter_map(Result::ok) {
        let Some(pid) = entry.file_name().to_str().and_then(|pid| pid.parse().ok()) else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let args: Vec<String> = cmdline
            .split(|byte| *byte == 0)
            .map(|arg| String::from_utf8_lossy(arg).into_owned())
            .collect();
        if !args.iter().any(|arg| arg.ends_with("DynamoDBLocal.jar")) {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // Fields after the parenthesised command name: state, ppid, ...
        let mut fields = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest)
            .unwrap_or_default()
            .split_whitespace();
        if fields.next() == Some("Z") {
            continue;
        }
        let parent = fields
            .next()
            .and_then(|ppid| ppid.parse().ok())
            .unwrap_or(0);
        let port = args
            .iter()
            .position(|arg| arg == "-port")
            .and_then(|index| args.get(index + 1))
            .cloned();
        found.push(JavaProcess { pid, parent, port });
    }
    found
}
