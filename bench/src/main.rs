//! `cargo run --release -p dynamodel-bench -- --items N [--null-http]
//! [--rounds R] [--current-thread] [--stream-batch M] [--aa] [--phase P]...`
//!
//! Runs the workload (see `BENCHMARKS.md`) through dynamodel and by hand,
//! phase by phase and interleaved, and prints per phase the wall time,
//! this process's CPU time and their ratio, with the ratio's spread over
//! the rounds and the CPU time of whichever side ran first over the other.
//! Both sides' requests are counted per operation and must match.
//!
//! The side that goes first pays more (with DynamoDB Local, create's first
//! side paid 6–30 % more in an A/A run), so each round runs each phase in
//! the order ABBA: each side goes first on one half of the data and second
//! on the other (`--no-abba`: the whole data once per side, first by turns;
//! `--b-first` swaps who starts). `--aa` puts a second copy of the
//! hand-written side in dynamodel's place, on its own client and table:
//! the ratios it prints are the harness's noise floor. `--phase P`
//! (repeatable) runs only those phases.
//!
//! `--local` with `--profile` profiles against DynamoDB Local instead of
//! the null HTTP client.
//!
//! `--profile PHASE --side dynamodel|hand` runs one phase on one side only
//! (after a warm-up of that phase), on a current-thread runtime, inside the
//! never-inlined function `measured_phase`: under
//! `valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measured_phase*'`
//! the instructions counted are that phase's alone (see `BENCHMARKS.md`).
//!
//! `--stream-batch M` instead batch-puts M items produced by an iterator
//! (dynamodel only, `--null-http` advised) and prints the peak memory;
//! with `--from-slice`, the items are collected first and batch-put from a
//! slice, for comparison.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use dynamodel::Db;
use dynamodel_bench::counting::{counted, RequestCounter};
use dynamodel_bench::model::{order, Order};
use dynamodel_bench::report::{
    first_over_second_cpu, format_spread, median, ratio, spread, totals, Pair, Spent,
};
use dynamodel_bench::usage::{cpu_time, max_rss_kib, Events};
use dynamodel_bench::workload::{by_hand, with_dynamodel, Data, Phase};

#[cfg(feature = "count-allocs")]
#[global_allocator]
static ALLOCATOR: dynamodel_bench::alloc_count::Counting = dynamodel_bench::alloc_count::Counting;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, Clone)]
struct Options {
    items: usize,
    rounds: usize,
    null_http: bool,
    current_thread: bool,
    stream_batch: Option<usize>,
    from_slice: bool,
    profile: Option<(Phase, bool)>,
    aa: bool,
    local_profile: bool,
    /// The phases to run (`--phase`, repeatable); empty: all of them.
    phases: Vec<Phase>,
    /// `--b-first`: side B goes first where A would have.
    b_first: bool,
    /// `--no-abba`: each side runs each phase once per round (first by
    /// turns), not once per half of the data in the order ABBA.
    no_abba: bool,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        items: 2000,
        rounds: 1,
        null_http: false,
        current_thread: false,
        stream_batch: None,
        from_slice: false,
        profile: None,
        aa: false,
        local_profile: false,
        phases: Vec::new(),
        b_first: false,
        no_abba: false,
    };
    let mut profile_phase = None;
    let mut profile_dynamodel = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            args.next()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{name} needs a number"))
        };
        match arg.as_str() {
            "--items" => options.items = number("--items")?,
            "--rounds" => options.rounds = number("--rounds")?.max(1),
            "--stream-batch" => options.stream_batch = Some(number("--stream-batch")?),
            "--null-http" => options.null_http = true,
            "--from-slice" => options.from_slice = true,
            "--current-thread" => options.current_thread = true,
            "--aa" => options.aa = true,
            "--b-first" => options.b_first = true,
            "--no-abba" => options.no_abba = true,
            "--local" => options.local_profile = true,
            "--profile" => profile_phase = Some(phase_named("--profile", args.next())?),
            "--phase" => options.phases.push(phase_named("--phase", args.next())?),
            "--side" => match args.next().as_deref() {
                Some("dynamodel") => profile_dynamodel = Some(true),
                Some("hand") => profile_dynamodel = Some(false),
                _ => return Err("--side takes `dynamodel` or `hand`".to_owned()),
            },
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    match (profile_phase, profile_dynamodel) {
        (Some(phase), Some(dynamodel)) => options.profile = Some((phase, dynamodel)),
        (None, None) => {}
        _ => return Err("--profile and --side go together".to_owned()),
    }
    if options.local_profile && options.profile.is_none() {
        return Err(
            "--local goes with --profile (the workload uses DynamoDB Local unless --null-http)"
                .to_owned(),
        );
    }
    if options.aa && (options.profile.is_some() || options.stream_batch.is_some()) {
        return Err("--aa runs the workload, not --profile or --stream-batch".to_owned());
    }
    if options.items < 10 {
        return Err("--items must be at least 10".to_owned());
    }
    Ok(options)
}

