//! 一案双查: when a lead concludes with a heavy outcome, inquire also into
//! the unit's leaders (主体责任) and its discipline body (监督责任).
//!
//! Research: the general rule comes from the 十八届中央纪委三次全会 report
//! (S, whistleblowing.md §5.2); the threshold is configured
//! (`dual_inquiry_from`, default the second form). The unit's heads and
//! discipline body are inputs: the store reads them from the org tree.

use super::LeadRules;
use super::outcome::{Accountability, Form, OrgAccountability, PersonAccountability};
use crate::msg::{Msg, Validation, required_text};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Which responsibility an inquiry target carries (glossary: 责任清单).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    /// 主体责任: the unit's party committee/group.
    Primary,
    /// 第一责任人: the unit's principal leader.
    FirstResponsible,
    /// 一岗双责: a leader responsible for the area concerned.
    DualDuty,
    /// 监督责任: the discipline body.
    Oversight,
}

/// The unit where the violations happened, as the org tree knows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitDuties {
    pub unit_id: Uuid,
    /// 一把手 (党委/党组书记 or principal leader).
    pub head: Option<Uuid>,
    /// 分管领导 of the area concerned.
    pub supervising_leaders: Vec<Uuid>,
    /// 纪检组织 of the unit (纪委, 派驻纪检组, or 纪检委员's unit).
    pub discipline_unit: Option<Uuid>,
}

/// Someone (or some body) the inquiry looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Subject {
    Person(Uuid),
    Organisation(Uuid),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub subject: Subject,
    pub duty: Duty,
}

/// The inquiry to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InquirySpec {
    pub unit_id: Uuid,
    pub triggered_by: Form,
    pub targets: Vec<Target>,
    /// The unit has no discipline body on record: 监督责任 must be placed by hand.
    pub oversight_unknown: bool,
}

/// Whether the outcomes of a lead call for a 一案双查 inquiry, and on whom.
/// `forms` are the forms of the people's outcomes.
pub fn required_inquiry(forms: &[Form], unit: &UnitDuties, rules: &LeadRules) -> Option<InquirySpec> {
    let heaviest = forms.iter().copied().max()?;
    if heaviest < rules.dual_inquiry_from {
        return None;
    }
    let mut targets = vec![Target { subject: Subject::Organisation(unit.unit_id), duty: Duty::Primary }];
    if let Some(h) = unit.head {
        targets.push(Target { subject: Subject::Person(h), duty: Duty::FirstResponsible });
    }
    for &p in &unit.supervising_leaders {
        if Some(p) != unit.head && !targets.iter().any(|t| t.subject == Subject::Person(p)) {
            targets.push(Target { subject: Subject::Person(p), duty: Duty::DualDuty });
        }
    }
    if let Some(d) = unit.discipline_unit {
        targets.push(Target { subject: Subject::Organisation(d), duty: Duty::Oversight });
    }
    Some(InquirySpec {
        unit_id: unit.unit_id,
        triggered_by: heaviest,
        targets,
        oversight_unknown: unit.discipline_unit.is_none(),
    })
}

/// A unit's name without the party prefix and the body suffix:
/// 中共安澜市生态环境局党组 → 安澜市生态环境局.
fn core_name(name: &str) -> &str {
    let n = name.trim_start_matches("中共");
    n.strip_suffix("党组").or_else(|| n.strip_suffix("委员会")).or_else(|| n.strip_suffix("党委")).unwrap_or(n)
}

/// The 派驻纪检组 among `teams` (id, name) that oversees the branch of the
/// tree named `branch` under the unit named `ancestor`: the team whose name
/// carries the branch's name, with or without the ancestor's in front
/// (市纪委监委驻市生态环境局纪检监察组 for 中共安澜市生态环境局党组 under
/// 中共安澜市委员会). The org tree has no "stationed at" link, so this is by
/// name; names shorter than three characters match nothing.
pub fn stationed_team(branch: &str, ancestor: &str, teams: &[(Uuid, String)]) -> Option<Uuid> {
    let name = core_name(branch);
    let bare = name.strip_prefix(core_name(ancestor)).unwrap_or(name);
    let wanted = [name, bare];
    teams.iter().find(|(_, t)| wanted.iter().any(|n| n.chars().count() >= 3 && t.contains(n))).map(|(id, _)| *id)
}

/// One decision of an inquiry that finds accountability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub subject: Subject,
    pub modes: Vec<Accountability>,
}

/// How an inquiry ends: 问责 with modes, or a reasoned "no accountability".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum InquiryConclusion {
    Accountable { decisions: Vec<Decision> },
    NoAccountability { reason: String },
}

/// Checks a conclusion against the inquiry's targets: at least one decision;
/// each for a target, with at least one mode of the right kind (a body gets
/// 检查/通报/改组, a person 通报/诫勉/组织调整/纪律处分); "no
/// accountability" needs a reason.
pub fn validate_conclusion(targets: &[Target], c: &InquiryConclusion) -> Result<(), Validation> {
    let mut v = Validation::new();
    match c {
        InquiryConclusion::NoAccountability { reason } => {
            v.check("reason", required_text(reason, 2000));
        }
        InquiryConclusion::Accountable { decisions } => {
            if decisions.is_empty() {
                v.add("decisions", Msg::new("请至少作出一项问责决定", "make at least one decision"));
            }
            for d in decisions {
                if !targets.iter().any(|t| t.subject == d.subject) {
                    v.add(
                        "decisions",
                        Msg::new("问责对象不在本次调查范围内", "the subject is not a target of this inquiry"),
                    );
                }
                if d.modes.is_empty() {
                    v.add("decisions", Msg::new("请选择问责方式", "choose a mode"));
                }
                let fits = d.modes.iter().all(|m| {
                    matches!(
                        (d.subject, m),
                        (Subject::Organisation(_), Accountability::Organisation(_))
                            | (Subject::Person(_), Accountability::Person(_))
                    )
                });
                if !fits {
                    v.add(
                        "decisions",
                        Msg::new(
                            "对党组织用检查、通报、改组；对领导干部用通报、诫勉、组织调整、纪律处分",
                            "modes must fit the subject",
                        ),
                    );
                }
            }
        }
    }
    v.into_result()
}

