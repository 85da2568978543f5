//! Forms and API bodies of the module, and their validation.

use super::schedule::{Milestone, parse_schedule, validate_schedule};
use super::{Rating, RootCause, Source};
use crate::msg::{Msg, Validation, optional_text, required_text};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub(crate) fn date(v: &mut Validation, field: &'static str, s: &str) -> Option<Date> {
    let s = s.trim();
    if s.is_empty() {
        v.add(field, Msg::new("必填", "required"));
        return None;
    }
    match s.parse::<Date>() {
        Ok(d) if (2000..=2100).contains(&d.year()) => Some(d),
        _ => {
            v.add(field, Msg::new("日期无效，格式为 2026-06-30", "not a date (YYYY-MM-DD)"));
            None
        }
    }
}

/// An optional 八项规定 category code: empty is none, an unknown code is
/// named on the `eight_rules` field.
pub(crate) fn eight_rules_code(v: &mut Validation, code: &str, valid: impl Fn(&str) -> bool) -> Option<String> {
    match code.trim() {
        "" => None,
        code if valid(code) => Some(code.to_string()),
        _ => {
            v.add("eight_rules", Msg::new("八项规定问题类别不存在", "unknown 八项规定 category"));
            None
        }
    }
}

/// A 问题清单 as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BatchInput {
    pub source: String,
    pub reference: String,
    pub issuing_unit_id: Option<Uuid>,
    pub issued_on: String,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchSpec {
    pub source: Source,
    pub reference: String,
    pub issuing_unit_id: Uuid,
    pub issued_on: Date,
    pub summary: Option<String>,
}

impl BatchInput {
    pub fn validate(&self) -> Result<BatchSpec, Validation> {
        let mut v = Validation::new();
        let source = Source::from_label(&self.source);
        if source.is_none() {
            v.add("source", Msg::new("请选择问题来源", "choose a source"));
        }
        let reference = v.check("reference", required_text(&self.reference, 100));
        if self.issuing_unit_id.is_none() {
            v.add("issuing_unit_id", Msg::new("请选择交办单位", "choose the issuing unit"));
        }
        let issued_on = date(&mut v, "issued_on", &self.issued_on);
        let summary = v.check("summary", optional_text(&self.summary.replace(['\r', '\n'], " "), 500));
        v.into_result()?;
        Ok(BatchSpec {
            source: source.unwrap_or(Source::SelfCheck),
            reference: reference.unwrap_or_default(),
            issuing_unit_id: self.issuing_unit_id.unwrap_or_default(),
            issued_on: issued_on.unwrap_or_default(),
            summary: summary.flatten(),
        })
    }
}

/// A problem as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProblemInput {
    pub description: String,
    pub root_cause: String,
    pub eight_rules: String,
    pub campaign_id: Option<Uuid>,
    pub lead_unit_id: Option<Uuid>,
    #[serde(default)]
    pub supporting_unit_ids: Vec<Uuid>,
    pub leader_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub deadline: String,
    /// Lines `2026-06-30 50`.
    pub schedule: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemSpec {
    pub description: String,
    pub root_cause: RootCause,
    pub eight_rules: Option<String>,
    pub campaign_id: Option<Uuid>,
    pub lead_unit_id: Uuid,
    pub supporting_unit_ids: Vec<Uuid>,
    pub leader_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub deadline: Date,
    pub schedule: Vec<Milestone>,
}

