//! 责任清单: responsibility lists (主体责任, 第一责任人, 一岗双责, 监督责任 and
//! the 党支部's list).
//!
//! Each level derives its list from its parent's — every parent item is
//! inherited, linked to the item it came from — and adds its own
//! ([`derive_list`]). Each item recurs (once, monthly, quarterly,
//! half-yearly, yearly; possibly several times per period) and generates
//! dated occurrences ([`occurrences`]) that become tasks. A person's page
//! lists every duty the person carries through a seat ([`Seat`],
//! [`person_duties`]) and whether it is done. The default templates are data
//! ([`BUILTIN_TEMPLATES_TOML`]): typical local practice, not national rules.

use crate::msg::{Msg, Validation, required_text};
use crate::orglife::Frequency;
use crate::orglife::compliance::{Period, periods};
use crate::rectify::code_enum;
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The default templates shipped with Qingfeng, in the format [`parse_templates`] reads.
pub const BUILTIN_TEMPLATES_TOML: &str = include_str!("../../data/duty-templates.toml");

/// Longest item text.
pub const TEXT_MAX: usize = 300;
/// Most occurrences of an item per period.
pub const TIMES_MAX: u8 = 12;
/// Largest offset of a due day from its anchor.
pub const DUE_DAYS_MAX: u16 = 366;

code_enum! {
    /// The kinds of duty (责任).
    Duty {
        /// 主体责任: the party committee (group) as a body.
        Primary = "primary", "主体责任", "Primary responsibility";
        /// 第一责任人责任: the head (书记).
        FirstResponsible = "first_responsible", "第一责任人责任", "First-responsible duty";
        /// 一岗双责: each leadership member for the portfolio.
        DualDuty = "dual_duty", "一岗双责", "Dual duty of the post";
        /// 监督责任: the discipline unit.
        Oversight = "oversight", "监督责任", "Oversight responsibility";
    }
}

code_enum! {
    /// The five kinds of list.
    ListKind {
        Primary = "primary", "主体责任清单", "Primary responsibility list";
        FirstResponsible = "first_responsible", "第一责任人责任清单", "First-responsible list";
        DualDuty = "dual_duty", "一岗双责责任清单", "Dual-duty list";
        Oversight = "oversight", "监督责任清单", "Oversight list";
        /// 党支部责任清单: a branch's list mixes the four duties.
        Branch = "branch", "党支部责任清单", "Branch list";
    }
}

impl ListKind {
    /// The duty every item of this list carries (`None`: any, for a branch).
    pub fn duty(self) -> Option<Duty> {
        match self {
            ListKind::Primary => Some(Duty::Primary),
            ListKind::FirstResponsible => Some(Duty::FirstResponsible),
            ListKind::DualDuty => Some(Duty::DualDuty),
            ListKind::Oversight => Some(Duty::Oversight),
            ListKind::Branch => None,
        }
    }
}

code_enum! {
    /// How often an item recurs.
    Recurrence {
        /// Once in the list's term.
        Once = "once", "一次性", "Once";
        Monthly = "monthly", "每月", "Monthly";
        Quarterly = "quarterly", "每季度", "Quarterly";
        HalfYearly = "half_yearly", "每半年", "Half-yearly";
        Yearly = "yearly", "每年", "Yearly";
    }
}

impl Recurrence {
    /// The period of the recurrence (`None` for once: the list's whole term).
    pub fn frequency(self) -> Option<Frequency> {
        match self {
            Recurrence::Once => None,
            Recurrence::Monthly => Some(Frequency::Monthly),
            Recurrence::Quarterly => Some(Frequency::Quarterly),
            Recurrence::HalfYearly => Some(Frequency::HalfYearly),
            Recurrence::Yearly => Some(Frequency::Yearly),
        }
    }
}

code_enum! {
    /// What a due day counts from.
    DueAnchor {
        PeriodStart = "period_start", "周期开始后", "after the period starts";
        PeriodEnd = "period_end", "周期结束后", "after the period ends";
    }
}

/// One item of a list or a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyItem {
    pub text: String,
    pub duty: Duty,
    pub recurrence: Recurrence,
    /// Occurrences per period (每年至少2次 → 2).
    pub times: u8,
    pub due_from: DueAnchor,
    /// Calendar days after the anchor ("quarter end + 10 days").
    pub due_days: u16,
}

