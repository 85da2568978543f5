//! A report as typed on the public form (or by staff for 来信/来访/来电),
//! and its validation. 实名 (✅ 检举控告规则: "使用本人真实姓名…有电话等具体
//! 联系方式") needs a name, a valid 居民身份证号码 and a phone number.

use super::report::{Category, Channel, PersonLevel, ReportKind};
use crate::msg::{Msg, Validation, optional_text, required_text};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The form or JSON body.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReportInput {
    pub kind: String,
    pub channel: String,
    pub category: String,
    /// Optional 八项规定 row code (e.g. `xl.2`).
    #[serde(default)]
    pub eight_rules: String,
    #[serde(default)]
    pub reported_name: String,
    #[serde(default)]
    pub reported_unit: String,
    #[serde(default)]
    pub reported_post: String,
    #[serde(default)]
    pub reported_level: String,
    pub title: String,
    pub content: String,
    #[serde(default)]
    pub real_name: bool,
    #[serde(default)]
    pub reporter_name: String,
    #[serde(default)]
    pub reporter_id_number: String,
    #[serde(default)]
    pub reporter_phone: String,
    #[serde(default)]
    pub reporter_unit: String,
    #[serde(default)]
    pub reporter_address: String,
}

/// Who or what is reported: a person, a unit, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    pub name: Option<String>,
    pub unit: Option<String>,
    pub post: Option<String>,
    pub level: PersonLevel,
}

/// A real-name reporter's identity, validated. The store seals it at once
/// (`qingfeng-seal`); `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct RealName {
    pub name: String,
    /// 18 characters, check character upper-cased.
    pub id_number: String,
    /// Digits only (`13812345678`, or a landline `01012345678`).
    pub phone: String,
    pub unit: Option<String>,
    pub address: Option<String>,
}

impl fmt::Debug for RealName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RealName([redacted])")
    }
}

/// A valid report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSpec {
    pub kind: ReportKind,
    pub channel: Channel,
    pub category: Category,
    pub eight_rules: Option<String>,
    pub reported: Option<Reported>,
    pub title: String,
    pub content: String,
    /// `None` for an anonymous report.
    pub reporter: Option<RealName>,
}

impl ReportSpec {
    pub fn is_real_name(&self) -> bool {
        self.reporter.is_some()
    }
}

fn multiline(value: &str, max: usize) -> Result<String, Msg> {
    let v = value.replace("\r\n", "\n");
    let v = required_text(&v.replace(['\n', '\t'], " "), max).map(|_| v.trim().to_string())?;
    Ok(v)
}

impl ReportInput {
    /// Checks the report. `by_staff` says whether a staff member is
    /// registering it (only staff may use the 来信/来访/来电 channels);
    /// `eight_rules_valid` whether a 八项规定 row code exists on `today`'s table.
    pub fn validate(
        &self,
        by_staff: bool,
        today: Date,
        eight_rules_valid: impl Fn(&str) -> bool,
    ) -> Result<ReportSpec, Validation> {
        let mut v = Validation::new();
        let kind = ReportKind::from_label(&self.kind);
        if kind.is_none() {
            v.add("kind", Msg::new("请选择类别（检举控告、申诉、批评建议）", "choose a kind"));
        }
        let channel = Channel::from_label(&self.channel);
        match channel {
            None => v.add("channel", Msg::new("请选择来源渠道", "choose a channel")),
            Some(c) if c.registered_by_staff() && !by_staff => v.add(
                "channel",
                Msg::new("来信、来访、来电由工作人员登记", "letters, visits and calls are registered by staff"),
            ),
            Some(_) => {}
        }
        let category = Category::from_label(&self.category);
        if category.is_none() {
            v.add("category", Msg::new("请选择反映问题类别", "choose a category"));
        }
        let eight_rules = crate::rectify::input::eight_rules_code(&mut v, &self.eight_rules, eight_rules_valid);
        let name = v.check("reported_name", optional_text(&self.reported_name, 50)).flatten();
        let unit = v.check("reported_unit", optional_text(&self.reported_unit, 100)).flatten();
        let post = v.check("reported_post", optional_text(&self.reported_post, 100)).flatten();
        let level = match self.reported_level.trim() {
            "" => PersonLevel::Other,
            s => PersonLevel::from_label(s).unwrap_or_else(|| {
                v.add("reported_level", Msg::new("被反映人层级无效", "unknown level"));
                PersonLevel::Other
            }),
        };
        let reported = (name.is_some() || unit.is_some()).then_some(Reported { name, unit, post, level });
        if reported.is_none() && kind.is_some_and(|k| k != ReportKind::Suggestion) {
            v.add("reported_name", Msg::new("请填写被反映人姓名或被反映单位", "name the person or unit reported"));
        }
        let title = v.check("title", required_text(&self.title, 100));
        let content = v.check("content", multiline(&self.content, 10_000));
        let reporter = if self.real_name {
            self.real_name(&mut v, today)
        } else {
            if kind == Some(ReportKind::Appeal) {
                v.add("real_name", Msg::new("申诉须实名提出", "an appeal must be made in one's own name"));
            }
            let filled = [
                &self.reporter_name,
                &self.reporter_id_number,
                &self.reporter_phone,
                &self.reporter_unit,
                &self.reporter_address,
            ];
            if filled.iter().any(|f| !f.trim().is_empty()) {
                v.add(
                    "real_name",
                    Msg::new(
                        "填写了身份信息但未选择实名举报，请确认是否实名",
                        "identity given but the report is not marked real-name",
                    ),
                );
            }
            None
        };
        v.into_result()?;
        Ok(ReportSpec {
            kind: kind.unwrap_or(ReportKind::Accusation),
            channel: channel.unwrap_or(Channel::Online),
            category: category.unwrap_or(Category::Other),
            eight_rules,
            reported,
            title: title.unwrap_or_default(),
            content: content.unwrap_or_default(),
            reporter,
        })
    }