impl ProblemInput {
    /// `issued_on` is the batch's date: no deadline may precede it.
    /// `eight_rules_valid` tells whether a category code exists in the
    /// taxonomy in force on that date.
    pub fn validate(&self, issued_on: Date, eight_rules_valid: impl Fn(&str) -> bool) -> Result<ProblemSpec, Validation> {
        let mut v = Validation::new();
        let description = v.check("description", required_text(&self.description.replace("\r\n", "\n"), 2000).and_then(|d| {
            if d.chars().any(|c| c.is_control() && c != '\n') { Err(Msg::new("不能包含控制字符", "must not contain control characters")) } else { Ok(d) }
        }));
        let root_cause = RootCause::from_label(&self.root_cause);
        if root_cause.is_none() {
            v.add("root_cause", Msg::new("请选择根源分类", "choose a root cause"));
        }
        let eight_rules = eight_rules_code(&mut v, &self.eight_rules, eight_rules_valid);
        let Some(lead) = self.lead_unit_id else {
            v.add("lead_unit_id", Msg::new("请选择牵头单位", "choose the lead unit"));
            return Err(self.rest(v, issued_on));
        };
        if self.supporting_unit_ids.contains(&lead) {
            v.add("supporting_unit_ids", Msg::new("配合单位不能与牵头单位相同", "the lead unit cannot also support"));
        }
        let deadline = date(&mut v, "deadline", &self.deadline);
        if deadline.is_some_and(|d| d < issued_on) {
            v.add("deadline", Msg::new("整改时限不能早于问题清单下发日期", "the deadline precedes the batch date"));
        }
        let schedule = match parse_schedule(&self.schedule) {
            Ok(s) => s,
            Err(m) => {
                v.add("schedule", m);
                Vec::new()
            }
        };
        if let (Some(d), false) = (deadline, schedule.is_empty())
            && let Err(e) = validate_schedule(&schedule, d)
        {
            v.0.extend(e.0);
        }
        v.into_result()?;
        let mut supporting = self.supporting_unit_ids.clone();
        supporting.sort();
        supporting.dedup();
        Ok(ProblemSpec {
            description: description.unwrap_or_default(),
            root_cause: root_cause.unwrap_or(RootCause::Responsibility),
            eight_rules,
            campaign_id: self.campaign_id,
            lead_unit_id: lead,
            supporting_unit_ids: supporting,
            leader_id: self.leader_id,
            owner_id: self.owner_id,
            deadline: deadline.unwrap_or_default(),
            schedule,
        })
    }

    fn rest(&self, mut v: Validation, issued_on: Date) -> Validation {
        if let Some(d) = date(&mut v, "deadline", &self.deadline)
            && d < issued_on
        {
            v.add("deadline", Msg::new("整改时限不能早于问题清单下发日期", "the deadline precedes the batch date"));
        }
        v
    }
}

/// A measure (整改措施) as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MeasureInput {
    pub title: String,
    pub owner_id: Option<Uuid>,
    pub due_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureSpec {
    pub title: String,
    pub owner_id: Option<Uuid>,
    pub due_on: Date,
}

impl MeasureInput {
    pub fn validate(&self) -> Result<MeasureSpec, Validation> {
        let mut v = Validation::new();
        let title = v.check("title", required_text(&self.title, 300));
        let due_on = date(&mut v, "due_on", &self.due_on);
        v.into_result()?;
        Ok(MeasureSpec { title: title.unwrap_or_default(), owner_id: self.owner_id, due_on: due_on.unwrap_or_default() })
    }
}

/// A 延期 request as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtensionInput {
    pub new_deadline: String,
    pub reason: String,
}

impl ExtensionInput {
    pub fn validate(&self, current: Date) -> Result<(Date, String), Validation> {
        let mut v = Validation::new();
        let d = date(&mut v, "new_deadline", &self.new_deadline);
        if d.is_some_and(|d| d <= current) {
            v.add("new_deadline", Msg::new("新时限应晚于现有整改时限", "must be after the current deadline"));
        }
        let reason = v.check("reason", required_text(&self.reason.replace(['\r', '\n'], " "), 500));
        v.into_result()?;
        Ok((d.unwrap_or(current), reason.unwrap_or_default()))
    }
}

/// Evidence given as text (a 说明), with the date it refers to.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EvidenceInput {
    pub note: String,
    pub dated_on: String,
}

