//! 信访举报 in the demo city, as received by 市纪委监委 up to [`DEMO_TODAY`]:
//! about forty reports — online and by letter, visit and call; anonymous
//! and real-name (sealed under the office key when the caller has one,
//! otherwise filed anonymously); some re-worded copies of earlier ones
//! linked as 重复件; most accepted and handed to the unit the reported
//! person's level points to (县管干部 → the county 纪委, 市管 → the 派驻组
//! or 市纪委); a few still waiting, one of them past its acceptance limit;
//! messages with reporters, and one identity release waiting for approval.

use crate::DEMO_TODAY;
use jiff::ToSpan;
use jiff::civil::Date;
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::leads::LeadRules;
use qingfeng_domain::leads::deadline::{Clock, due};
use qingfeng_domain::leads::intake::ReportInput;
use qingfeng_seal::{Keyring, ReceiptCode, ReceiptHasher, ReporterIdentity};
use qingfeng_store::leads::NewReport;
use qingfeng_store::{Store, StoreError, Who};
use qingfeng_text::fingerprint::Signature;
use std::collections::HashMap;
use uuid::Uuid;

/// What the demo's 信访举报 holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct LeadsSummary {
    pub reports: usize,
    pub real_name: usize,
    pub duplicates: usize,
    pub accepted: usize,
    /// 问题线索 and what followed them.
    pub handling: crate::lead_handling::HandlingSummary,
}

/// (channel, category, reported name, reported unit, post, level, title, content, handling unit key)
type Spec = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str);

