//! 问题线索 in the demo city: leads made of the accepted reports and from
//! 巡察, 审计, 监督检查 and 谈话, handled by 市纪委监委 officer `jijian` and
//! signed off by its deputy secretary `jwleader`. Between them they cover
//! every disposal (谈话函询, 初步核实, 暂存待查, 予以了结, 立案审查调查) and
//! every one of the 四种形态; three 一案双查 inquiries (two concluded, one
//! still open); a referral to 市公安局 waiting for `gongan` and one returned
//! by 石桥县委 with its reason; a clearance (澄清正名) with the 错告 mark; the
//! result fed back to reporters; some stages past their limits; and the
//! third quarter's reconciliation confirmed.

use crate::DEMO_TODAY;
use jiff::ToSpan;
use jiff::civil::Date;
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::leads::clearance::{AccusationFault, ClearanceScope};
use qingfeng_domain::leads::disposal::{Disposal, LeadAction as A, LeadActor};
use qingfeng_domain::leads::dual_inquiry::{InquiryConclusion, Subject, org, person};
use qingfeng_domain::leads::outcome::{AdminSanction, Measure, OrgAccountability, PartySanction, PersonAccountability, PersonFacts, PersonOutcome};
use qingfeng_domain::leads::referral::{End, ReferralAction, ReferralTarget};
use qingfeng_domain::leads::report::{Category, PersonLevel};
use qingfeng_domain::leads::{Finding, LeadRules, LeadSource};
use qingfeng_store::leads::{LeadEnv, NewLead, NewPerson, Step};
use qingfeng_store::{Store, StoreError, Who};
use std::collections::HashMap;
use uuid::Uuid;

/// What the demo's lead handling holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct HandlingSummary {
    pub leads: usize,
    pub inquiries: usize,
    pub referrals: usize,
    pub clearances: usize,
}

struct Run<'a> {
    store: &'a Store,
    cal: Calendar,
    rules: LeadRules,
    handler: (Who, LeadActor),
    approver: (Who, LeadActor),
}

fn day(back: i64) -> Date {
    DEMO_TODAY.checked_sub(back.days()).unwrap_or(DEMO_TODAY)
}

fn official() -> PersonFacts {
    PersonFacts { party_member: true, holds_party_post: false, public_official: true }
}

impl Run<'_> {
    fn env(&self, on: Date) -> LeadEnv<'_> {
        LeadEnv { cal: &self.cal, rules: &self.rules, today: on }
    }

    /// One step, `back` days before the demo's today.
    async fn go(&self, lead: Uuid, action: A, back: i64, disposal: Option<Disposal>, finding: Option<Finding>, reason: Option<&str>) -> Result<(), StoreError> {
        let (who, actor) = match action {
            A::Approve | A::SendBack | A::ApprovePlan | A::Conclude | A::Reopen => &self.approver,
            _ => &self.handler,
        };
        self.store.leads().act(who, lead, &Step { action, actor: *actor, disposal, finding, reason }, &self.env(day(back))).await?;
        Ok(())
    }

    async fn person(&self, lead: Uuid, name: &str, post: &str, level: PersonLevel, o: PersonOutcome, back: i64) -> Result<(), StoreError> {
        let l = self.store.leads();
        let facts = PersonFacts { holds_party_post: o.party == Some(PartySanction::RemovalFromPost), ..official() };
        let p = l.add_person(&self.handler.0, lead, &NewPerson { person_id: None, name, post: Some(post), level, facts }).await?;
        l.decide_outcome(&self.handler.0, p.id, &o, None, &self.env(day(back))).await?;
        Ok(())
    }
}