impl EvidenceInput {
    /// `has_file`: a file comes with the note; then the note may be empty.
    /// Evidence cannot be dated after `today`.
    pub fn validate(&self, has_file: bool, today: Date) -> Result<(Option<String>, Date), Validation> {
        let mut v = Validation::new();
        let note = v.check("note", optional_text(&self.note.replace("\r\n", "\n").replace('\n', " "), 2000)).flatten();
        if note.is_none() && !has_file {
            v.add("note", Msg::new("请上传文件或填写文字说明", "upload a file or write a note"));
        }
        let dated_on = date(&mut v, "dated_on", &self.dated_on);
        if dated_on.is_some_and(|d| d > today) {
            v.add("dated_on", Msg::new("材料日期不能晚于今天", "cannot be later than today"));
        }
        v.into_result()?;
        Ok((note, dated_on.unwrap_or_default()))
    }
}

/// A 四不两直 draw as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SpotDrawInput {
    pub scope_unit_id: Option<Uuid>,
    pub title: String,
    pub sample_size: String,
    /// Blank: the server picks one.
    pub seed: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpotDrawSpec {
    pub scope_unit_id: Uuid,
    pub title: String,
    pub sample_size: u32,
    pub seed: Option<u64>,
}

/// The largest seed: seeds are recorded as signed 64-bit numbers.
pub const MAX_SEED: u64 = i64::MAX as u64;

impl SpotDrawInput {
    /// `candidates`: how many closed problems the chosen scope holds (the
    /// sample may not be larger); `None` when no scope was chosen.
    pub fn validate(&self, candidates: Option<usize>) -> Result<SpotDrawSpec, Validation> {
        let mut v = Validation::new();
        match candidates {
            None => v.add("scope_unit_id", Msg::new("请选择抽查范围", "choose the scope")),
            Some(0) => v.add(
                "scope_unit_id",
                Msg::new("该范围内没有已销号的问题可供抽查", "no closed problem in this scope to check"),
            ),
            Some(_) => {}
        }
        let title = v.check("title", required_text(&self.title.replace(['\r', '\n'], " "), 100));
        let size = match self.sample_size.trim() {
            "" => {
                v.add("sample_size", Msg::new("必填", "required"));
                None
            }
            s => match s.parse::<u32>() {
                Ok(0) => {
                    v.add("sample_size", Msg::new("抽查数量应大于0", "must be greater than 0"));
                    None
                }
                Ok(n) => match candidates {
                    Some(c) if c > 0 && n as usize > c => {
                        v.add(
                            "sample_size",
                            Msg::owned(
                                format!("抽查数量不能超过可抽查的已销号问题数（{c}个）"),
                                format!("at most the number of closed problems to draw from ({c})"),
                            ),
                        );
                        None
                    }
                    _ => Some(n),
                },
                Err(_) => {
                    v.add("sample_size", Msg::new("请填写正整数", "a whole number, please"));
                    None
                }
            },
        };
        let seed = match self.seed.trim() {
            "" => None,
            s => match s.parse::<u64>() {
                Ok(n) if n <= MAX_SEED => Some(n),
                _ => {
                    v.add(
                        "seed",
                        Msg::owned(
                            format!("随机种子应为0到{MAX_SEED}之间的整数，或留空由系统生成"),
                            format!("a whole number from 0 to {MAX_SEED}, or blank for a random one"),
                        ),
                    );
                    None
                }
            },
        };
        v.into_result()?;
        Ok(SpotDrawSpec {
            scope_unit_id: self.scope_unit_id.unwrap_or_default(),
            title: title.unwrap_or_default(),
            sample_size: size.unwrap_or_default(),
            seed,
        })
    }
}

/// The on-site finding for one sampled problem, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FindingInput {
    /// `pass` (通过) or `fail` (未通过).
    pub result: String,
    pub findings: String,
    pub checked_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingSpec {
    pub pass: bool,
    /// Required when the check failed (it is the reason the problem reopens).
    pub findings: Option<String>,
    pub checked_on: Date,
}

