use jiff::civil::{Date, date};
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::rectify::input::{BatchSpec, FindingSpec, MeasureSpec, ProblemSpec};
use qingfeng_domain::rectify::lifecycle::{Capacities, ProblemAction};
use qingfeng_domain::rectify::{ProblemStatus, RectifyRules, RootCause, Source, Warning};
use qingfeng_store::rectify::{Env, EvidenceFile, Problem};
use qingfeng_store::{Store, StoreError};
use qingfeng_test_support::Fixture;
use qingfeng_test_support::fixtures::who;
use uuid::Uuid;

const UNIT: Capacities = Capacities { lead_unit: true, issuer: false, inspector: false };
const ISSUER: Capacities = Capacities { lead_unit: false, issuer: true, inspector: false };

static CAL: std::sync::LazyLock<Calendar> = std::sync::LazyLock::new(Calendar::builtin);
static RULES: RectifyRules = RectifyRules::DEFAULT;

/// "Today" in these tests is Monday 2026-05-11.
fn today() -> Env<'static> {
    Env { cal: &CAL, rules: &RULES, today: date(2026, 5, 11) }
}

async fn batch(store: &Store, issuer: Uuid) -> Uuid {
    let spec = BatchSpec {
        source: Source::Patrol,
        reference: "2026年第一轮巡察反馈".into(),
        issuing_unit_id: issuer,
        issued_on: date(2026, 4, 1),
        summary: None,
    };
    store.rectify().create_batch(&who(), &spec).await.unwrap().id
}

async fn problem(store: &Store, batch: Uuid, unit: Uuid, deadline: Date) -> Problem {
    let spec = ProblemSpec {
        description: "落实“三重一大”决策制度不严格，部分大额资金使用未经集体研究".into(),
        root_cause: RootCause::Institution,
        eight_rules: None,
        campaign_id: None,
        lead_unit_id: unit,
        supporting_unit_ids: vec![],
        leader_id: None,
        owner_id: None,
        deadline,
        schedule: vec![],
    };
    store.rectify().create_problem(&who(), &today(), batch, &spec).await.unwrap()
}

/// Takes a problem through claim, a measure with evidence, request and close.
async fn close(store: &Store, p: Uuid, evidence: &[u8]) {
    let r = store.rectify();
    let e = today();
    r.act(&who(), &e, p, ProblemAction::Claim, UNIT, None).await.unwrap();
    let m = r
        .add_measure(&who(), &e, p, None, &MeasureSpec { title: "修订议事规则".into(), owner_id: None, due_on: date(2026, 5, 30) })
        .await
        .unwrap();
    let file = EvidenceFile { name: "议事规则.pdf", content_type: "application/pdf", bytes: evidence };
    r.add_evidence(&who(), m.id, None, Some(file), date(2026, 5, 9), None).await.unwrap();
    r.complete_measure(&who(), &e, m.id).await.unwrap();
    r.act(&who(), &e, p, ProblemAction::RequestClosure, UNIT, None).await.unwrap();
    r.act(&who(), &e, p, ProblemAction::Close, ISSUER, None).await.unwrap();
}

/// `n` problems of the city's batch led by branch A, each closed with its own file.
async fn closed_in_branch_a(store: &Store, f: &Fixture, n: u8) {
    let b = batch(store, f.city.id).await;
    for i in 0..n {
        let p = problem(store, b, f.branch_a.id, date(2026, 6, 30)).await;
        close(store, p.id, &[b'%', b'P', b'D', b'F', i]).await;
    }
}

fn finding(pass: bool, text: &str) -> FindingSpec {
    FindingSpec { pass, findings: Some(text.into()), checked_on: today().today }
}

