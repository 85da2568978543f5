//! 2026 责任清单 for the demo city, as they stand on [`DEMO_TODAY`].
//!
//! 安澜市委 sets up its 主体责任, 第一责任人 and 一岗双责 lists from the
//! built-in templates; the two bureaus and the two counties derive theirs and
//! add items of their own, worded as such lists are; 市纪委监委 keeps the
//! 监督责任 list and both 派驻纪检监察组 derive from it; a few 党支部 keep
//! theirs. Every list's occurrences are generated, and most occurrences due
//! by the demo's today carry a 履责记实 — a few are left undone (the
//! 公安局's 廉政风险研判 of the second and third quarters, 石桥县's
//! half-yearly 下级书记汇报, a branch's 警示教育, a 纪检监察组's 政治生态分析)
//! so the pages show red.

use crate::DEMO_TODAY;
use jiff::ToSpan;
use jiff::civil::Date;
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::tasks::TaskRules;
use qingfeng_domain::tasks::duties::{DutyItemInput, DutyRecord, ListKind};
use qingfeng_store::tasks::{DutyList, Env};
use qingfeng_store::{Store, StoreError, Who};
use std::collections::HashMap;
use uuid::Uuid;

const YEAR: i16 = 2026;

/// (unit key, list kind, own items as (text, recurrence, times, duty)).
type Plan = (&'static str, ListKind, &'static [(&'static str, &'static str, u8, &'static str)]);

const LISTS: &[Plan] = &[
    ("city", ListKind::Primary, &[]),
    ("city", ListKind::FirstResponsible, &[]),
    ("city", ListKind::DualDuty, &[]),
    ("ccdi", ListKind::Oversight, &[]),
    (
        "eco",
        ListKind::Primary,
        &[
            ("每季度专题研究一次中央生态环境保护督察反馈问题整改推进情况", "quarterly", 1, ""),
            ("每年开展一次环评审批、执法监测等重点岗位廉政风险排查", "yearly", 1, ""),
        ],
    ),
    (
        "eco",
        ListKind::FirstResponsible,
        &[("每半年约谈一次执法支队主要负责人，压实执法廉洁责任", "half_yearly", 1, "")],
    ),
    ("eco", ListKind::DualDuty, &[]),
    (
        "police",
        ListKind::Primary,
        &[
            ("每季度研判一次执法办案、窗口服务岗位队伍廉政风险", "quarterly", 1, ""),
            ("每年组织一次“以案促改”警示教育大会", "yearly", 1, ""),
        ],
    ),
    ("police", ListKind::FirstResponsible, &[]),
    ("police", ListKind::DualDuty, &[("每半年听取一次分管部门党风廉政建设情况汇报", "half_yearly", 1, "")]),
    ("fenglin", ListKind::Primary, &[("每半年专题研究一次乡村振兴领域不正之风和腐败问题整治", "half_yearly", 1, "")]),
    ("shiqiao", ListKind::Primary, &[("每年对村级“小微权力”清单运行情况开展一次专项检查", "yearly", 1, "")]),
    ("team_eco", ListKind::Oversight, &[("每季度向驻在部门党组通报一次监督发现的问题", "quarterly", 1, "")]),
    ("team_police", ListKind::Oversight, &[]),
    ("eco_office", ListKind::Branch, &[("每月开展一次公文、公务接待等制度执行情况自查", "monthly", 1, "primary")]),
    ("eco_air", ListKind::Branch, &[]),
    ("police_cmd", ListKind::Branch, &[]),
    ("chengguan_office", ListKind::Branch, &[]),
];

/// Occurrences left undone on the demo's today: (unit key, words of the item, occurrence label).
const LEFT_UNDONE: &[(&str, &str, &str)] = &[
    ("police", "廉政风险", "2026年第2季度"),
    ("police", "廉政风险", "2026年第3季度"),
    ("shiqiao", "书记抓党建", "2026年上半年"),
    ("eco_air", "警示教育", "2026年第3季度"),
    ("team_police", "政治生态", "2026年第3季度"),
];

/// What a 履责记实 says, from the item's words.
fn note(text: &str, unit: &str, label: &str, done_on: Date) -> String {
    let d = format!("{}月{}日", done_on.month(), done_on.day());
    let n = (done_on.day() as usize % 5) + 2;
    if text.contains("党课") {
        format!("{d}以“以案为鉴、守牢底线”为题讲专题党课，{unit}全体党员参加，讲稿已归档")
    } else if text.contains("民主生活会") || text.contains("组织生活会") {
        format!("{d}召开专题民主生活会（组织生活会），班子成员逐一对照检查，查摆问题{n}条，整改清单已报备")
    } else if text.contains("汇报") || text.contains("报告") {
        format!("{d}听取（报送）{label}书面汇报，形成意见建议{n}条，材料已归档")
    } else if text.contains("谈话") || text.contains("约谈") {
        format!("{d}开展谈话{n}人次，谈话记录已存档，发现的苗头性问题已督促整改")
    } else if text.contains("检查") || text.contains("考核") || text.contains("排查") || text.contains("自查") {
        format!("{d}完成{label}检查，发现问题{n}个，已列入问题清单限期整改")
    } else if text.contains("研究") || text.contains("研判") || text.contains("会议") {
        format!("{d}召开会议专题研究，形成会议纪要，明确任务{n}项并分解到责任人")
    } else if text.contains("警示教育") {
        format!("{d}组织警示教育，通报典型案例{n}起，参会{}人", 40 + n * 7)
    } else {
        format!("{d}按清单要求落实{label}工作，相关材料已归档备查")
    }
}

/// The day an occurrence was done: a few working days before it fell due,
/// never before its period started nor after the demo's today.
fn done_day(cal: &Calendar, start: Date, due: Date, k: usize) -> Date {
    let mut d = due.checked_sub(((k % 4) as i64 * 3 + 2).days()).unwrap_or(due);
    while !cal.is_working_day(d).value && d > start {
        d = d.yesterday().unwrap_or(d);
    }
    d.max(start).min(DEMO_TODAY)
}

fn err(what: String) -> StoreError {
    StoreError::Config(format!("demo duty lists: {what}"))
}

/// Builds the lists, their occurrences and 履责记实 (lists at higher levels first).
pub(crate) async fn build(
    store: &Store,
    units: &HashMap<&'static str, Uuid>,
    unit_names: &HashMap<&'static str, String>,
) -> Result<(), StoreError> {
    let who = Who::system("demo");
    let cal = Calendar::builtin();
    let rules = TaskRules::DEFAULT;
    let env = Env { cal: &cal, rules: &rules, today: DEMO_TODAY };
    let t = store.tasks();
    let mut made: Vec<(&'static str, DutyList)> = Vec::new();
    for &(key, kind, own) in LISTS {
        let unit = *units.get(key).ok_or_else(|| err(format!("no unit `{key}`")))?;
        let list = t.create_list(&who, unit, kind, YEAR).await?;
        for &(text, recurrence, times, duty) in own {
            let input = DutyItemInput {
                text: text.into(),
                duty: duty.into(),
                recurrence: recurrence.into(),
                times: Some(times),
                ..Default::default()
            };
            let item = input.validate(kind).map_err(|e| err(format!("{key}: {e}")))?;
            t.add_entry(&who, list.id, &item).await?;
        }
        made.push((key, list));
    }
    for (key, list) in &made {
        t.generate(&who, &env, list.id).await?;
        let unit = unit_names.get(key).map(String::as_str).unwrap_or_default();
        let mut k = 0usize;
        for line in t.duty_entries(list.id, DEMO_TODAY).await? {
            for occ in t.duty_occurrences(line.entry.id).await? {
                let due = occ.deadline_date()?;
                let label = occ.occurrence.clone().unwrap_or_default();
                let undone =
                    LEFT_UNDONE.iter().any(|(u, words, l)| u == key && line.entry.text.contains(words) && *l == label);
                if due >= DEMO_TODAY || undone {
                    continue;
                }
                k += 1;
                let start = occ.issued_date()?;
                let done_on = done_day(&cal, start, due, k);
                let rec = DutyRecord { note: note(&line.entry.text, unit, &label, done_on), done_on };
                t.record_duty(&who, &env, line.entry.id, &rec, Some(occ.id)).await?;
            }
        }
    }
    Ok(())
}