impl FindingInput {
    /// The visit lies between the draw and today.
    pub fn validate(&self, drawn_on: Date, today: Date) -> Result<FindingSpec, Validation> {
        let mut v = Validation::new();
        let pass = match self.result.as_str() {
            "pass" => Some(true),
            "fail" => Some(false),
            _ => {
                v.add("result", Msg::new("请选择核查结果", "choose the result"));
                None
            }
        };
        let text = self.findings.replace("\r\n", "\n").replace('\n', " ");
        let findings = if pass == Some(false) {
            v.check("findings", required_text(&text, 2000).map_err(|m| {
                if text.trim().is_empty() { Msg::new("核查未通过时必须写明发现的问题", "say what was found when the check fails") } else { m }
            }))
            .map(Some)
        } else {
            v.check("findings", optional_text(&text, 2000))
        };
        let checked_on = date(&mut v, "checked_on", &self.checked_on);
        if checked_on.is_some_and(|d| d > today) {
            v.add("checked_on", Msg::new("核查日期不能晚于今天", "may not be in the future"));
        } else if checked_on.is_some_and(|d| d < drawn_on) {
            v.add("checked_on", Msg::new("核查日期不能早于抽取日期", "may not be before the draw"));
        }
        v.into_result()?;
        Ok(FindingSpec { pass: pass.unwrap_or(true), findings: findings.flatten(), checked_on: checked_on.unwrap_or(today) })
    }
}

/// Longest 群众评议 comment.
pub const RATING_COMMENT_MAX: usize = 300;

/// A citizen's 群众评议 as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RatingInput {
    pub rating: String,
    pub comment: String,
}