/// Convenience for building decisions.
pub fn org(id: Uuid, modes: &[OrgAccountability]) -> Decision {
    Decision {
        subject: Subject::Organisation(id),
        modes: modes.iter().map(|m| Accountability::Organisation(*m)).collect(),
    }
}

pub fn person(id: Uuid, modes: &[PersonAccountability]) -> Decision {
    Decision { subject: Subject::Person(id), modes: modes.iter().map(|m| Accountability::Person(*m)).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stationed_team_is_found_by_the_bureau_name_with_or_without_the_city() {
        let eco = Uuid::from_u128(7);
        let police = Uuid::from_u128(8);
        let teams = vec![(eco, "市纪委监委驻市生态环境局纪检监察组".to_string()), (police, "市纪委监委驻市公安局纪检监察组".to_string())];
        assert_eq!(stationed_team("中共安澜市生态环境局党组", "中共安澜市委员会", &teams), Some(eco));
        assert_eq!(stationed_team("中共安澜市公安局委员会", "中共安澜市委员会", &teams), Some(police));
        assert_eq!(stationed_team("中共丰林县委员会", "中共安澜市委员会", &teams), None);
        assert_eq!(stationed_team("局", "中共安澜市委员会", &teams), None, "too short to match");
    }

    const R: LeadRules = LeadRules::DEFAULT;
    const UNIT: Uuid = Uuid::from_u128(10);
    const HEAD: Uuid = Uuid::from_u128(11);
    const DEPUTY: Uuid = Uuid::from_u128(12);
    const JIJIAN: Uuid = Uuid::from_u128(13);

    fn unit() -> UnitDuties {
        UnitDuties {
            unit_id: UNIT,
            head: Some(HEAD),
            supervising_leaders: vec![DEPUTY, HEAD],
            discipline_unit: Some(JIJIAN),
        }
    }

    #[test]
    fn first_form_outcomes_open_no_inquiry() {
        assert_eq!(required_inquiry(&[Form::First, Form::First], &unit(), &R), None);
        assert_eq!(required_inquiry(&[], &unit(), &R), None);
    }

    #[test]
    fn a_second_form_outcome_opens_an_inquiry_into_primary_and_oversight_responsibility() {
        let s = required_inquiry(&[Form::First, Form::Second], &unit(), &R).unwrap();
        assert_eq!(s.triggered_by, Form::Second);
        let duties: Vec<Duty> = s.targets.iter().map(|t| t.duty).collect();
        assert_eq!(duties, vec![Duty::Primary, Duty::FirstResponsible, Duty::DualDuty, Duty::Oversight]);
        assert!(!s.oversight_unknown);
    }

    #[test]
    fn a_unit_without_a_discipline_body_is_flagged() {
        let u = UnitDuties { discipline_unit: None, ..unit() };
        assert!(required_inquiry(&[Form::Fourth], &u, &R).unwrap().oversight_unknown);
    }

    #[test]
    fn the_threshold_form_is_configurable() {
        let r = LeadRules { dual_inquiry_from: Form::Third, ..R };
        assert_eq!(required_inquiry(&[Form::Second], &unit(), &r), None);
        assert!(required_inquiry(&[Form::Third], &unit(), &r).is_some());
    }

    #[test]
    fn no_accountability_needs_a_reason() {
        let t = required_inquiry(&[Form::Second], &unit(), &R).unwrap().targets;
        let none = InquiryConclusion::NoAccountability { reason: " ".into() };
        assert!(validate_conclusion(&t, &none).unwrap_err().has("reason"));
        let said = InquiryConclusion::NoAccountability {
            reason: "已履行主体责任，及时发现并报告问题".into()
        };
        assert!(validate_conclusion(&t, &said).is_ok());
    }

    #[test]
    fn accountability_modes_must_fit_their_subject_and_target() {
        let t = required_inquiry(&[Form::Second], &unit(), &R).unwrap().targets;
        let ok = InquiryConclusion::Accountable {
            decisions: vec![
                org(UNIT, &[OrgAccountability::Inspection]),
                person(HEAD, &[PersonAccountability::Admonition]),
            ],
        };
        assert!(validate_conclusion(&t, &ok).is_ok());
        let wrong_kind = InquiryConclusion::Accountable {
            decisions: vec![Decision {
                subject: Subject::Person(HEAD),
                modes: vec![Accountability::Organisation(OrgAccountability::Reorganisation)],
            }],
        };
        assert!(validate_conclusion(&t, &wrong_kind).is_err());
        let stranger = InquiryConclusion::Accountable {
            decisions: vec![person(Uuid::from_u128(99), &[PersonAccountability::Notice])],
        };
        assert!(validate_conclusion(&t, &stranger).is_err());
        assert!(validate_conclusion(&t, &InquiryConclusion::Accountable { decisions: vec![] }).is_err());
    }
}
