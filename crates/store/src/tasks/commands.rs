//! Write commands on tasks: the lifecycle, breakdown, progress reports,
//! deadline change requests, and the derived progress and colour.
//!
//! A change to one task settles it and then every ancestor: a parent's
//! progress is the roll-up of its children's (`domain::tasks::rollup`),
//! its colour follows (`domain::tasks::schedule`). Each ancestor whose
//! derived figures moved gets its own audit event in the same transaction,
//! so the chain covers every row.

use super::queries::{children_in, task_in, task_snapshot_in};
use super::{DEADLINE_CHANGE, DeadlineChangeRow, Env, TASK, Task, Tasks};
use crate::audit::{Draft, Who, append, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_tx};
use crate::{Result, StoreError};
use jiff::civil::Date;
use qingfeng_domain::audit::HashAlgo;
use qingfeng_domain::tasks::deadline::{DeadlineChange, Decision, decide_deadline_change};
use qingfeng_domain::tasks::draft::TaskSpec;
use qingfeng_domain::tasks::lifecycle::{
    Capacities, ChildFacts, Facts, ProgressReport, TaskAction, parent_after_child_reopened, transition,
};
use qingfeng_domain::tasks::schedule::{TaskClock, escalation_due, warning};
use qingfeng_domain::tasks::{DeadlineChangeStatus, TaskStatus, rollup};
use serde_json::json;
use uuid::Uuid;

/// Who writes, with what calendar and rules, into which chain.
pub(crate) struct W<'a> {
    pub who: &'a Who,
    pub env: &'a Env<'a>,
    pub algo: HashAlgo,
}

/// A task about to be inserted.
pub(crate) struct NewTask<'a> {
    pub directive_id: Option<Uuid>,
    pub duty_entry_id: Option<Uuid>,
    pub occurrence: Option<&'a str>,
    pub parent: Option<&'a Task>,
    /// 1-based position among its siblings.
    pub seq: i64,
    pub issuing_unit_id: Uuid,
    pub spec: &'a TaskSpec,
    pub issued_on: Date,
    /// `Issued` for a directive's tasks; `Accepted` for a unit's own duty occurrences.
    pub status: TaskStatus,
}

pub(crate) async fn step(tx: &mut Tx, w: &W<'_>, task: Uuid, action: &str, from: Option<TaskStatus>, to: TaskStatus, comment: Option<&str>) -> Result<()> {
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO task_steps (id, task_id, action, from_status, to_status, comment, actor_label, on_date, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(Uuid::now_v7()).bind(task).bind(action).bind(from.map(TaskStatus::as_str)).bind(to.as_str())
        .bind(comment).bind(&w.who.label).bind(w.env.today.to_string()).bind(Ts::now())
        .execute(c).await)?;
    Ok(())
}

/// Inserts a task (its supporting units and its first step) and settles its
/// derived figures; the caller appends the event.
pub(crate) async fn insert_task(tx: &mut Tx, w: &W<'_>, n: NewTask<'_>) -> Result<Task> {
    let id = Uuid::now_v7();
    let (code, depth) = match n.parent {
        Some(p) => (format!("{}.{}", p.code, n.seq), p.depth + 1),
        None => (n.seq.to_string(), 0),
    };
    let s = n.spec;
    let milestones = serde_json::to_string(&s.schedule).unwrap_or_else(|_| "[]".into());
    let accepted_on = (n.status == TaskStatus::Accepted).then(|| n.issued_on.to_string());
    let now = Ts::now();
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO tasks (id, directive_id, duty_entry_id, occurrence, parent_id, seq, code, depth, issuing_unit_id, lead_unit_id, \
         owner_id, supervising_leader_id, title, body, deadline, milestones, weight, status, reported, progress, warning, warning_reason, \
         issued_on, accepted_on, done_on, last_reason, escalated_on, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, NULL, 0, 'green', '', $19, $20, NULL, NULL, NULL, $21, $21)")
        .bind(id).bind(n.directive_id).bind(n.duty_entry_id).bind(n.occurrence).bind(n.parent.map(|p| p.id)).bind(n.seq).bind(&code)
        .bind(depth).bind(n.issuing_unit_id).bind(s.lead_unit_id).bind(s.owner_id).bind(s.supervising_leader_id)
        .bind(&s.title).bind(&s.body).bind(s.deadline.to_string()).bind(&milestones).bind(i64::from(s.weight))
        .bind(n.status.as_str()).bind(n.issued_on.to_string()).bind(accepted_on).bind(now)
        .execute(c).await)?;
    for u in &s.supporting_unit_ids {
        exec_tx!(tx, c => sqlx::query("INSERT INTO task_supporting_units (task_id, unit_id) VALUES ($1, $2)")
            .bind(id).bind(*u).execute(c).await)?;
    }
    step(tx, w, id, "issue", None, n.status, None).await?;
    settle(tx, w.env, id).await
}

