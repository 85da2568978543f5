//! Tests of [`super`] (kept apart to keep the module short).

use super::*;
use jiff::civil::date;

fn item(text: &str, duty: Duty, recurrence: Recurrence) -> DutyItem {
    DutyItem { text: text.into(), duty, recurrence, times: 1, due_from: DueAnchor::PeriodEnd, due_days: 0 }
}

fn entry(id: u128, it: DutyItem) -> ListEntry {
    ListEntry { id: Uuid::from_u128(id), item: it, inherited_from: None }
}

#[test]
fn the_builtin_templates_cover_the_five_lists_and_parse() {
    let t = builtin_templates();
    let kinds: Vec<ListKind> = t.iter().map(|t| t.kind).collect();
    assert_eq!(kinds, ListKind::ALL.to_vec());
    let all: Vec<&DutyItem> = t.iter().flat_map(|t| &t.items).collect();
    let find = |s: &str| all.iter().find(|i| i.text.contains(s)).copied();
    let study = find("每年至少专题研究2次全面从严治党工作").unwrap();
    assert_eq!((study.recurrence, study.times), (Recurrence::Yearly, 2), "the count is template data");
    assert_eq!(find("党委书记每年至少讲1次党课").unwrap().duty, Duty::FirstResponsible);
    assert_eq!(find("每半年听取一次下级党组织书记").unwrap().recurrence, Recurrence::HalfYearly);
    let ecology = find("每季度分析一次政治生态").unwrap();
    assert_eq!((ecology.duty, ecology.recurrence, ecology.due_days), (Duty::Oversight, Recurrence::Quarterly, 10));
    let branch = t.iter().find(|t| t.kind == ListKind::Branch).unwrap();
    assert!(branch.items.iter().any(|i| i.duty == Duty::Oversight));
    assert!(branch.items.iter().any(|i| i.duty == Duty::FirstResponsible));
}

#[test]
fn template_files_are_checked_naming_the_list_item_and_field() {
    assert!(parse_templates("[[weekly]]\ntext = \"x\"\nrecurrence = \"yearly\"\n").unwrap_err().contains("weekly"));
    let e = parse_templates("[[branch]]\ntext = \"x\"\nrecurrence = \"yearly\"\n").unwrap_err();
    assert!(e.contains("item 1") && e.contains("duty"), "{e}");
    let e = parse_templates("[[primary]]\ntext = \"x\"\nrecurrence = \"yearly\"\ncolour = 1\n").unwrap_err();
    assert!(e.contains("colour"), "{e}");
    let twice =
        "[[primary]]\ntext = \"x\"\nrecurrence = \"yearly\"\n[[primary]]\ntext = \"x\"\nrecurrence = \"monthly\"\n";
    assert!(parse_templates(twice).unwrap_err().contains("listed twice"));
    assert_eq!(parse_templates("").unwrap(), vec![]);
}

#[test]
fn a_child_list_inherits_every_parent_item_linked_to_it_and_adds_its_own() {
    let parent = [
        entry(1, item("每年至少专题研究2次全面从严治党工作", Duty::Primary, Recurrence::Yearly)),
        entry(2, item("每半年听取一次下级党组织书记抓党建工作汇报", Duty::Primary, Recurrence::HalfYearly)),
    ];
    let own = [item("每季度开展一次廉政风险排查", Duty::Primary, Recurrence::Quarterly)];
    let list = derive_list(ListKind::Primary, &parent, &own).unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0].inherited_from, Some(Uuid::from_u128(1)));
    assert_eq!(list[1].inherited_from, Some(Uuid::from_u128(2)));
    assert_eq!(list[2].inherited_from, None);
    assert_eq!(list[2].item.text, "每季度开展一次廉政风险排查");
}

