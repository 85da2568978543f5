//! Forms and API bodies of 组织生活 and 谈话, and their validation.

use super::vote::{Decision, Tally, decide};
use super::{AttendanceMark, CommitteeRole, MeetingKind, MemberStatus, TalkKind};
use crate::msg::{Msg, Validation, optional_text, required_text};
use crate::rectify::input::date;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// One member on the roster as a meeting sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RosterEntry {
    pub person_id: Uuid,
    pub voting: bool,
    pub probationary: bool,
}

/// One attendance mark as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MarkInput {
    pub person_id: Uuid,
    pub mark: String,
    #[serde(default)]
    pub reason: String,
}

/// A held meeting as typed: the one form a branch secretary fills.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MeetingInput {
    pub kind: String,
    pub held_on: String,
    pub topic: String,
    #[serde(default)]
    pub place: String,
    pub host_id: Option<Uuid>,
    #[serde(default)]
    pub minutes: String,
    pub plan_id: Option<Uuid>,
    /// Marks for roster members; a member left out counts as present.
    #[serde(default)]
    pub attendance: Vec<MarkInput>,
    /// 表决事项 (党员大会/支委会), optional.
    #[serde(default)]
    pub decision_title: String,
    #[serde(default)]
    pub votes_yes: String,
    #[serde(default)]
    pub votes_no: String,
    #[serde(default)]
    pub votes_abstain: String,
}

/// A validated mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub person_id: Uuid,
    pub mark: AttendanceMark,
    pub reason: Option<String>,
    pub voting: bool,
    pub probationary: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeetingSpec {
    pub kind: MeetingKind,
    pub held_on: Date,
    pub topic: String,
    pub place: Option<String>,
    pub host_id: Option<Uuid>,
    pub minutes: Option<String>,
    pub plan_id: Option<Uuid>,
    pub marks: Vec<Mark>,
    pub decision: Option<(String, Tally, Decision)>,
}

fn count(v: &mut Validation, field: &'static str, s: &str) -> u32 {
    let s = s.trim();
    if s.is_empty() {
        return 0;
    }
    match s.parse::<u32>() {
        Ok(n) if n <= 10_000 => n,
        _ => {
            v.add(field, Msg::new("应为不小于0的整数", "must be a whole number, 0 or more"));
            0
        }
    }
}

