//! Outcomes for the people concerned: the 四种形态, the measures and
//! sanctions behind them, 问责 modes, and the tallies reported upward.
//!
//! Sources: domain-facts.md §3 (纪律处分条例 2023, 政务处分法), §4 (问责条例
//! 2019 第八条), §5 (四种形态). Verified periods are data here; unverified
//! ones come from [`LeadRules`].

use super::LeadRules;
use super::report::{Category, PersonLevel};
use crate::msg::{Msg, Validation};
use crate::rectify::code_enum;
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

code_enum! {
    /// 监督执纪"四种形态" (党内监督条例 第七条, 纪律处分条例 第五条).
    Form {
        First = "first", "第一种形态", "First form";
        Second = "second", "第二种形态", "Second form";
        Third = "third", "第三种形态", "Third form";
        Fourth = "fourth", "第四种形态", "Fourth form";
    }
}

code_enum! {
    /// Measures other than 党纪/政务处分 (⚠️ 2024 实施办法 summary, domain-facts §5).
    Measure {
        TalkReminder = "talk_reminder", "谈话提醒", "Reminder talk";
        CriticalEducation = "critical_education", "批评教育", "Criticism and education";
        OrderedSelfExamination = "ordered_self_examination", "责令检查", "Ordered self-examination";
        Admonition = "admonition", "诫勉", "Admonition";
        SuspensionForExamination = "suspension_for_examination", "停职检查", "Suspension for examination";
        PostAdjustment = "post_adjustment", "调整职务", "Post adjustment";
        OrderedResignation = "ordered_resignation", "责令辞职", "Ordered resignation";
        RemovalFromOffice = "removal_from_office", "免职", "Removal from office";
        Demotion = "demotion", "降职", "Demotion in post";
        CriminalReferral = "criminal_referral", "涉嫌犯罪移送追究刑事责任", "Referred for criminal liability";
    }
}

impl Measure {
    /// The form a measure belongs to.
    pub fn form(self) -> Form {
        use Measure::*;
        match self {
            TalkReminder | CriticalEducation | OrderedSelfExamination | Admonition => Form::First,
            SuspensionForExamination | PostAdjustment | OrderedResignation | RemovalFromOffice => Form::Second,
            Demotion => Form::Third,
            CriminalReferral => Form::Fourth,
        }
    }
}

code_enum! {
    /// 党纪处分 (✅ 纪律处分条例 第八条).
    PartySanction {
        Warning = "warning", "警告", "Warning";
        SeriousWarning = "serious_warning", "严重警告", "Serious warning";
        RemovalFromPost = "removal_from_post", "撤销党内职务", "Removal from party post";
        Probation = "probation", "留党察看", "Probation within the party";
        Expulsion = "expulsion", "开除党籍", "Expulsion from the party";
    }
}

impl PartySanction {
    /// 党纪轻处分 → second form; 党纪重处分 → third (✅ 第七条 wording).
    pub fn form(self) -> Form {
        match self {
            PartySanction::Warning | PartySanction::SeriousWarning => Form::Second,
            _ => Form::Third,
        }
    }

    /// Months of effect (影响期), ✅ domain-facts §3.1: 警告 1 year, 严重警告
    /// 1.5 years, 撤销党内职务 2 years, 留党察看 its own 1 or 2 years (then 2
    /// more years without an equal or higher post), 开除党籍 5 years before
    /// re-applying.
    pub fn effect_months(self, probation_months: Option<u8>) -> u32 {
        match self {
            PartySanction::Warning => 12,
            PartySanction::SeriousWarning => 18,
            PartySanction::RemovalFromPost => 24,
            PartySanction::Probation => u32::from(probation_months.unwrap_or(12)) + 24,
            PartySanction::Expulsion => 60,
        }
    }
}

code_enum! {
    /// 政务处分 (✅ 政务处分法 第七条).
    AdminSanction {
        Warning = "warning", "警告", "Warning";
        Demerit = "demerit", "记过", "Demerit";
        MajorDemerit = "major_demerit", "记大过", "Major demerit";
        Demotion = "demotion", "降级", "Demotion in grade";
        Dismissal = "dismissal", "撤职", "Dismissal from post";
        Expulsion = "expulsion", "开除", "Expulsion from public office";
    }
}

impl AdminSanction {
    /// The form it counts as; the split is configured (❓ `admin_heavy_from`).
    pub fn form(self, rules: &LeadRules) -> Form {
        if self >= rules.admin_heavy_from { Form::Third } else { Form::Second }
    }

