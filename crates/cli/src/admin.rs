//! `qingfeng admin …`: accounts, passwords, grants and API tokens from the
//! shell, and the first administrator of an empty database.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use qingfeng_domain::access::Role;
use qingfeng_domain::auth::{hash_password, validate_username};
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::page::PageRequest;
use qingfeng_store::accounts::{AccountFilter, NewAccount};
use qingfeng_store::org::OrgFilter;
use qingfeng_store::{Store, Ts, Who};
use qingfeng_web::access::one_time_password;
use qingfeng_web::ctx::{random_token, token_hash};
use std::process::ExitCode;
use uuid::Uuid;

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create an account; prints its one-time password.
    CreateAccount {
        #[arg(long)]
        username: String,
        /// Display name (the person's name).
        #[arg(long)]
        name: String,
        /// Home unit: its id or its exact name.
        #[arg(long)]
        unit: Option<String>,
        /// Also grant this role on the home unit.
        #[arg(long)]
        role: Option<String>,
    },
    /// Issue a new one-time password (the account must change it at next login).
    ResetPassword { username: String },
    /// Lift a lock-out.
    Unlock { username: String },
    /// Grant ROLE on a unit (by id or exact name), or deployment-wide with --global.
    Grant {
        username: String,
        /// One of: system_admin, discipline_officer, party_leader, unit_operator, branch_secretary, member, inspector, auditor.
        role: String,
        #[arg(long, conflicts_with = "global")]
        unit: Option<String>,
        #[arg(long)]
        global: bool,
    },
    /// Create an API token for an account; prints it once.
    Token {
        username: String,
        /// What the token is for.
        #[arg(long, default_value = "api")]
        name: String,
        /// Days until it expires (default: never).
        #[arg(long)]
        expires_days: Option<i64>,
    },
    /// List accounts.
    Accounts,
}

fn who() -> Who {
    Who::system("cli")
}

async fn account_id(store: &Store, username: &str) -> Result<Uuid> {
    Ok(store.accounts().find_by_username(username).await?.with_context(|| format!("no account `{username}`"))?.id)
}

async fn unit_id(store: &Store, unit: &str) -> Result<Uuid> {
    if let Ok(id) = Uuid::try_parse(unit.trim()) {
        return Ok(store.orgs().get(id).await.with_context(|| format!("no unit with id {id}"))?.id);
    }
    let f = OrgFilter { q: Some(unit.trim().to_string()), kind: None, include_inactive: false };
    let found = store.orgs().search(&[OrgPath::global()], &f, PageRequest::new(Some(1), Some(50))).await?;
    let exact: Vec<_> = found
        .items
        .iter()
        .filter(|n| n.unit.name == unit.trim() || n.unit.short_name.as_deref() == Some(unit.trim()))
        .collect();
    match exact.as_slice() {
        [one] => Ok(one.unit.id),
        [] => bail!("no unit named `{unit}`"),
        _ => bail!("several units are named `{unit}`; use its id"),
    }
}

fn role(s: &str) -> Result<Role> {
    Role::parse(s.trim()).with_context(|| {
        format!(
            "unknown role `{s}`; use one of: {}",
            Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
        )
    })
}

pub async fn run(store: &Store, cmd: AdminCommand) -> Result<ExitCode> {
    match cmd {
        AdminCommand::CreateAccount { username, name, unit, role: r } => {
            let username = validate_username(&username).map_err(|m| anyhow::anyhow!("username: {m}"))?;
            let unit = match unit {
                Some(u) => Some(unit_id(store, &u).await?),
                None => None,
            };
            let r = r.as_deref().map(role).transpose()?;
            let password = one_time_password();
            let new = NewAccount {
                username: username.clone(),
                display_name: name,
                org_unit_id: unit,
                person_id: None,
                password_hash: hash_password(&password),
                must_change_password: true,
            };
            let a = store.accounts().create(&who(), &new).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            if let Some(r) = r {
                store.grants().create(&who(), a.id, r, unit).await?;
            }
            println!("account {username} created; one-time password (shown once): {password}");
        }
        AdminCommand::ResetPassword { username } => {
            let id = account_id(store, &username).await?;
            let password = one_time_password();
            store.accounts().set_password(&who(), id, &hash_password(&password), true, None).await?;
            println!("password of {username} reset; one-time password (shown once): {password}");
        }
        AdminCommand::Unlock { username } => {
            store.accounts().unlock(&who(), account_id(store, &username).await?).await?;
            println!("{username} unlocked");
        }
        AdminCommand::Grant { username, role: r, unit, global } => {
            let id = account_id(store, &username).await?;
            let unit = match (unit, global) {
                (Some(u), _) => Some(unit_id(store, &u).await?),
                (None, true) => None,
                (None, false) => bail!("name a unit with --unit, or use --global for a deployment-wide grant"),
            };
            let g = store.grants().create(&who(), id, role(&r)?, unit).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "granted {} to {username} on {}",
                g.role,
                g.org_unit_name.unwrap_or_else(|| "the whole deployment".into())
            );
        }
        AdminCommand::Token { username, name, expires_days } => {
            let id = account_id(store, &username).await?;
            let token = format!("qf_{}", random_token());
            let expires =
                expires_days.map(|d| Ts::from(jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * d)));
            store.accounts().create_token(&who(), id, &name, &token_hash(&token), expires).await?;
            println!("{token}");
            eprintln!("API token for {username} (shown once). Use it as:  Authorization: Bearer {token}");
        }
        AdminCommand::Accounts => {
            let page = store
                .accounts()
                .list(
                    &[OrgPath::global()],
                    &AccountFilter { q: None, include_inactive: true },
                    PageRequest::new(Some(1), Some(200)),
                )
                .await?;
            for a in page.items {
                println!(
                    "{:<16} {:<10} {:<8} {}",
                    a.username,
                    a.display_name,
                    if a.active { "active" } else { "disabled" },
                    a.org_unit_name.unwrap_or_default()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// On an empty database, creates `admin` (deployment-wide system
/// administrator) with a random one-time password, printed once.
pub async fn bootstrap_admin(store: &Store) -> Result<()> {
    if store.accounts().any().await? {
        return Ok(());
    }
    let password = one_time_password();
    let new = NewAccount {
        username: "admin".into(),
        display_name: "系统管理员".into(),
        org_unit_id: None,
        person_id: None,
        password_hash: hash_password(&password),
        must_change_password: true,
    };
    let who = Who::system("bootstrap");
    let admin = store.accounts().create(&who, &new).await?;
    store.grants().create(&who, admin.id, Role::SystemAdmin, None).await?;
    println!();
    println!("首次启动：已创建全系统管理员账号 admin (first start: created the administrator account)");
    println!("  用户名 username: admin");
    println!("  一次性密码 one-time password: {password}");
    println!("  此密码只显示这一次，首次登录须修改。 (shown only once; must be changed at first login)");
    println!();
    Ok(())
}

pub fn print_demo_accounts(accounts: &[qingfeng_demo::DemoAccount]) {
    println!();
    println!(
        "演示账号 (demo accounts) — 密码均为 password: {}（首次登录须修改 / change at first login）",
        qingfeng_demo::DEMO_PASSWORD
    );
    println!("  {:<10} {:<14} {:<8} 管辖范围 / 说明", "用户名", "角色", "姓名");
    for a in accounts {
        println!("  {:<13} {:<12} {:<8} {} — {}", a.username, a.role.label().zh, a.person, a.scope, a.what);
    }
    println!();
}
