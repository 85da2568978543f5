//! `qingfeng`: one binary for the web app and its operations.

mod admin;
mod config;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use config::Global;
use qingfeng_domain::calendar::Calendar;
use qingfeng_store::{Store, Who};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "qingfeng", version, about = "清风 · 全面从严治党监督管理平台 (Qingfeng supervision platform)")]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web application (HTML UI and JSON API).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "QINGFENG_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// Fill an empty database with the demo city and print the demo accounts.
        #[arg(long)]
        demo: bool,
        /// Mark cookies Secure (when served over HTTPS, e.g. behind a reverse proxy).
        #[arg(long, env = "QINGFENG_SECURE_COOKIES")]
        secure_cookies: bool,
        #[command(flatten)]
        public: config::PublicArgs,
    },
    /// Run database migrations only.
    Migrate,
    /// Accounts, passwords, grants and API tokens.
    Admin {
        #[command(subcommand)]
        command: admin::AdminCommand,
    },
    /// The audit chain.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Write a consistent copy of the SQLite database (safe while serving).
    Backup {
        /// Destination file (must not exist).
        file: PathBuf,
    },
    /// The working-day calendar.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Print the structure a speech or document is read as (部署分解): title,
    /// headings, enumerations, and whether each lists problems or requirements.
    Outline {
        /// A .txt (UTF-8, GB18030/GBK or UTF-16) or .docx file.
        file: PathBuf,
        /// Print the outline as JSON instead of a tree.
        #[arg(long)]
        json: bool,
        /// Also print the text under each heading (opening, bodies, closing).
        #[arg(long, conflicts_with = "json")]
        text: bool,
    },
    /// Print the effective rules (defaults, or the `--rules` file over them) as TOML.
    Rules,
    /// Run the daily rectification job once now (warnings, 督办, board snapshot);
    /// a running server does this by itself every day.
    Daily,
    /// Print the version.
    Version,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the chain and compare every covered record with its last event.
    Verify {
        /// A link written down earlier with `audit head`, as SEQ:HASH; the
        /// chain must still contain it (repeatable).
        #[arg(long = "anchor", value_name = "SEQ:HASH")]
        anchors: Vec<String>,
    },
    /// Print the last link (SEQ:HASH) to keep outside the database as an anchor.
    Head,
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// Load a year (or several) of the official holiday schedule from a TOML file.
    Import { file: PathBuf },
    /// Print the date N working days after DATE (YYYY-MM-DD).
    Deadline {
        date: String,
        #[arg(allow_negative_numbers = true)]
        days: i32,
    },
    /// List the loaded years.
    Show,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    config::init_logging(&cli.global);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    let g = cli.global;
    match cli.command {
        Command::Version => {
            println!("qingfeng {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        Command::Calendar { command: CalendarCommand::Deadline { date, days } } => {
            // Works without a database if there is none: built-in years only.
            let cal = match g.open_existing().await? {
                Some(store) => store.calendar().load().await?,
                None => Calendar::builtin(),
            };
            let date: jiff::civil::Date =
                date.parse().with_context(|| format!("`{date}` is not a date (YYYY-MM-DD)"))?;
            let r = cal.add_working_days(date, days)?;
            if r.provisional {
                println!("{} provisional", r.value);
            } else {
                println!("{}", r.value);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Outline { file, json, text } => {
            let outline =
                qingfeng_text::outline_file(&file).with_context(|| format!("cannot outline {}", file.display()))?;
            if json {
                print_stdout(&(serde_json::to_string_pretty(&outline)? + "\n"))?;
            } else {
                print_stdout(&qingfeng_text::render::render_tree(&outline, text))?;
                for w in &outline.warnings {
                    eprintln!("warning: {w}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules => {
            print!("{}", g.rules()?.to_toml());
            Ok(ExitCode::SUCCESS)
        }
        Command::Daily => {
            let state = qingfeng_web::AppState::new(g.open().await?, web_config(&g)?).await?;
            let r = qingfeng_web::jobs::run_daily(&state, qingfeng_web::rectify::today()).await?;
            println!(
                "{}: {} open problems checked, {} colours changed, {} escalations raised, {} resolved; {} units in the trend",
                r.day, r.warnings.checked, r.warnings.changed, r.warnings.escalated, r.warnings.resolved, r.snapshots
            );
            state.store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            let store = g.open().await?;
            println!("migrations applied ({} at {})", store.engine().name(), g.redacted_url());
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { bind, demo, secure_cookies, public } => serve(&g, &bind, demo, secure_cookies, &public).await,
        Command::Admin { command } => admin::run(&g.open().await?, command).await,
        Command::Audit { command: AuditCommand::Head } => {
            let (seq, hash) = g.open().await?.audit().head().await?;
            println!("{seq}:{hash}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit { command: AuditCommand::Verify { anchors } } => {
            let anchors = anchors
                .iter()
                .map(|a| {
                    let (seq, hash) = a.split_once(':').with_context(|| format!("anchor `{a}` is not SEQ:HASH"))?;
                    Ok((
                        seq.trim().parse::<i64>().with_context(|| format!("anchor `{a}`: bad sequence number"))?,
                        hash.trim().to_string(),
                    ))
                })
                .collect::<Result<Vec<_>>>()?;
            let store = g.open().await?;
            match store.audit().verify_anchored(&anchors).await? {
                Ok(report) => {
                    println!("ok {} events", report.events);
                    eprintln!("{} records compared with their last recorded state", report.rows);
                    Ok(ExitCode::SUCCESS)
                }
                Err(broken) => {
                    println!("broken: {broken}");
                    Ok(ExitCode::from(2))
                }
            }
        }
        Command::Backup { file } => {
            let store = g.open().await?;
            store.backup(&file, &g.database_url()).await?;
            println!("backup written to {}", file.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Calendar { command: CalendarCommand::Import { file } } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let years = Calendar::parse_toml(&text)
                .with_context(|| format!("{} is not a valid calendar file", file.display()))?;
            let store = g.open().await?;
            for y in &years {
                store.calendar().import(&Who::system("cli"), y).await?;
                println!("imported {} ({} holidays, {} adjusted workdays)", y.year, y.holidays.len(), y.workdays.len());
            }
            println!("a running server picks the new years up at its next start");
            Ok(ExitCode::SUCCESS)
        }
        Command::Calendar { command: CalendarCommand::Show } => {
            let cal = match g.open_existing().await? {
                Some(store) => store.calendar().load().await?,
                None => Calendar::builtin(),
            };
            for y in cal.years() {
                println!(
                    "{}  {} holidays, {} adjusted workdays  {}",
                    y.year,
                    y.holidays.len(),
                    y.workdays.len(),
                    y.source
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Print to stdout; a reader that went away (`| head`) is not an error.
fn print_stdout(s: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

fn web_config(g: &Global) -> Result<qingfeng_web::WebConfig> {
    Ok(qingfeng_web::WebConfig { rules: g.rules()?, ..Default::default() })
}

/// The demo keeps its seal key and receipt salt as files in the data
/// directory (never in the database), made on first start.
fn demo_secrets(dir: &std::path::Path, public: &config::PublicArgs, c: &mut qingfeng_web::WebConfig) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    if public.seal_key_file.is_none() {
        let path = dir.join("demo-office.key");
        if !path.exists() {
            let mut k = [0u8; 16];
            rand::RngCore::fill_bytes(&mut rand::rng(), &mut k);
            let hex: String = k.iter().map(|b| format!("{b:02x}")).collect();
            write_private(&path, &hex)?;
        }
        let key = qingfeng_seal::SealKey::from_file("demo-office", &path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        c.seal = Some(std::sync::Arc::new(qingfeng_seal::Keyring::new(key)));
    }
    if public.receipt_salt.is_none() {
        let path = dir.join("demo-receipt.salt");
        if !path.exists() {
            let mut k = [0u8; 16];
            rand::RngCore::fill_bytes(&mut rand::rng(), &mut k);
            write_private(&path, &k.iter().map(|b| format!("{b:02x}")).collect::<String>())?;
        }
        let salt = std::fs::read_to_string(&path)?;
        let h = qingfeng_seal::ReceiptHasher::new(salt.trim().as_bytes()).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        c.receipts = std::sync::Arc::new(h);
    }
    Ok(())
}

fn write_private(path: &std::path::Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)?.write_all(text.as_bytes())?;
    Ok(())
}

async fn serve(g: &Global, bind: &str, demo: bool, secure_cookies: bool, public: &config::PublicArgs) -> Result<ExitCode> {
    // A bad rules file or public setting stops the start before anything is written.
    let mut base = public.apply(web_config(g)?)?;
    base.search_dir = Some(g.data_dir.join("search"));
    if demo {
        demo_secrets(&g.data_dir, public, &mut base)?;
    }
    let store = g.open().await?;
    admin::bootstrap_admin(&store).await?;
    if demo {
        if qingfeng_demo::has_data(&store).await? {
            println!(
                "演示数据未重新生成：数据库中已有组织数据。 (demo data not rebuilt: the database already has an org tree)"
            );
            println!("演示账号如下（如已修改密码，请用修改后的密码）:");
            admin::print_demo_accounts(&qingfeng_demo_accounts_only());
        } else {
            println!("正在生成演示数据（安澜市，虚构）… (building the demo city)");
            let report = qingfeng_demo::build_with(&store, base.seal.as_deref(), &base.receipts).await?;
            println!(
                "已生成 {} 个组织、{} 名人员。 ({} units, {} people)",
                report.units, report.people, report.units, report.people
            );
            admin::print_demo_accounts(&report.accounts);
        }
    }
    let login_notice = demo.then(|| {
        let mut n = format!("演示账号（初始密码 {}，首次登录须修改）：\n", qingfeng_demo::DEMO_PASSWORD);
        for a in qingfeng_demo::accounts_spec() {
            n.push_str(&format!("{} · {} · {}\n", a.username, a.role.label().zh, a.scope));
        }
        n
    });
    let config = qingfeng_web::WebConfig { secure_cookies, demo, login_notice, ..base };
    let state = qingfeng_web::AppState::new(store.clone(), config).await?;
    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("cannot listen on {bind}"))?;
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() && !secure_cookies {
        tracing::warn!("listening on {addr} without --secure-cookies: put it behind HTTPS before exposing it");
    }
    println!("清风 Qingfeng 已启动: http://{addr}/  ({} database at {})", store.engine().name(), g.redacted_url());
    tokio::spawn(sessions_janitor(store.clone()));
    tokio::spawn(qingfeng_web::jobs::daily_loop(state.clone()));
    // The peer address feeds the public pages' per-client limits (never stored).
    let app = qingfeng_web::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// The demo accounts without building anything (for a second `--demo` start).
fn qingfeng_demo_accounts_only() -> Vec<qingfeng_demo::DemoAccount> {
    qingfeng_demo::accounts_spec()
}

/// Removes sessions that have been idle past the timeout, every ten minutes.
async fn sessions_janitor(store: Store) {
    let idle = qingfeng_domain::auth::LoginPolicy::default().idle_timeout;
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(600)).await;
        let cutoff = qingfeng_store::Ts::from(jiff::Timestamp::now() - idle);
        match store.sessions().purge(cutoff).await {
            Ok(n) if n > 0 => tracing::info!(sessions = n, "expired sessions removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "session clean-up failed"),
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    println!("正在停止… (shutting down)");
}