    /// ✅ 政务处分法 第八条: 6/12/18/24/24 months; 开除 is permanent (`None`).
    pub fn effect_months(self) -> Option<u32> {
        match self {
            AdminSanction::Warning => Some(6),
            AdminSanction::Demerit => Some(12),
            AdminSanction::MajorDemerit => Some(18),
            AdminSanction::Demotion | AdminSanction::Dismissal => Some(24),
            AdminSanction::Expulsion => None,
        }
    }
}

/// The last day of an effect period of `months` starting on `start` (the
/// approval date, ⚠️ domain-facts §3.2). With `effect_ends_day_before` the
/// period ends on the day before the corresponding date (⚠️ commentary).
pub fn effect_end(start: Date, months: u32, rules: &LeadRules) -> Option<Date> {
    let end = start.checked_add(i64::from(months).months()).ok()?;
    if rules.effect_ends_day_before { end.yesterday().ok() } else { Some(end) }
}

/// What was decided for one person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonOutcome {
    #[serde(default)]
    pub measures: Vec<Measure>,
    pub party: Option<PartySanction>,
    /// 12 or 24 with 留党察看, otherwise none.
    pub probation_months: Option<u8>,
    pub admin: Option<AdminSanction>,
}

/// What the outcome rules need to know about the person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PersonFacts {
    pub party_member: bool,
    pub holds_party_post: bool,
    /// 监察对象 / 公职人员 (subject to 政务处分).
    pub public_official: bool,
}

impl PersonOutcome {
    /// The form the outcome amounts to: the heaviest of its parts. `None`
    /// when nothing was imposed (e.g. 不实, 予以了结).
    pub fn form(&self, rules: &LeadRules) -> Option<Form> {
        let m = self.measures.iter().map(|m| m.form());
        let p = self.party.map(PartySanction::form);
        let a = self.admin.map(|a| a.form(rules));
        m.chain(p).chain(a).max()
    }

    /// Whether a 党纪 or 政务 sanction was imposed (the CCDI 党纪政务处分 count).
    pub fn is_sanction(&self) -> bool {
        self.party.is_some() || self.admin.is_some()
    }

    /// Checks that the outcome fits the person and, when the handler
    /// declared a form, that it is the form the parts amount to.
    pub fn validate(
        &self,
        person: PersonFacts,
        declared: Option<Form>,
        rules: &LeadRules,
    ) -> Result<Option<Form>, Validation> {
        let mut v = Validation::new();
        let mut seen = self.measures.clone();
        seen.sort();
        seen.dedup();
        if seen.len() != self.measures.len() {
            v.add("measures", Msg::new("同一措施不能重复", "a measure is listed twice"));
        }
        if let Some(p) = self.party {
            if !person.party_member {
                v.add("party", Msg::new("党纪处分只适用于党员", "party sanctions apply to party members only"));
            }
            if p == PartySanction::RemovalFromPost && !person.holds_party_post {
                v.add(
                    "party",
                    Msg::new(
                        "没有党内职务的，不能撤销党内职务，应当给予严重警告",
                        "no party post to remove; give a serious warning instead",
                    ),
                );
            }
        }
        match (self.party, self.probation_months) {
            (Some(PartySanction::Probation), Some(12 | 24)) => {}
            (Some(PartySanction::Probation), _) => {
                v.add("probation_months", Msg::new("留党察看期限为一年或二年", "probation lasts one or two years"))
            }
            (_, Some(_)) => v.add("probation_months", Msg::new("只有留党察看有察看期限", "only probation has a term")),
            _ => {}
        }
        if self.admin.is_some() && !person.public_official {
            v.add(
                "admin",
                Msg::new("政务处分只适用于公职人员", "administrative sanctions apply to public officials only"),
            );
        }
        let form = self.form(rules);
        if let Some(d) = declared
            && Some(d) != form
        {
            v.add(
                "form",
                Msg::owned(
                    format!("所填形态为{}，但处理措施对应{}", d.label().zh, form.map_or("无".into(), |f| f.label().zh)),
                    format!(
                        "declared {}, but the measures amount to {}",
                        d.label().en,
                        form.map_or("none".into(), |f| f.label().en)
                    ),
                ),
            );
        }
        v.into_result().map(|_| form)
    }
}

code_enum! {
    /// 问责 of a 党组织 (✅ 问责条例 第八条).
    OrgAccountability {
        Inspection = "inspection", "检查", "Written self-examination";
        Notice = "notice", "通报", "Notice";
        Reorganisation = "reorganisation", "改组", "Reorganisation";
    }
}

