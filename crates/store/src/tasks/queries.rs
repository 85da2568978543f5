//! Reads: directives, tasks (scoped lists, a directive's tree, a task's
//! sub-tasks), histories, deadline change requests and board counts.

use super::{DeadlineChangeRow, Directive, Report, Step, Task, Tasks};
use crate::db::{Sql, Tx, fetch_all_as, fetch_all_tx, fetch_scalar};
use crate::{Result, StoreError};
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::page::{Page, PageRequest};
use serde_json::Value;
use uuid::Uuid;

macro_rules! select_tasks {
    () => {
        "SELECT t.id, t.directive_id, d.title AS directive_title, t.duty_entry_id, t.occurrence, t.parent_id, t.seq, t.code, t.depth, \
         t.issuing_unit_id, iu.name AS issuing_unit_name, iu.path AS issuing_path, \
         t.lead_unit_id, lu.name AS lead_unit_name, lu.path AS lead_path, \
         t.owner_id, op.name AS owner_name, t.supervising_leader_id, sp.name AS supervising_leader_name, \
         t.title, t.body, t.deadline, t.milestones, t.weight, t.status, t.reported, t.progress, t.warning, t.warning_reason, \
         t.issued_on, t.accepted_on, t.done_on, t.last_reason, t.escalated_on, t.created_at, t.updated_at, \
         (SELECT COUNT(*) FROM tasks c WHERE c.parent_id = t.id AND c.status <> 'withdrawn') AS children, \
         (SELECT COUNT(*) FROM tasks c WHERE c.parent_id = t.id AND c.status = 'done') AS children_done, \
         (SELECT MIN(su.name) FROM task_supporting_units s JOIN org_units su ON su.id = s.unit_id WHERE s.task_id = t.id) AS supporting_names \
         FROM tasks t JOIN org_units iu ON iu.id = t.issuing_unit_id JOIN org_units lu ON lu.id = t.lead_unit_id \
         LEFT JOIN directives d ON d.id = t.directive_id \
         LEFT JOIN people op ON op.id = t.owner_id LEFT JOIN people sp ON sp.id = t.supervising_leader_id"
    };
}

macro_rules! select_directives {
    () => {
        "SELECT d.id, d.kind, d.title, d.reference, d.issuing_unit_id, u.name AS issuing_unit_name, u.path AS issuing_path, \
         d.issued_on, d.source_text, d.outline, d.draft, d.status, d.created_by, d.created_at, d.issued_at, d.batch_id, \
         (SELECT COUNT(*) FROM tasks t WHERE t.directive_id = d.id AND t.parent_id IS NULL AND t.status <> 'withdrawn') AS tasks, \
         (SELECT COUNT(*) FROM tasks t WHERE t.directive_id = d.id AND t.parent_id IS NULL AND t.status = 'done') AS done \
         FROM directives d JOIN org_units u ON u.id = d.issuing_unit_id"
    };
}