/// The phase called `name` on the command line (`batch-put`, `get`, ...).
fn phase_named(option: &str, name: Option<String>) -> Result<Phase, String> {
    let name = name.unwrap_or_default();
    Phase::ALL
        .into_iter()
        .find(|phase| phase.name().replace(' ', "-") == name)
        .ok_or_else(|| format!("{option} takes a phase name, not `{name}`"))
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}\nusage: dynamodel-bench --items N [--null-http] [--rounds R] [--current-thread] [--aa] [--no-abba] [--b-first] [--phase PHASE]... [--stream-batch M [--from-slice]] [--profile PHASE --side dynamodel|hand [--local]]");
            return ExitCode::from(2);
        }
    };
    if let Some((phase, dynamodel)) = options.profile {
        return match profile(options.items, phase, dynamodel, options.local_profile) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("benchmark failed: {err}");
                ExitCode::FAILURE
            }
        };
    }
    let runtime = if options.current_thread {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
    };
    let result = match runtime {
        Ok(runtime) => runtime.block_on(run(options)),
        Err(err) => Err(err.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("benchmark failed: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `phase` on one side only, for an instruction count under
/// callgrind: setup and a warm-up first, then the measured round inside
/// [`measured_phase`]. Without the network unless `local` (then against
/// DynamoDB Local, on tables of this run, made before the warm-up).
fn profile(items: usize, phase: Phase, dynamodel: bool, local: bool) -> Result<(), BoxError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client = if local {
        runtime.block_on(dynamodel::local::client())?
    } else {
        dynamodel_bench::null_http::sdk_client()
    };
    // Tables of this run against DynamoDB Local; without the network the
    // model's own table name, as the figures in BENCHMARKS.md were counted.
    let prefix = if local {
        format!("p{}_", std::process::id())
    } else {
        String::new()
    };
    let mut db = Db::new(client.clone());
    if local {
        db = db.with_table_prefix(prefix.clone());
    }
    let table = format!("{prefix}{}", <Order as dynamodel::Model>::TABLE_NAME);
    if local {
        runtime.block_on(db.create_table::<Order>().send())?;
    }
    let table = table.as_str();
    let run = |data: &Data, measured: bool| {
        let work = async {
            if dynamodel {
                Ok::<_, BoxError>(with_dynamodel::run(&db, phase, data).await?)
            } else {
                by_hand::run(&client, table, phase, data).await
            }
        };
        if measured {
            measured_phase(&runtime, work)
        } else {
            runtime.block_on(work)
        }
    };
    let warm_up = Data::new((items / 10).max(10), usize::MAX / 2);
    let data = Data::new(items, 0);
    if local {
        // The phases that read stored items find them there (written by
        // hand, outside the measured round).
        for data in [&warm_up, &data] {
            for &setup in phase.reads_written_by() {
                runtime.block_on(by_hand::run(&client, table, setup, data))?;
            }
        }
    }
    run(&warm_up, false)?;
    let before = allocations();
    let read = run(&data, true)?;
    let after = allocations();
    println!(
        "profiled {} on the {} side: {} units, {read} read",
        phase.name(),
        if dynamodel {
            "dynamodel"
        } else {
            "hand-written"
        },
        phase.units(items)
    );
    if let (Some(before), Some(after)) = (before, after) {
        let units = phase.units(items).max(1) as f64;
        println!(
            "allocations per unit: {:.1} ({:.0} bytes)",
            (after.0 - before.0) as f64 / units,
            (after.1 - before.1) as f64 / units
        );
    }
    Ok(())
}

/// Allocations and bytes allocated so far, when counted (feature
/// `count-allocs`).
fn allocations() -> Option<(u64, u64)> {
    #[cfg(feature = "count-allocs")]
    return Some(dynamodel_bench::alloc_count::allocations());
    #[cfg(not(feature = "count-allocs"))]
    None
}

/// The measured round of [`profile`]: everything callgrind counts happens
/// inside this call (the runtime is current-thread).
#[inline(never)]
fn measured_phase<T>(
    runtime: &tokio::runtime::Runtime,
    work: impl std::future::Future<Output = T>,
) -> T {
    runtime.block_on(work)
}

async fn measure<F: std::future::Future<Output = Result<usize, BoxError>>>(
    work: F,
) -> Result<(Spent, usize), BoxError> {
    let (events, cpu, wall) = (Events::now(), cpu_time(), Instant::now());
    let read = work.await?;
    Ok((
        Spent {
            wall: wall.elapsed(),
            cpu: cpu_time().saturating_sub(cpu),
            events: Events::now().since(events),
        },
        read,
    ))
}

/// The two sides of a run: A is dynamodel (or, with `--aa`, a second copy
/// of the hand-written side on its own client and table), B is by hand.
struct Sides {
    db: Db,
    /// With `--aa`: side A's client and table, by hand.
    hand_a: Option<(aws_sdk_dynamodb::Client, String)>,
    client_b: aws_sdk_dynamodb::Client,
    table_b: String,
}

impl Sides {
    async fn run_a(&self, phase: Phase, data: &Data) -> Result<usize, BoxError> {
        match &self.hand_a {
            Some((client, table)) => by_hand::run(client, table, phase, data).await,
            None => Ok(with_dynamodel::run(&self.db, phase, data).await?),
        }
    }

    async fn run_b(&self, phase: Phase, data: &Data) -> Result<usize, BoxError> {
        by_hand::run(&self.client_b, &self.table_b, phase, data).await
    }
}

/// Every phase's runs (each half of a round's data, or the whole with
/// `--no-abba`, in the order they ran), its rounds (both halves summed),
/// and the requests side A made in it.
type Measured = Vec<(Vec<Pair>, Vec<Pair>, BTreeMap<String, u64>)>;

async fn run(options: Options) -> Result<(), BoxError> {
    let base = if options.null_http {
        dynamodel_bench::null_http::sdk_client()
    } else {
        dynamodel::local::client().await?
    };
    if let Some(count) = options.stream_batch {
        return stream_batch(&Db::new(base), count, options.from_slice).await;
    }
    let (a_counter, b_counter) = (RequestCounter::new(), RequestCounter::new());
    let run_id = std::process::id();
    let a_prefix = format!("dm{run_id}_");
    let db = Db::new(counted(&base, &a_counter)).with_table_prefix(a_prefix.clone());
    let table_name = <Order as dynamodel::Model>::TABLE_NAME;
    let raw_prefix = format!("raw{run_id}_");
    let sides = Sides {
        hand_a: options.aa.then(|| {
            (
                counted(&base, &a_counter),
                format!("{a_prefix}{table_name}"),
            )
        }),
        db,
        client_b: counted(&base, &b_counter),
        table_b: format!("{raw_prefix}{table_name}"),
    };
    if !options.null_http {
        sides.db.create_table::<Order>().await?;
        Db::new(sides.client_b.clone())
            .with_table_prefix(raw_prefix)
            .create_table::<Order>()
            .await?;
    }

    // A warm-up round (a tenth of the items), not reported.
    let warmup = Data::new((options.items / 10).max(10), usize::MAX / 2);
    let selected = |phase: &Phase| options.phases.is_empty() || options.phases.contains(phase);
    for phase in Phase::ALL.into_iter().filter(selected) {
        sides.run_a(phase, &warmup).await?;
        sides.run_b(phase, &warmup).await?;
    }
    a_counter.take();
    b_counter.take();

    let mut measured: Measured = vec![Default::default(); Phase::ALL.len()];
    let mut mismatches = Vec::new();
    for round in 0..options.rounds {
        let data = Data::new(options.items, round);
        // ABBA: each side goes first in one half of the data and second in
        // the other, so neither pays more for its position (see
        // `BENCHMARKS.md`); with `--no-abba`, the whole data once per side,
        // first by turns.
        let parts = if options.no_abba {
            vec![data]
        } else {
            data.halves().into()
        };
        for (index, phase) in Phase::ALL.into_iter().enumerate() {
            if !selected(&phase) {
                continue;
            }
            let mut a_first = ((round + index) % 2 == 0) != options.b_first;
            let mut round_pair = Pair::default();
            let (mut a_read, mut b_read) = (0, 0);
            let runs = &mut measured[index].0;
            for part in &parts {
                let mut pair = Pair {
                    a_first,
                    ..Pair::default()
                };
                for side_a in [a_first, !a_first] {
                    if side_a {
                        let (spent, read) = measure(sides.run_a(phase, part)).await?;
                        (pair.a, a_read) = (spent, a_read + read);
                    } else {
                        let (spent, read) = measure(sides.run_b(phase, part)).await?;
                        (pair.b, b_read) = (spent, b_read + read);
                    }
                }
                round_pair.a += pair.a;
                round_pair.b += pair.b;
                runs.push(pair);
                // The second half starts with the side that went second.
                a_first = !a_first;
            }
            measured[index].1.push(round_pair);
            let (a_requests, b_requests) = (a_counter.take(), b_counter.take());
            if a_requests != b_requests {
                mismatches.push(format!(
                    "{}: side A sent {a_requests:?}, side B {b_requests:?}",
                    phase.name()
                ));
            }
            if a_read != b_read {
                mismatches.push(format!(
                    "{}: side A read {a_read}, side B {b_read}",
                    phase.name()
                ));
            }
            for (operation, count) in a_requests {
                *measured[index].2.entry(operation).or_default() += count;
            }
        }
    }
    report(&options, &measured);
    if mismatches.is_empty() {
        println!("requests: the same on both sides, in every phase");
        Ok(())
    } else {
        for mismatch in &mismatches {
            println!("MISMATCH {mismatch}");
        }
        // Against DynamoDB Local, a batch's unprocessed items may take
        // extra requests on one side; without the network that is a bug.
        if options.null_http {
            Err("the two sides did not make the same requests".into())
        } else {
            Ok(())
        }
    }
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn report(options: &Options, measured: &Measured) {
    println!(
        "items {} × rounds {} · {} · {} runtime{}{}",
        options.items,
        options.rounds,
        if options.null_http {
            "null HTTP (no network)"
        } else {
            "DynamoDB Local"
        },
        if options.current_thread {
            "current-thread"
        } else {
            "multi-thread"
        },
        if options.aa {
            " · A/A: both sides by hand (A in dynamodel's place)"
        } else {
            ""
        },
        if options.no_abba {
            " · each side once per round, first by turns"
        } else {
            " · ABBA over two halves of the data"
        }
    );
    let (a, b) = if options.aa {
        ("A", "B")
    } else {
        ("dynamodel", "by hand")
    };
    println!(
        "| phase | requests | wall {a} ms | wall {b} ms | CPU {a} ms | CPU {b} ms | CPU ratio | CPU ratio per round, min–max | wall ratio | extra CPU µs per unit | median round: CPU ratio, extra µs per unit | CPU first ÷ second |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    let rounds = options.rounds;
    let mut whole_rounds = vec![Pair::default(); rounds];
    let mut all = (Spent::default(), Spent::default());
    for (phase, (runs, pairs, requests)) in Phase::ALL.into_iter().zip(measured) {
        if pairs.is_empty() {
            continue;
        }
        let (a, b) = totals(pairs);
        all.0 += a;
        all.1 += b;
        for (whole, pair) in whole_rounds.iter_mut().zip(pairs) {
            whole.a += pair.a;
            whole.b += pair.b;
        }
        let units_per_round = if options.no_abba {
            phase.units(options.items)
        } else {
            phase.units_in_halves(options.items)
        };
        let units = (units_per_round * rounds).max(1) as f64;
        let per_round_units = units_per_round.max(1) as f64;
        let median_round = match (
            median(pairs.iter().map(Pair::cpu_ratio)),
            median(
                pairs
                    .iter()
                    .map(|pair| (micros(pair.a.cpu) - micros(pair.b.cpu)) / per_round_units),
            ),
        ) {
            (Some(ratio), Some(extra)) if rounds > 1 => format!("{ratio:.3}, {extra:+.2}"),
            _ => "–".to_owned(),
        };
        let requests: Vec<String> = requests.iter().map(|(op, n)| format!("{n} {op}")).collect();
        println!(
            "| {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.3} | {} | {:.3} | {:+.2} | {} | {:.3} |",
            phase.name(),
            requests.join(", "),
            micros(a.wall) / 1e3,
            micros(b.wall) / 1e3,
            micros(a.cpu) / 1e3,
            micros(b.cpu) / 1e3,
            ratio(a.cpu, b.cpu),
            format_spread(spread(pairs.iter().map(Pair::cpu_ratio)), rounds),
            ratio(a.wall, b.wall),
            (micros(a.cpu) - micros(b.cpu)) / units,
            median_round,
            first_over_second_cpu(runs),
        );
    }
    println!(
        "| whole workload | | {:.1} | {:.1} | {:.1} | {:.1} | {:.3} | {} | {:.3} | | {} | |",
        micros(all.0.wall) / 1e3,
        micros(all.1.wall) / 1e3,
        micros(all.0.cpu) / 1e3,
        micros(all.1.cpu) / 1e3,
        ratio(all.0.cpu, all.1.cpu),
        format_spread(spread(whole_rounds.iter().map(Pair::cpu_ratio)), rounds),
        ratio(all.0.wall, all.1.wall),
        match median(whole_rounds.iter().map(Pair::cpu_ratio)) {
            Some(ratio) if rounds > 1 => format!("{ratio:.3}"),
            _ => "–".to_owned(),
        },
    );
    println!();
    println!("What the kernel counted, {a} / {b} (user and system CPU, minor page faults, voluntary and involuntary context switches):");
    println!("| phase | user ms | system ms | minor faults | voluntary switches | involuntary switches |");
    println!("|---|---|---|---|---|---|");
    for (phase, (_, pairs, _)) in Phase::ALL.into_iter().zip(measured) {
        if pairs.is_empty() {
            continue;
        }
        let (a, b) = totals(pairs);
        let (a, b) = (a.events, b.events);
        println!(
            "| {} | {:.1} / {:.1} | {:.1} / {:.1} | {} / {} | {} / {} | {} / {} |",
            phase.name(),
            micros(a.user) / 1e3,
            micros(b.user) / 1e3,
            micros(a.system) / 1e3,
            micros(b.system) / 1e3,
            a.minor_faults,
            b.minor_faults,
            a.voluntary_switches,
            b.voluntary_switches,
            a.involuntary_switches,
            b.involuntary_switches,
        );
    }
    println!("peak RSS {} MiB", max_rss_kib() / 1024);
}

/// Batch-puts `count` items made one by one by an iterator, and reports the
/// peak memory: with streaming input it does not grow with `count`.
async fn stream_batch(db: &Db, count: usize, from_slice: bool) -> Result<(), BoxError> {
    let before = max_rss_kib();
    let (cpu, wall) = (cpu_time(), Instant::now());
    let items = (0..count).map(|i| order(format!("m-{}", i % 1000), i));
    let output = if from_slice {
        // All items made first, then batch-put from a slice (keys checked
        // first, items prepared request by request): the items themselves
        // are what grows with the count.
        let items: Vec<Order> = items.collect();
        db.batch_put(&items).concurrency(8).await?
    } else {
        db.batch_put_iter::<Order, _>(items).concurrency(8).await?
    };
    println!(
        "stream batch: {} items written in {:.2} s (CPU {:.2} s, {:.2} µs per item); peak RSS {} MiB (before {} MiB)",
        output.written,
        wall.elapsed().as_secs_f64(),
        cpu_time().saturating_sub(cpu).as_secs_f64(),
        micros(cpu_time().saturating_sub(cpu)) / count.max(1) as f64,
        max_rss_kib() / 1024,
        before / 1024,
    );
    Ok(())
}