impl MeetingInput {
    /// Checks the form against the branch's roster on the meeting day.
    pub fn validate(&self, roster: &[RosterEntry], today: Date) -> Result<MeetingSpec, Validation> {
        let mut v = Validation::new();
        let kind = MeetingKind::parse(self.kind.trim());
        if kind.is_none() {
            v.add("kind", Msg::new("请选择会议类型", "choose the kind of meeting"));
        }
        let held_on = date(&mut v, "held_on", &self.held_on);
        if let Some(d) = held_on
            && d > today
        {
            v.add("held_on", Msg::new("召开日期不能晚于今天（计划请在年度计划中安排）", "may not be in the future (plan it instead)"));
        }
        let topic = v.check("topic", required_text(&self.topic, 200));
        let place = v.check("place", optional_text(&self.place, 100)).flatten();
        let minutes = match self.minutes.trim() {
            "" => None,
            m if m.chars().count() > 20_000 => {
                v.add("minutes", Msg::new("会议记录不能超过20000字", "at most 20 000 characters"));
                None
            }
            m => Some(m.to_string()),
        };
        let by_person: BTreeMap<Uuid, &MarkInput> = self.attendance.iter().map(|m| (m.person_id, m)).collect();
        for id in by_person.keys() {
            if !roster.iter().any(|r| r.person_id == *id) {
                v.add("attendance", Msg::new("出勤名单中有不属于本支部的人员", "a marked person is not on the roster"));
                break;
            }
        }
        let mut marks = Vec::new();
        for r in roster {
            let (mark, reason) = match by_person.get(&r.person_id) {
                None => (AttendanceMark::Present, None),
                Some(m) => {
                    let field = format!("reason_{}", r.person_id);
                    let mark = AttendanceMark::parse(m.mark.trim()).unwrap_or_else(|| {
                        v.add(format!("mark_{}", r.person_id), Msg::new("出勤情况无效", "not a valid mark"));
                        AttendanceMark::Present
                    });
                    let reason = match optional_text(&m.reason, 100) {
                        Ok(r) => r,
                        Err(e) => {
                            v.add(field.clone(), e);
                            None
                        }
                    };
                    if mark == AttendanceMark::Leave && reason.is_none() {
                        v.add(field, Msg::new("请假须写明事由", "leave needs a reason"));
                    }
                    (mark, if mark == AttendanceMark::Present { None } else { reason })
                }
            };
            marks.push(Mark { person_id: r.person_id, mark, reason, voting: r.voting, probationary: r.probationary });
        }
        if roster.is_empty() {
            v.add("attendance", Msg::new("本支部花名册为空，请先维护党员名册", "the branch roster is empty"));
        }
        if self.host_id.is_some_and(|h| !roster.iter().any(|r| r.person_id == h)) {
            v.add("host_id", Msg::new("主持人应为本支部党员", "the chair must be on the branch roster"));
        }
        let title = v.check("decision_title", optional_text(&self.decision_title, 200)).flatten();
        let yes = count(&mut v, "votes_yes", &self.votes_yes);
        let no = count(&mut v, "votes_no", &self.votes_no);
        let abstain = count(&mut v, "votes_abstain", &self.votes_abstain);
        let mut decision = None;
        match (&title, kind) {
            (Some(_), Some(k)) if !k.takes_decisions() => {
                v.add("decision_title", Msg::new("只有党员大会和支委会记录表决事项", "only general and committee meetings vote"));
            }
            (Some(t), Some(_)) => {
                let tally = Tally {
                    entitled: marks.iter().filter(|m| m.voting).count() as u32,
                    present: marks.iter().filter(|m| m.voting && m.mark == AttendanceMark::Present).count() as u32,
                    yes,
                    no,
                    abstain,
                };
                match decide(&tally) {
                    Ok(d) => decision = Some((t.clone(), tally, d)),
                    Err(e) => {
                        for f in e.0 {
                            let field = match f.field.as_ref() {
                                "yes" => "votes_yes",
                                _ => "decision_title",
                            };
                            v.add(field, f.msg);
                        }
                    }
                }
            }
            (None, _) if yes + no + abstain > 0 => {
                v.add("decision_title", Msg::new("填写了票数，请写明表决事项", "name the motion the votes were on"));
            }
            _ => {}
        }
        v.into_result()?;
        Ok(MeetingSpec {
            kind: kind.unwrap_or(MeetingKind::ThemeDay),
            held_on: held_on.unwrap_or(today),
            topic: topic.unwrap_or_default(),
            place,
            host_id: self.host_id,
            minutes,
            plan_id: self.plan_id,
            marks,
            decision,
        })
    }
}

/// One item of a branch's annual plan as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PlanItemInput {
    pub kind: String,
    pub planned_on: String,
    pub topic: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanItemSpec {
    pub kind: MeetingKind,
    pub planned_on: Date,
    pub topic: String,
}

impl PlanItemInput {
    pub fn validate(&self) -> Result<PlanItemSpec, Validation> {
        let mut v = Validation::new();
        let kind = MeetingKind::parse(self.kind.trim());
        if kind.is_none() {
            v.add("kind", Msg::new("请选择会议类型", "choose the kind of meeting"));
        }
        let planned_on = date(&mut v, "planned_on", &self.planned_on);
        let topic = v.check("topic", required_text(&self.topic, 200));
        v.into_result()?;
        Ok(PlanItemSpec {
            kind: kind.unwrap_or(MeetingKind::ThemeDay),
            planned_on: planned_on.unwrap_or_default(),
            topic: topic.unwrap_or_default(),
        })
    }
}

/// A talk as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TalkInput {
    pub kind: String,
    pub held_on: String,
    #[serde(default)]
    pub place: String,
    pub subject: String,
    /// Who talked (谈话人).
    #[serde(default)]
    pub talkers: Vec<Uuid>,
    /// Who was talked to (谈话对象): one, or a group for a collective talk.
    #[serde(default)]
    pub talkees: Vec<Uuid>,
    /// 提出的问题/要求, one per line.
    #[serde(default)]
    pub points: String,
    /// 表态和承诺.
    #[serde(default)]
    pub commitments: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TalkSpec {
    pub kind: TalkKind,
    pub held_on: Date,
    pub place: Option<String>,
    pub subject: String,
    pub talkers: Vec<Uuid>,
    pub talkees: Vec<Uuid>,
    pub points: Vec<String>,
    pub commitments: Option<String>,
}