/// Issues `specs` as tasks of a directive (top-level, or under `parent`)
/// numbered after `after`, each with its `tasks.task.issue` event.
pub(crate) async fn issue_all(
    tx: &mut Tx,
    w: &W<'_>,
    directive_id: Uuid,
    parent: Option<&Task>,
    issuing_unit_id: Uuid,
    after: i64,
    specs: &[TaskSpec],
) -> Result<Vec<Task>> {
    let mut out = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        let t = insert_task(tx, w, NewTask {
            directive_id: Some(directive_id),
            duty_entry_id: None,
            occurrence: None,
            parent,
            seq: after + i as i64 + 1,
            issuing_unit_id,
            spec,
            issued_on: w.env.today,
            status: TaskStatus::Issued,
        })
        .await?;
        record(tx, w, "tasks.task.issue", &t).await?;
        out.push(t);
    }
    Ok(out)
}

fn clock(t: &Task) -> Result<(TaskStatus, Date, Date, Vec<qingfeng_domain::tasks::Milestone>)> {
    Ok((t.status(), t.issued_date()?, t.deadline_date()?, t.milestones()))
}

/// Recomputes a task's derived progress and colour inside `tx`.
pub(crate) async fn settle(tx: &mut Tx, env: &Env<'_>, id: Uuid) -> Result<Task> {
    let t = task_in(tx, id).await?;
    let kids: Vec<Task> = children_in(tx, id).await?.into_iter().filter(|k| k.status() != TaskStatus::Withdrawn).collect();
    let progress = match t.status() {
        TaskStatus::Done => 100,
        _ if !kids.is_empty() => {
            let values: Vec<(u8, u32)> =
                kids.iter().map(|k| (k.progress_u8(), u32::try_from(k.weight.max(0)).unwrap_or(0))).collect();
            rollup::mean(&values, env.rules.rollup)
        }
        _ => t.reported_u8().unwrap_or(0),
    };
    let (status, issued_on, deadline, milestones) = clock(&t)?;
    let c = TaskClock { status, issued_on, deadline, milestones: &milestones, progress, supervising_leader_id: t.supervising_leader_id };
    let (w, why) = warning(env.cal, env.rules, &c, env.today);
    if i64::from(progress) != t.progress || w.as_str() != t.warning || why.zh != t.warning_reason {
        exec_tx!(tx, c => sqlx::query("UPDATE tasks SET progress = $1, warning = $2, warning_reason = $3, updated_at = $4 WHERE id = $5")
            .bind(i64::from(progress)).bind(w.as_str()).bind(why.zh.as_ref()).bind(Ts::now()).bind(id).execute(c).await)?;
        return task_in(tx, id).await;
    }
    Ok(t)
}

/// Appends the event of one task's change.
pub(crate) async fn record(tx: &mut Tx, w: &W<'_>, action: &'static str, t: &Task) -> Result<()> {
    let snap = task_snapshot_in(tx, t).await?;
    append(tx, w.algo, w.who, Draft::change(action, TASK, t.id, Some(t.lead_unit_id), snap)).await?;
    Ok(())
}

