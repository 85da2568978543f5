use jiff::civil::date;
use qingfeng_domain::leads::intake::ReportInput;
use qingfeng_seal::{Keyring, ReceiptCode, ReceiptHasher, ReporterIdentity, SealKey};
use qingfeng_store::StoreError;
use qingfeng_store::Who;
use qingfeng_store::leads::{NewReport, Report};
use qingfeng_test_support::Fixture;
use qingfeng_test_support::fixtures::who;
use qingfeng_text::fingerprint::Signature;
use uuid::Uuid;

const NAME: &str = "欧阳明远";
const ID_NUMBER: &str = "11010519491231002X";
const PHONE: &str = "13912345678";

fn code(e: StoreError) -> &'static str {
    match e {
        StoreError::Refused(r) => r.code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn fingerprint(text: &str) -> (Vec<u8>, Vec<i64>) {
    let sig = Signature::of_text(text);
    (sig.to_bytes(), sig.stored_band_keys())
}

fn input(content: &str, real: bool) -> ReportInput {
    ReportInput {
        kind: "accusation".into(),
        channel: "online".into(),
        category: "integrity".into(),
        reported_name: "王某某".into(),
        reported_unit: "丰林县自然资源局".into(),
        reported_level: "township_or_below".into(),
        title: "反映王某某违规收受购物卡问题".into(),
        content: content.into(),
        real_name: real,
        reporter_name: if real { NAME.into() } else { String::new() },
        reporter_id_number: if real { ID_NUMBER.into() } else { String::new() },
        reporter_phone: if real { PHONE.into() } else { String::new() },
        ..Default::default()
    }
}

const FIRST: &str = "丰林县自然资源局王某某在2025年春节期间收受辖区内三家砂石企业购物卡共计2万元，并多次接受企业老板宴请，在办理采矿许可证延续时为其提供便利。";
const REWORDED: &str = "王某某（丰林县自然资源局）在办理采矿许可证延续时为三家砂石企业提供便利，2025年春节期间收受这些企业的购物卡共计2万元，还多次接受老板宴请。";
const UNRELATED: &str = "丰林县自然资源局办公楼装修工程未按规定公开招标，由局里临时指定施工单位，工程款超出预算较多，群众意见较大。";

crate::on_both_engines! {
    async fn a_real_name_report_is_sealed_followed_by_receipt_deduplicated_and_released_once(db) {
        let f = Fixture::build(&db.store).await;
        let l = db.store.leads();
        let keys = Keyring::new(SealKey::generate("office-2026").unwrap());
        let hasher = ReceiptHasher::new(b"deployment-salt-for-tests").unwrap();
        let today = date(2026, 2, 12);
        let submit = |content: &'static str, real: bool| {
            let store = db.store.clone();
            let keys = &keys;
            let hasher = &hasher;
            let intake = f.city.id;
            async move {
                let spec = input(content, real).validate(false, today, |_| false).unwrap();
                let id = Uuid::now_v7();
                let sealed = spec.reporter.as_ref().map(|r| {
                    let ident = ReporterIdentity { name: r.name.clone(), id_number: r.id_number.clone(), phone: r.phone.clone(), unit: String::new(), address: String::new() };
                    ident.seal(keys, id.as_bytes()).unwrap().as_str().to_string()
                });
                let code = ReceiptCode::generate().unwrap();
                let hash = hasher.hash(&code).unwrap();
                let (sig, bands) = fingerprint(content);
                let n = NewReport {
                    id, spec: &spec, identity_sealed: sealed.as_deref(), receipt_hash: Some(&hash), intake_unit_id: intake,
                    received_on: today, accept_due: date(2026, 2, 26), notice_due: real.then_some(date(2026, 3, 11)),
                    signature: &sig, band_keys: &bands, files: &[],
                };
                let r = store.leads().submit(&Who::system("public"), &n).await.unwrap();
                (r, code)
            }
        };
        let (first, receipt) = submit(FIRST, true).await;
        assert!(first.real_name && first.identity_sealed.as_deref().is_some_and(|s| s.starts_with("v1:office-2026:")));
        // Followed by the receipt code: only its hash is stored.
        let again = l.by_receipt(&hasher.hash(&receipt).unwrap()).await.unwrap();
        assert_eq!(again.id, first.id);
        let other = ReceiptCode::generate().unwrap();
        assert!(matches!(l.by_receipt(&hasher.hash(&other).unwrap()).await, Err(StoreError::NotFound)));
        l.add_message(&Who::system("public"), first.id, "reporter", "补充：宴请地点在县城某酒店").await.unwrap();
        l.add_message(&who(), first.id, "office", "已收到，正在核实").await.unwrap();
        assert_eq!(l.messages(first.id).await.unwrap().len(), 2);

        // A re-worded copy is a candidate above the threshold; an unrelated report about the same unit is not.
        let (copy, _) = submit(REWORDED, false).await;
        let (other_r, _) = submit(UNRELATED, false).await;
        let similar = |r: &Report| {
            let store = db.store.clone();
            let r = r.clone();
            async move {
                let (sig, bands) = fingerprint(&r.content);
                let me = Signature::from_bytes(&sig).unwrap();
                let mut v: Vec<(Uuid, f64)> = store.leads().candidates(&bands, Some(r.id), 50).await.unwrap().into_iter()
                    .map(|c| (c.report_id, me.estimate_similarity(&Signature::from_bytes(&c.signature).unwrap())))
                    .filter(|(_, s)| *s >= qingfeng_text::fingerprint::DUPLICATE_THRESHOLD)
                    .collect();
                v.sort_by(|a, b| b.1.total_cmp(&a.1));
                v
            }
        };
        let found = similar(&copy).await;
        assert_eq!(found.first().map(|x| x.0), Some(first.id), "{found:?}");
        assert!(similar(&other_r).await.iter().all(|(id, _)| *id != first.id));
        let dup = l.mark_duplicate(&who(), copy.id, first.id, (found[0].1 * 100.0).round() as i64).await.unwrap();
        assert_eq!((dup.status.as_str(), dup.duplicate_of), ("duplicate", Some(first.id)));
        assert_eq!(l.duplicates_of(first.id).await.unwrap().len(), 1);

        // Registration numbers run per series and year.
        let a = l.accept(&who(), first.id, f.bureau_a.id, "integrity", today).await.unwrap();
        assert_eq!(a.reg_no.as_deref(), Some("JB-2026-000001"));
        let b = l.accept(&who(), other_r.id, f.bureau_a.id, "integrity", today).await.unwrap();
        assert_eq!(b.reg_no.as_deref(), Some("JB-2026-000002"));
        assert_eq!(code(l.accept(&who(), first.id, f.bureau_a.id, "integrity", today).await.unwrap_err()), "not_received");

        // The identity: asked with a reason, decided by a second person, read once.
        let handler = Who::account(f.officer.id, "officer");
        let second = Who::account(f.auditor.id, "auditor");
        let rel = l.request_release(&handler, first.id, "核实需要与举报人当面了解情况").await.unwrap();
        assert_eq!(code(l.decide_release(&handler, rel.id, true, None).await.unwrap_err()), "four_eyes");
        assert_eq!(code(l.read_release(&handler, rel.id).await.unwrap_err()), "not_approved");
        l.decide_release(&second, rel.id, true, Some("同意")).await.unwrap();
        assert!(matches!(l.read_release(&second, rel.id).await, Err(StoreError::NotFound)), "only the one who asked reads");
        let (rid, sealed) = l.read_release(&handler, rel.id).await.unwrap();
        let ident = ReporterIdentity::open(&keys, &qingfeng_seal::Sealed::parse(&sealed).unwrap(), rid.as_bytes()).unwrap();
        assert_eq!((ident.name.as_str(), ident.id_number.as_str(), ident.phone.as_str()), (NAME, ID_NUMBER, PHONE));
        assert_eq!(code(l.read_release(&handler, rel.id).await.unwrap_err()), "already_read");
        assert_eq!(code(l.request_release(&handler, copy.id, "核实需要联系").await.unwrap_err()), "anonymous");
        assert!(db.store.audit().verify().await.unwrap().is_ok());

        // Nowhere in the database file is the identity in the clear.
        if let Some(dir) = db.guard() {
            let mut bytes = Vec::new();
            for e in std::fs::read_dir(dir.path()).unwrap() {
                bytes.extend(std::fs::read(e.unwrap().path()).unwrap());
            }
            assert!(bytes.len() > 10_000);
            let text = String::from_utf8_lossy(&bytes);
            assert!(text.contains("砂石企业"), "the content is stored in the clear (sanity check of the scan)");
            for secret in [NAME, ID_NUMBER, PHONE] {
                assert!(!text.contains(secret), "{secret} is in the database file");
            }
        }
    }
}

