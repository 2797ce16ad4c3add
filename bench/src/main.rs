//! `cargo run --release -p dynamodel-bench -- --items N [--null-http]
//! [--rounds R] [--current-thread] [--stream-batch M]`
//!
//! Runs the workload (see `BENCHMARKS.md`) through dynamodel and by hand,
//! phase by phase and interleaved (which side goes first alternates), and
//! prints per phase the wall time, this process's CPU time and their ratio.
//! Both sides' requests are counted per operation and must match.
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
            "--profile" => {
                let name = args.next().unwrap_or_default();
                let phase = Phase::ALL
                    .into_iter()
                    .find(|phase| phase.name().replace(' ', "-") == name)
                    .ok_or_else(|| format!("--profile takes a phase name, not `{name}`"))?;
                profile_phase = Some(phase);
            }
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
    if options.items < 10 {
        return Err("--items must be at least 10".to_owned());
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}\nusage: dynamodel-bench --items N [--null-http] [--rounds R] [--current-thread] [--stream-batch M [--from-slice]] [--profile PHASE --side dynamodel|hand]");
            return ExitCode::from(2);
        }
    };
    if let Some((phase, dynamodel)) = options.profile {
        return match profile(options.items, phase, dynamodel) {
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

/// Runs `phase` on one side only, without the network, for an instruction
/// count under callgrind: setup and a warm-up first, then the measured
/// round inside [`measured_phase`].
fn profile(items: usize, phase: Phase, dynamodel: bool) -> Result<(), BoxError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client = dynamodel_bench::null_http::sdk_client();
    let db = Db::new(client.clone());
    let table = <Order as dynamodel::Model>::TABLE_NAME;
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
    run(&Data::new((items / 10).max(10), usize::MAX / 2), false)?;
    let data = Data::new(items, 0);
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

/// What one side spent on one phase.
#[derive(Debug, Clone, Copy, Default)]
struct Spent {
    wall: Duration,
    cpu: Duration,
    events: Events,
}

impl std::ops::AddAssign for Spent {
    fn add_assign(&mut self, other: Spent) {
        self.wall += other.wall;
        self.cpu += other.cpu;
        self.events += other.events;
    }
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

async fn run(options: Options) -> Result<(), BoxError> {
    let base = if options.null_http {
        dynamodel_bench::null_http::sdk_client()
    } else {
        dynamodel::local::client().await?
    };
    if let Some(count) = options.stream_batch {
        return stream_batch(&Db::new(base), count, options.from_slice).await;
    }
    let (dm_counter, raw_counter) = (RequestCounter::new(), RequestCounter::new());
    let run_id = std::process::id();
    let db = Db::new(counted(&base, &dm_counter)).with_table_prefix(format!("dm{run_id}_"));
    let raw_client = counted(&base, &raw_counter);
    let raw_prefix = format!("raw{run_id}_");
    let raw_table = format!("{raw_prefix}{}", <Order as dynamodel::Model>::TABLE_NAME);
    if !options.null_http {
        db.create_table::<Order>().await?;
        Db::new(raw_client.clone())
            .with_table_prefix(raw_prefix)
            .create_table::<Order>()
            .await?;
        dm_counter.take();
        raw_counter.take();
    }

    // A warm-up round (a tenth of the items), not reported.
    let warmup = Data::new((options.items / 10).max(10), usize::MAX / 2);
    for phase in Phase::ALL {
        with_dynamodel::run(&db, phase, &warmup).await?;
        by_hand::run(&raw_client, &raw_table, phase, &warmup).await?;
    }
    dm_counter.take();
    raw_counter.take();

    let mut totals: BTreeMap<usize, (Spent, Spent, BTreeMap<String, u64>)> = BTreeMap::new();
    let mut mismatches = Vec::new();
    for round in 0..options.rounds {
        let data = Data::new(options.items, round);
        for (index, phase) in Phase::ALL.into_iter().enumerate() {
            let dm_first = (round + index) % 2 == 0;
            let mut dm = (Spent::default(), 0);
            let mut raw = (Spent::default(), 0);
            for side in [dm_first, !dm_first] {
                if side {
                    dm = measure(async { Ok(with_dynamodel::run(&db, phase, &data).await?) })
                        .await?;
                } else {
                    raw = measure(by_hand::run(&raw_client, &raw_table, phase, &data)).await?;
                }
            }
            let (dm_requests, raw_requests) = (dm_counter.take(), raw_counter.take());
            if dm_requests != raw_requests {
                mismatches.push(format!(
                    "{}: dynamodel sent {dm_requests:?}, by hand {raw_requests:?}",
                    phase.name()
                ));
            }
            if dm.1 != raw.1 {
                mismatches.push(format!(
                    "{}: dynamodel read {}, by hand {}",
                    phase.name(),
                    dm.1,
                    raw.1
                ));
            }
            let entry = totals.entry(index).or_default();
            entry.0 += dm.0;
            entry.1 += raw.0;
            for (operation, count) in dm_requests {
                *entry.2.entry(operation).or_default() += count;
            }
        }
    }
    report(&options, &totals);
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

fn report(options: &Options, totals: &BTreeMap<usize, (Spent, Spent, BTreeMap<String, u64>)>) {
    println!(
        "items {} × rounds {} · {} · {} runtime",
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
        }
    );
    println!(
        "| phase | requests | wall dynamodel ms | wall by hand ms | CPU dynamodel ms | CPU by hand ms | CPU ratio | extra CPU µs per unit |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut all = (Spent::default(), Spent::default());
    for (index, (dm, raw, requests)) in totals {
        let phase = Phase::ALL[*index];
        all.0 += *dm;
        all.1 += *raw;
        let units = (phase.units(options.items) * options.rounds).max(1) as f64;
        let requests: Vec<String> = requests.iter().map(|(op, n)| format!("{n} {op}")).collect();
        println!(
            "| {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.3} | {:+.2} |",
            phase.name(),
            requests.join(", "),
            micros(dm.wall) / 1e3,
            micros(raw.wall) / 1e3,
            micros(dm.cpu) / 1e3,
            micros(raw.cpu) / 1e3,
            dm.cpu.as_secs_f64() / raw.cpu.as_secs_f64().max(1e-9),
            (micros(dm.cpu) - micros(raw.cpu)) / units,
        );
    }
    println!(
        "| whole workload | | {:.1} | {:.1} | {:.1} | {:.1} | {:.3} | |",
        micros(all.0.wall) / 1e3,
        micros(all.1.wall) / 1e3,
        micros(all.0.cpu) / 1e3,
        micros(all.1.cpu) / 1e3,
        all.0.cpu.as_secs_f64() / all.1.cpu.as_secs_f64().max(1e-9),
    );
    println!();
    println!("What the kernel counted, dynamodel / by hand (user and system CPU, minor page faults, voluntary and involuntary context switches):");
    println!("| phase | user ms | system ms | minor faults | voluntary switches | involuntary switches |");
    println!("|---|---|---|---|---|---|");
    for (index, (dm, raw, _)) in totals {
        let (dm, raw) = (dm.events, raw.events);
        println!(
            "| {} | {:.1} / {:.1} | {:.1} / {:.1} | {} / {} | {} / {} | {} / {} |",
            Phase::ALL[*index].name(),
            micros(dm.user) / 1e3,
            micros(raw.user) / 1e3,
            micros(dm.system) / 1e3,
            micros(raw.system) / 1e3,
            dm.minor_faults,
            raw.minor_faults,
            dm.voluntary_switches,
            raw.voluntary_switches,
            dm.involuntary_switches,
            raw.involuntary_switches,
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