impl TalkInput {
    pub fn validate(&self, today: Date) -> Result<TalkSpec, Validation> {
        let mut v = Validation::new();
        let kind = TalkKind::parse(self.kind.trim());
        if kind.is_none() {
            v.add("kind", Msg::new("请选择谈话类型", "choose the kind of talk"));
        }
        let held_on = date(&mut v, "held_on", &self.held_on);
        if held_on.is_some_and(|d| d > today) {
            v.add("held_on", Msg::new("谈话日期不能晚于今天", "may not be in the future"));
        }
        let place = v.check("place", optional_text(&self.place, 100)).flatten();
        let subject = v.check("subject", required_text(&self.subject, 200));
        let mut talkers = self.talkers.clone();
        talkers.sort();
        talkers.dedup();
        let mut talkees = self.talkees.clone();
        talkees.sort();
        talkees.dedup();
        if talkers.is_empty() {
            v.add("talkers", Msg::new("请选择谈话人", "choose who talked"));
        }
        if talkees.is_empty() {
            v.add("talkees", Msg::new("请选择谈话对象", "choose who was talked to"));
        }
        if talkers.iter().any(|t| talkees.contains(t)) {
            v.add("talkees", Msg::new("谈话人不能同时是谈话对象", "a talker cannot also be talked to"));
        }
        if talkees.len() > 500 {
            v.add("talkees", Msg::new("谈话对象不能超过500人", "at most 500 people"));
        }
        let mut points = Vec::new();
        for (i, line) in self.points.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
            match required_text(line, 500) {
                Ok(p) => points.push(p),
                Err(e) => v.add("points", Msg::owned(format!("第{}条：{}", i + 1, e.zh), format!("item {}: {}", i + 1, e.en))),
            }
        }
        if points.len() > 50 {
            v.add("points", Msg::new("提出的问题不能超过50条", "at most 50 points"));
        }
        let commitments = match self.commitments.trim() {
            "" => None,
            c if c.chars().count() > 5000 => {
                v.add("commitments", Msg::new("不能超过5000字", "at most 5000 characters"));
                None
            }
            c => Some(c.to_string()),
        };
        v.into_result()?;
        Ok(TalkSpec {
            kind: kind.unwrap_or(TalkKind::HeartToHeart),
            held_on: held_on.unwrap_or(today),
            place,
            subject: subject.unwrap_or_default(),
            talkers,
            talkees,
            points,
            commitments,
        })
    }
}

/// A membership record as typed (adding a person to a branch roster).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MemberInput {
    pub person_id: Option<Uuid>,
    pub status: String,
    pub joined_on: String,
    #[serde(default)]
    pub committee_role: String,
    pub cell_id: Option<Uuid>,
    #[serde(default)]
    pub vote_suspended: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberSpec {
    pub person_id: Uuid,
    pub status: MemberStatus,
    pub joined_on: Date,
    pub committee_role: Option<CommitteeRole>,
    pub cell_id: Option<Uuid>,
    pub vote_suspended: bool,
}

impl MemberInput {
    pub fn validate(&self, today: Date) -> Result<MemberSpec, Validation> {
        let mut v = Validation::new();
        if self.person_id.is_none() {
            v.add("person_id", Msg::new("请选择人员", "choose a person"));
        }
        let status = MemberStatus::parse(self.status.trim());
        if status.is_none() {
            v.add("status", Msg::new("请选择正式党员或预备党员", "choose full or probationary"));
        }
        let joined_on = date(&mut v, "joined_on", &self.joined_on);
        if joined_on.is_some_and(|d| d > today) {
            v.add("joined_on", Msg::new("入党日期不能晚于今天", "may not be in the future"));
        }
        let committee_role = match self.committee_role.trim() {
            "" => None,
            r => {
                let parsed = CommitteeRole::parse(r);
                if parsed.is_none() {
                    v.add("committee_role", Msg::new("支委职务无效", "not a committee seat"));
                }
                parsed
            }
        };
        v.into_result()?;
        Ok(MemberSpec {
            person_id: self.person_id.unwrap_or_default(),
            status: status.unwrap_or(MemberStatus::Formal),
            joined_on: joined_on.unwrap_or(today),
            committee_role,
            cell_id: self.cell_id,
            vote_suspended: self.vote_suspended,
        })
    }
}

/// A transfer of a member to another branch (组织关系转接).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TransferInput {
    pub to_branch_id: Option<Uuid>,
    pub on: String,
    #[serde(default)]
    pub reason: String,
}

