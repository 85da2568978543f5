//! 部署分解 in the demo city, as it stands on [`DEMO_TODAY`]:
//!
//! * 市委 breaks down the spirit of a provincial meeting (corpus speech 002)
//!   for the two bureaus and the two counties; the bureaus accept and
//!   report, 丰林县 returns one task with its reason, 生态环境局 breaks one
//!   down for its branches, a deadline change waits for a decision, and some
//!   tasks run late;
//! * 市生态环境局党组 issues its own work meeting speech (corpus speech 000)
//!   to its 机关党委 and branches, mostly done;
//! * 市公安局党委 has a speech still in draft (corpus speech 001).
//!
//! Every figure above the leaves is derived by the store, never typed.

use crate::DEMO_TODAY;
use jiff::civil::{Date, date};
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::tasks::deadline::{DeadlineChangeInput, Decision};
use qingfeng_domain::tasks::directive::DirectiveInput;
use qingfeng_domain::tasks::draft::{DraftItem, TaskSpec};
use qingfeng_domain::tasks::lifecycle::{Capacities, ProgressInput, TaskAction};
use qingfeng_domain::tasks::{TaskRules, TaskStatus};
use qingfeng_store::tasks::{Env, Task};
use qingfeng_store::{Store, StoreError, Who};
use std::collections::HashMap;
use uuid::Uuid;

const SPEECH_000: &str = include_str!("../../text/tests/corpus/000_b4f7bf7a28539381.txt");
const SPEECH_001: &str = include_str!("../../text/tests/corpus/001_910819ddfeeaf72f.txt");
const SPEECH_002: &str = include_str!("../../text/tests/corpus/002_b2d490668cee019e.txt");

const UNIT: Capacities = Capacities { issuer: false, receiving_unit: true };
const ISSUER: Capacities = Capacities { issuer: true, receiving_unit: false };

/// What the demo's 部署分解 holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct TasksSummary {
    pub directives: usize,
    pub tasks: usize,
}

type People = HashMap<&'static str, Vec<(Uuid, String)>>;

fn items_of(text: &str) -> Vec<DraftItem> {
    let (points, _) = qingfeng_text::work_points(&qingfeng_text::parse_outline(text));
    points.into_iter().map(|p| DraftItem::from_outline(&p.label, &p.body, p.path)).collect()
}

fn spec(item: &DraftItem, lead: Uuid, owner: Option<Uuid>, deadline: Date, support: Vec<Uuid>) -> TaskSpec {
    TaskSpec {
        title: item.label.clone(),
        body: Some(item.body.clone()).filter(|b| !b.is_empty()),
        lead_unit_id: lead,
        supporting_unit_ids: support,
        owner_id: owner,
        supervising_leader_id: None,
        deadline,
        schedule: vec![],
        weight: 1,
    }
}

struct Ctx<'a> {
    store: &'a Store,
    who: Who,
    cal: Calendar,
    rules: TaskRules,
}

impl Ctx<'_> {
    fn env(&self, today: Date) -> Env<'_> {
        Env { cal: &self.cal, rules: &self.rules, today }
    }
    async fn act(&self, on: Date, t: &Task, a: TaskAction, cap: Capacities, reason: Option<&str>) -> Result<Task, StoreError> {
        self.store.tasks().act(&self.who, &self.env(on), t.id, a, cap, reason).await
    }
    async fn report(&self, on: Date, t: &Task, percent: u8, note: &str) -> Result<(), StoreError> {
        let r = ProgressInput { percent: percent.to_string(), note: note.into(), ..Default::default() }
            .validate(None, on)
            .map_err(StoreError::Invalid)?;
        self.store.tasks().report(&self.who, &self.env(on), t.id, UNIT, &r).await?;
        Ok(())
    }
}

