//! 信访举报: the public intake and the reporter's follow-up by receipt code
//! ([`public`]), and the office's pages — the register, a report with its
//! near-duplicates, 受理, 重复件, messages and identity releases ([`office`]).
//!
//! A real-name identity is sealed here, before the store sees the report,
//! under the office's key from configuration (`WebConfig::seal`), bound to
//! the report id; it is opened only for the one who asked, once, after a
//! second person approved. Receipt codes are shown once and kept only as
//! their argon2id hash.

pub mod figures;
pub mod followup;
pub mod lead;
pub mod ledger;
pub mod office;
pub mod public;
pub mod search;

use crate::AppState;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use qingfeng_domain::access::Action;
use qingfeng_domain::org::OrgKind;
use qingfeng_store::leads::Report;
use qingfeng_text::fingerprint::{DUPLICATE_THRESHOLD, Signature};
use uuid::Uuid;

/// What waits for `user` here: reports to accept (red once past the
/// limit), and identity releases to decide.
pub async fn todos(state: &AppState, user: &User) -> AppResult<Vec<crate::home::TodoItem>> {
    let register = user.scopes(Action::RegisterReport);
    let release = user.scopes(Action::ReleaseIdentity);
    let mut out = lead_todos(state, user).await?;
    if register.is_empty() && release.is_empty() {
        return Ok(out);
    }
    let today = crate::rectify::today().to_string();
    let (waiting, releases) = state.store.leads().todos(&register, &release, 20).await?;
    for r in waiting {
        let late = r.accept_due < today;
        out.push(crate::home::TodoItem {
            module: "leads".into(),
            title: format!("待受理｜{}", crate::rectify::clip(&r.title, 40)),
            due: Some(r.accept_due.clone()),
            warning: Some(if late { "red" } else { "yellow" }.into()),
            url: format!("/leads/reports/{}", r.id),
        });
    }
    for r in releases {
        out.push(crate::home::TodoItem {
            module: "leads".into(),
            title: format!("实名信息查看待审批｜{}", crate::rectify::clip(&r.title, 30)),
            due: None,
            warning: Some("yellow".into()),
            url: format!("/leads/reports/{}", r.id),
        });
    }
    Ok(out)
}

/// Leads waiting for this user: proposals and conclusions to sign off
/// (approver), stages past their limit (handler), referrals to accept or
/// return (receiver), and 一案双查 inquiries still open.
async fn lead_todos(state: &AppState, user: &User) -> AppResult<Vec<crate::home::TodoItem>> {
    use qingfeng_domain::leads::disposal::LeadStatus;
    use qingfeng_store::leads::LeadFilter;
    let l = state.store.leads();
    let today = crate::rectify::today().to_string();
    let first = qingfeng_domain::page::PageRequest::new(None, Some(20));
    let mut out = Vec::new();
    let item = |title: String, due: Option<String>, red: bool, url: String| crate::home::TodoItem {
        module: "leads".into(),
        title,
        due,
        warning: Some(if red { "red" } else { "yellow" }.into()),
        url,
    };
    let approve = user.scopes(Action::ApproveDisposal);
    if !approve.is_empty() {
        for s in [LeadStatus::Proposed, LeadStatus::Approved, LeadStatus::Assessed, LeadStatus::FindingsReported, LeadStatus::Filed] {
            let f = LeadFilter { status: Some(s), ..Default::default() };
            for x in l.leads(&approve, &f, "due", first).await?.items {
                let waiting = match s {
                    LeadStatus::Proposed => "处置意见待审批",
                    LeadStatus::Approved if x.disposal.as_deref() == Some("preliminary_verification") => "初核方案待审批",
                    LeadStatus::Approved => continue,
                    LeadStatus::Filed => "审查调查待办结",
                    _ => "待审批办结",
                };
                out.push(item(format!("{waiting}｜{} {}", x.lead_no, crate::rectify::clip(&x.subject_name, 20)), x.step_due.clone(), x.overdue(&today), format!("/leads/items/{}", x.id)));
            }
        }
    }
    let manage = user.scopes(Action::ManageLeads);
    if !manage.is_empty() {
        let f = LeadFilter { overdue_on: Some(today.clone()), ..Default::default() };
        for x in l.leads(&manage, &f, "due", first).await?.items {
            out.push(item(format!("线索超期｜{} {}", x.lead_no, crate::rectify::clip(&x.subject_name, 20)), x.step_due.clone(), true, format!("/leads/items/{}", x.id)));
        }
    }
    let seen = user.scopes(Action::ViewLeads);
    if !manage.is_empty() || !approve.is_empty() {
        for i in l.inquiries(&seen, true).await?.into_iter().take(20) {
            out.push(item(format!("一案双查待办结｜{} {}", i.lead_no, i.unit_name), None, false, format!("/leads/inquiries/{}", i.id)));
        }
    }
    let receive = user.scopes(Action::ReceiveReferral);
    if !receive.is_empty() {
        for r in l.referrals(&receive, &[]).await?.into_iter().filter(|r| r.status == "sent" && followup::ends(user, r).is_ok_and(|(_, receiver)| receiver)).take(20) {
            out.push(item(format!("移送待接收｜{} {}", r.lead_no, crate::rectify::clip(&r.subject_name, 20)), r.response_due.clone(), r.overdue(&today), format!("/leads/referrals/{}", r.id)));
        }
    }
    Ok(out)
}

