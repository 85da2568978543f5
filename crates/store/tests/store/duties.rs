use jiff::civil::date;
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::org::OrgKind;
use qingfeng_domain::people::PersonSpec;
use qingfeng_domain::tasks::TaskRules;
use qingfeng_domain::tasks::duties::{
    DutyItemInput, DutyRecordInput, DutyState, ListKind, Seat, builtin_templates, occurrences_in_year,
};
use qingfeng_store::StoreError;
use qingfeng_store::tasks::{DutyListFilter, Env, seats_of};
use qingfeng_test_support::Fixture;
use qingfeng_test_support::fixtures::who;

static CAL: std::sync::LazyLock<Calendar> = std::sync::LazyLock::new(Calendar::builtin);
static RULES: TaskRules = TaskRules::DEFAULT;

fn env(today: jiff::civil::Date) -> Env<'static> {
    Env { cal: &CAL, rules: &RULES, today }
}

fn item(text: &str, recurrence: &str) -> qingfeng_domain::tasks::duties::DutyItem {
    DutyItemInput { text: text.into(), recurrence: recurrence.into(), ..Default::default() }
        .validate(ListKind::Primary)
        .unwrap()
}

fn fields(e: StoreError) -> Vec<String> {
    match e {
        StoreError::Invalid(v) => v.0.iter().map(|f| f.field.to_string()).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

crate::on_both_engines! {
    async fn a_bureau_derives_its_list_adds_items_generates_occurrences_and_records_them(db) {
        let f = Fixture::build(&db.store).await;
        let t = db.store.tasks();
        let w = who();
        let template = builtin_templates().into_iter().find(|t| t.kind == ListKind::Primary).unwrap();

        // The top level takes the template as its own items.
        let city = t.create_list(&w, f.city.id, ListKind::Primary, 2026).await.unwrap();
        assert_eq!((city.entries, city.own_entries, city.parent_list_id), (template.items.len() as i64, template.items.len() as i64, None));

        // The bureau inherits every item, linked to the city's.
        let bureau = t.create_list(&w, f.bureau_a.id, ListKind::Primary, 2026).await.unwrap();
        assert_eq!(bureau.parent_list_id, Some(city.id));
        assert_eq!(bureau.parent_unit_name.as_deref(), Some(f.city.name.as_str()));
        assert_eq!((bureau.entries, bureau.own_entries), (template.items.len() as i64, 0));
        let lines = t.duty_entries(bureau.id, date(2026, 3, 1)).await.unwrap();
        assert!(lines.iter().all(|l| l.entry.inherited_from.is_some() && l.entry.source_unit_name.as_deref() == Some(f.city.name.as_str())));
        match t.create_list(&w, f.bureau_a.id, ListKind::Primary, 2026).await.unwrap_err() {
            StoreError::Refused(r) => assert_eq!(r.code, "list_exists"),
            other => panic!("{other:?}"),
        }
        assert_eq!(fields(t.create_list(&w, f.bureau_a.id, ListKind::Primary, 1900).await.unwrap_err()), vec!["year"]);

        // Its own item; a repeat of an inherited one is refused on the text.
        let own = t.add_entry(&w, bureau.id, &item("每季度专题研究一次生态环境领域突出问题整改", "quarterly")).await.unwrap();
        assert_eq!(own.inherited_from, None);
        let repeat = item(&template.items[0].text, "yearly");
        assert_eq!(fields(t.add_entry(&w, bureau.id, &repeat).await.unwrap_err()), vec!["text"]);

        // An item the city adds later reaches the bureau's list too.
        let later = t.add_entry(&w, city.id, &item("每年开展一次警示教育", "yearly")).await.unwrap();
        let lines = t.duty_entries(bureau.id, date(2026, 3, 1)).await.unwrap();
        assert_eq!(lines.last().unwrap().entry.inherited_from, Some(later.id));
        assert_eq!(lines.len(), template.items.len() + 2);

        // Occurrences: once each, however often it is asked.
        let expected: usize = lines.iter().map(|l| occurrences_in_year(&l.entry.item(), 2026).len()).sum();
        let made = t.generate(&w, &env(date(2026, 3, 1)), bureau.id).await.unwrap();
        assert_eq!(made, expected);
        assert_eq!(t.generate(&w, &env(date(2026, 3, 2)), bureau.id).await.unwrap(), 0);
        let occ = t.duty_occurrences(own.id).await.unwrap();
        assert_eq!(occ.len(), 4);
        assert_eq!(occ[0].occurrence.as_deref(), Some("2026年第1季度"));
        assert!(occ.iter().all(|o| o.parent_id.is_none() && o.lead_unit_id == f.bureau_a.id && o.status == "accepted"));

        // The bureau's head carries the 主体责任 items; a plain member none.
        let head = db.store.people().create(&w, f.bureau_a.id, &PersonSpec {
            name: "赵书记".into(), gender: None, position: Some("党组书记".into()), is_party_member: true,
            is_head: true, is_leadership_member: true, sort_order: 0,
        }).await.unwrap();
        let duties = t.person_duties(head.id, 2026, date(2026, 5, 1)).await.unwrap();
        assert_eq!(duties.len(), lines.len());
        let mine = duties.iter().find(|d| d.duty.entry_id == own.id).unwrap();
        assert_eq!((mine.duty.seat, mine.duty.state, mine.duty.done, mine.duty.total), (Seat::Head, DutyState::Overdue, 0, 4));
        assert!(t.person_duties(f.person_a.id, 2026, date(2026, 5, 1)).await.unwrap().is_empty());

        // 履责记实 completes one occurrence; a second record on it is refused.
        let today = date(2026, 5, 1);
        let rec = DutyRecordInput { note: "3月28日党组会专题研究".into(), done_on: "2026-03-28".into() }.validate(today).unwrap();
        let r = t.record_duty(&w, &env(today), own.id, &rec, Some(occ[0].id)).await.unwrap();
        assert_eq!(r.occurrence.as_deref(), Some("2026年第1季度"));
        let done = t.get(occ[0].id).await.unwrap();
        assert_eq!((done.status.as_str(), done.progress, done.done_on.as_deref()), ("done", 100, Some("2026-03-28")));
        match t.record_duty(&w, &env(today), own.id, &rec, Some(occ[0].id)).await.unwrap_err() {
            StoreError::Refused(r) => assert_eq!(r.code, "occurrence_closed"),
            other => panic!("{other:?}"),
        }
        // An occurrence of another entry is not this entry's.
        let other = t.duty_occurrences(lines.last().unwrap().entry.id).await.unwrap();
        assert!(matches!(t.record_duty(&w, &env(today), own.id, &rec, Some(other[0].id)).await, Err(StoreError::NotFound)));
        // A record without an occurrence only adds to the entry's record.
        t.record_duty(&w, &env(today), own.id, &rec, None).await.unwrap();
        assert_eq!(t.duty_records(own.id).await.unwrap().len(), 2);
        let mine = t.person_duties(head.id, 2026, today).await.unwrap().into_iter().find(|d| d.duty.entry_id == own.id).unwrap();
        assert_eq!((mine.duty.state, mine.duty.done), (DutyState::OnTrack, 1));

        // Every occurrence done: done.
        for o in &occ[1..] {
            let rec = DutyRecordInput { note: "按期研究".into(), done_on: "2026-12-20".into() }.validate(date(2026, 12, 31)).unwrap();
            t.record_duty(&w, &env(date(2026, 12, 31)), own.id, &rec, Some(o.id)).await.unwrap();
        }
        let mine = t.person_duties(head.id, 2026, date(2026, 12, 31)).await.unwrap().into_iter().find(|d| d.duty.entry_id == own.id).unwrap();
        assert_eq!(mine.duty.state, DutyState::Done);

        // Scope: bureau B sees none of bureau A's lists.
        let seen = t.duty_lists(std::slice::from_ref(&f.bureau_b.path), &DutyListFilter::default(), Default::default()).await.unwrap();
        assert_eq!(seen.total, 0);
        let seen = t.duty_lists(std::slice::from_ref(&f.city.path), &DutyListFilter { year: Some(2026), kind: Some(ListKind::Primary), within: Some(f.bureau_a.path.clone()) }, Default::default()).await.unwrap();
        assert_eq!(seen.items.iter().map(|l| l.id).collect::<Vec<_>>(), vec![bureau.id]);

        db.store.audit().verify().await.unwrap().unwrap();
    }

    async fn a_discipline_head_carries_the_oversight_list(db) {
        let f = Fixture::build(&db.store).await;
        let w = who();
        let ccdi = db.store.orgs().create(&w, Some(f.city.id), &qingfeng_domain::org::OrgUnitSpec {
            name: "中共测试市纪律检查委员会".into(), short_name: None, kind: OrgKind::DisciplineCommission, sort_order: 0,
        }).await.unwrap();
        assert_eq!(seats_of(ccdi.id, ccdi.kind, true, true), vec![(ccdi.id, Seat::DisciplineHead), (ccdi.id, Seat::Head)]);
        let head = db.store.people().create(&w, ccdi.id, &PersonSpec {
            name: "钱书记".into(), gender: None, position: Some("市纪委书记".into()), is_party_member: true,
            is_head: true, is_leadership_member: true, sort_order: 0,
        }).await.unwrap();
        let t = db.store.tasks();
        let list = t.create_list(&w, ccdi.id, ListKind::Oversight, 2026).await.unwrap();
        assert!(list.entries > 0);
        t.generate(&w, &env(date(2026, 1, 5)), list.id).await.unwrap();
        let duties = t.person_duties(head.id, 2026, date(2026, 1, 5)).await.unwrap();
        assert_eq!(duties.len() as i64, list.entries);
        assert!(duties.iter().all(|d| d.duty.seat == Seat::DisciplineHead && d.list_kind == ListKind::Oversight));
        // The occurrences are the head's to answer for.
        let e = t.duty_entries(list.id, date(2026, 1, 5)).await.unwrap();
        let occ = t.duty_occurrences(e[0].entry.id).await.unwrap();
        assert_eq!(occ[0].owner_id, Some(head.id));
        db.store.audit().verify().await.unwrap().unwrap();
    }
}