fn code(e: StoreError) -> &'static str {
    match e {
        StoreError::Refused(r) => r.code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

crate::on_both_engines! {
    async fn closure_gate_refuses_unfinished_measures_and_records_the_approved_state(db) {
        let f = Fixture::build(&db.store).await;
        let r = db.store.rectify();
        let e = today();
        let b = batch(&db.store, f.city.id).await;
        let p = problem(&db.store, b, f.branch_a.id, date(2026, 6, 30)).await;
        assert_eq!(p.status(), ProblemStatus::Unclaimed);
        r.act(&who(), &e, p.id, ProblemAction::Claim, UNIT, None).await.unwrap();
        let m = r.add_measure(&who(), &e, p.id, None, &MeasureSpec { title: "修订议事规则".into(), owner_id: None, due_on: date(2026, 5, 30) }).await.unwrap();
        let err = r.act(&who(), &e, p.id, ProblemAction::RequestClosure, UNIT, None).await.unwrap_err();
        assert_eq!(code(err), "measures_unfinished");
        r.complete_measure(&who(), &e, m.id).await.unwrap();
        let err = r.act(&who(), &e, p.id, ProblemAction::RequestClosure, UNIT, None).await.unwrap_err();
        assert_eq!(code(err), "evidence_missing");
        r.add_evidence(&who(), m.id, Some("已印发《党组议事规则》"), None, date(2026, 5, 9), None).await.unwrap();
        r.act(&who(), &e, p.id, ProblemAction::RequestClosure, UNIT, None).await.unwrap();
        // The unit side cannot close; the issuing side can.
        assert_eq!(code(r.act(&who(), &e, p.id, ProblemAction::Close, UNIT, None).await.unwrap_err()), "not_issuer");
        let closed = r.act(&who(), &e, p.id, ProblemAction::Close, ISSUER, None).await.unwrap();
        assert_eq!(closed.status(), ProblemStatus::Closed);
        assert_eq!(closed.lookback_due.as_deref(), Some("2026-11-11"));
        let ev = db.store.audit().list(&[qingfeng_domain::org::OrgPath::global()], &qingfeng_store::audit::AuditFilter {
            action: Some("rectify.problem.close".into()), ..Default::default() }, Default::default()).await.unwrap();
        let payload = ev.items[0].payload_json();
        assert_eq!(payload["detail"]["approved_state"]["measures"][0]["evidence"][0]["note"], "已印发《党组议事规则》");
        let closure = &r.closures(p.id).await.unwrap()[0];
        assert_eq!(payload["detail"]["state_digest"], closure.state_digest.as_str());
        // Measures and evidence of a closed problem are frozen.
        assert_eq!(code(r.add_evidence(&who(), m.id, Some("补充"), None, date(2026, 5, 10), None).await.unwrap_err()), "problem_frozen");
        assert!(db.store.audit().verify().await.unwrap().is_ok());
    }

    async fn a_direct_sql_edit_of_a_closed_problem_is_caught_by_verify(db) {
        let f = Fixture::build(&db.store).await;
        let b = batch(&db.store, f.city.id).await;
        let p = problem(&db.store, b, f.branch_a.id, date(2026, 6, 30)).await;
        close(&db.store, p.id, b"%PDF-1.4 rules").await;
        assert!(db.store.audit().verify().await.unwrap().is_ok());
        crate::audit::tamper(&db, "UPDATE problems SET deadline = '2026-12-31'").await;
        let broken = db.store.audit().verify().await.unwrap().unwrap_err();
        assert!(broken.to_string().contains(&p.id.to_string()), "{broken}");
    }

    async fn relapse_reopens_and_links_the_broken_closure(db) {
        let f = Fixture::build(&db.store).await;
        let r = db.store.rectify();
        let b = batch(&db.store, f.city.id).await;
        let p = problem(&db.store, b, f.branch_a.id, date(2026, 6, 30)).await;
        close(&db.store, p.id, b"%PDF-1.4 x").await;
        let e = today();
        let err = r.act(&who(), &e, p.id, ProblemAction::Relapse, ISSUER, None).await.unwrap_err();
        assert_eq!(code(err), "comment_required");
        let after = r.act(&who(), &e, p.id, ProblemAction::Relapse, ISSUER, Some("回头看发现仍有大额支出未经集体研究")).await.unwrap();
        assert_eq!(after.status(), ProblemStatus::InProgress);
        assert!(after.relapsed);
        let closure = &r.closures(p.id).await.unwrap()[0];
        assert_eq!(closure.lookback_result.as_deref(), Some("relapse"));
        let steps = r.steps(p.id).await.unwrap();
        let relapse = steps.iter().find(|s| s.action == "relapse").unwrap();
        assert_eq!(relapse.closure_id, Some(closure.id));
        let board = r.board(f.city.id).await.unwrap();
        assert_eq!((board.total.relapsed, board.total.closed), (1, 0));
        assert!(db.store.audit().verify().await.unwrap().is_ok());
    }

    async fn board_figures_equal_the_sum_of_children_and_a_recount(db) {
        let f = Fixture::build(&db.store).await;
        let r = db.store.rectify();
        let b = batch(&db.store, f.city.id).await;
        let mut ps = Vec::new();
        for (i, unit) in [f.branch_a.id, f.branch_a.id, f.bureau_a.id, f.branch_b.id, f.bureau_b.id, f.city.id].into_iter().enumerate() {
            // Some overdue already on 2026-05-11.
            let deadline = if i % 2 == 0 { date(2026, 4, 30) } else { date(2026, 9, 30) };
            ps.push(problem(&db.store, b, unit, deadline).await);
        }
        close(&db.store, ps[1].id, b"%PDF-1.4 a").await;
        close(&db.store, ps[3].id, b"%PDF-1.4 b").await;
        r.act(&who(), &today(), ps[4].id, ProblemAction::Claim, UNIT, None).await.unwrap();
        let city = r.board(f.city.id).await.unwrap();
        assert_eq!(city.total.total, 6);
        assert_eq!(city.total.closed, 2);
        assert_eq!(city.total.red, 3, "three open problems past 2026-04-30");
        let children: qingfeng_domain::rectify::tally::Counts = city.children.iter().map(|c| c.counts).sum();
        assert_eq!(city.total, city.direct + children);
        assert_eq!(city.direct.total, 1);
        for child in &city.children {
            let sub = r.board(child.key.parse().unwrap()).await.unwrap();
            assert_eq!(sub.total, child.counts);
            let grand: qingfeng_domain::rectify::tally::Counts = sub.children.iter().map(|c| c.counts).sum();
            assert_eq!(sub.total, sub.direct + grand);
        }
        let by_source: i64 = city.by_source.iter().map(|c| c.counts.total).sum();
        assert_eq!(by_source, 6);
        assert!(r.recount().await.unwrap().is_empty());
        // Moving a bureau under another keeps every figure right.
        db.store.orgs().move_to(&who(), f.bureau_b.id, f.bureau_a.id).await.unwrap();
        assert!(r.recount().await.unwrap().is_empty(), "{:?}", r.recount().await.unwrap());
        assert_eq!(r.board(f.bureau_a.id).await.unwrap().total.total, 5);
    }

    async fn a_spot_check_draw_is_reproducible_and_a_failure_lowers_only_the_verified_rate(db) {
        let f = Fixture::build(&db.store).await;
        let r = db.store.rectify();
        closed_in_branch_a(&db.store, &f, 5).await;
        let check = r.draw_spot_check(&who(), f.bureau_a.id, "2026年5月四不两直抽查", 2, 20260511).await.unwrap();
        let (_, items) = r.spot_check(check.id).await.unwrap();
        assert_eq!(items.len(), 2);
        let (same, again) = r.redraw(check.id).await.unwrap();
        assert!(same, "redraw from the recorded seed gives {again:?}");
        let before = r.board(f.city.id).await.unwrap().total;
        r.record_finding(&who(), &today(), check.id, items[0].problem_id, &finding(false, "现场查看，议事规则未实际执行")).await.unwrap();
        r.record_finding(&who(), &today(), check.id, items[1].problem_id, &finding(true, "属实")).await.unwrap();
        let after = r.board(f.city.id).await.unwrap().total;
        assert_eq!(after.reported_rate(), before.reported_rate());
        assert!(after.verified_rate() < before.verified_rate());
        assert_eq!(after.paper, 1);
        let reopened = r.get(items[0].problem_id).await.unwrap();
        assert_eq!(reopened.status(), ProblemStatus::InProgress);
        let err = r.record_finding(&who(), &today(), check.id, items[1].problem_id, &finding(false, "改口")).await.unwrap_err();
        assert_eq!(code(err), "already_recorded");
        assert!(r.recount().await.unwrap().is_empty());
        assert!(db.store.audit().verify().await.unwrap().is_ok());
    }

    async fn the_draws_list_with_their_results_and_replay_from_the_recorded_candidates(db) {
        use qingfeng_domain::page::{Dir, PageRequest};
        use qingfeng_domain::rectify::spot::replay;
        use qingfeng_store::rectify::SpotSort;
        let f = Fixture::build(&db.store).await;
        let r = db.store.rectify();
        closed_in_branch_a(&db.store, &f, 4).await;
        assert_eq!(r.spot_candidate_count(&f.bureau_a.path).await.unwrap(), 4);
        assert_eq!(r.spot_candidate_count(&f.bureau_b.path).await.unwrap(), 0);
        let first = r.draw_spot_check(&who(), f.bureau_a.id, "A轮抽查", 1, 7).await.unwrap();
        let check = r.draw_spot_check(&who(), f.bureau_a.id, "B轮抽查", 3, 8).await.unwrap();
        let samples = r.spot_samples(check.id).await.unwrap();
        assert_eq!(samples.len(), 3);
        assert!(samples.iter().all(|s| s.result.is_none() && s.sampled_closed_on.as_deref() == Some("2026-05-11")));
        let checked_on = date(2026, 5, 10);
        let fail = FindingSpec { pass: false, findings: Some("台账为补做".into()), checked_on };
        r.record_finding(&who(), &today(), check.id, samples[0].problem.id, &fail).await.unwrap();

        let page = r.spot_check_page(std::slice::from_ref(&f.bureau_a.path), SpotSort::Drawn, Dir::Desc, PageRequest::default()).await.unwrap();
        assert_eq!(page.total, 2);
        assert_eq!(page.items.iter().map(|c| c.id).collect::<Vec<_>>(), vec![check.id, first.id], "newest first");
        let c = &page.items[0];
        assert_eq!((c.sampled, c.passed, c.failed, c.pending()), (3, 0, 1, 2));
        let title = r.spot_check_page(std::slice::from_ref(&f.city.path), SpotSort::Title, Dir::Asc, PageRequest::new(Some(2), Some(1))).await.unwrap();
        assert_eq!((title.total, title.items[0].id), (2, check.id), "B after A; one per page");
        assert_eq!(r.spot_check_page(std::slice::from_ref(&f.bureau_b.path), SpotSort::Drawn, Dir::Desc, PageRequest::default()).await.unwrap().total, 0);
        let again = r.spot_samples(check.id).await.unwrap();
        assert_eq!(again[0].checked_on.as_deref(), Some("2026-05-10"), "the date of the visit, not of the entry");
        assert_eq!(again[0].findings.as_deref(), Some("台账为补做"));

        // The failure reopened one candidate; the chain still holds the four drawn from.
        let rec = r.spot_record(check.id).await.unwrap();
        let recorded = rec.recorded.expect("candidates in the draw's event");
        assert!(rec.event_seq.is_some());
        assert_eq!((recorded.len(), rec.current.len()), (4, 3));
        let sample: Vec<Uuid> = samples.iter().map(|s| s.problem.id).collect();
        assert!(replay(8, 3, &check.candidates_digest, &recorded, &sample).reproduced());
        assert!(!replay(8, 3, &check.candidates_digest, &rec.current, &sample).same_candidates);
        assert!(r.recount().await.unwrap().is_empty());
        assert!(db.store.audit().verify().await.unwrap().is_ok());
    }

    async fn extensions_change_the_deadline_only_when_approved_and_red_items_escalate(db) {
        let f = Fixture::build(&db.store).await;
        let r = db.store.rectify();
        let b = batch(&db.store, f.city.id).await;
        let mut spec_p = problem(&db.store, b, f.branch_a.id, date(2026, 4, 30)).await;
        let e = today();
        let run = r.recompute_warnings(&who(), &e).await.unwrap();
        assert_eq!((run.escalated, run.checked), (1, 1));
        assert_eq!(r.get(spec_p.id).await.unwrap().warning(), Warning::Red);
        assert_eq!(r.recompute_warnings(&who(), &e).await.unwrap().escalated, 0, "one open escalation per problem");
        // A "new" deadline not after the current one is no extension.
        let same = r.request_extension(&who(), spec_p.id, date(2026, 4, 30), "涉及多部门协调").await.unwrap_err();
        assert_eq!(code(same), "extension_not_later");
        let x = r.request_extension(&who(), spec_p.id, date(2026, 8, 31), "涉及多部门协调，需延期").await.unwrap();
        assert_eq!(r.get(spec_p.id).await.unwrap().deadline, "2026-04-30");
        assert_eq!(code(r.request_extension(&who(), spec_p.id, date(2026, 9, 30), "再次").await.unwrap_err()), "extension_pending");
        r.decide_extension(&who(), &e, x.id, true, Some("同意")).await.unwrap();
        spec_p = r.get(spec_p.id).await.unwrap();
        assert_eq!(spec_p.deadline, "2026-08-31");
        assert_ne!(spec_p.warning(), Warning::Red);
        assert!(r.escalations(spec_p.id).await.unwrap().iter().all(|e| e.resolved_on.is_some()));
        assert!(r.recount().await.unwrap().is_empty());
        assert!(db.store.audit().verify().await.unwrap().is_ok());
    }

    async fn the_same_evidence_file_on_two_units_is_flagged(db) {
        let f = Fixture::build(&db.store).await;
        let r = db.store.rectify();
        let b = batch(&db.store, f.city.id).await;
        let pa = problem(&db.store, b, f.branch_a.id, date(2026, 6, 30)).await;
        let pb = problem(&db.store, b, f.branch_b.id, date(2026, 6, 30)).await;
        close(&db.store, pa.id, b"%PDF-1.4 same").await;
        close(&db.store, pb.id, b"%PDF-1.4 same").await;
        let flags = r.flags(&today(), &[qingfeng_domain::org::OrgPath::global()]).await.unwrap();
        assert_eq!(flags.shared.len(), 1);
        assert_eq!(flags.shared[0].units.len(), 2);
        assert_eq!(flags.problems.keys().copied().collect::<Vec<_>>(), { let mut v = vec![pa.id, pb.id]; v.sort(); v });
        let only_a = r.flags(&today(), std::slice::from_ref(&f.bureau_a.path)).await.unwrap();
        assert!(only_a.shared.is_empty(), "scoped to one unit, nothing is shared");
    }

    async fn the_problem_list_keeps_scope_and_order_with_or_without_a_scope_filter(db) {
        use qingfeng_domain::page::{Dir, PageRequest};
        use qingfeng_store::rectify::{ProblemFilter, ProblemSort};
        let f = Fixture::build(&db.store).await;
        let r = db.store.rectify();
        let city_batch = batch(&db.store, f.city.id).await;
        let spec = BatchSpec { source: Source::SelfCheck, reference: "公安局党委自查问题清单".into(), issuing_unit_id: f.bureau_b.id, issued_on: date(2026, 5, 1), summary: None };
        let own_batch = r.create_batch(&who(), &spec).await.unwrap().id;
        let p1 = problem(&db.store, city_batch, f.branch_a.id, date(2026, 9, 30)).await.id;
        let p2 = problem(&db.store, city_batch, f.branch_b.id, date(2026, 7, 31)).await.id;
        let p3 = problem(&db.store, city_batch, f.bureau_a.id, date(2026, 12, 31)).await.id;
        let p4 = problem(&db.store, own_batch, f.branch_b.id, date(2026, 8, 31)).await.id;
        let ids = |page: qingfeng_domain::page::Page<Problem>| page.items.iter().map(|p| p.id).collect::<Vec<_>>();
        let list = |scope: qingfeng_domain::org::OrgPath, filter: ProblemFilter| {
            let r = db.store.rectify();
            async move { r.list(&[scope], &filter, PageRequest::default()).await.unwrap() }
        };
        // The city is the only root: no scope filter, the newest batch first.
        let all = list(f.city.path.clone(), ProblemFilter::default()).await;
        assert_eq!((all.total, all.capped), (4, false));
        assert_eq!(ids(all), vec![p4, p1, p2, p3]);
        // A bureau sees what its units lead and what it issued.
        assert_eq!(ids(list(f.bureau_a.path.clone(), ProblemFilter::default()).await), vec![p1, p3]);
        assert_eq!(ids(list(f.bureau_b.path.clone(), ProblemFilter::default()).await), vec![p4, p2]);
        // Every sort gives the same rows in its own order, with or without the filter.
        for sort in [ProblemSort::Deadline, ProblemSort::Unit, ProblemSort::Status, ProblemSort::Updated, ProblemSort::Number] {
            for dir in [Dir::Asc, Dir::Desc] {
                let filter = ProblemFilter { sort, dir, ..ProblemFilter::default() };
                let mut got = ids(list(f.city.path.clone(), filter.clone()).await);
                assert_eq!(got.len(), 4, "{sort:?} {dir:?}");
                got.sort();
                let mut want = vec![p1, p2, p3, p4];
                want.sort();
                assert_eq!(got, want);
            }
        }
        let by_deadline = ProblemFilter { sort: ProblemSort::Deadline, ..ProblemFilter::default() };
        assert_eq!(ids(list(f.city.path.clone(), by_deadline).await), vec![p2, p4, p1, p3]);
        let by_unit = ProblemFilter { sort: ProblemSort::Unit, ..ProblemFilter::default() };
        let rows = list(f.city.path.clone(), by_unit).await.items;
        assert!(rows.windows(2).all(|w| w[0].lead_path <= w[1].lead_path), "unit order");
        // The board's drill-down within a bureau, seen from the root.
        let within = ProblemFilter { within: Some(f.bureau_a.path.clone()), ..ProblemFilter::default() };
        assert_eq!(ids(list(f.city.path.clone(), within).await), vec![p1, p3]);
    }

    async fn a_campaign_reaches_the_units_below_it_and_shows_on_the_board(db) {
        let f = Fixture::build(&db.store).await;
        let r = db.store.rectify();
        let city_drive = r.create_campaign(&who(), f.city.id, "群众身边不正之风和腐败问题集中整治").await.unwrap();
        let b_drive = r.create_campaign(&who(), f.bureau_b.id, "执法规范化专项整治").await.unwrap();
        assert_eq!(code(r.create_campaign(&who(), f.city.id, "群众身边不正之风和腐败问题集中整治").await.unwrap_err()), "campaign_exists");
        let b = batch(&db.store, f.city.id).await;
        let mut spec = ProblemSpec {
            description: "惠民补贴发放公示不及时，群众反映强烈".into(),
            root_cause: RootCause::Responsibility,
            eight_rules: None,
            campaign_id: Some(city_drive.id),
            lead_unit_id: f.branch_a.id,
            supporting_unit_ids: vec![],
            leader_id: None,
            owner_id: None,
            deadline: date(2026, 9, 30),
            schedule: vec![],
        };
        r.create_problem(&who(), &today(), b, &spec).await.unwrap();
        // Bureau B's own drive does not reach bureau A's branch.
        spec.campaign_id = Some(b_drive.id);
        assert_eq!(code(r.create_problem(&who(), &today(), b, &spec).await.unwrap_err()), "campaign_out_of_scope");
        let board = r.board(f.city.id).await.unwrap();
        assert_eq!(board.by_campaign.len(), 1);
        assert_eq!((board.by_campaign[0].label.as_str(), board.by_campaign[0].counts.total), (city_drive.name.as_str(), 1));
        // Bureau A sees the city's drive (it reaches A) but not bureau B's.
        let seen: Vec<_> = r.campaigns(std::slice::from_ref(&f.bureau_a.path)).await.unwrap().into_iter().map(|c| (c.id, c.problems)).collect();
        assert_eq!(seen, vec![(city_drive.id, 1)]);
        assert!(db.store.audit().verify().await.unwrap().is_ok());
        crate::audit::tamper(&db, "UPDATE campaigns SET name = '改名'").await;
        assert!(db.store.audit().verify().await.unwrap().is_err(), "a renamed campaign is caught");
    }
}