/// Settles every ancestor of `parent` (inclusive), upward; each one whose
/// derived figures moved gets a `tasks.task.rollup` event.
pub(crate) async fn settle_up(tx: &mut Tx, w: &W<'_>, mut parent: Option<Uuid>) -> Result<()> {
    let mut guard = 0;
    while let Some(id) = parent {
        guard += 1;
        if guard > 64 {
            return Err(StoreError::Corrupt(format!("task {id}: ancestry too deep or cyclic")));
        }
        let before = task_in(tx, id).await?;
        let after = settle(tx, w.env, id).await?;
        if after.progress != before.progress || after.warning != before.warning || after.warning_reason != before.warning_reason {
            record(tx, w, "tasks.task.rollup", &after).await?;
        }
        parent = after.parent_id;
    }
    Ok(())
}

fn facts_of<'a>(t: &Task, reason: Option<&'a str>) -> Facts<'a> {
    Facts {
        reason,
        children: ChildFacts {
            active: u32::try_from(t.children).unwrap_or(0),
            done: u32::try_from(t.children_done).unwrap_or(0),
        },
        last_percent: t.reported_u8(),
        depth: u8::try_from(t.depth).unwrap_or(u8::MAX),
    }
}

fn action_name(a: TaskAction) -> &'static str {
    match a {
        TaskAction::Accept => "tasks.task.accept",
        TaskAction::Return => "tasks.task.return",
        TaskAction::Reissue => "tasks.task.reissue",
        TaskAction::Withdraw => "tasks.task.withdraw",
        TaskAction::BreakDown => "tasks.task.break_down",
        TaskAction::ReportProgress => "tasks.task.report",
        TaskAction::Complete => "tasks.task.complete",
        TaskAction::Reopen => "tasks.task.reopen",
    }
}

/// What the daily recompute did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recompute {
    pub checked: u64,
    pub changed: u64,
    pub escalated: u64,
}