/// `reports[i]`: the accepted report made of `leads::REPORTS[i]`.
pub async fn build(
    store: &Store,
    ids: &HashMap<&'static str, Uuid>,
    reports: &[Uuid],
    accounts: &HashMap<&'static str, Uuid>,
) -> Result<HandlingSummary, StoreError> {
    let id = |k: &str| ids.get(k).copied().ok_or_else(|| StoreError::Config(format!("demo spec: no unit {k}")));
    let acc = |k: &str| accounts.get(k).copied().ok_or_else(|| StoreError::Config(format!("demo spec: no account {k}")));
    let (h, a) = (acc("jijian")?, acc("jwleader")?);
    let r = Run {
        store,
        cal: Calendar::builtin(),
        rules: LeadRules::default(),
        handler: (Who::account(h, "jijian"), LeadActor { id: h, handler: true, approver: false }),
        approver: (Who::account(a, "jwleader"), LeadActor { id: a, handler: false, approver: true }),
    };
    let l = store.leads();
    let mut s = HandlingSummary::default();
    let report = |i: usize| reports.get(i).copied();
    #[allow(clippy::too_many_arguments)]
    let register = |source: LeadSource, source_ref: Option<&'static str>, report_id: Option<Uuid>, unit: Uuid, subject: Uuid, category: Category, level: PersonLevel, name: &'static str, summary: &'static str, back: i64| {
        let r = &r;
        async move {
            let n = NewLead { source, source_ref, report_id, unit_id: unit, subject_unit_id: subject, category, level, subject_name: name, summary, received_on: day(back) };
            r.store.leads().register(&r.handler.0, &n, &r.env(day(back))).await
        }
    };

    // 谈话函询 by letter → 基本属实 → 批评教育 (first form); the reporter is told the result.
    let x = register(LeadSource::Petition, None, report(3), id("team_eco")?, id("eco_law")?, Category::Work, PersonLevel::Ordinary,
        "市生态环境局执法支队二大队", "反映执法支队在化工园区执法检查中提前通知企业、只看材料不到现场，对群众反映的夜间偷排问题未予查处。", 250).await?;
    r.go(x.id, A::Propose, 245, Some(Disposal::TalkOrLetterInquiry), None, Some("反映问题较具体，拟向执法支队二大队负责人函询")).await?;
    r.go(x.id, A::Approve, 243, None, None, None).await?;
    r.go(x.id, A::SendLetter, 240, None, None, Some("函询通知书已送达二大队大队长吴某某")).await?;
    r.go(x.id, A::ReceiveReply, 228, None, None, Some("书面说明：检查前电话联系企业属实，系为确保企业负责人在场")).await?;
    r.person(x.id, "吴某某", "执法支队二大队大队长", PersonLevel::Ordinary, PersonOutcome { measures: vec![Measure::CriticalEducation], ..Default::default() }, 222).await?;
    r.go(x.id, A::Assess, 222, None, Some(Finding::LargelySubstantiated), Some("执法检查提前通知企业、现场检查不到位问题基本属实")).await?;
    r.go(x.id, A::Conclude, 220, None, None, None).await?;
    l.feed_back(&r.handler.0, x.id, "您反映的问题经核查基本属实，已对相关责任人进行批评教育，并督促执法支队规范执法检查程序。感谢您的监督。", &r.env(day(212))).await?;
    s.leads += 1;

    // 初步核实 → 部分属实 → 党内警告 (second form) → 一案双查 concluded without accountability.
    let x = register(LeadSource::Petition, None, report(7), id("team_eco")?, id("eco")?, Category::Integrity, PersonLevel::Municipal,
        "赵某某，市生态环境局某科科长", "反映赵某某在建设项目环评审批中故意拖延，暗示企业找其妻弟控制的技术服务公司编制报告，收费明显高于市场价格。", 230).await?;
    r.go(x.id, A::Propose, 226, Some(Disposal::PreliminaryVerification), None, Some("涉及利用职权为亲属经营活动谋利，拟初步核实")).await?;
    r.go(x.id, A::Approve, 224, None, None, None).await?;
    r.go(x.id, A::ApprovePlan, 222, None, None, None).await?;
    r.go(x.id, A::ReportFindings, 205, None, Some(Finding::PartlySubstantiated), Some("为妻弟公司介绍业务属实，故意拖延审批查无实据")).await?;
    r.person(x.id, "赵某某", "市生态环境局某科科长", PersonLevel::Municipal, PersonOutcome { party: Some(PartySanction::Warning), ..Default::default() }, 200).await?;
    r.go(x.id, A::Conclude, 198, None, None, None).await?;
    if let Some(i) = l.inquiry_of(x.id).await? {
        let c = InquiryConclusion::NoAccountability {
            reason: "市生态环境局党组已将环评审批纳入廉政风险防控并定期研判，问题由局党组主动发现并报告，驻局纪检监察组及时督促处置，主体责任、监督责任已履行，不予问责。".into(),
        };
        l.conclude_inquiry(&r.approver.0, i.id, &c, &r.env(day(180))).await?;
        s.inquiries += 1;
    }
    s.leads += 1;

    // From 巡察: 立案审查调查 → 撤销党内职务 + 降级 (third form) → 一案双查: 检查 and 诫勉.
    let x = register(LeadSource::InspectionTour, Some("市委第二巡察组反馈意见（2026年4月）"), None, id("ccdi")?, id("eco_law")?, Category::Integrity, PersonLevel::Ordinary,
        "李某某，执法支队原副支队长", "巡察发现执法支队原副支队长李某某在执法检查中违规干预案件查处，收受被检查企业财物，对3起环境违法案件降格处理。", 215).await?;
    r.go(x.id, A::Propose, 212, Some(Disposal::Investigation), None, Some("问题线索具体，涉嫌严重违纪，拟立案审查")).await?;
    r.go(x.id, A::Approve, 210, None, None, None).await?;
    r.person(x.id, "李某某", "执法支队原副支队长", PersonLevel::Ordinary, PersonOutcome { party: Some(PartySanction::RemovalFromPost), admin: Some(AdminSanction::Demotion), ..Default::default() }, 150).await?;
    r.go(x.id, A::Conclude, 148, None, Some(Finding::Substantiated), None).await?;
    if let Some(i) = l.inquiry_of(x.id).await? {
        let mut decisions = vec![org(id("eco_law")?, &[OrgAccountability::Inspection])];
        for t in i.targets() {
            if let (Subject::Person(p), qingfeng_domain::leads::dual_inquiry::Duty::FirstResponsible) = (t.subject, t.duty) {
                decisions.push(person(p, &[PersonAccountability::Admonition]));
            }
        }
        l.conclude_inquiry(&r.approver.0, i.id, &InquiryConclusion::Accountable { decisions }, &r.env(day(120))).await?;
        s.inquiries += 1;
    }
    s.leads += 1;

    // 初步核实 → 立案 → 开除党籍、开除、移送追究刑事责任 (fourth form): the 一案双查 is still open.
    let x = register(LeadSource::Petition, None, report(4), id("team_police")?, id("police_traffic")?, Category::Integrity, PersonLevel::Ordinary,
        "陈某某，交警支队一大队大队长", "反映陈某某多次接受驾校老板宴请和娱乐活动安排，该驾校学员考试存在违规放水情况。", 235).await?;
    r.go(x.id, A::Propose, 232, Some(Disposal::PreliminaryVerification), None, None).await?;
    r.go(x.id, A::Approve, 230, None, None, None).await?;
    r.go(x.id, A::ApprovePlan, 229, None, None, None).await?;
    r.go(x.id, A::ReportFindings, 200, None, Some(Finding::Substantiated), Some("查实收受驾校老板财物共计12万元")).await?;
    r.go(x.id, A::Redispose, 198, None, None, Some("初核发现涉嫌受贿，转立案审查调查")).await?;
    r.go(x.id, A::Propose, 197, Some(Disposal::Investigation), None, None).await?;
    r.go(x.id, A::Approve, 196, None, None, None).await?;
    r.person(x.id, "陈某某", "交警支队一大队原大队长", PersonLevel::Ordinary, PersonOutcome {
        measures: vec![Measure::CriminalReferral], party: Some(PartySanction::Expulsion), admin: Some(AdminSanction::Expulsion), ..Default::default() }, 40).await?;
    r.go(x.id, A::Conclude, 38, None, Some(Finding::Substantiated), None).await?;
    s.inquiries += usize::from(l.inquiry_of(x.id).await?.is_some());
    s.leads += 1;

    // 函询 → 不实 → 澄清正名 (in the unit, with consent) and 错告.
    let x = register(LeadSource::Petition, None, report(11), id("shiqiao_ccdi")?, id("shiqiao")?, Category::Integrity, PersonLevel::TownshipOrBelow,
        "孙某某，石桥县交通运输局某股股长", "反映孙某某以其妻子名义入股运输公司，并在线路审批、车辆年检中为该公司提供便利。", 240).await?;
    r.go(x.id, A::Propose, 236, Some(Disposal::TalkOrLetterInquiry), None, None).await?;
    r.go(x.id, A::Approve, 235, None, None, None).await?;
    r.go(x.id, A::SendLetter, 233, None, None, None).await?;
    r.go(x.id, A::ReceiveReply, 220, None, None, Some("孙某某书面说明其妻子所持股份已于2024年转让，并附工商变更登记")).await?;
    l.add_person(&r.handler.0, x.id, &NewPerson { person_id: None, name: "孙某某", post: Some("石桥县交通运输局某股股长"), level: PersonLevel::TownshipOrBelow, facts: official() }).await?;
    r.go(x.id, A::Assess, 210, None, Some(Finding::Unsubstantiated), Some("经调取工商登记和审批档案，反映问题不实")).await?;
    r.go(x.id, A::Conclude, 208, None, None, None).await?;
    let c = l.propose_clearance(&r.handler.0, x.id, "孙某某", ClearanceScope::Unit, true,
        "经核查，反映石桥县交通运输局孙某某同志违规经商办企业、为运输公司提供便利的问题不属实，现予以澄清。").await?;
    l.decide_clearance(&r.approver.0, c.id, true, &r.env(day(200))).await?;
    l.mark_false(&r.approver.0, x.id, AccusationFault::Mistaken, None, "举报人不了解股份已转让的情况，不属于故意捏造事实", &r.env(day(200))).await?;
    l.feed_back(&r.handler.0, x.id, "您反映的问题经核查不属实，有关股份已于2024年依法转让。感谢您对党风廉政建设的关心。", &r.env(day(199))).await?;
    s.clearances += 1;
    s.leads += 1;

    // 予以了结, with the feedback.
    let x = register(LeadSource::Petition, None, report(13), id("team_eco")?, id("eco")?, Category::Life, PersonLevel::Ordinary,
        "市生态环境局个别干部", "反映市生态环境局个别干部工作日中午饮酒、接待群众态度生硬。", 160).await?;
    r.go(x.id, A::Propose, 157, Some(Disposal::Concluded), None, Some("反映问题无具体人员和时间，局机关已开展作风专项整治，予以了结")).await?;
    r.go(x.id, A::Approve, 155, None, None, None).await?;
    l.feed_back(&r.handler.0, x.id, "您反映的问题已转市生态环境局党组在作风专项整治中一并整改。感谢您的监督。", &r.env(day(150))).await?;
    s.leads += 1;

    // 暂存待查: the periodic review is due.
    let x = register(LeadSource::Petition, None, report(15), id("shiqiao_ccdi")?, id("shiqiao")?, Category::Political, PersonLevel::Other,
        "石桥县某局", "反映石桥县某局在减轻基层负担要求下仍层层要求报送材料和照片，一项工作要求填报六七张表格。", 210).await?;
    r.go(x.id, A::Propose, 206, Some(Disposal::Shelved), None, Some("反映对象不明确，暂存待查，结合形式主义官僚主义专项整治了解")).await?;
    r.go(x.id, A::Approve, 205, None, None, None).await?;
    s.leads += 1;

    // 移送 to 市公安局 (督察), waiting for `gongan`.
    let x = register(LeadSource::Petition, None, report(10), id("team_police")?, id("police_organ")?, Category::Work, PersonLevel::Ordinary,
        "市公安局户籍窗口工作人员", "反映户籍窗口工作人员办理迁移手续时一次性告知不到位，群众多次往返仍未办结。", 30).await?;
    l.refer(&r.handler.0, x.id, id("police")?, ReferralTarget::Inspectorate, "群众反映市公安局户籍窗口办理户口迁移时一次性告知不到位，多次往返仍未办结，请核查窗口服务作风问题。", "属于窗口服务作风问题，移送市公安局督察部门核查处理并反馈", &r.env(day(3))).await?;
    s.referrals += 1;
    s.leads += 1;

    // 移送 to 石桥县委 (组织部门), returned with its reason.
    let x = register(LeadSource::Petition, None, report(8), id("shiqiao_ccdi")?, id("qingshan")?, Category::Organisational, PersonLevel::TownshipOrBelow,
        "石桥县青山镇党委", "反映青山镇推荐后备干部未按规定进行民主推荐，其中一人任职年限不符合条件。", 200).await?;
    let rf = l.refer(&r.handler.0, x.id, id("shiqiao")?, ReferralTarget::Organisation, "反映青山镇推荐后备干部未按规定进行民主推荐，其中一人任职年限不符合条件。", "涉及干部选拔任用程序，移送县委组织部处理", &r.env(day(195))).await?;
    l.answer_referral(&Who::system("石桥县委组织部"), rf.id, ReferralAction::Return, End::Receiver, Some("经查，该镇后备干部推荐尚未进入任用程序，反映的违规问题涉及领导干部打招呼，请纪委按职责处置"), &r.env(day(190))).await?;
    s.referrals += 1;
    s.leads += 1;

    // From 审计: 初步核实 running past its limit.
    let x = register(LeadSource::Audit, Some("丰林县审计局审计报告（丰审报〔2026〕12号）"), None, id("fenglin_ccdi")?, id("chengguan")?, Category::Integrity, PersonLevel::TownshipOrBelow,
        "城关镇党委、政府", "审计发现城关镇2025年以加班补助、值班补助名义向机关干部发放津贴补贴共计46.8万元，资金从农村环境整治专项经费中列支。", 60).await?;
    r.go(x.id, A::Propose, 55, Some(Disposal::PreliminaryVerification), None, None).await?;
    r.go(x.id, A::Approve, 52, None, None, None).await?;
    r.go(x.id, A::ApprovePlan, 50, None, None, None).await?;
    s.leads += 1;

    // From 监督检查: a proposal waiting for `jwleader`.
    let x = register(LeadSource::SupervisionCheck, Some("市纪委监委节日期间公车使用专项检查"), None, id("ccdi")?, id("shuanghe")?, Category::Integrity, PersonLevel::TownshipOrBelow,
        "双河乡党委副书记", "专项检查发现双河乡一辆公务用车周末多次停放在乡党委副书记住处附近，行车记录显示往返县城，加油费用由乡财政报销。", 12).await?;
    r.go(x.id, A::Propose, 8, Some(Disposal::TalkOrLetterInquiry), None, Some("拟与该副书记谈话了解，并调取车辆派车单")).await?;
    s.leads += 1;

    // From 谈话: registered, the month to propose a disposal has run out.
    register(LeadSource::Talk, Some("市生态环境局党组书记廉政谈话记录"), None, id("team_eco")?, id("eco_organ")?, Category::Integrity, PersonLevel::Ordinary,
        "机关服务中心某工作人员", "廉政谈话中反映机关服务中心办公用品采购存在拆分合同、规避政府采购的问题。", 45).await?;
    s.leads += 1;

    // 谈话函询 by talk, reply assessed, waiting to be concluded.
    let x = register(LeadSource::Petition, None, report(6), id("fenglin_ccdi")?, id("dongjie")?, Category::Mass, PersonLevel::TownshipOrBelow,
        "东街社区主任", "反映东街社区主任在低保审核中将其亲戚纳入低保，辖区困难家庭多次申请未获批准。", 90).await?;
    r.go(x.id, A::Propose, 86, Some(Disposal::TalkOrLetterInquiry), None, None).await?;
    r.go(x.id, A::Approve, 85, None, None, None).await?;
    r.go(x.id, A::HoldTalk, 70, None, None, Some("与社区主任谈话，本人承认其表妹家庭收入核算不准确")).await?;
    r.person(x.id, "钱某某", "东街社区主任", PersonLevel::TownshipOrBelow, PersonOutcome { measures: vec![Measure::OrderedSelfExamination], ..Default::default() }, 65).await?;
    r.go(x.id, A::Assess, 65, None, Some(Finding::PartlySubstantiated), None).await?;
    s.leads += 1;

    // The ledger of 市纪委监委 confirmed for the third quarter.
    let ccdi = store.orgs().get(id("ccdi")?).await?;
    let all = l.all_leads(std::slice::from_ref(&ccdi.path), &qingfeng_store::leads::LeadFilter::default()).await?;
    let q3 = qingfeng_store::leads::Figures::of(&all, "2026-07-01", "2026-09-30");
    let figures = serde_json::to_value(&q3).map_err(|e| StoreError::Config(e.to_string()))?;
    l.review(&r.handler.0, ccdi.id, "2026-Q3", &figures, Some("台账与案管系统核对一致")).await?;
    Ok(s)
}