#[test]
fn an_own_item_may_not_repeat_an_inherited_one_or_carry_another_duty() {
    let parent = [entry(1, item("每年至少专题研究2次全面从严治党工作", Duty::Primary, Recurrence::Yearly))];
    let repeat = [item("每年至少专题研究2次 全面从严治党工作。", Duty::Primary, Recurrence::Yearly)];
    let e = derive_list(ListKind::Primary, &parent, &repeat).unwrap_err();
    assert!(e.has("items.0.text") && e.0[0].msg.zh.contains("上级"), "{e}");
    let wrong = [item("每季度分析一次政治生态", Duty::Oversight, Recurrence::Quarterly)];
    assert!(derive_list(ListKind::Primary, &parent, &wrong).unwrap_err().has("items.0.duty"));
    assert!(derive_list(ListKind::Branch, &[], &wrong).is_ok(), "a branch list mixes duties");
}

#[test]
fn item_inputs_are_validated_by_field() {
    let input = |duty: &str, rec: &str, times: Option<u8>| DutyItemInput {
        text: "每季度分析一次政治生态".into(),
        duty: duty.into(),
        recurrence: rec.into(),
        times,
        due_from: String::new(),
        due_days: Some(10),
    };
    let ok = input("", "每季度", None).validate(ListKind::Oversight).unwrap();
    assert_eq!(
        (ok.duty, ok.recurrence, ok.times, ok.due_from),
        (Duty::Oversight, Recurrence::Quarterly, 1, DueAnchor::PeriodEnd)
    );
    assert!(input("", "quarterly", None).validate(ListKind::Branch).unwrap_err().has("duty"));
    assert!(input("主体责任", "quarterly", None).validate(ListKind::Oversight).unwrap_err().has("duty"));
    assert!(input("", "weekly", None).validate(ListKind::Oversight).unwrap_err().has("recurrence"));
    assert!(input("", "quarterly", Some(0)).validate(ListKind::Oversight).unwrap_err().has("times"));
    let mut far = input("", "quarterly", None);
    far.due_days = Some(400);
    far.due_from = "tomorrow".into();
    let e = far.validate(ListKind::Oversight).unwrap_err();
    assert!(e.has("due_days") && e.has("due_from"), "{e}");
}

#[test]
fn a_quarterly_item_due_ten_days_after_quarter_end_has_four_dated_occurrences() {
    let mut it = item("每季度分析一次政治生态", Duty::Oversight, Recurrence::Quarterly);
    it.due_days = 10;
    let occ = occurrences_in_year(&it, 2026);
    let dues: Vec<Date> = occ.iter().map(|o| o.due).collect();
    assert_eq!(dues, [date(2026, 4, 10), date(2026, 7, 10), date(2026, 10, 10), date(2027, 1, 10)]);
    assert_eq!(occ[1].label.zh, "2026年第2季度");
}

#[test]
fn an_item_due_several_times_a_period_gets_numbered_occurrences() {
    let mut it = item("每年至少专题研究2次全面从严治党工作", Duty::Primary, Recurrence::Yearly);
    it.times = 2;
    let occ = occurrences_in_year(&it, 2026);
    assert_eq!(occ.len(), 2);
    assert_eq!((occ[0].ordinal, occ[1].ordinal, occ[1].of), (1, 2, 2));
    assert_eq!(occ[1].label.zh, "2026年第2次（共2次）");
    assert!(occ.iter().all(|o| o.due == date(2026, 12, 31)));
}

#[test]
fn monthly_half_yearly_and_once_items_follow_their_periods() {
    let monthly = item("每月报送监督检查情况", Duty::Oversight, Recurrence::Monthly);
    assert_eq!(occurrences_in_year(&monthly, 2026).len(), 12);
    let mut start = item("每年年初制定工作要点", Duty::Primary, Recurrence::HalfYearly);
    start.due_from = DueAnchor::PeriodStart;
    start.due_days = 59;
    let occ = occurrences_in_year(&start, 2026);
    assert_eq!(occ.iter().map(|o| o.due).collect::<Vec<_>>(), [date(2026, 3, 1), date(2026, 8, 29)]);
    let once = item("制定三年行动方案", Duty::Primary, Recurrence::Once);
    let term = Period { start: date(2026, 3, 1), end: date(2028, 2, 29) };
    let occ = occurrences(&once, term);
    assert_eq!(occ.len(), 1);
    assert_eq!(occ[0].due, date(2028, 2, 29));
    assert!(occ[0].label.zh.contains("至"));
    assert_eq!(occurrences_in_year(&once, 2026)[0].label.zh, "2026年");
}