/// An item as typed (or read from a template file).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyItemInput {
    pub text: String,
    #[serde(default)]
    pub duty: String,
    pub recurrence: String,
    #[serde(default)]
    pub times: Option<u8>,
    #[serde(default)]
    pub due_from: String,
    #[serde(default)]
    pub due_days: Option<u16>,
}

impl DutyItemInput {
    /// Checks an item for a list of `kind`; an empty duty takes the list's own.
    pub fn validate(&self, kind: ListKind) -> Result<DutyItem, Validation> {
        let mut v = Validation::new();
        let text = v.check("text", required_text(&self.text, TEXT_MAX));
        let duty = match (self.duty.trim(), kind.duty()) {
            ("", Some(d)) => Some(d),
            ("", None) => {
                v.add("duty", Msg::new("请选择责任类型", "choose the kind of duty"));
                None
            }
            (s, own) => match Duty::from_label(s) {
                Some(d) if own.is_none_or(|o| o == d) => Some(d),
                Some(_) => {
                    v.add(
                        "duty",
                        Msg::owned(
                            format!("{}只能列{}事项", kind.label().zh, own.map(|o| o.label().zh).unwrap_or_default()),
                            format!("a {} holds only its own duty", kind.label().en.to_lowercase()),
                        ),
                    );
                    None
                }
                None => {
                    v.add("duty", Msg::new("责任类型不存在", "unknown kind of duty"));
                    None
                }
            },
        };
        let recurrence = Recurrence::from_label(&self.recurrence);
        if recurrence.is_none() {
            v.add("recurrence", Msg::new("请选择频次（一次性、每月、每季度、每半年、每年）", "choose how often"));
        }
        let times = self.times.unwrap_or(1);
        if !(1..=TIMES_MAX).contains(&times) {
            v.add(
                "times",
                Msg::owned(format!("每周期次数应为1到{TIMES_MAX}"), format!("times per period: 1–{TIMES_MAX}")),
            );
        }
        let due_from = if self.due_from.trim().is_empty() {
            Some(DueAnchor::PeriodEnd)
        } else {
            DueAnchor::from_label(&self.due_from)
        };
        if due_from.is_none() {
            v.add("due_from", Msg::new("期限起算点应为周期开始或周期结束", "period_start or period_end"));
        }
        let due_days = self.due_days.unwrap_or(0);
        if due_days > DUE_DAYS_MAX {
            v.add("due_days", Msg::owned(format!("天数应在0到{DUE_DAYS_MAX}之间"), format!("0–{DUE_DAYS_MAX} days")));
        }
        v.into_result()?;
        Ok(DutyItem {
            text: text.unwrap_or_default(),
            duty: duty.unwrap_or(Duty::Primary),
            recurrence: recurrence.unwrap_or(Recurrence::Yearly),
            times,
            due_from: due_from.unwrap_or(DueAnchor::PeriodEnd),
            due_days,
        })
    }
}

/// An item of a stored list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    pub id: Uuid,
    pub item: DutyItem,
    /// The parent list's entry this one is inherited from.
    pub inherited_from: Option<Uuid>,
}

/// An item of a derived list (the store gives it an id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DerivedEntry {
    pub item: DutyItem,
    /// `Some(parent entry)` for an inherited item, `None` for the level's own.
    pub inherited_from: Option<Uuid>,
}

fn key(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '，' | '。' | '；' | ',' | '.' | ';')).collect()
}

/// A level's list of `kind`: every item of the parent's list, inherited and
/// linked to it (a level may add, never drop what it inherits), followed by
/// its own items. An own item repeating an inherited or another own item,
/// or carrying a duty the list does not hold, is refused on `items.N.*`.
pub fn derive_list(kind: ListKind, parent: &[ListEntry], own: &[DutyItem]) -> Result<Vec<DerivedEntry>, Validation> {
    let mut v = Validation::new();
    let mut out: Vec<DerivedEntry> =
        parent.iter().map(|p| DerivedEntry { item: p.item.clone(), inherited_from: Some(p.id) }).collect();
    let mut seen: Vec<String> = out.iter().map(|e| key(&e.item.text)).collect();
    for (i, item) in own.iter().enumerate() {
        let k = key(&item.text);
        if k.is_empty() {
            v.add(format!("items.{i}.text"), Msg::new("必填", "required"));
        } else if let Some(at) = seen.iter().position(|s| *s == k) {
            let (zh, en) = if at < parent.len() {
                ("上级清单已有此项", "inherited from the parent list")
            } else {
                ("本清单已有此项", "listed twice")
            };
            v.add(format!("items.{i}.text"), Msg::new(zh, en));
        }
        if kind.duty().is_some_and(|d| d != item.duty) {
            v.add(format!("items.{i}.duty"), Msg::new("责任类型与清单不符", "the duty does not fit the list"));
        }
        seen.push(k);
        out.push(DerivedEntry { item: item.clone(), inherited_from: None });
    }
    v.into_result()?;
    Ok(out)
}