const REPORTS: &[Spec] = &[
    ("online", "integrity", "王某某", "丰林县自然资源局", "副局长", "county", "反映丰林县自然资源局王某某收受购物卡问题",
     "丰林县自然资源局副局长王某某在2025年春节期间收受辖区内三家砂石企业购物卡共计2万元，并多次接受企业老板宴请，在办理采矿许可证延续时为其提供便利。", "fenglin_ccdi"),
    ("online", "integrity", "刘某某", "石桥县住房和城乡建设局", "局长", "county", "反映石桥县住建局刘某某插手工程项目问题",
     "石桥县住建局局长刘某某利用职务便利，为其亲属承揽的青山镇安置房配套工程打招呼，工程未公开招标即由其亲属公司施工，工程款已结算800余万元。", "shiqiao_ccdi"),
    ("letter", "mass", "", "丰林县河口镇", "", "township_or_below", "反映河口镇危房改造补助发放不公问题",
     "河口镇2025年农村危房改造补助评定过程中，村干部优亲厚友，部分村干部亲属房屋不属于危房却领取补助，真正困难户未能享受，群众意见很大。", "fenglin_ccdi"),
    ("online", "work", "", "市生态环境局执法支队", "", "ordinary", "反映生态环境执法支队执法检查走过场问题",
     "市生态环境局执法支队在对化工园区企业开展执法检查时，提前电话通知企业，检查人员只看材料不到现场，对群众多次反映的夜间偷排问题始终没有查处。", "team_eco"),
    ("phone", "integrity", "陈某某", "市公安局交通警察支队", "大队长", "ordinary", "反映交警支队陈某某违规接受宴请问题",
     "市公安局交警支队一大队大队长陈某某多次在驾校老板安排的酒店吃饭，饭后到KTV娱乐，费用均由驾校老板支付，该驾校学员考试存在违规放水情况。", "team_police"),
    ("online", "integrity", "", "石桥县双河乡政府", "", "township_or_below", "反映双河乡公车私用问题",
     "石桥县双河乡政府一辆公务用车长期停放在乡党委副书记家附近，周末经常被其家属开去县城接送孩子上学，车辆加油费用由乡财政报销。", "shiqiao_ccdi"),
    ("visit", "mass", "", "丰林县城关镇东街社区", "", "township_or_below", "反映东街社区低保审核优亲厚友问题",
     "东街社区在低保审核中，社区主任将其亲戚纳入低保，而辖区内多户因病致贫家庭申请多次未获批准，社区公示时间也不足规定天数。", "fenglin_ccdi"),
    ("online", "integrity", "赵某某", "市生态环境局", "科长", "municipal", "反映市生态环境局赵某某在环评审批中吃拿卡要问题",
     "市生态环境局某科科长赵某某在建设项目环评审批中故意拖延，暗示企业找指定的技术服务公司编制报告，该公司实际由其妻弟控制，收费明显高于市场价格。", "team_eco"),
    ("letter", "organisational", "", "石桥县青山镇", "", "township_or_below", "反映青山镇干部选拔任用不规范问题",
     "青山镇在2026年上半年推荐后备干部时，未按规定进行民主推荐，由个别领导直接确定人选，其中一人任职年限不符合条件。", "shiqiao_ccdi"),
    ("online", "integrity", "", "丰林县城关镇", "", "township_or_below", "反映城关镇违规发放津贴补贴问题",
     "丰林县城关镇以加班补助、值班补助名义违规向机关干部发放津贴补贴，每人每月800元至1500元不等，资金从某专项经费中列支。", "fenglin_ccdi"),
    ("online", "work", "", "市公安局机关", "", "ordinary", "反映户籍窗口办事推诿问题",
     "市公安局户籍窗口工作人员在办理迁移手续时要求反复提交材料，一次性告知不到位，群众跑了四五趟仍未办结，投诉后也没有回复。", "team_police"),
    ("phone", "integrity", "孙某某", "石桥县交通运输局", "股长", "township_or_below", "反映交通运输局孙某某违规经商办企业问题",
     "石桥县交通运输局某股股长孙某某以其妻子名义入股一家运输公司，并利用职务之便为该公司在线路审批、车辆年检中提供便利。", "shiqiao_ccdi"),
    ("online", "mass", "", "丰林县河口镇河口村", "", "township_or_below", "反映河口村集体资金使用不公开问题",
     "河口村近三年村集体土地流转收入未按规定公开，村务公开栏长期不更新，村民多次要求查看账目，村干部以各种理由推脱。", "fenglin_ccdi"),
    ("online", "life", "", "市生态环境局", "", "ordinary", "反映市生态环境局个别干部工作日饮酒问题",
     "市生态环境局个别干部在工作日中午饮酒，下午上班时仍有酒气，在接待来访群众时态度生硬，影响机关形象。", "team_eco"),
    ("letter", "integrity", "周某某", "丰林县卫生健康局", "党组书记、局长", "county", "反映丰林县卫健局周某某医疗设备采购问题",
     "丰林县卫健局局长周某某在县医院医疗设备采购中，指定某医疗器械公司中标，设备价格明显高于周边县市同类采购，有关人员事后收受好处。", "fenglin_ccdi"),
    ("online", "political", "", "石桥县某局", "", "ordinary", "反映对上级部署搞形式主义问题",
     "石桥县某局在落实上级关于减轻基层负担的要求时，仍然层层要求报送材料和照片，一项工作要求填报六七张表格，基层疲于应付。", "shiqiao_ccdi"),
];

/// Re-worded copies of earlier reports (index into [`REPORTS`], new text), filed later by someone else.
const COPIES: &[(usize, &str, &str)] = &[
    (0, "online", "王某某（丰林县自然资源局副局长）在办理采矿许可证延续时为三家砂石企业提供便利，2025年春节期间收受这些企业的购物卡共计2万元，还多次接受老板宴请。"),
    (0, "phone", "丰林县自然资源局副局长王某某，2025年春节前后收了三家砂石企业的购物卡，一共2万元，多次让企业老板请吃饭，企业办采矿许可证延续时他给予了关照。"),
    (1, "online", "青山镇安置房配套工程没有公开招标，直接由石桥县住建局局长刘某某的亲属公司施工，工程款已结算800余万元，刘某某利用职务便利为其打招呼。"),
    (2, "letter", "河口镇2025年农村危房改造补助评定中，部分村干部亲属的房屋不是危房却领了补助，真正困难的群众没有享受到，村干部优亲厚友，群众意见很大。"),
    (4, "online", "交警支队一大队陈某某大队长经常到驾校老板安排的酒店吃饭，还去KTV，钱都是驾校老板付的，这家驾校的学员考试存在违规放水。"),
    (9, "online", "丰林县城关镇用值班补助、加班补助的名义给机关干部每月发800元到1500元，属于违规发放津贴补贴，钱是从专项经费里出的。"),
];