    fn real_name(&self, v: &mut Validation, today: Date) -> Option<RealName> {
        let name = v.check("reporter_name", required_text(&self.reporter_name, 50));
        let id = v.check("reporter_id_number", check_id_number(&self.reporter_id_number, today));
        let phone = v.check("reporter_phone", check_phone(&self.reporter_phone));
        let unit = v.check("reporter_unit", optional_text(&self.reporter_unit, 100)).flatten();
        let address = v.check("reporter_address", optional_text(&self.reporter_address, 200)).flatten();
        Some(RealName { name: name?, id_number: id?, phone: phone?, unit, address })
    }
}

/// GB 11643-1999 citizen ID number: 6-digit region (first digit 1–9), an
/// 8-digit birth date that exists and is not in the future, a 3-digit
/// sequence, and the ISO 7064 MOD 11-2 check character (`0-9` or `X`).
pub fn check_id_number(s: &str, today: Date) -> Result<String, Msg> {
    let id = s.trim().to_ascii_uppercase();
    if id.is_empty() {
        return Err(Msg::new("必填", "required"));
    }
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X') {
        return Err(Msg::new("身份证号码应为18位", "an ID number has 18 characters"));
    }
    if b[0] == b'0' {
        return Err(Msg::new("身份证号码地区码无效", "invalid region code"));
    }
    let birth = format!("{}-{}-{}", &id[6..10], &id[10..12], &id[12..14]);
    match birth.parse::<Date>() {
        Ok(d) if d.year() >= 1900 && d <= today => {}
        _ => return Err(Msg::new("身份证号码中的出生日期无效", "invalid birth date in the ID number")),
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = b[..17].iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    if CHECK[(sum % 11) as usize] != b[17] {
        return Err(Msg::new("身份证号码校验位不正确", "the ID number's check character is wrong"));
    }
    Ok(id)
}