impl Tasks<'_> {
    fn w<'a>(&self, who: &'a Who, env: &'a Env<'a>) -> W<'a> {
        W { who, env, algo: self.0.algo }
    }

    /// A lifecycle step other than breakdown and progress (accept, return,
    /// reissue, withdraw, complete, reopen). `cap` is decided by `access`.
    pub async fn act(&self, who: &Who, env: &Env<'_>, id: Uuid, action: TaskAction, cap: Capacities, reason: Option<&str>) -> Result<Task> {
        if matches!(action, TaskAction::BreakDown | TaskAction::ReportProgress) {
            return Err(StoreError::Corrupt("break_down and report_progress have their own commands".into()));
        }
        let w = self.w(who, env);
        let mut tx = self.0.pool.begin_write().await?;
        let t = task_in(&mut tx, id).await?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        let from = t.status();
        let to = transition(from, action, cap, &facts_of(&t, reason), env.rules)?;
        let today = env.today.to_string();
        let (accepted_on, done_on, last_reason) = match action {
            TaskAction::Accept => (Some(today.clone()), t.done_on.clone(), t.last_reason.clone()),
            TaskAction::Complete => (t.accepted_on.clone(), Some(today.clone()), t.last_reason.clone()),
            TaskAction::Reopen => (t.accepted_on.clone(), None, reason.map(str::to_string)),
            TaskAction::Return | TaskAction::Withdraw => (t.accepted_on.clone(), t.done_on.clone(), reason.map(str::to_string)),
            _ => (t.accepted_on.clone(), t.done_on.clone(), t.last_reason.clone()),
        };
        // A reissued task starts its acceptance clock again.
        let issued_on = if action == TaskAction::Reissue { today.clone() } else { t.issued_on.clone() };
        exec_tx!(&mut tx, c => sqlx::query(
            "UPDATE tasks SET status = $1, accepted_on = $2, done_on = $3, last_reason = $4, issued_on = $5, updated_at = $6 WHERE id = $7")
            .bind(to.as_str()).bind(accepted_on).bind(done_on).bind(last_reason).bind(issued_on).bind(Ts::now()).bind(id)
            .execute(c).await)?;
        step(&mut tx, &w, id, action.as_str(), Some(from), to, reason).await?;
        let after = settle(&mut tx, env, id).await?;
        record(&mut tx, &w, action_name(action), &after).await?;
        if action == TaskAction::Withdraw {
            self.withdraw_below(&mut tx, &w, id, reason).await?;
        }
        if action == TaskAction::Reopen
            && let Some(pid) = after.parent_id
        {
            let p = task_in(&mut tx, pid).await?;
            if let Some(ps) = parent_after_child_reopened(p.status()) {
                exec_tx!(&mut tx, c => sqlx::query("UPDATE tasks SET status = $1, done_on = NULL, updated_at = $2 WHERE id = $3")
                    .bind(ps.as_str()).bind(Ts::now()).bind(pid).execute(c).await)?;
                step(&mut tx, &w, pid, "reopen", Some(p.status()), ps, Some("子任务重新打开")).await?;
                let p = settle(&mut tx, env, pid).await?;
                record(&mut tx, &w, "tasks.task.reopen", &p).await?;
            }
        }
        settle_up(&mut tx, &w, after.parent_id).await?;
        let done = task_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Withdraws every open descendant of a withdrawn task, with the same reason.
    async fn withdraw_below(&self, tx: &mut Tx, w: &W<'_>, id: Uuid, reason: Option<&str>) -> Result<()> {
        let mut stack = vec![id];
        while let Some(pid) = stack.pop() {
            for k in children_in(tx, pid).await? {
                stack.push(k.id);
                if matches!(k.status(), TaskStatus::Done | TaskStatus::Withdrawn) {
                    continue;
                }
                exec_tx!(tx, c => sqlx::query("UPDATE tasks SET status = 'withdrawn', last_reason = $1, updated_at = $2 WHERE id = $3")
                    .bind(reason).bind(Ts::now()).bind(k.id).execute(c).await)?;
                step(tx, w, k.id, "withdraw", Some(k.status()), TaskStatus::Withdrawn, Some("上级任务撤销")).await?;
                let after = settle(tx, w.env, k.id).await?;
                record(tx, w, "tasks.task.withdraw", &after).await?;
            }
        }
        Ok(())
    }

    /// 分解: sub-tasks for the lead unit's children (validated by the caller
    /// against the parent's deadline and the children of its lead unit).
    pub async fn break_down(&self, who: &Who, env: &Env<'_>, id: Uuid, cap: Capacities, specs: &[TaskSpec]) -> Result<Vec<Task>> {
        let w = self.w(who, env);
        let mut tx = self.0.pool.begin_write().await?;
        let parent = task_in(&mut tx, id).await?;
        transition(parent.status(), TaskAction::BreakDown, cap, &facts_of(&parent, None), env.rules)?;
        let mut q = Sql::new("SELECT COALESCE(MAX(seq), 0) AS n FROM tasks WHERE parent_id = ");
        q.arg(id);
        #[derive(sqlx::FromRow)]
        struct N {
            n: i64,
        }
        let base = fetch_all_tx!(&mut tx, N, q)?.into_iter().next().map_or(0, |n| n.n);
        let directive = parent.directive_id.ok_or_else(|| StoreError::Corrupt(format!("task {id} is not a directive's")))?;
        let out = issue_all(&mut tx, &w, directive, Some(&parent), parent.lead_unit_id, base, specs).await?;
        step(&mut tx, &w, id, "break_down", Some(parent.status()), parent.status(), Some(&format!("分解为{}项子任务", specs.len()))).await?;
        settle_up(&mut tx, &w, Some(id)).await?;
        let after = task_in(&mut tx, id).await?;
        let snap = task_snapshot_in(&mut tx, &after).await?;
        let sub: Vec<Uuid> = out.iter().map(|t| t.id).collect();
        commit_with(tx, self.0.algo, who, Draft::change("tasks.task.break_down", TASK, id, Some(after.lead_unit_id), snap)
            .with_detail(json!({ "sub_tasks": sub })))
        .await?;
        Ok(out)
    }

    /// 报送进度 on a leaf; the ancestors' progress follows.
    pub async fn report(&self, who: &Who, env: &Env<'_>, id: Uuid, cap: Capacities, r: &ProgressReport) -> Result<Task> {
        let w = self.w(who, env);
        let mut tx = self.0.pool.begin_write().await?;
        let t = task_in(&mut tx, id).await?;
        transition(t.status(), TaskAction::ReportProgress, cap, &facts_of(&t, None), env.rules)?;
        let note = match &r.reason {
            Some(why) => format!("{}（进度下调理由：{why}）", r.note),
            None => r.note.clone(),
        };
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO task_reports (id, task_id, percent, note, on_date, reported_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(Uuid::now_v7()).bind(id).bind(i64::from(r.percent)).bind(&note).bind(r.reported_on.to_string())
            .bind(&who.label).bind(Ts::now()).execute(c).await)?;
        exec_tx!(&mut tx, c => sqlx::query("UPDATE tasks SET reported = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(r.percent)).bind(Ts::now()).bind(id).execute(c).await)?;
        step(&mut tx, &w, id, "report_progress", Some(t.status()), t.status(), Some(&format!("{}%：{}", r.percent, r.note))).await?;
        let after = settle(&mut tx, env, id).await?;
        record(&mut tx, &w, "tasks.task.report", &after).await?;
        settle_up(&mut tx, &w, after.parent_id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A deadline change request by the receiving unit (validated by the caller).
    pub async fn request_deadline(&self, who: &Who, env: &Env<'_>, id: Uuid, cap: Capacities, req: &DeadlineChange) -> Result<DeadlineChangeRow> {
        if !cap.receiving_unit {
            return Err(StoreError::Refused(qingfeng_domain::Refusal::new(
                "not_receiving_unit",
                "只有任务牵头单位可以申请调整时限",
                "only the lead unit may ask for a deadline change",
            )));
        }
        let w = self.w(who, env);
        let mut tx = self.0.pool.begin_write().await?;
        let t = task_in(&mut tx, id).await?;
        let xid = Uuid::now_v7();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO deadline_changes (id, task_id, current_deadline, requested_deadline, reason, status, decision_comment, requested_by, decided_by, requested_at, decided_at) \
             VALUES ($1, $2, $3, $4, $5, 'pending', NULL, $6, NULL, $7, NULL)")
            .bind(xid).bind(id).bind(&t.deadline).bind(req.requested.to_string()).bind(&req.reason).bind(&who.label).bind(Ts::now())
            .execute(c).await)?;
        step(&mut tx, &w, id, "request_deadline", Some(t.status()), t.status(), Some(&format!("申请将时限调整为{}：{}", req.requested, req.reason))).await?;
        let x = change_in(&mut tx, xid).await?;
        commit_with(tx, self.0.algo, who, Draft::change("tasks.deadline.request", DEADLINE_CHANGE, xid, Some(t.lead_unit_id), x.snapshot())).await?;
        Ok(x)
    }

    /// The issuer decides a deadline change; only an approval moves the deadline.
    pub async fn decide_deadline(&self, who: &Who, env: &Env<'_>, change: Uuid, cap: Capacities, decision: Decision, comment: Option<&str>) -> Result<DeadlineChangeRow> {
        let w = self.w(who, env);
        let mut tx = self.0.pool.begin_write().await?;
        let x = change_in(&mut tx, change).await?;
        let req = DeadlineChange {
            current: super::date(&x.current_deadline)?,
            requested: super::date(&x.requested_deadline)?,
            reason: x.reason.clone(),
            status: DeadlineChangeStatus::parse(&x.status).unwrap_or(DeadlineChangeStatus::Pending),
            decision_comment: x.decision_comment.clone(),
        };
        let (decided, deadline) = decide_deadline_change(&req, decision, cap, comment)?;
        exec_tx!(&mut tx, c => sqlx::query("UPDATE deadline_changes SET status = $1, decision_comment = $2, decided_by = $3, decided_at = $4 WHERE id = $5")
            .bind(decided.status.as_str()).bind(&decided.decision_comment).bind(&who.label).bind(Ts::now()).bind(change).execute(c).await)?;
        let t = task_in(&mut tx, x.task_id).await?;
        if deadline.to_string() != t.deadline {
            exec_tx!(&mut tx, c => sqlx::query("UPDATE tasks SET deadline = $1, updated_at = $2 WHERE id = $3")
                .bind(deadline.to_string()).bind(Ts::now()).bind(t.id).execute(c).await)?;
        }
        let label = if decision == Decision::Approve { "同意调整时限" } else { "不同意调整时限" };
        step(&mut tx, &w, t.id, "decide_deadline", Some(t.status()), t.status(), Some(&format!("{label}（{}）", decided.decision_comment.as_deref().unwrap_or("")))).await?;
        let after = settle(&mut tx, env, t.id).await?;
        record(&mut tx, &w, "tasks.task.deadline", &after).await?;
        settle_up(&mut tx, &w, after.parent_id).await?;
        let x = change_in(&mut tx, change).await?;
        commit_with(tx, self.0.algo, who, Draft::change("tasks.deadline.decide", DEADLINE_CHANGE, change, Some(t.issuing_unit_id), x.snapshot())).await?;
        Ok(x)
    }

    /// Recomputes every open task's colour as of `env.today` and records
    /// each due 督办 once (idempotent: a second run the same day changes nothing).
    pub async fn recompute_warnings(&self, who: &Who, env: &Env<'_>) -> Result<Recompute> {
        let w = self.w(who, env);
        let mut r = Recompute::default();
        for id in self.open_ids().await? {
            let mut tx = self.0.pool.begin_write().await?;
            let before = task_in(&mut tx, id).await?;
            let after = settle(&mut tx, env, id).await?;
            r.checked += 1;
            let mut changed = after.warning != before.warning || after.warning_reason != before.warning_reason || after.progress != before.progress;
            let (status, issued_on, deadline, milestones) = clock(&after)?;
            let c = TaskClock { status, issued_on, deadline, milestones: &milestones, progress: after.progress_u8(), supervising_leader_id: after.supervising_leader_id };
            if after.escalated_on.is_none()
                && let Some(e) = escalation_due(&c, env.today, env.cal, env.rules)
            {
                exec_tx!(&mut tx, c => sqlx::query("UPDATE tasks SET escalated_on = $1 WHERE id = $2")
                    .bind(env.today.to_string()).bind(id).execute(c).await)?;
                step(&mut tx, &w, id, "escalate", Some(status), status, Some(&e.msg.zh)).await?;
                r.escalated += 1;
                changed = true;
            }
            if changed {
                r.changed += 1;
                let after = task_in(&mut tx, id).await?;
                record(&mut tx, &w, "tasks.task.recompute", &after).await?;
                tx.commit().await?;
            } else {
                drop(tx);
            }
        }
        Ok(r)
    }
}

pub(crate) async fn change_in(tx: &mut Tx, id: Uuid) -> Result<DeadlineChangeRow> {
    let mut q = Sql::new("SELECT * FROM deadline_changes WHERE id = ");
    q.arg(id);
    fetch_all_tx!(tx, DeadlineChangeRow, q)?.into_iter().next().ok_or(StoreError::NotFound)
}