impl RatingInput {
    /// A rating must be chosen; the comment is optional but required with
    /// 不满意 (the reviewers must learn what is wrong), on one line, at most
    /// [`RATING_COMMENT_MAX`] characters.
    pub fn validate(&self) -> Result<(Rating, Option<String>), Validation> {
        let mut v = Validation::new();
        let rating = Rating::parse(self.rating.trim());
        if rating.is_none() {
            v.add("rating", Msg::new("请选择满意、基本满意或不满意", "choose satisfied, basically satisfied or dissatisfied"));
        }
        let one_line = self.comment.replace("\r\n", "\n").replace(['\r', '\n', '\t'], " ");
        let comment = v.check("comment", optional_text(&one_line, RATING_COMMENT_MAX)).flatten();
        if rating == Some(Rating::Dissatisfied) && comment.is_none() && !v.has("comment") {
            v.add("comment", Msg::new("选择“不满意”时请简要说明原因", "say briefly why you are dissatisfied"));
        }
        v.into_result()?;
        Ok((rating.unwrap_or(Rating::Satisfied), comment))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    #[test]
    fn every_invalid_problem_field_is_named() {
        let input = ProblemInput { root_cause: "不明".into(), deadline: "2026-02-30".into(), ..Default::default() };
        let err = input.validate(d(2026, 1, 1), |_| true).unwrap_err();
        for f in ["description", "root_cause", "lead_unit_id", "deadline"] {
            assert!(err.has(f), "{f}: {err}");
        }
    }

    #[test]
    fn deadline_may_not_precede_the_batch_and_schedule_must_fit() {
        let input = ProblemInput {
            description: "“三重一大”决策制度执行不到位".into(),
            root_cause: "制度机制".into(),
            lead_unit_id: Some(Uuid::from_u128(1)),
            deadline: "2026-03-01".into(),
            schedule: "2026-05-01 50".into(),
            ..Default::default()
        };
        let err = input.validate(d(2026, 4, 1), |_| true).unwrap_err();
        assert!(err.has("deadline") && err.has("schedule"), "{err}");
        let ok = ProblemInput { deadline: "2026-06-30".into(), ..input };
        let spec = ok.validate(d(2026, 4, 1), |_| true).unwrap();
        assert_eq!(spec.root_cause, RootCause::Institution);
        assert_eq!(spec.schedule.len(), 1);
    }

    #[test]
    fn unknown_eight_rules_category_is_refused() {
        let input = ProblemInput { eight_rules: "xl.99".into(), ..Default::default() };
        assert!(input.validate(d(2026, 1, 1), |c| c == "xl.2").unwrap_err().has("eight_rules"));
    }

    #[test]
    fn an_extension_must_move_the_deadline_later_and_give_a_reason() {
        let input = ExtensionInput { new_deadline: "2026-05-01".into(), reason: " ".into() };
        let err = input.validate(d(2026, 6, 30)).unwrap_err();
        assert!(err.has("new_deadline") && err.has("reason"));
    }

    #[test]
    fn evidence_needs_a_file_or_a_note() {
        let e = EvidenceInput { note: String::new(), dated_on: "2026-05-01".into() };
        assert!(e.validate(false, d(2026, 11, 23)).unwrap_err().has("note"));
        assert!(e.validate(true, d(2026, 11, 23)).is_ok());
        // Evidence of something that has not happened yet is refused.
        assert!(e.validate(true, d(2026, 4, 30)).unwrap_err().has("dated_on"));
        assert!(e.validate(true, d(2026, 5, 1)).is_ok());
    }

    fn draw(size: &str, seed: &str) -> SpotDrawInput {
        SpotDrawInput { scope_unit_id: Some(Uuid::from_u128(1)), title: "五月抽查".into(), sample_size: size.into(), seed: seed.into() }
    }

    #[test]
    fn a_sample_is_at_least_one_and_at_most_the_candidates() {
        assert!(draw("0", "").validate(Some(5)).unwrap_err().has("sample_size"));
        assert!(draw("6", "").validate(Some(5)).unwrap_err().has("sample_size"));
        assert!(draw("两个", "").validate(Some(5)).unwrap_err().has("sample_size"));
        let spec = draw("5", " 42 ").validate(Some(5)).unwrap();
        assert_eq!((spec.sample_size, spec.seed), (5, Some(42)));
        assert_eq!(draw("2", "").validate(Some(5)).unwrap().seed, None, "blank seed: the server picks");
    }

    #[test]
    fn a_draw_needs_a_scope_with_candidates_and_a_valid_seed() {
        assert!(draw("1", "").validate(None).unwrap_err().has("scope_unit_id"));
        assert!(draw("1", "").validate(Some(0)).unwrap_err().has("scope_unit_id"));
        assert!(draw("1", "-3").validate(Some(5)).unwrap_err().has("seed"));
        assert!(draw("1", "9223372036854775808").validate(Some(5)).unwrap_err().has("seed"));
    }

    #[test]
    fn a_failed_finding_needs_findings_and_a_date_between_draw_and_today() {
        let (drawn, today) = (d(2026, 5, 1), d(2026, 5, 11));
        let f = |result: &str, findings: &str, on: &str| FindingInput { result: result.into(), findings: findings.into(), checked_on: on.into() };
        let err = f("fail", " ", "2026-05-12").validate(drawn, today).unwrap_err();
        assert!(err.has("findings") && err.has("checked_on"), "{err}");
        assert!(f("fail", "台账未建立", "2026-04-30").validate(drawn, today).unwrap_err().has("checked_on"));
        assert!(f("", "", "2026-05-11").validate(drawn, today).unwrap_err().has("result"));
        let ok = f("pass", "", "2026-05-11").validate(drawn, today).unwrap();
        assert_eq!((ok.pass, ok.findings), (true, None));
        let fail = f("fail", "台账未建立", "2026-05-02").validate(drawn, today).unwrap();
        assert_eq!((fail.pass, fail.findings.as_deref()), (false, Some("台账未建立")));
    }

    #[test]
    fn a_rating_names_its_bad_fields_and_dissatisfaction_needs_a_reason() {
        let err = RatingInput { rating: "很好".into(), comment: "好".repeat(RATING_COMMENT_MAX + 1) }.validate().unwrap_err();
        assert!(err.has("rating") && err.has("comment"), "{err}");
        let err = RatingInput { rating: "dissatisfied".into(), comment: " ".into() }.validate().unwrap_err();
        assert!(err.has("comment") && !err.has("rating"));
        let ok = RatingInput { rating: "basic".into(), comment: "路灯修好了\r\n但晚上还是暗".into() }.validate().unwrap();
        assert_eq!(ok, (Rating::Basic, Some("路灯修好了 但晚上还是暗".into())));
        assert_eq!(RatingInput { rating: "satisfied".into(), comment: String::new() }.validate().unwrap(), (Rating::Satisfied, None));
    }
}