/// Real-name reporters (fictional; valid 居民身份证 check digits).
const REPORTERS: &[(&str, &str, &str)] = &[
    ("林振华", "331022197803150027", "13805710001"),
    ("郑晓燕", "331022198506070041", "13905710002"),
    ("黄立新", "331023197209110010", "13705710003"),
    ("吴国强", "331024199001280032", "13605710004"),
];

fn fingerprint(title: &str, content: &str) -> (Vec<u8>, Vec<i64>) {
    let sig = Signature::of_text(&format!("{title}\n{content}"));
    (sig.to_bytes(), sig.stored_band_keys())
}

/// Builds the reports. `keys` seals real-name identities (without it the
/// would-be real-name reports are filed anonymously); `receipts` hashes codes.
pub async fn build(
    store: &Store,
    ids: &HashMap<&'static str, Uuid>,
    keys: Option<&Keyring>,
    receipts: &ReceiptHasher,
    accounts: &HashMap<&'static str, Uuid>,
) -> Result<LeadsSummary, StoreError> {
    let officer = accounts.get("jijian").copied();
    let id = |k: &str| ids.get(k).copied().ok_or_else(|| StoreError::Config(format!("demo spec: no unit {k}")));
    let intake = id("ccdi")?;
    let cal = Calendar::builtin();
    let rules = LeadRules::default();
    let l = store.leads();
    let public = Who::system("12388");
    let staff = Who::system("demo");
    let mut s = LeadsSummary::default();
    let mut first_ids = Vec::new();
    // Three rounds of the same sixteen matters, spaced over the year, so the
    // register has about forty entries; the round's own re-wordings follow.
    let mut n = 0usize;
    for round in 0..2 {
        for (i, spec) in REPORTS.iter().enumerate() {
            let back = if round == 0 { 320 - i as i64 * 12 } else { 150 - i as i64 * 10 };
            let day = DEMO_TODAY.checked_sub(back.days()).unwrap_or(DEMO_TODAY);
            let real = n.is_multiple_of(3) && keys.is_some();
            let (channel, category, name, unit, post, level, title, content, handler) = *spec;
            let content = if round == 0 { content.to_string() } else { format!("{content}（此前已反映，至今未见处理结果，再次反映。）") };
            let title = if round == 0 { title.to_string() } else { format!("再次{title}") };
            let rid = file(store, keys, receipts, &cal, &rules, intake, day, n, (channel, category, name, unit, post, level, &title, &content, real)).await?;
            s.reports += 1;
            s.real_name += usize::from(real);
            if round == 0 {
                first_ids.push(rid);
            }
            // Accept all but the newest four (one of them past its limit); the
            // handler follows the reported person's level.
            if round == 0 || i < 12 {
                let on = cal.add_working_days(day, 3).map(|r| r.value).unwrap_or(day);
                l.accept(&staff, rid, id(handler)?, category, on).await?;
                s.accepted += 1;
                if real {
                    l.add_message(&staff, rid, "office", "您反映的问题已受理，已转交有关纪检监察机关办理，办理结果将及时告知。").await?;
                }
            }
            n += 1;
        }
    }
    for (k, (of, channel, text)) in COPIES.iter().enumerate() {
        let (_, category, name, unit, post, level, title, _, _) = REPORTS[*of];
        let day = DEMO_TODAY.checked_sub((250 - k as i64 * 30).days()).unwrap_or(DEMO_TODAY);
        let rid = file(store, keys, receipts, &cal, &rules, intake, day, n, (channel, category, name, unit, post, level, title, text, false)).await?;
        n += 1;
        s.reports += 1;
        let first = first_ids[*of];
        let (a, _) = fingerprint(title, text);
        let sim = l.candidates(&fingerprint(title, REPORTS[*of].7).1, Some(rid), 50).await?;
        let pct = sim
            .iter()
            .find(|c| c.report_id == first)
            .and_then(|c| Some(Signature::from_bytes(&a).ok()?.estimate_similarity(&Signature::from_bytes(&c.signature).ok()?)))
            .map_or(60, |x| (x * 100.0).round() as i64);
        l.mark_duplicate(&staff, rid, first, pct).await?;
        s.duplicates += 1;
    }
    if let (Some(acc), Some(_)) = (officer, keys) {
        // One identity release waits for a second officer's approval.
        let first_real = first_ids[0];
        let who = Who::account(acc, "jijian");
        l.request_release(&who, first_real, "需与举报人当面核实购物卡发放时间和地点").await?;
        l.add_message(&public, first_real, "reporter", "补充：其中一次宴请在县城滨江酒店，时间为2025年1月20日晚。").await?;
    }
    s.handling = crate::lead_handling::build(store, ids, &first_ids, accounts).await?;
    Ok(s)
}

