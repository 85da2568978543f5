//! The `qingfeng` binary as an operator uses it.

use qingfeng_store::{Settings, Store};
use qingfeng_test_support::Fixture;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn qingfeng(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qingfeng"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("QINGFENG_DATABASE_URL")
        .output()
        .expect("run qingfeng")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn db_url(data: &Path) -> String {
    format!("sqlite://{}/qingfeng.db", data.display())
}

async fn tamper(data: &Path, sql: &str) {
    let pool = sqlx::SqlitePool::connect(&db_url(data)).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(&pool).await.unwrap();
    pool.close().await;
}

#[test]
fn calendar_deadline_counts_working_days_and_flags_unknown_years() {
    let dir = tempfile::tempdir().unwrap();
    let o = qingfeng(dir.path(), &["calendar", "deadline", "2026-02-12", "15"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), "2026-03-11\n");
    let o = qingfeng(dir.path(), &["calendar", "deadline", "2030-03-01", "5"]);
    assert_eq!(stdout(&o), "2030-03-08 provisional\n");
    let o = qingfeng(dir.path(), &["calendar", "deadline", "2026-10-12", "-5"]);
    assert_eq!(stdout(&o), "2026-09-29\n");
    let o = qingfeng(dir.path(), &["calendar", "deadline", "2026-02-30", "5"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a date"));
    assert!(!dir.path().join("qingfeng.db").exists(), "a calculation creates no database");
}

#[tokio::test]
async fn calendar_import_adds_a_year_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("2027.toml");
    std::fs::write(&file, "[2027]\nsource = \"测试安排\"\nholidays = [\"2027-01-01\", \"2027-02-05..2027-02-11\"]\nworkdays = [\"2027-02-13\"]\n").unwrap();
    let o = qingfeng(dir.path(), &["calendar", "import", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = qingfeng(dir.path(), &["calendar", "deadline", "2027-02-04", "2"]);
    assert_eq!(stdout(&o), "2027-02-13\n", "holiday week skipped, adjusted Saturday counted, final");
    std::fs::write(&file, "[2027]\nworkdays = [\"2027-03-03\"]\n").unwrap();
    let o = qingfeng(dir.path(), &["calendar", "import", file.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("weekday"));
    let o = qingfeng(dir.path(), &["audit", "verify"]);
    assert_eq!(stdout(&o), "ok 1 events\n");
}

#[tokio::test]
async fn audit_verify_names_the_broken_link_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let url = db_url(dir.path());
    let store = Store::open(&url, Settings::default()).await.unwrap();
    let f = Fixture::build(&store).await;
    store.close().await;
    let o = qingfeng(dir.path(), &["audit", "verify"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), "ok 19 events\n");

    // An audited row changed behind the application's back.
    tamper(dir.path(), "UPDATE people SET position = '局长' WHERE name = '王建国'").await;
    let o = qingfeng(dir.path(), &["audit", "verify"]);
    assert!(!o.status.success());
    let out = stdout(&o);
    assert!(
        out.starts_with("broken: person ") && out.contains(&f.person_a.id.to_string()) && out.contains("event #6"),
        "{out}"
    );
    tamper(dir.path(), "UPDATE people SET position = '科员' WHERE name = '王建国'").await;
    assert!(qingfeng(dir.path(), &["audit", "verify"]).status.success(), "restored row verifies again");

    // An anchor kept outside the database pins the history down.
    let head = stdout(&qingfeng(dir.path(), &["audit", "head"])).trim().to_string();
    assert!(head.starts_with("19:"), "{head}");
    assert!(qingfeng(dir.path(), &["audit", "verify", "--anchor", &head]).status.success());
    let wrong = format!("19:{}", "0".repeat(64));
    let o = qingfeng(dir.path(), &["audit", "verify", "--anchor", &wrong]);
    assert!(!o.status.success());
    assert!(stdout(&o).contains("anchor"), "{}", stdout(&o));

    // An event edited in place.
    tamper(dir.path(), "UPDATE audit_events SET actor_label = 'someone' WHERE seq = 4").await;
    let o = qingfeng(dir.path(), &["audit", "verify"]);
    assert!(!o.status.success());
    assert_eq!(stdout(&o), "broken: event #4: fields were altered (hash mismatch)\n");
}

#[tokio::test]
async fn backup_is_a_consistent_verifiable_copy() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&db_url(dir.path()), Settings::default()).await.unwrap();
    Fixture::build(&store).await;
    let file = dir.path().join("backup-20261123.db");
    let o = qingfeng(dir.path(), &["backup", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let copy = tempfile::tempdir().unwrap();
    std::fs::copy(&file, copy.path().join("qingfeng.db")).unwrap();
    assert_eq!(stdout(&qingfeng(copy.path(), &["audit", "verify"])), "ok 19 events\n");
    let again = qingfeng(dir.path(), &["backup", file.to_str().unwrap()]);
    assert!(!again.status.success(), "never overwrites an existing file");
    store.close().await;
}

#[tokio::test]
async fn admin_commands_create_accounts_grants_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&db_url(dir.path()), Settings::default()).await.unwrap();
    let f = Fixture::build(&store).await;
    let o = qingfeng(
        dir.path(),
        &[
            "admin",
            "create-account",
            "--username",
            "Li.WD",
            "--name",
            "李卫东",
            "--unit",
            &f.bureau_b.name,
            "--role",
            "unit_operator",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("one-time password"));
    let a = store.accounts().find_by_username("li.wd").await.unwrap().unwrap();
    assert!(a.must_change_password);
    assert_eq!(store.grants().of_account(a.id).await.unwrap()[0].org_unit_id, Some(f.bureau_b.id));
    let o = qingfeng(dir.path(), &["admin", "grant", "li.wd", "inspector", "--unit", "治安支队党支部"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = qingfeng(dir.path(), &["admin", "grant", "li.wd", "overlord", "--global"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown role"));
    let o = qingfeng(dir.path(), &["admin", "token", "li.wd", "--name", "报表"]);
    let token = stdout(&o).trim().to_string();
    assert!(token.starts_with("qf_") && token.len() > 40);
    assert!(store.accounts().find_token(&qingfeng_web::ctx::token_hash(&token)).await.unwrap().is_some());
    let o = qingfeng(dir.path(), &["admin", "reset-password", "nobody"]);
    assert!(!o.status.success());
    assert!(stdout(&qingfeng(dir.path(), &["audit", "verify"])).starts_with("ok "));
    store.close().await;
}

#[test]
fn rules_prints_the_defaults_or_the_file_over_them_and_names_a_bad_key() {
    let dir = tempfile::tempdir().unwrap();
    let o = qingfeng(dir.path(), &["rules"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("lookback_months = 6"), "{}", stdout(&o));
    let file = dir.path().join("rules.toml");
    std::fs::write(&file, "[rectify]\nlookback_months = 3\n").unwrap();
    let o = qingfeng(dir.path(), &["--rules", file.to_str().unwrap(), "rules"]);
    assert!(stdout(&o).contains("lookback_months = 3") && stdout(&o).contains("yellow_working_days = 5"));
    // A typo stops the server before it starts, naming the key and the line.
    std::fs::write(&file, "[rectify]\nlookback_month = 3\n").unwrap();
    let o = qingfeng(dir.path(), &["--rules", file.to_str().unwrap(), "serve", "--bind", "127.0.0.1:0"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("lookback_month") && err.contains("line 2"), "{err}");
    assert!(!dir.path().join("qingfeng.db").exists(), "nothing written");
}

#[test]
fn daily_runs_the_rectification_job_once() {
    let dir = tempfile::tempdir().unwrap();
    let o = qingfeng(dir.path(), &["daily"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("0 open problems checked"), "{}", stdout(&o));
}

#[test]
fn outline_prints_the_tree_with_kinds_or_json_and_refuses_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../text/tests/corpus");
    let seed = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("000_")))
        .expect("seed speech 000 in crates/text/tests/corpus");
    let o = qingfeng(dir.path(), &["outline", seed.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let tree = stdout(&o);
    assert!(tree.starts_with("标题：在全市生态系统全面从严治党暨作风再整治工作会议上的讲话\n"), "{tree}");
    assert!(tree.contains("\n【问题】一是理论学习“搞应付”\n"), "{tree}");
    assert!(tree.contains("\n【问题】四是“放管服”改革“不深入”\n"), "{tree}");
    assert!(tree.contains("\n    【要求】一要持续加强理论修养，筑牢“两个维护”的思想基础\n"), "{tree}");
    assert!(!tree.contains("QQ") && !tree.contains("订阅"), "{tree}");

    let o = qingfeng(dir.path(), &["outline", "--json", seed.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(json["items"][0]["kind"], "problem");
    assert_eq!(json["items"][4]["children"][0]["kind"], "requirement");

    let o = qingfeng(dir.path(), &["outline", dir.path().join("missing.txt").to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read"));
    let pdf = dir.path().join("a.pdf");
    std::fs::write(&pdf, b"%PDF-1.7").unwrap();
    let o = qingfeng(dir.path(), &["outline", pdf.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("PDF"));
    assert!(!dir.path().join("qingfeng.db").exists(), "outlining opens no database");
}

#[test]
fn version_prints_the_version() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(stdout(&qingfeng(dir.path(), &["version"])), format!("qingfeng {}\n", env!("CARGO_PKG_VERSION")));
}

/// Starts `serve` on port 0 and reads stdout until the server is up. The
/// caller owns the child (and kills it).
#[allow(clippy::zombie_processes)]
fn serve(data: &Path, extra: &[&str]) -> (Child, String, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qingfeng"))
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(extra)
        .env_remove("QINGFENG_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    let mut lines = Vec::new();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 || Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("server did not start: {lines:#?}");
        }
        if let Some(rest) = line.split("http://").nth(1) {
            let addr = rest.split('/').next().unwrap().to_string();
            lines.push(line);
            return (child, addr, lines);
        }
        lines.push(line);
    }
}

async fn login(base: &str, username: &str, password: &str) -> reqwest::Response {
    let client =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = client.get(format!("{base}/login")).send().await.unwrap().text().await.unwrap();
    let csrf = qingfeng_test_support::app::csrf_in(&page).unwrap();
    client
        .post(format!("{base}/login"))
        .form(&[("_csrf", csrf.as_str()), ("username", username), ("password", password)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn first_start_creates_admin_with_a_one_time_password_printed_once() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, addr, lines) = serve(dir.path(), &[]);
    let line = lines.iter().find(|l| l.contains("one-time password")).expect("password printed");
    let password = line.rsplit(": ").next().unwrap().trim().to_string();
    let base = format!("http://{addr}");
    let res = login(&base, "admin", &password).await;
    assert_eq!(res.headers()["location"], "/password", "must change it first");
    child.kill().unwrap();
    child.wait().unwrap();
    let (mut again, _, lines) = serve(dir.path(), &[]);
    assert!(!lines.iter().any(|l| l.contains("one-time password")), "printed only on the first start");
    again.kill().unwrap();
    again.wait().unwrap();
}

#[tokio::test]
async fn serve_demo_prints_accounts_and_each_can_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, addr, lines) = serve(dir.path(), &["--demo"]);
    let out = lines.concat();
    let base = format!("http://{addr}");
    let page = reqwest::get(format!("{base}/login")).await.unwrap().text().await.unwrap();
    assert!(page.contains("lang=\"zh-CN\"") && page.contains("登录") && page.contains("演示环境"));
    assert!(page.contains("sthj · 单位管理员"), "the login page names the demo accounts");
    for a in qingfeng_demo::accounts_spec() {
        assert!(out.contains(a.username), "{} not printed", a.username);
        let res = login(&base, a.username, qingfeng_demo::DEMO_PASSWORD).await;
        assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER, "{}", a.username);
        assert_eq!(res.headers()["location"], "/password", "{} must change the demo password", a.username);
    }
    child.kill().unwrap();
    child.wait().unwrap();
}