/// A report's fingerprint (of its title and content) and its band keys as stored.
pub fn fingerprint(title: &str, content: &str) -> (Signature, Vec<i64>) {
    let sig = Signature::of_text(&format!("{title}\n{content}"));
    let keys = sig.stored_band_keys();
    (sig, keys)
}

/// The office that receives public reports: the first 纪委监委 directly under
/// the first top-level unit, else that unit.
pub async fn intake_unit(state: &AppState) -> AppResult<Uuid> {
    let roots = state.store.orgs().children(None, false).await?;
    let root = roots.first().ok_or(AppError::NotFound)?;
    let kids = state.store.orgs().children(Some(root.unit.id), false).await?;
    Ok(kids.iter().find(|n| n.unit.kind == OrgKind::DisciplineCommission).map_or(root.unit.id, |n| n.unit.id))
}

/// A report the user may `action` on: seen from the office that received
/// it and from the unit handling it. Outside every scope: 404.
pub async fn visible_report(state: &AppState, user: &User, id: Uuid, action: Action) -> AppResult<Report> {
    let r = state.store.leads().get(id).await?;
    let intake = r.intake_scope()?;
    let handling = r.handling_scope()?;
    let seen = user.can(Action::ViewLeads, &intake) || handling.as_ref().is_some_and(|h| user.can(Action::ViewLeads, h));
    if !seen {
        return Err(AppError::NotFound);
    }
    if action != Action::ViewLeads {
        let ok = user.can(action, &intake) || handling.as_ref().is_some_and(|h| user.can(action, h));
        if !ok {
            return Err(AppError::forbidden());
        }
    }
    Ok(r)
}

/// Stored reports like `r` (at or above the threshold), most similar first,
/// limited to those the user may see.
pub async fn similar(state: &AppState, user: &User, r: &Report) -> AppResult<Vec<(Report, u8)>> {
    let (me, keys) = fingerprint(&r.title, &r.content);
    let mut out = Vec::new();
    for c in state.store.leads().candidates(&keys, Some(r.id), 100).await? {
        let Ok(sig) = Signature::from_bytes(&c.signature) else { continue };
        let s = me.estimate_similarity(&sig);
        if s < DUPLICATE_THRESHOLD {
            continue;
        }
        let other = state.store.leads().get(c.report_id).await?;
        if visible_report(state, user, other.id, Action::ViewLeads).await.is_ok() {
            out.push((other, (s * 100.0).round().clamp(0.0, 100.0) as u8));
        }
    }
    out.sort_by_key(|x| std::cmp::Reverse(x.1));
    out.truncate(10);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reworded_report_fingerprints_close_and_an_unrelated_one_far() {
        let (a, _) = fingerprint("反映王某某收受购物卡", "王某某在2025年春节期间收受三家砂石企业购物卡共计2万元，并多次接受宴请。");
        let (b, _) = fingerprint("王某某收受购物卡问题", "2025年春节期间，三家砂石企业送给王某某购物卡共计2万元，王某某还多次接受宴请。");
        let (c, _) = fingerprint("办公楼装修未招标", "自然资源局办公楼装修工程未按规定公开招标，由局里临时指定施工单位。");
        assert!(a.estimate_similarity(&b) >= DUPLICATE_THRESHOLD, "{}", a.estimate_similarity(&b));
        assert!(a.estimate_similarity(&c) < DUPLICATE_THRESHOLD);
    }
}