#[allow(clippy::too_many_arguments)]
async fn file(
    store: &Store,
    keys: Option<&Keyring>,
    receipts: &ReceiptHasher,
    cal: &Calendar,
    rules: &LeadRules,
    intake: Uuid,
    day: Date,
    n: usize,
    r: (&str, &str, &str, &str, &str, &str, &str, &str, bool),
) -> Result<Uuid, StoreError> {
    let (channel, category, name, unit, post, level, title, content, real) = r;
    let reporter = REPORTERS[n % REPORTERS.len()];
    let input = ReportInput {
        kind: "accusation".into(),
        channel: channel.into(),
        category: category.into(),
        reported_name: name.into(),
        reported_unit: unit.into(),
        reported_post: post.into(),
        reported_level: level.into(),
        title: title.into(),
        content: content.into(),
        real_name: real,
        reporter_name: if real { reporter.0.into() } else { String::new() },
        reporter_id_number: if real { reporter.1.into() } else { String::new() },
        reporter_phone: if real { reporter.2.into() } else { String::new() },
        ..Default::default()
    };
    let spec = input.validate(channel != "online", day, |_| false).map_err(StoreError::Invalid)?;
    let rid = Uuid::now_v7();
    let sealed = match (&spec.reporter, keys) {
        (Some(p), Some(k)) => {
            let ident = ReporterIdentity { name: p.name.clone(), id_number: p.id_number.clone(), phone: p.phone.clone(), unit: String::new(), address: String::new() };
            Some(ident.seal(k, rid.as_bytes()).map_err(|e| StoreError::Config(e.to_string()))?.as_str().to_string())
        }
        _ => None,
    };
    let code = ReceiptCode::generate().map_err(|e| StoreError::Config(e.to_string()))?;
    let hash = receipts.hash(&code).map_err(|e| StoreError::Config(e.to_string()))?;
    let (sig, bands) = fingerprint(title, content);
    let accept_due = due(cal, Clock::Acceptance, day, rules).ok().flatten().map_or(day, |d| d.value);
    let notice_due = if real { due(cal, Clock::RealNameNotice, day, rules).ok().flatten().map(|d| d.value) } else { None };
    let who = if channel == "online" { Who::system("12388") } else { Who::system("demo") };
    let n = NewReport {
        id: rid,
        spec: &spec,
        identity_sealed: sealed.as_deref(),
        receipt_hash: Some(&hash),
        intake_unit_id: intake,
        received_on: day,
        accept_due,
        notice_due,
        signature: &sig,
        band_keys: &bands,
        files: &[],
    };
    store.leads().submit(&who, &n).await?;
    Ok(rid)
}