/// A mainland mobile number (`1[3-9]` + 9 digits, optional `+86`) or a
/// landline with its area code (`0` + 9–11 digits); spaces and dashes are
/// dropped. Returns the digits.
pub fn check_phone(s: &str) -> Result<String, Msg> {
    let t = s.trim();
    if t.is_empty() {
        return Err(Msg::new("必填", "required"));
    }
    let t = t.strip_prefix("+86").or_else(|| t.strip_prefix("0086")).unwrap_or(t);
    if t.chars().any(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '-'))) {
        return Err(Msg::new("电话号码只能包含数字", "a phone number has digits only"));
    }
    let d: String = t.chars().filter(char::is_ascii_digit).collect();
    let b = d.as_bytes();
    let mobile = b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
    let landline = (10..=12).contains(&b.len()) && b[0] == b'0' && b[1] != b'0';
    if mobile || landline {
        Ok(d)
    } else {
        Err(Msg::new("请填写11位手机号码或带区号的固定电话", "give an 11-digit mobile or a landline with area code"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 3, 1);

    fn base() -> ReportInput {
        ReportInput {
            kind: "检举控告".into(),
            channel: "online".into(),
            category: "廉洁纪律".into(),
            reported_name: "李某".into(),
            reported_unit: "某局".into(),
            reported_level: "county".into(),
            title: "违规收受礼金".into(),
            content: "2026年春节期间收受管理服务对象礼金。\r\n有转账记录。".into(),
            ..Default::default()
        }
    }

    fn real(mut i: ReportInput) -> ReportInput {
        i.real_name = true;
        i.reporter_name = "王小明".into();
        i.reporter_id_number = "11010519491231002x".into();
        i.reporter_phone = "+86 138-1234-5678".into();
        i
    }

    fn ok(_: &str) -> bool {
        true
    }

    #[test]
    fn an_anonymous_online_report_is_valid() {
        let s = base().validate(false, TODAY, ok).unwrap();
        assert!(!s.is_real_name());
        assert_eq!(s.content, "2026年春节期间收受管理服务对象礼金。\n有转账记录。");
        assert_eq!(s.reported.unwrap().level, PersonLevel::County);
    }

    #[test]
    fn real_name_requires_name_id_number_and_phone() {
        let mut i = base();
        i.real_name = true;
        let e = i.validate(false, TODAY, ok).unwrap_err();
        for f in ["reporter_name", "reporter_id_number", "reporter_phone"] {
            assert!(e.has(f), "{f}: {e}");
        }
        let s = real(base()).validate(false, TODAY, ok).unwrap();
        let r = s.reporter.unwrap();
        assert_eq!((r.id_number.as_str(), r.phone.as_str()), ("11010519491231002X", "13812345678"));
    }

    #[test]
    fn id_number_check_digit_follows_gb_11643() {
        assert!(check_id_number("11010519491231002X", TODAY).is_ok());
        assert!(check_id_number("110105194912310029", TODAY).is_err(), "wrong check character");
        assert!(check_id_number("11010519491331002X", TODAY).is_err(), "month 13");
        assert!(check_id_number("11010520300101002X", TODAY).is_err(), "born in the future");
        assert!(check_id_number("1101051949123100", TODAY).is_err(), "too short");
        assert!(check_id_number("01010519491231002X", TODAY).is_err(), "region 0");
    }

    #[test]
    fn phone_must_be_a_mobile_or_a_landline_with_area_code() {
        assert_eq!(check_phone("138 1234 5678").unwrap(), "13812345678");
        assert_eq!(check_phone("010-12345678").unwrap(), "01012345678");
        for bad in ["12812345678", "1381234567", "12345678", "138abc45678", "00012345678"] {
            assert!(check_phone(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn staff_only_channels_are_refused_on_the_public_form() {
        let mut i = base();
        i.channel = "来访".into();
        assert!(i.validate(false, TODAY, ok).unwrap_err().has("channel"));
        assert_eq!(i.validate(true, TODAY, ok).unwrap().channel, Channel::Visit);
    }

    #[test]
    fn an_appeal_must_be_real_name() {
        let mut i = base();
        i.kind = "申诉".into();
        assert!(i.validate(false, TODAY, ok).unwrap_err().has("real_name"));
        assert!(real(i).validate(false, TODAY, ok).is_ok());
    }

    #[test]
    fn identity_given_on_an_anonymous_report_is_questioned_not_kept() {
        let mut i = real(base());
        i.real_name = false;
        assert!(i.validate(false, TODAY, ok).unwrap_err().has("real_name"));
    }

    #[test]
    fn an_accusation_names_a_person_or_a_unit_but_a_suggestion_need_not() {
        let mut i = base();
        i.reported_name.clear();
        i.reported_unit.clear();
        assert!(i.validate(false, TODAY, ok).unwrap_err().has("reported_name"));
        i.kind = "suggestion".into();
        assert!(i.validate(false, TODAY, ok).unwrap().reported.is_none());
    }

    #[test]
    fn unknown_codes_and_empty_text_are_named() {
        let mut i = base();
        i.kind = "x".into();
        i.category = "".into();
        i.eight_rules = "zz.9".into();
        i.reported_level = "部级".into();
        i.title = " ".into();
        i.content = "\n".into();
        let e = i.validate(false, TODAY, |c| c == "xl.2").unwrap_err();
        for f in ["kind", "category", "eight_rules", "reported_level", "title", "content"] {
            assert!(e.has(f), "{f}: {e}");
        }
    }

    #[test]
    fn debug_of_a_spec_never_shows_the_identity() {
        let s = real(base()).validate(false, TODAY, ok).unwrap();
        let d = format!("{s:?}");
        assert!(!d.contains("王小明") && !d.contains("13812345678") && !d.contains("110105"), "{d}");
    }
}