/// One dated occurrence of an item; it becomes a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    pub period: Period,
    /// 1-based number within the period, of `of`.
    pub ordinal: u8,
    pub of: u8,
    pub due: Date,
    pub label: Msg,
}

fn due(item: &DutyItem, p: Period) -> Date {
    let base = match item.due_from {
        DueAnchor::PeriodStart => p.start,
        DueAnchor::PeriodEnd => p.end,
    };
    base.checked_add(i64::from(item.due_days).days()).unwrap_or(base)
}

/// The occurrences of `item` during the list's term (both ends inclusive):
/// one per period of its recurrence that overlaps the term (`times` per
/// period, numbered), or a single one for the whole term when once.
pub fn occurrences(item: &DutyItem, term: Period) -> Vec<Occurrence> {
    if term.end < term.start {
        return Vec::new();
    }
    let (freq, ps) = match item.recurrence.frequency() {
        Some(f) => (f, periods(f, term.start, term.end)),
        None => (Frequency::Yearly, vec![term]),
    };
    let times = item.times.clamp(1, TIMES_MAX);
    let mut out = Vec::with_capacity(ps.len() * usize::from(times));
    for p in ps {
        let base = if item.recurrence == Recurrence::Once && term != year_of(term.start) {
            Msg::owned(format!("{}至{}", p.start, p.end), format!("{} to {}", p.start, p.end))
        } else {
            p.label(freq)
        };
        for k in 1..=times {
            let label = if times == 1 {
                base.clone()
            } else {
                Msg::owned(format!("{}第{k}次（共{times}次）", base.zh), format!("{} #{k} of {times}", base.en))
            };
            out.push(Occurrence { period: p, ordinal: k, of: times, due: due(item, p), label });
        }
    }
    out
}

fn year_of(d: Date) -> Period {
    let start = Date::new(d.year(), 1, 1).unwrap_or(d);
    let end = Date::new(d.year(), 12, 31).unwrap_or(d);
    Period { start, end }
}

/// The occurrences of `item` in a yearly list for `year` (1949–9998).
pub fn occurrences_in_year(item: &DutyItem, year: i16) -> Vec<Occurrence> {
    match Date::new(year, 6, 1) {
        Ok(d) if (1949..=9998).contains(&year) => occurrences(item, year_of(d)),
        _ => Vec::new(),
    }
}

/// A template: the default items of one kind of list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Template {
    pub kind: ListKind,
    pub items: Vec<DutyItem>,
}

/// Reads templates: one array of tables per list kind (see the built-in
/// file); errors name the kind, the item number and the field.
pub fn parse_templates(text: &str) -> Result<Vec<Template>, String> {
    let raw: BTreeMap<String, Vec<DutyItemInput>> = toml::from_str(text).map_err(|e| e.message().to_string())?;
    let mut out = Vec::new();
    for (name, inputs) in raw {
        let kind = ListKind::parse(&name).ok_or_else(|| format!("[[{name}]]: not a list kind"))?;
        let mut items = Vec::with_capacity(inputs.len());
        for (i, input) in inputs.iter().enumerate() {
            let item = input.validate(kind).map_err(|e| format!("[[{name}]] item {}: {e}", i + 1))?;
            items.push(item);
        }
        let own: Vec<DutyItem> = items.clone();
        derive_list(kind, &[], &own).map_err(|e| format!("[[{name}]]: {e}"))?;
        out.push(Template { kind, items });
    }
    out.sort_by_key(|t| t.kind);
    Ok(out)
}

/// The built-in templates (checked by a test; the file is compiled in).
pub fn builtin_templates() -> Vec<Template> {
    parse_templates(BUILTIN_TEMPLATES_TOML).unwrap_or_else(|e| panic!("built-in duty templates are invalid: {e}"))
}