impl TransferInput {
    pub fn validate(&self, today: Date) -> Result<(Uuid, Date, Option<String>), Validation> {
        let mut v = Validation::new();
        if self.to_branch_id.is_none() {
            v.add("to_branch_id", Msg::new("请选择转入支部", "choose the receiving branch"));
        }
        let on = date(&mut v, "on", &self.on);
        if on.is_some_and(|d| d > today) {
            v.add("on", Msg::new("转接日期不能晚于今天", "may not be in the future"));
        }
        let reason = v.check("reason", optional_text(&self.reason, 200)).flatten();
        v.into_result()?;
        Ok((self.to_branch_id.unwrap_or_default(), on.unwrap_or(today), reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orglife::vote::Outcome;
    use jiff::civil::date as d;

    fn roster(n: usize, voting: usize) -> Vec<RosterEntry> {
        (0..n)
            .map(|i| RosterEntry { person_id: Uuid::from_u128(i as u128 + 1), voting: i < voting, probationary: i >= voting })
            .collect()
    }

    fn meeting(kind: &str) -> MeetingInput {
        MeetingInput { kind: kind.into(), held_on: "2026-11-12".into(), topic: "学习贯彻全会精神".into(), ..Default::default() }
    }

    #[test]
    fn unmarked_roster_members_count_as_present() {
        let spec = meeting("branch_committee").validate(&roster(5, 5), d(2026, 11, 20)).unwrap();
        assert_eq!(spec.marks.len(), 5);
        assert!(spec.marks.iter().all(|m| m.mark == AttendanceMark::Present));
    }

    #[test]
    fn leave_needs_a_reason_named_by_person() {
        let r = roster(3, 3);
        let mut m = meeting("branch_committee");
        m.attendance = vec![MarkInput { person_id: r[1].person_id, mark: "leave".into(), reason: " ".into() }];
        let e = m.validate(&r, d(2026, 11, 20)).unwrap_err();
        assert!(e.has(&format!("reason_{}", r[1].person_id)));
    }

    #[test]
    fn a_vote_is_counted_on_the_roster_with_probationary_members_left_out() {
        // 17 on the roster, 2 probationary: 15 entitled; 9 voting members present.
        let r = roster(17, 15);
        let mut m = meeting("branch_assembly");
        m.attendance = (9..15)
            .map(|i| MarkInput { person_id: r[i].person_id, mark: "absent".into(), reason: String::new() })
            .collect();
        m.decision_title = "接收张三为预备党员".into();
        m.votes_yes = "7".into();
        m.votes_no = "2".into();
        let spec = m.validate(&r, d(2026, 11, 20)).unwrap();
        let (_, tally, decision) = spec.decision.unwrap();
        assert_eq!((tally.entitled, tally.present), (15, 9));
        assert_eq!(decision.outcome, Outcome::NotPassed);
        m.votes_yes = "8".into();
        m.votes_no = "1".into();
        assert_eq!(m.validate(&r, d(2026, 11, 20)).unwrap().decision.unwrap().2.outcome, Outcome::Passed);
    }

    #[test]
    fn votes_without_a_motion_and_motions_at_theme_days_are_refused() {
        let r = roster(5, 5);
        let mut m = meeting("branch_assembly");
        m.votes_yes = "4".into();
        assert!(m.validate(&r, d(2026, 11, 20)).unwrap_err().has("decision_title"));
        let mut t = meeting("theme_day");
        t.decision_title = "x".into();
        assert!(t.validate(&r, d(2026, 11, 20)).unwrap_err().has("decision_title"));
    }

    #[test]
    fn a_meeting_in_the_future_or_off_roster_is_refused() {
        let r = roster(3, 3);
        let mut m = meeting("theme_day");
        m.held_on = "2026-12-01".into();
        m.attendance = vec![MarkInput { person_id: Uuid::from_u128(99), mark: "present".into(), reason: String::new() }];
        m.host_id = Some(Uuid::from_u128(98));
        let e = m.validate(&r, d(2026, 11, 20)).unwrap_err();
        assert!(e.has("held_on") && e.has("attendance") && e.has("host_id"));
    }

    #[test]
    fn a_talk_needs_both_sides_and_splits_points_by_line() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        let t = TalkInput {
            kind: "political".into(),
            held_on: "2026-03-02".into(),
            subject: "集体政治谈话".into(),
            talkers: vec![a],
            talkees: vec![b, b],
            points: "落实主体责任有差距\n\n  班子民主集中制执行不到位 ".into(),
            ..Default::default()
        };
        let s = t.validate(d(2026, 11, 20)).unwrap();
        assert_eq!(s.points, vec!["落实主体责任有差距", "班子民主集中制执行不到位"]);
        assert_eq!(s.talkees, vec![b]);
        let bad = TalkInput { talkers: vec![a], talkees: vec![a], ..t };
        assert!(bad.validate(d(2026, 11, 20)).unwrap_err().has("talkees"));
    }

    #[test]
    fn a_member_needs_person_status_and_join_date() {
        let e = MemberInput::default().validate(d(2026, 11, 20)).unwrap_err();
        assert!(e.has("person_id") && e.has("status") && e.has("joined_on"));
    }
}