code_enum! {
    /// 问责 of a 领导干部 (✅ 问责条例 第八条).
    PersonAccountability {
        Notice = "notice", "通报", "Notice";
        Admonition = "admonition", "诫勉", "Admonition";
        Adjustment = "adjustment", "组织调整或者组织处理", "Organisational adjustment or handling";
        Sanction = "sanction", "纪律处分", "Disciplinary sanction";
    }
}

/// One 问责 decision: on an organisation or on a leader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "target", content = "mode", rename_all = "snake_case")]
pub enum Accountability {
    Organisation(OrgAccountability),
    Person(PersonAccountability),
}

impl PersonAccountability {
    /// ❓ Influence period in months (2019 text not retrieved; configured).
    /// 纪律处分 follows the sanction itself, 通报 has none known.
    pub fn effect_months(self, rules: &LeadRules) -> Option<u32> {
        let m = match self {
            PersonAccountability::Admonition => rules.admonition_effect_months,
            PersonAccountability::Adjustment => rules.adjustment_effect_months,
            PersonAccountability::Notice | PersonAccountability::Sanction => 0,
        };
        (m > 0).then_some(m as u32)
    }
}

/// One person's outcome with the dimensions the statistics break it down by.
#[derive(Debug, Clone, Copy)]
pub struct OutcomeRow<'a> {
    pub outcome: &'a PersonOutcome,
    pub category: Category,
    pub level: PersonLevel,
}

/// Person-counts as the CCDI tables report them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// 运用"四种形态"批评教育和处理 (persons with any form).
    pub handled: u32,
    /// 其中：党纪政务处分.
    pub sanctioned: u32,
    pub by_form: BTreeMap<Form, u32>,
    pub by_category: BTreeMap<Category, BTreeMap<Form, u32>>,
    pub by_level: BTreeMap<PersonLevel, BTreeMap<Form, u32>>,
}