mod lifecycle {
    use super::*;
    use qingfeng_domain::calendar::Calendar;
    use qingfeng_domain::leads::clearance::{AccusationFault, ClearanceScope};
    use qingfeng_domain::leads::disposal::{Disposal, LeadAction as A, LeadActor, LeadStatus};
    use qingfeng_domain::leads::dual_inquiry::{Duty, InquiryConclusion, Subject};
    use qingfeng_domain::leads::outcome::{Form, Measure, PartySanction, PersonFacts, PersonOutcome};
    use qingfeng_domain::leads::referral::{End, ReferralAction, ReferralTarget};
    use qingfeng_domain::leads::report::{Category, PersonLevel};
    use qingfeng_domain::leads::{Finding, LeadRules, LeadSource};
    use qingfeng_domain::org::OrgKind;
    use qingfeng_domain::people::PersonSpec;
    use qingfeng_store::leads::{LeadEnv, LeadFilter, NewLead, NewPerson, Step};
    use qingfeng_domain::org::OrgUnitSpec;

    fn unit(name: &str, kind: OrgKind) -> OrgUnitSpec {
        OrgUnitSpec { name: name.into(), short_name: None, kind, sort_order: 0 }
    }

    crate::on_both_engines! {
        async fn a_lead_runs_from_registration_through_disposal_outcome_dual_inquiry_referral_and_clearance(db) {
            let f = Fixture::build(&db.store).await;
            let l = db.store.leads();
            let cal = Calendar::builtin();
            let rules = LeadRules::DEFAULT;
            let env = LeadEnv { cal: &cal, rules: &rules, today: date(2026, 3, 2) };
            // The city's 纪委 with a team stationed at the 生态环境局; the bureau's head.
            let ccdi = db.store.orgs().create(&who(), Some(f.city.id), &unit("中共测试市纪律检查委员会", OrgKind::DisciplineCommission)).await.unwrap();
            let team = db.store.orgs().create(&who(), Some(ccdi.id), &unit("测试市纪委监委驻市生态环境局纪检监察组", OrgKind::StationedTeam)).await.unwrap();
            let head = db.store.people().create(&who(), f.bureau_a.id, &PersonSpec {
                name: "赵局长".into(), gender: None, position: Some("党组书记、局长".into()), is_party_member: true,
                is_head: true, is_leadership_member: true, sort_order: 0,
            }).await.unwrap();
            let handler = Who::account(f.officer.id, "officer");
            let leader = Who::account(f.auditor.id, "leader");
            let h = LeadActor { id: f.officer.id, handler: true, approver: false };
            let ap = LeadActor { id: f.auditor.id, handler: false, approver: true };
            let step = |action, actor, disposal, finding, reason| Step { action, actor, disposal, finding, reason };

            let new = |summary: &'static str, source| NewLead {
                source, source_ref: Some("市委第二巡察组反馈意见"), report_id: None, unit_id: ccdi.id, subject_unit_id: f.bureau_a.id,
                category: Category::Integrity, level: PersonLevel::County, subject_name: "李某某，执法支队副支队长",
                summary, received_on: date(2026, 3, 2),
            };
            // Registered with the 1-month clock to propose a disposal, numbered per year.
            let a = l.register(&handler, &new("在执法检查中多次接受企业宴请，收受购物卡。", LeadSource::InspectionTour), &env).await.unwrap();
            assert_eq!((a.lead_no.as_str(), a.status.as_str(), a.step_due.as_deref()), ("XS-2026-00001", "registered", Some("2026-04-02")));
            // A proposal is approved by someone else, never by the proposer.
            let a = l.act(&handler, a.id, &step(A::Propose, h, Some(Disposal::PreliminaryVerification), None, Some("线索具体，可查性强")), &env).await.unwrap();
            let both = LeadActor { id: f.officer.id, handler: true, approver: true };
            assert_eq!(code(l.act(&handler, a.id, &step(A::Approve, both, None, None, None), &env).await.unwrap_err()), "approver_is_proposer");
            let a = l.act(&leader, a.id, &step(A::Approve, ap, None, None, None), &env).await.unwrap();
            assert_eq!(a.status(), LeadStatus::Approved);
            let a = l.act(&leader, a.id, &step(A::ApprovePlan, ap, None, None, None), &env).await.unwrap();
            // 初步核实: 15 working days from 2026-03-02.
            assert_eq!((a.status(), a.step_due.as_deref()), (LeadStatus::Verifying, Some("2026-03-23")));
            let a = l.act(&handler, a.id, &step(A::ReportFindings, h, None, Some(Finding::Substantiated), None), &env).await.unwrap();

            // The person and their outcome: 严重警告 is the second form, its influence period 18 months.
            let p = l.add_person(&handler, a.id, &NewPerson { person_id: None, name: "李某某", post: Some("执法支队副支队长"), level: PersonLevel::County,
                facts: PersonFacts { party_member: true, holds_party_post: false, public_official: true } }).await.unwrap();
            let bad = PersonOutcome { party: Some(PartySanction::RemovalFromPost), ..Default::default() };
            assert!(matches!(l.decide_outcome(&handler, p.id, &bad, None, &env).await, Err(StoreError::Invalid(_))), "no party post to remove");
            let o = PersonOutcome { party: Some(PartySanction::SeriousWarning), measures: vec![Measure::Admonition], ..Default::default() };
            assert!(matches!(l.decide_outcome(&handler, p.id, &o, Some(Form::First), &env).await, Err(StoreError::Invalid(_))), "declared form must match");
            let p = l.decide_outcome(&handler, p.id, &o, Some(Form::Second), &env).await.unwrap();
            assert_eq!((p.form.as_deref(), p.party_effect_end.as_deref()), (Some("second"), Some("2027-09-01")));

            // Concluding opens the 一案双查 inquiry in the same step: it blocks nothing.
            let a = l.act(&leader, a.id, &step(A::Conclude, ap, None, None, None), &env).await.unwrap();
            assert_eq!((a.status(), a.concluded_on.as_deref(), a.feedback_due.as_deref()), (LeadStatus::Concluded, Some("2026-03-02"), None));
            let i = l.inquiry_of(a.id).await.unwrap().expect("inquiry opened");
            assert_eq!((i.status.as_str(), i.triggered_by.as_str(), i.unit_id), ("open", "second", f.bureau_a.id));
            let targets = i.targets();
            assert!(targets.iter().any(|t| t.subject == Subject::Organisation(f.bureau_a.id) && t.duty == Duty::Primary));
            assert!(targets.iter().any(|t| t.subject == Subject::Person(head.id) && t.duty == Duty::FirstResponsible));
            assert!(targets.iter().any(|t| t.subject == Subject::Organisation(team.id) && t.duty == Duty::Oversight), "{targets:?}");
            assert_eq!(l.inquiries(std::slice::from_ref(&f.city.path), true).await.unwrap().len(), 1);
            let empty = InquiryConclusion::NoAccountability { reason: " ".into() };
            assert!(matches!(l.conclude_inquiry(&leader, i.id, &empty, &env).await, Err(StoreError::Invalid(_))));
            let c = InquiryConclusion::Accountable { decisions: vec![qingfeng_domain::leads::dual_inquiry::person(head.id, &[qingfeng_domain::leads::outcome::PersonAccountability::Admonition])] };
            l.conclude_inquiry(&leader, i.id, &c, &env).await.unwrap();
            assert!(l.inquiries(std::slice::from_ref(&f.city.path), true).await.unwrap().is_empty());

            // 移送: returned by the receiver with its reason, sent again, accepted.
            let b = l.register(&handler, &new("违规插手工程招投标，涉嫌受贿。", LeadSource::Audit), &env).await.unwrap();
            assert_eq!(b.lead_no, "XS-2026-00002");
            assert!(matches!(l.refer(&handler, b.id, f.bureau_b.id, ReferralTarget::Judicial, "违规插手工程招投标，涉嫌受贿。", " ", &env).await, Err(StoreError::Invalid(_))));
            let r = l.refer(&handler, b.id, f.bureau_b.id, ReferralTarget::Inspectorate, "违规插手工程招投标，涉嫌受贿。", "涉及执法人员，移送督察部门", &env).await.unwrap();
            assert_eq!((r.status.as_str(), r.response_due.as_deref()), ("sent", Some("2026-03-09")));
            assert_eq!(code(l.refer(&handler, b.id, f.bureau_b.id, ReferralTarget::Inspectorate, "违规插手工程招投标，涉嫌受贿。", "再次", &env).await.unwrap_err()), "referral_pending");
            assert_eq!(code(l.answer_referral(&handler, r.id, ReferralAction::Accept, End::Sender, None, &env).await.unwrap_err()), "not_receiver");
            assert_eq!(code(l.answer_referral(&leader, r.id, ReferralAction::Return, End::Receiver, None, &env).await.unwrap_err()), "reason_required");
            let r = l.answer_referral(&leader, r.id, ReferralAction::Return, End::Receiver, Some("被反映人不属于本单位管理"), &env).await.unwrap();
            assert_eq!((r.status.as_str(), r.response_reason.as_deref()), ("returned", Some("被反映人不属于本单位管理")));
            let r = l.answer_referral(&handler, r.id, ReferralAction::Resend, End::Sender, Some("已核实为该单位借调人员"), &env).await.unwrap();
            let r = l.answer_referral(&leader, r.id, ReferralAction::Accept, End::Receiver, None, &env).await.unwrap();
            assert_eq!(r.status.as_str(), "accepted");
            assert_eq!(l.referral_steps(r.id).await.unwrap().len(), 4, "the trail: sent, returned, sent again, accepted");
            assert_eq!(l.referrals(std::slice::from_ref(&f.bureau_b.path), &[]).await.unwrap().len(), 1, "the receiver's inbox");

            // 澄清正名 and 错告 only on an untrue finding; the approver is not the proposer.
            let c = l.register(&handler, &new("反映其收受红包，经函询说明。", LeadSource::Talk), &env).await.unwrap();
            assert_eq!(code(l.propose_clearance(&handler, c.id, "李某某", ClearanceScope::Unit, true, "经核查，反映李某某收受红包问题不实，予以澄清。").await.unwrap_err()), "lead_not_concluded");
            l.act(&handler, c.id, &step(A::Propose, h, Some(Disposal::TalkOrLetterInquiry), None, None), &env).await.unwrap();
            l.act(&leader, c.id, &step(A::Approve, ap, None, None, None), &env).await.unwrap();
            let c2 = l.act(&handler, c.id, &step(A::SendLetter, h, None, None, None), &env).await.unwrap();
            assert_eq!(c2.step_due.as_deref(), Some("2026-03-23"), "函询 reply: 15 working days");
            l.act(&handler, c.id, &step(A::ReceiveReply, h, None, None, None), &env).await.unwrap();
            l.act(&handler, c.id, &step(A::Assess, h, None, Some(Finding::Unsubstantiated), None), &env).await.unwrap();
            let c3 = l.act(&leader, c.id, &step(A::Conclude, ap, None, None, None), &env).await.unwrap();
            assert_eq!((c3.finding.as_deref(), l.inquiry_of(c.id).await.unwrap().is_none()), (Some("unsubstantiated"), true));
            assert!(matches!(l.propose_clearance(&handler, c.id, "李某某", ClearanceScope::Unit, true, "短").await, Err(StoreError::Invalid(_))));
            let x = l.propose_clearance(&handler, c.id, "李某某", ClearanceScope::Unit, false, "经核查，反映李某某收受红包问题不实，予以澄清。").await.unwrap();
            assert_eq!(code(l.decide_clearance(&handler, x.id, true, &env).await.unwrap_err()), "approver_is_proposer");
            assert_eq!(code(l.decide_clearance(&leader, x.id, true, &env).await.unwrap_err()), "consent_required");
            let x = l.propose_clearance(&handler, c.id, "李某某", ClearanceScope::Unit, true, "经核查，反映李某某收受红包问题不实，予以澄清。").await.unwrap();
            assert_eq!(l.decide_clearance(&leader, x.id, true, &env).await.unwrap().status, "approved");
            assert_eq!(l.approved_clearances(std::slice::from_ref(&f.city.path)).await.unwrap().len(), 1);
            let m = l.mark_false(&leader, c.id, AccusationFault::Deliberate, None, "捏造事实", &env).await.unwrap();
            assert_eq!((m.false_accusation.as_deref(), m.false_author), (Some("deliberate"), None), "an anonymous author is not linked");
            assert_eq!(code(l.feed_back(&handler, c.id, "经核查，反映问题不属实。", &env).await.unwrap_err()), "no_reporter");

            // The ledger filters; reopening needs a reason; the chain verifies.
            let scopes = [f.city.path.clone()];
            let open = l.all_leads(&scopes, &LeadFilter { open: true, ..Default::default() }).await.unwrap();
            assert_eq!(open.iter().map(|x| x.lead_no.as_str()).collect::<Vec<_>>(), ["XS-2026-00002"]);
            let found = l.all_leads(&scopes, &LeadFilter { text: Some("招投标".into()), ..Default::default() }).await.unwrap();
            assert_eq!(found.len(), 1);
            assert!(l.all_leads(std::slice::from_ref(&f.bureau_b.path), &LeadFilter::default()).await.unwrap().is_empty(), "handled by the city's 纪委 only");
            assert_eq!(code(l.act(&leader, c.id, &step(A::Reopen, ap, None, None, Some(" ")), &env).await.unwrap_err()), "reason_required");
            let reopened = l.act(&leader, c.id, &step(A::Reopen, ap, None, None, Some("收到新的证据材料")), &env).await.unwrap();
            assert_eq!(reopened.false_accusation, None, "the 错告/诬告 mark goes with the conclusion");
            assert!(l.approved_clearances(std::slice::from_ref(&f.city.path)).await.unwrap().is_empty(), "the clearance is withdrawn");
            assert_eq!(l.clearances(c.id).await.unwrap().iter().filter(|x| x.status == "withdrawn").count(), 1);
            let figures = serde_json::json!({ "received": 3 });
            l.review(&handler, ccdi.id, "2026-Q1", &figures, Some("核对无误")).await.unwrap();
            assert_eq!(code(l.review(&handler, ccdi.id, "2026-Q1", &figures, None).await.unwrap_err()), "already_reviewed");
            assert!(db.store.audit().verify().await.unwrap().is_ok());
        }
    }

    crate::on_both_engines! {
        async fn a_report_becomes_a_lead_once_and_its_reporter_gets_the_result(db) {
            let f = Fixture::build(&db.store).await;
            let l = db.store.leads();
            let cal = Calendar::builtin();
            let rules = LeadRules::DEFAULT;
            let env = LeadEnv { cal: &cal, rules: &rules, today: date(2026, 2, 12) };
            let spec = input(FIRST, false).validate(false, env.today, |_| false).unwrap();
            let (sig, bands) = fingerprint(FIRST);
            let id = Uuid::now_v7();
            let n = NewReport { id, spec: &spec, identity_sealed: None, receipt_hash: Some("h1"), intake_unit_id: f.city.id, received_on: env.today,
                accept_due: date(2026, 2, 26), notice_due: None, signature: &sig, band_keys: &bands, files: &[] };
            l.submit(&Who::system("public"), &n).await.unwrap();
            let ccdi = db.store.orgs().create(&who(), Some(f.city.id), &unit("中共测试市纪律检查委员会", OrgKind::DisciplineCommission)).await.unwrap();
            let lead = |report, unit_id| NewLead { source: LeadSource::Petition, source_ref: None, report_id: Some(report), unit_id,
                subject_unit_id: f.bureau_a.id, category: Category::Integrity, level: PersonLevel::TownshipOrBelow, subject_name: "王某某",
                summary: FIRST, received_on: env.today };
            assert_eq!(code(l.register(&who(), &lead(id, ccdi.id), &env).await.unwrap_err()), "report_not_accepted");
            l.accept(&who(), id, ccdi.id, "integrity", env.today).await.unwrap();
            // Given to the 纪委, the report is its lead: another unit cannot take it.
            assert_eq!(code(l.register(&who(), &lead(id, f.city.id), &env).await.unwrap_err()), "not_the_handling_unit");
            let x = l.register(&who(), &lead(id, ccdi.id), &env).await.unwrap();
            assert_eq!(code(l.register(&who(), &lead(id, ccdi.id), &env).await.unwrap_err()), "already_lead");
            assert_eq!(l.lead_of_report(id).await.unwrap().map(|y| y.id), Some(x.id));
            let h = LeadActor { id: f.officer.id, handler: true, approver: false };
            let ap = LeadActor { id: f.auditor.id, handler: false, approver: true };
            l.act(&Who::account(f.officer.id, "officer"), x.id, &Step { action: A::Propose, actor: h, disposal: Some(Disposal::Concluded), finding: None, reason: Some("反映问题已在巡察整改中解决") }, &env).await.unwrap();
            // An outcome of the second form recorded meanwhile: 予以了结 does not escape 一案双查.
            let p = l.add_person(&who(), x.id, &NewPerson { person_id: None, name: "王某某", post: None, level: PersonLevel::TownshipOrBelow,
                facts: PersonFacts { party_member: true, holds_party_post: false, public_official: true } }).await.unwrap();
            l.decide_outcome(&who(), p.id, &PersonOutcome { admin: Some(qingfeng_domain::leads::outcome::AdminSanction::Warning), ..Default::default() }, None, &env).await.unwrap();
            let done = l.act(&Who::account(f.auditor.id, "leader"), x.id, &Step { action: A::Approve, actor: ap, disposal: None, finding: None, reason: None }, &env).await.unwrap();
            // 予以了结 concludes at approval; an anonymous reporter has no feedback clock.
            assert_eq!((done.status(), done.feedback_due.as_deref()), (LeadStatus::Concluded, None));
            assert!(l.inquiry_of(x.id).await.unwrap().is_some(), "the inquiry opened on approval into 已办结");
            l.feed_back(&who(), x.id, "您反映的问题已在巡察整改中解决，感谢您的监督。", &env).await.unwrap();
            assert_eq!(l.get(id).await.unwrap().result_text.as_deref(), Some("您反映的问题已在巡察整改中解决，感谢您的监督。"));
            // 重新启动 withdraws the result told to the reporter.
            let again = l.act(&Who::account(f.auditor.id, "leader"), x.id, &Step { action: A::Reopen, actor: ap, disposal: None, finding: None, reason: Some("收到新的举报材料") }, &env).await.unwrap();
            assert_eq!((again.status(), again.result_text.clone(), again.fed_back_on.clone(), again.concluded_on.clone()), (LeadStatus::Registered, None, None, None));
            assert_eq!(l.get(id).await.unwrap().result_text, None);
            assert!(db.store.audit().verify().await.unwrap().is_ok());
        }
    }
}