pub(crate) async fn task_in(tx: &mut Tx, id: Uuid) -> Result<Task> {
    let mut q = Sql::new(select_tasks!());
    q.push(" WHERE t.id = ").arg(id);
    fetch_all_tx!(tx, Task, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

pub(crate) async fn children_in(tx: &mut Tx, id: Uuid) -> Result<Vec<Task>> {
    let mut q = Sql::new(select_tasks!());
    q.push(" WHERE t.parent_id = ").arg(id).push(" ORDER BY t.seq");
    Ok(fetch_all_tx!(tx, Task, q)?)
}

pub(crate) async fn directive_in(tx: &mut Tx, id: Uuid) -> Result<Directive> {
    let mut q = Sql::new(select_directives!());
    q.push(" WHERE d.id = ").arg(id);
    fetch_all_tx!(tx, Directive, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

pub(crate) async fn supporting_in(tx: &mut Tx, id: Uuid) -> Result<Vec<Uuid>> {
    let mut q = Sql::new("SELECT unit_id FROM task_supporting_units WHERE task_id = ");
    q.arg(id).push(" ORDER BY unit_id");
    #[derive(sqlx::FromRow)]
    struct U {
        unit_id: Uuid,
    }
    Ok(fetch_all_tx!(tx, U, q)?.into_iter().map(|u| u.unit_id).collect())
}

pub(crate) async fn task_snapshot_in(tx: &mut Tx, t: &Task) -> Result<Value> {
    Ok(t.snapshot(&supporting_in(tx, t.id).await?))
}

/// What a task list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    /// Led within this subtree.
    pub within: Option<OrgPath>,
    /// Led by exactly this unit.
    pub lead_unit: Option<Uuid>,
    pub directive: Option<Uuid>,
    pub status: Option<String>,
    pub warning: Option<String>,
    /// Only open tasks (not done, not withdrawn).
    pub open_only: bool,
    /// Only top-level tasks of directives (no sub-tasks, no duty occurrences).
    pub top_level: bool,
    /// Only duty occurrences (责任清单) or only directive tasks.
    pub duties: Option<bool>,
    pub q: Option<String>,
}

/// Led within `scopes`, or issued within them.
fn scoped(w: &mut Sql, scopes: &[OrgPath]) {
    w.push("(");
    w.scope_filter("lu.path", scopes);
    w.push(" OR ");
    w.scope_filter("iu.path", scopes);
    w.push(")");
}

/// Tasks by lead unit for a board: the counts of one unit's subtree.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct UnitCount {
    pub unit_id: Uuid,
    pub unit_name: String,
    pub unit_path: String,
    pub total: i64,
    pub issued: i64,
    pub accepted: i64,
    pub returned: i64,
    pub done: i64,
    pub red: i64,
    pub yellow: i64,
}

impl Tasks<'_> {
    pub async fn get(&self, id: Uuid) -> Result<Task> {
        let mut q = Sql::new(select_tasks!());
        q.push(" WHERE t.id = ").arg(id);
        fetch_all_as!(&self.0.pool, Task, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    pub async fn directive(&self, id: Uuid) -> Result<Directive> {
        let mut q = Sql::new(select_directives!());
        q.push(" WHERE d.id = ").arg(id);
        fetch_all_as!(&self.0.pool, Directive, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// Directives issued within `scopes`, or with a task led within them, newest first.
    pub async fn directives(&self, scopes: &[OrgPath], page: PageRequest) -> Result<Page<Directive>> {
        let mut w = Sql::new(" WHERE (");
        w.scope_filter("u.path", scopes);
        w.push(" OR d.id IN (SELECT t.directive_id FROM tasks t JOIN org_units lu ON lu.id = t.lead_unit_id WHERE ");
        w.scope_filter("lu.path", scopes);
        w.push("))");
        let count = Sql { text: format!("SELECT COUNT(*) FROM directives d JOIN org_units u ON u.id = d.issuing_unit_id{}", w.text), args: w.args.clone() };
        let total = fetch_scalar!(&self.0.pool, i64, count)?;
        let mut q = Sql { text: format!("{}{}", select_directives!(), w.text), args: w.args };
        q.push(" ORDER BY d.issued_on DESC, d.id DESC").page(&page);
        Ok(page.of(fetch_all_as!(&self.0.pool, Directive, q)?, total))
    }

    /// Tasks led or issued within `scopes`, narrowed by `f`, in code order.
    pub async fn list(&self, scopes: &[OrgPath], f: &TaskFilter, page: PageRequest) -> Result<Page<Task>> {
        let mut w = Sql::new(" WHERE ");
        scoped(&mut w, scopes);
        if let Some(within) = &f.within {
            w.push(" AND ").scope_filter("lu.path", std::slice::from_ref(within));
        }
        if let Some(u) = f.lead_unit {
            w.push(" AND t.lead_unit_id = ").arg(u);
        }
        if let Some(d) = f.directive {
            w.push(" AND t.directive_id = ").arg(d);
        }
        if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty()) {
            w.push(" AND t.status = ").arg(s);
        }
        if let Some(s) = f.warning.as_deref().filter(|s| !s.is_empty()) {
            w.push(" AND t.warning = ").arg(s).push(" AND t.status NOT IN ('done', 'withdrawn')");
        }
        if f.open_only {
            w.push(" AND t.status NOT IN ('done', 'withdrawn')");
        }
        if f.top_level {
            w.push(" AND t.parent_id IS NULL AND t.directive_id IS NOT NULL");
        }
        match f.duties {
            Some(true) => {
                w.push(" AND t.duty_entry_id IS NOT NULL");
            }
            Some(false) => {
                w.push(" AND t.duty_entry_id IS NULL");
            }
            None => {}
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            w.push(" AND ").contains(&["t.title", "lu.name"], q);
        }
        const FROM: &str = " FROM tasks t JOIN org_units iu ON iu.id = t.issuing_unit_id JOIN org_units lu ON lu.id = t.lead_unit_id";
        let count = Sql { text: format!("SELECT COUNT(*){FROM}{}", w.text), args: w.args.clone() };
        let total = fetch_scalar!(&self.0.pool, i64, count)?;
        let mut q = Sql { text: format!("{}{}", select_tasks!(), w.text), args: w.args };
        q.push(" ORDER BY t.deadline, t.directive_id, t.code").page(&page);
        Ok(page.of(fetch_all_as!(&self.0.pool, Task, q)?, total))
    }

    /// Every task of a directive, in code order (1, 1.1, 1.2, 2, …).
    pub async fn tree(&self, directive: Uuid) -> Result<Vec<Task>> {
        let mut q = Sql::new(select_tasks!());
        q.push(" WHERE t.directive_id = ").arg(directive).push(" ORDER BY t.code");
        let mut v = fetch_all_as!(&self.0.pool, Task, q)?;
        v.sort_by_key(|t| code_key(&t.code));
        Ok(v)
    }

    /// The sub-tasks of a task.
    pub async fn children(&self, id: Uuid) -> Result<Vec<Task>> {
        let mut q = Sql::new(select_tasks!());
        q.push(" WHERE t.parent_id = ").arg(id).push(" ORDER BY t.seq");
        Ok(fetch_all_as!(&self.0.pool, Task, q)?)
    }

    /// The supporting units of a task.
    pub async fn supporting(&self, id: Uuid) -> Result<Vec<(Uuid, String)>> {
        let mut q = Sql::new("SELECT s.unit_id, u.name FROM task_supporting_units s JOIN org_units u ON u.id = s.unit_id WHERE s.task_id = ");
        q.arg(id).push(" ORDER BY u.path");
        #[derive(sqlx::FromRow)]
        struct U {
            unit_id: Uuid,
            name: String,
        }
        Ok(fetch_all_as!(&self.0.pool, U, q)?.into_iter().map(|u| (u.unit_id, u.name)).collect())
    }

    pub async fn steps(&self, task: Uuid) -> Result<Vec<Step>> {
        let mut q = Sql::new("SELECT * FROM task_steps WHERE task_id = ");
        q.arg(task).push(" ORDER BY at, id");
        Ok(fetch_all_as!(&self.0.pool, Step, q)?)
    }

    pub async fn reports(&self, task: Uuid) -> Result<Vec<Report>> {
        let mut q = Sql::new("SELECT * FROM task_reports WHERE task_id = ");
        q.arg(task).push(" ORDER BY at DESC, id DESC");
        Ok(fetch_all_as!(&self.0.pool, Report, q)?)
    }

    pub async fn deadline_changes(&self, task: Uuid) -> Result<Vec<DeadlineChangeRow>> {
        let mut q = Sql::new("SELECT * FROM deadline_changes WHERE task_id = ");
        q.arg(task).push(" ORDER BY requested_at DESC, id DESC");
        Ok(fetch_all_as!(&self.0.pool, DeadlineChangeRow, q)?)
    }

    pub async fn deadline_change(&self, id: Uuid) -> Result<DeadlineChangeRow> {
        let mut q = Sql::new("SELECT * FROM deadline_changes WHERE id = ");
        q.arg(id);
        fetch_all_as!(&self.0.pool, DeadlineChangeRow, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// Board counts of the directive tasks led within each of `units`' subtrees
    /// (one row per unit, in the order given), for tasks issued within `scopes`
    /// or led within them. Sub-tasks count at their own lead unit.
    pub async fn counts_by_subtree(&self, units: &[(Uuid, String, OrgPath)], directive: Option<Uuid>) -> Result<Vec<UnitCount>> {
        let mut out = Vec::with_capacity(units.len());
        for (id, name, p) in units {
            let mut q = Sql::new(
                "SELECT COUNT(*) AS total, \
                 COALESCE(SUM(CASE WHEN t.status = 'issued' THEN 1 ELSE 0 END), 0) AS issued, \
                 COALESCE(SUM(CASE WHEN t.status = 'accepted' THEN 1 ELSE 0 END), 0) AS accepted, \
                 COALESCE(SUM(CASE WHEN t.status = 'returned' THEN 1 ELSE 0 END), 0) AS returned, \
                 COALESCE(SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END), 0) AS done, \
                 COALESCE(SUM(CASE WHEN t.warning = 'red' AND t.status NOT IN ('done', 'withdrawn') THEN 1 ELSE 0 END), 0) AS red, \
                 COALESCE(SUM(CASE WHEN t.warning = 'yellow' AND t.status NOT IN ('done', 'withdrawn') THEN 1 ELSE 0 END), 0) AS yellow \
                 FROM tasks t JOIN org_units lu ON lu.id = t.lead_unit_id WHERE t.status <> 'withdrawn' AND t.directive_id IS NOT NULL AND ",
            );
            q.scope_filter("lu.path", std::slice::from_ref(p));
            if let Some(d) = directive {
                q.push(" AND t.directive_id = ").arg(d);
            }
            #[derive(sqlx::FromRow)]
            struct C {
                total: i64,
                issued: i64,
                accepted: i64,
                returned: i64,
                done: i64,
                red: i64,
                yellow: i64,
            }
            let c = fetch_all_as!(&self.0.pool, C, q)?.into_iter().next().ok_or(StoreError::NotFound)?;
            out.push(UnitCount {
                unit_id: *id,
                unit_name: name.clone(),
                unit_path: p.as_str().to_string(),
                total: c.total,
                issued: c.issued,
                accepted: c.accepted,
                returned: c.returned,
                done: c.done,
                red: c.red,
                yellow: c.yellow,
            });
        }
        Ok(out)
    }

    /// 我的待办 of this module: tasks waiting for acceptance or progress at
    /// units within `work`, returned tasks and pending deadline requests for
    /// issuers within `issue`; most urgent first.
    pub async fn todos(&self, work: &[OrgPath], issue: &[OrgPath], limit: i64) -> Result<(Vec<Task>, Vec<(DeadlineChangeRow, Task)>)> {
        let mut q = Sql::new(select_tasks!());
        q.push(" WHERE ((t.status = 'issued' OR (t.status = 'accepted' AND t.warning IN ('red', 'yellow'))) AND ");
        q.scope_filter("lu.path", work);
        q.push(") OR (t.status = 'returned' AND ");
        q.scope_filter("iu.path", issue);
        q.push(") ORDER BY t.deadline LIMIT ").arg(limit);
        let tasks = fetch_all_as!(&self.0.pool, Task, q)?;
        let mut q = Sql::new(
            "SELECT x.* FROM deadline_changes x JOIN tasks t ON t.id = x.task_id JOIN org_units iu ON iu.id = t.issuing_unit_id \
             WHERE x.status = 'pending' AND ",
        );
        q.scope_filter("iu.path", issue);
        q.push(" ORDER BY x.requested_at LIMIT ").arg(limit);
        let mut pending = Vec::new();
        for x in fetch_all_as!(&self.0.pool, DeadlineChangeRow, q)? {
            let t = self.get(x.task_id).await?;
            pending.push((x, t));
        }
        Ok((tasks, pending))
    }

    /// Open tasks whose warning should be recomputed (all of them, for the daily job).
    pub(crate) async fn open_ids(&self) -> Result<Vec<Uuid>> {
        let q = Sql::new("SELECT id FROM tasks WHERE status NOT IN ('done', 'withdrawn') ORDER BY depth DESC, id");
        #[derive(sqlx::FromRow)]
        struct I {
            id: Uuid,
        }
        Ok(fetch_all_as!(&self.0.pool, I, q)?.into_iter().map(|i| i.id).collect())
    }

    pub(crate) async fn directive_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(select_directives!());
        q.push(" ORDER BY d.id");
        Ok(fetch_all_as!(&self.0.pool, Directive, q)?.into_iter().map(|d| (d.id.to_string(), d.snapshot())).collect())
    }

    pub(crate) async fn task_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(select_tasks!());
        q.push(" ORDER BY t.id");
        let tasks = fetch_all_as!(&self.0.pool, Task, q)?;
        let q = Sql::new("SELECT task_id, unit_id FROM task_supporting_units ORDER BY task_id, unit_id");
        #[derive(sqlx::FromRow)]
        struct S {
            task_id: Uuid,
            unit_id: Uuid,
        }
        let mut by: std::collections::HashMap<Uuid, Vec<Uuid>> = std::collections::HashMap::new();
        for s in fetch_all_as!(&self.0.pool, S, q)? {
            by.entry(s.task_id).or_default().push(s.unit_id);
        }
        Ok(tasks
            .into_iter()
            .map(|t| {
                let s = by.remove(&t.id).unwrap_or_default();
                (t.id.to_string(), t.snapshot(&s))
            })
            .collect())
    }

    pub(crate) async fn deadline_change_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let q = Sql::new("SELECT * FROM deadline_changes ORDER BY id");
        Ok(fetch_all_as!(&self.0.pool, DeadlineChangeRow, q)?.into_iter().map(|x| (x.id.to_string(), x.snapshot())).collect())
    }
}

/// `"1.10.2"` → `[1, 10, 2]`, so codes sort as numbers.
pub fn code_key(code: &str) -> Vec<u32> {
    code.split('.').map(|p| p.parse().unwrap_or(u32::MAX)).collect()
}