/// Counts each person once, under the form their outcome amounts to.
pub fn tally<'a>(rows: impl IntoIterator<Item = OutcomeRow<'a>>, rules: &LeadRules) -> Tally {
    let mut t = Tally::default();
    for r in rows {
        let Some(form) = r.outcome.form(rules) else { continue };
        t.handled += 1;
        t.sanctioned += u32::from(r.outcome.is_sanction());
        *t.by_form.entry(form).or_default() += 1;
        *t.by_category.entry(r.category).or_default().entry(form).or_default() += 1;
        *t.by_level.entry(r.level).or_default().entry(form).or_default() += 1;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const R: LeadRules = LeadRules::DEFAULT;
    const MEMBER: PersonFacts = PersonFacts { party_member: true, holds_party_post: false, public_official: true };

    fn o(measures: &[Measure], party: Option<PartySanction>, admin: Option<AdminSanction>) -> PersonOutcome {
        PersonOutcome { measures: measures.to_vec(), party, probation_months: None, admin }
    }

    #[test]
    fn measures_and_sanctions_imply_their_form() {
        assert_eq!(o(&[Measure::TalkReminder, Measure::Admonition], None, None).form(&R), Some(Form::First));
        assert_eq!(o(&[], Some(PartySanction::SeriousWarning), None).form(&R), Some(Form::Second));
        assert_eq!(o(&[Measure::RemovalFromOffice], None, None).form(&R), Some(Form::Second));
        assert_eq!(o(&[], Some(PartySanction::Probation), None).form(&R), Some(Form::Third));
        assert_eq!(o(&[Measure::Demotion], None, None).form(&R), Some(Form::Third));
        assert_eq!(o(&[Measure::CriminalReferral], Some(PartySanction::Expulsion), None).form(&R), Some(Form::Fourth));
        assert_eq!(o(&[], None, None).form(&R), None);
    }

    #[test]
    fn the_admin_sanction_split_between_second_and_third_form_is_configurable() {
        assert_eq!(AdminSanction::MajorDemerit.form(&R), Form::Second);
        assert_eq!(AdminSanction::Demotion.form(&R), Form::Third);
        let r = LeadRules { admin_heavy_from: AdminSanction::Dismissal, ..R };
        assert_eq!(AdminSanction::Demotion.form(&r), Form::Second);
    }

    #[test]
    fn a_party_sanction_needs_a_party_member_and_removal_needs_a_post() {
        let outsider = PersonFacts { party_member: false, ..MEMBER };
        assert!(o(&[], Some(PartySanction::Warning), None).validate(outsider, None, &R).unwrap_err().has("party"));
        let e = o(&[], Some(PartySanction::RemovalFromPost), None).validate(MEMBER, None, &R).unwrap_err();
        assert!(e.0[0].msg.zh.contains("严重警告"), "{e}");
        let holder = PersonFacts { holds_party_post: true, ..MEMBER };
        assert_eq!(
            o(&[], Some(PartySanction::RemovalFromPost), None).validate(holder, None, &R),
            Ok(Some(Form::Third))
        );
    }

    #[test]
    fn probation_lasts_one_or_two_years() {
        let mut p = o(&[], Some(PartySanction::Probation), None);
        assert!(p.validate(MEMBER, None, &R).unwrap_err().has("probation_months"));
        p.probation_months = Some(24);
        assert!(p.validate(MEMBER, None, &R).is_ok());
        assert_eq!(PartySanction::Probation.effect_months(Some(24)), 48);
        let w = PersonOutcome { probation_months: Some(12), ..o(&[], Some(PartySanction::Warning), None) };
        assert!(w.validate(MEMBER, None, &R).unwrap_err().has("probation_months"));
    }

    #[test]
    fn an_admin_sanction_needs_a_public_official() {
        let worker = PersonFacts { public_official: false, ..MEMBER };
        assert!(o(&[], None, Some(AdminSanction::Demerit)).validate(worker, None, &R).unwrap_err().has("admin"));
    }

    #[test]
    fn a_declared_form_must_match_the_measures() {
        let out = o(&[Measure::Admonition], Some(PartySanction::Warning), None);
        assert_eq!(out.validate(MEMBER, Some(Form::Second), &R), Ok(Some(Form::Second)));
        assert!(out.validate(MEMBER, Some(Form::First), &R).unwrap_err().has("form"));
        assert!(
            o(&[Measure::Admonition, Measure::Admonition], None, None)
                .validate(MEMBER, None, &R)
                .unwrap_err()
                .has("measures")
        );
    }

    #[test]
    fn verified_effect_periods_are_data() {
        assert_eq!(PartySanction::Warning.effect_months(None), 12);
        assert_eq!(PartySanction::SeriousWarning.effect_months(None), 18);
        assert_eq!(AdminSanction::Warning.effect_months(), Some(6));
        assert_eq!(AdminSanction::Dismissal.effect_months(), Some(24));
        assert_eq!(AdminSanction::Expulsion.effect_months(), None);
    }

    #[test]
    fn an_effect_period_ends_the_day_before_the_corresponding_date() {
        assert_eq!(effect_end(date(2026, 3, 15), 12, &R), Some(date(2027, 3, 14)));
        let r = LeadRules { effect_ends_day_before: false, ..R };
        assert_eq!(effect_end(date(2026, 3, 15), 12, &r), Some(date(2027, 3, 15)));
    }

    #[test]
    fn accountability_influence_periods_come_from_config() {
        assert_eq!(PersonAccountability::Admonition.effect_months(&R), Some(6));
        assert_eq!(PersonAccountability::Notice.effect_months(&R), None);
        let r = LeadRules { admonition_effect_months: 0, ..R };
        assert_eq!(PersonAccountability::Admonition.effect_months(&r), None);
    }

    #[test]
    fn tallies_count_each_person_once_by_form_category_and_level() {
        let a = o(&[Measure::TalkReminder], None, None);
        let b = o(&[Measure::Admonition], Some(PartySanction::Warning), Some(AdminSanction::Warning));
        let c = o(&[], None, None);
        let rows = [
            OutcomeRow { outcome: &a, category: Category::Integrity, level: PersonLevel::County },
            OutcomeRow { outcome: &b, category: Category::Integrity, level: PersonLevel::TownshipOrBelow },
            OutcomeRow { outcome: &c, category: Category::Work, level: PersonLevel::County },
        ];
        let t = tally(rows, &R);
        assert_eq!((t.handled, t.sanctioned), (2, 1));
        assert_eq!(t.by_form, BTreeMap::from([(Form::First, 1), (Form::Second, 1)]));
        assert_eq!(t.by_category[&Category::Integrity].values().sum::<u32>(), 2);
        assert!(!t.by_category.contains_key(&Category::Work), "no form, not counted");
        assert_eq!(t.by_level[&PersonLevel::TownshipOrBelow], BTreeMap::from([(Form::Second, 1)]));
    }
}