code_enum! {
    /// The seat through which a person carries duties in a unit.
    Seat {
        /// 书记 / 一把手.
        Head = "head", "书记（一把手）", "Head";
        /// 班子成员 (other than the head).
        LeadershipMember = "leadership_member", "班子成员", "Leadership member";
        /// 纪委书记 / 纪检组长 / 纪检委员.
        DisciplineHead = "discipline_head", "纪检负责人", "Discipline head";
    }
}

/// Whether a seat carries a duty: 主体责任 is the body's, carried jointly by
/// the head and every leadership member; 第一责任人 is the head's; 一岗双责
/// every other leadership member's; 监督责任 the discipline head's.
pub fn carries(duty: Duty, seat: Seat) -> bool {
    match duty {
        Duty::Primary => matches!(seat, Seat::Head | Seat::LeadershipMember),
        Duty::FirstResponsible => seat == Seat::Head,
        Duty::DualDuty => seat == Seat::LeadershipMember,
        Duty::Oversight => seat == Seat::DisciplineHead,
    }
}

code_enum! {
    /// Where a duty stands for the year so far.
    DutyState {
        /// Every occurrence done.
        Done = "done", "已完成", "Done";
        /// Everything due so far is done; more is to come.
        OnTrack = "on_track", "按期推进", "On track";
        /// An occurrence is past its due day and not done.
        Overdue = "overdue", "逾期未完成", "Overdue";
    }
}

/// One occurrence as the person's page sees it (from its task).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OccurrenceFacts {
    pub due: Date,
    pub done: bool,
}

/// The state of an item from its occurrences on `today`.
/// An item with no occurrence generated yet is on track, not done.
pub fn duty_state(occ: &[OccurrenceFacts], today: Date) -> DutyState {
    if !occ.is_empty() && occ.iter().all(|o| o.done) {
        DutyState::Done
    } else if occ.iter().any(|o| !o.done && o.due < today) {
        DutyState::Overdue
    } else {
        DutyState::OnTrack
    }
}

/// An item of some unit's list, with its occurrences' facts.
#[derive(Debug, Clone)]
pub struct UnitItem<'a> {
    pub unit_id: Uuid,
    pub entry_id: Uuid,
    pub duty: Duty,
    pub text: &'a str,
    pub occurrences: &'a [OccurrenceFacts],
}

/// One line of a person's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonDuty {
    pub unit_id: Uuid,
    pub entry_id: Uuid,
    pub duty: Duty,
    pub seat: Seat,
    pub text: String,
    pub state: DutyState,
    pub done: u32,
    pub total: u32,
}

/// Every duty a person carries through their seats (unit, seat), and
/// whether it is done, in the order of `items`.
pub fn person_duties(seats: &[(Uuid, Seat)], items: &[UnitItem<'_>], today: Date) -> Vec<PersonDuty> {
    let mut out = Vec::new();
    for it in items {
        let Some(&(_, seat)) = seats.iter().find(|(u, s)| *u == it.unit_id && carries(it.duty, *s)) else {
            continue;
        };
        let done = it.occurrences.iter().filter(|o| o.done).count();
        out.push(PersonDuty {
            unit_id: it.unit_id,
            entry_id: it.entry_id,
            duty: it.duty,
            seat,
            text: it.text.to_string(),
            state: duty_state(it.occurrences, today),
            done: u32::try_from(done).unwrap_or(u32::MAX),
            total: u32::try_from(it.occurrences.len()).unwrap_or(u32::MAX),
        });
    }
    out
}

/// A 履责记实 entry as typed: what was done for an item, and when.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DutyRecordInput {
    pub note: String,
    pub done_on: String,
}

/// A validated 履责记实 entry (attached to a list entry by the caller).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DutyRecord {
    pub note: String,
    pub done_on: Date,
}

impl DutyRecordInput {
    pub fn validate(&self, today: Date) -> Result<DutyRecord, Validation> {
        let mut v = Validation::new();
        let note = v.check("note", required_text(&self.note.replace(['\r', '\n'], " "), 2000));
        let done_on = crate::rectify::input::date(&mut v, "done_on", &self.done_on);
        if done_on.is_some_and(|d| d > today) {
            v.add("done_on", Msg::new("不能记录未来日期的履责情况", "cannot record a future date"));
        }
        v.into_result()?;
        Ok(DutyRecord { note: note.unwrap_or_default(), done_on: done_on.unwrap_or(today) })
    }
}

#[cfg(test)]
#[path = "duties_tests.rs"]
mod tests;