/// Builds the three directives. `ids` and `people` are the tree's units and staff by key.
pub async fn build(store: &Store, ids: &HashMap<&'static str, Uuid>, people: &People) -> Result<TasksSummary, StoreError> {
    let c = Ctx { store, who: Who::system("demo"), cal: Calendar::builtin(), rules: TaskRules::DEFAULT };
    let head = |k: &str| people.get(k).and_then(|v| v.first()).map(|p| p.0);
    let id = |k: &str| ids.get(k).copied().ok_or_else(|| StoreError::Config(format!("demo spec: no unit {k}")));
    let t = store.tasks();
    let mut n = 0;

    // 1. 市委: the provincial meeting's spirit, broken down for four units.
    let on = date(2026, 4, 8);
    let input = DirectiveInput {
        kind: "会议精神".into(),
        title: "贯彻落实省委学习教育整改整治工作推进会精神".into(),
        reference: "安委办发〔2026〕12号".into(),
        issuing_unit_id: Some(id("city")?),
        issued_on: on.to_string(),
        source_text: SPEECH_002.into(),
    };
    let items = items_of(SPEECH_002);
    let d = t.create_directive(&c.who, &input.validate().map_err(StoreError::Invalid)?, "{}", &items).await?;
    let leads = ["eco", "police", "fenglin", "shiqiao"];
    let deadlines = [date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31), date(2027, 3, 31)];
    let mut specs = Vec::new();
    for (i, it) in items.iter().take(8).enumerate() {
        let lead = leads[i % leads.len()];
        let support = if i == 0 { vec![id("patrol")?] } else { vec![] };
        specs.push(spec(it, id(lead)?, head(lead), deadlines[(i / 2) % deadlines.len()], support));
    }
    let top = t.issue(&c.who, &c.env(on), d.id, &specs).await?;
    n += top.len();
    let (d1, d2, d3) = (date(2026, 4, 10), date(2026, 6, 20), date(2026, 10, 15));
    for (i, task) in top.iter().enumerate() {
        match i % 4 {
            // 丰林县 returns its second task; the others are accepted.
            2 if i == 6 => {
                c.act(d1, task, TaskAction::Return, UNIT, Some("该项涉及全市统一的制度建设，建议由市委组织部牵头，我县配合")).await?;
            }
            _ => {
                c.act(d1, task, TaskAction::Accept, UNIT, None).await?;
            }
        }
    }
    // 生态环境局 breaks its first task down for three branches.
    let branches = ["eco_office", "eco_air", "eco_water"];
    let parts = ["对照问题清单逐项建立整改台账", "每月开展一次整改情况自查", "形成整改情况报告报局党组"];
    let mut subs = Vec::new();
    for (b, p) in branches.iter().zip(parts) {
        let it = DraftItem::from_outline(p, "", vec![]);
        subs.push(spec(&it, id(b)?, head(b), date(2026, 6, 20), vec![]));
    }
    let children = t.break_down(&c.who, &c.env(d1), top[0].id, UNIT, &subs).await?;
    n += children.len();
    for s in children.iter() {
        c.act(d1, s, TaskAction::Accept, UNIT, None).await?;
        c.report(date(2026, 5, 15), s, 60, "已建立台账并完成第一轮自查").await?;
        c.report(d2, s, 100, "台账已建立，自查情况已报局党组").await?;
        c.act(d2, s, TaskAction::Complete, UNIT, None).await?;
    }
    c.act(d2, &top[0], TaskAction::Complete, UNIT, None).await?;
    // The others report; some run late, one asks for more time.
    for (i, task) in top.iter().enumerate().skip(1) {
        if i == 6 {
            continue;
        }
        let (p, note) = match i {
            1 => (100, "已召开专题会议传达学习，制定整改整治方案并印发"),
            2 => (70, "整改整治方案已印发，正在组织专项检查"),
            3 => (40, "已完成摸底排查，问题清单正在汇总"),
            4 => (55, "已开展两轮督导，发现问题正在整改"),
            _ => (20, "已部署，正在推进"),
        };
        c.report(d2, task, p, note).await?;
        if p == 100 {
            c.act(d2, task, TaskAction::Complete, UNIT, None).await?;
        }
    }
    let late = &top[3];
    let req = DeadlineChangeInput { new_deadline: "2026-12-31".into(), reason: "需待省里统一政策出台后修订配套制度".into() }
        .validate(TaskStatus::Accepted, late.deadline_date()?, None, false, d3)
        .map_err(StoreError::Invalid)?;
    t.request_deadline(&c.who, &c.env(d3), late.id, UNIT, &req).await?;
    let other = &top[5];
    let req = DeadlineChangeInput { new_deadline: "2027-01-31".into(), reason: "年底集中攻坚，时间紧".into() }
        .validate(TaskStatus::Accepted, other.deadline_date()?, None, false, d3)
        .map_err(StoreError::Invalid)?;
    let x = t.request_deadline(&c.who, &c.env(d3), other.id, UNIT, &req).await?;
    t.decide_deadline(&c.who, &c.env(d3), x.id, ISSUER, Decision::Refuse, Some("时限不变，确有困难请报分管领导协调")).await?;

    // 2. 市生态环境局党组: its own speech to its 机关党委 and branches.
    let on = date(2026, 3, 2);
    let input = DirectiveInput {
        kind: "讲话".into(),
        title: "在全市生态系统全面从严治党暨作风再整治工作会议上的讲话".into(),
        reference: String::new(),
        issuing_unit_id: Some(id("eco")?),
        issued_on: on.to_string(),
        source_text: SPEECH_000.into(),
    };
    let items = items_of(SPEECH_000);
    let d = t.create_directive(&c.who, &input.validate().map_err(StoreError::Invalid)?, "{}", &items).await?;
    let leads = ["eco_organ", "eco_office", "eco_air", "eco_water"];
    let specs: Vec<TaskSpec> = items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let lead = leads[i % leads.len()];
            let deadline = if i < 6 { date(2026, 6, 30) } else { date(2026, 11, 30) };
            Ok(spec(it, id(lead)?, head(lead), deadline, vec![]))
        })
        .collect::<Result<_, StoreError>>()?;
    let top = t.issue(&c.who, &c.env(on), d.id, &specs).await?;
    n += top.len();
    for (i, task) in top.iter().enumerate() {
        c.act(date(2026, 3, 4), task, TaskAction::Accept, UNIT, None).await?;
        let done = i < 6;
        let p = if done { 100 } else { [80, 50, 30][i % 3] };
        c.report(date(2026, 6, 25), task, p, if done { "已完成，相关材料已归档" } else { "按计划推进中" }).await?;
        if done {
            c.act(date(2026, 6, 28), task, TaskAction::Complete, UNIT, None).await?;
        }
    }

    // 3. 市公安局党委: a speech still in draft.
    let input = DirectiveInput {
        kind: "讲话".into(),
        title: "在2022年党风廉政建设暨党建工作会议上的讲话".into(),
        reference: String::new(),
        issuing_unit_id: Some(id("police")?),
        issued_on: DEMO_TODAY.to_string(),
        source_text: SPEECH_001.into(),
    };
    t.create_directive(&c.who, &input.validate().map_err(StoreError::Invalid)?, "{}", &items_of(SPEECH_001)).await?;
    t.recompute_warnings(&c.who, &c.env(DEMO_TODAY)).await?;
    Ok(TasksSummary { directives: 3, tasks: n })
}