#[test]
fn occurrences_never_panic_on_odd_terms() {
    let it = item("x", Duty::Primary, Recurrence::Monthly);
    assert!(occurrences(&it, Period { start: date(2026, 5, 1), end: date(2026, 4, 1) }).is_empty());
    assert!(occurrences_in_year(&it, 20000).is_empty());
    assert!(occurrences_in_year(&it, -5).is_empty());
    let mut late = item("x", Duty::Primary, Recurrence::Yearly);
    late.due_days = DUE_DAYS_MAX;
    assert_eq!(occurrences_in_year(&late, 9998).len(), 1);
}

#[test]
fn each_seat_carries_its_own_duties() {
    assert!(carries(Duty::Primary, Seat::Head) && carries(Duty::Primary, Seat::LeadershipMember));
    assert!(carries(Duty::FirstResponsible, Seat::Head) && !carries(Duty::FirstResponsible, Seat::LeadershipMember));
    assert!(carries(Duty::DualDuty, Seat::LeadershipMember) && !carries(Duty::DualDuty, Seat::Head));
    assert!(carries(Duty::Oversight, Seat::DisciplineHead) && !carries(Duty::Oversight, Seat::Head));
}

#[test]
fn a_persons_page_shows_every_duty_they_carry_and_whether_it_is_done() {
    let bureau = Uuid::from_u128(2);
    let other = Uuid::from_u128(3);
    let done = [OccurrenceFacts { due: date(2026, 6, 30), done: true }];
    let late = [
        OccurrenceFacts { due: date(2026, 3, 31), done: true },
        OccurrenceFacts { due: date(2026, 6, 30), done: false },
    ];
    let coming = [OccurrenceFacts { due: date(2026, 12, 31), done: false }];
    let items = [
        UnitItem {
            unit_id: bureau,
            entry_id: Uuid::from_u128(10),
            duty: Duty::Primary,
            text: "专题研究",
            occurrences: &done,
        },
        UnitItem {
            unit_id: bureau,
            entry_id: Uuid::from_u128(11),
            duty: Duty::FirstResponsible,
            text: "讲党课",
            occurrences: &coming,
        },
        UnitItem {
            unit_id: bureau,
            entry_id: Uuid::from_u128(12),
            duty: Duty::DualDuty,
            text: "廉政谈话",
            occurrences: &late,
        },
        UnitItem {
            unit_id: other,
            entry_id: Uuid::from_u128(13),
            duty: Duty::Primary,
            text: "别处",
            occurrences: &done,
        },
    ];
    let today = date(2026, 7, 15);
    let head = person_duties(&[(bureau, Seat::Head)], &items, today);
    assert_eq!(head.iter().map(|d| d.text.as_str()).collect::<Vec<_>>(), ["专题研究", "讲党课"]);
    assert_eq!((head[0].state, head[1].state), (DutyState::Done, DutyState::OnTrack));
    let member = person_duties(&[(bureau, Seat::LeadershipMember)], &items, today);
    assert_eq!(member.iter().map(|d| d.text.as_str()).collect::<Vec<_>>(), ["专题研究", "廉政谈话"]);
    assert_eq!((member[1].state, member[1].done, member[1].total), (DutyState::Overdue, 1, 2));
    assert!(person_duties(&[(bureau, Seat::DisciplineHead)], &items, today).is_empty());
}

#[test]
fn an_item_without_occurrences_is_not_done_and_records_need_a_note_and_a_past_date() {
    assert_eq!(duty_state(&[], date(2026, 1, 1)), DutyState::OnTrack);
    let today = date(2026, 7, 15);
    let ok = DutyRecordInput {
        note: "召开党委会专题研究全面从严治党工作".into(), done_on: "2026-07-10".into()
    };
    assert_eq!(ok.validate(today).unwrap().done_on, date(2026, 7, 10));
    let bad = DutyRecordInput { note: " ".into(), done_on: "2026-08-01".into() };
    let e = bad.validate(today).unwrap_err();
    assert!(e.has("note") && e.has("done_on"), "{e}");
}
