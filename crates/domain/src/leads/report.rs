//! What a report is: its kind, channel, category, the level of the person
//! reported, its registration number, and where it is handled (分级负责).

use super::LeadRules;
use crate::msg::Msg;
use crate::rectify::code_enum;
use serde::Serialize;
use std::fmt;

code_enum! {
    /// 信访举报 kinds (whistleblowing.md §5.1, V).
    ReportKind {
        Accusation = "accusation", "检举控告", "Accusation";
        Appeal = "appeal", "申诉", "Appeal";
        Suggestion = "suggestion", "批评建议", "Criticism and suggestion";
    }
}

code_enum! {
    /// How a report arrived. Only [`Channel::Online`] is filed by the public
    /// itself; the others are registered by staff on the caller's behalf.
    Channel {
        Online = "online", "网络举报", "Online";
        Letter = "letter", "来信", "Letter";
        Visit = "visit", "来访", "Visit";
        Phone = "phone", "来电", "Phone call";
    }
}

impl Channel {
    /// Whether staff type the report in (来信/来访/来电), rather than the reporter.
    pub fn registered_by_staff(self) -> bool {
        self != Channel::Online
    }
}

code_enum! {
    /// What the report is about: the six disciplines (✅ 检举控告规则 第四条,
    /// 纪律处分条例 分则), 职务违法犯罪 of a 监察对象 (✅ 第四条), or other.
    /// A 八项规定 row (rectify's `eight_rules` table) may refine it.
    Category {
        Political = "political", "政治纪律", "Political discipline";
        Organisational = "organisational", "组织纪律", "Organisational discipline";
        Integrity = "integrity", "廉洁纪律", "Integrity discipline";
        Mass = "mass", "群众纪律", "Mass discipline";
        Work = "work", "工作纪律", "Work discipline";
        Life = "life", "生活纪律", "Life discipline";
        DutyOffence = "duty_offence", "职务违法犯罪", "Duty-related offence";
        Other = "other", "其他", "Other";
    }
}

impl Category {
    /// The discipline a 八项规定 row usually falls under: 享乐主义、奢靡之风
    /// (`xl.*`) → 廉洁纪律, 形式主义、官僚主义 (`fb.*`) → 工作纪律. ❓ best
    /// knowledge (the 2023 条例's chapters), so only a suggestion for the form.
    pub fn suggested_for_eight_rules(code: &str) -> Option<Category> {
        if code.starts_with("xl.") {
            Some(Category::Integrity)
        } else if code.starts_with("fb.") {
            Some(Category::Work)
        } else {
            None
        }
    }
}

code_enum! {
    /// The reported person's level by 干部管理权限.
    PersonLevel {
        Central = "central", "中管干部", "Centrally managed cadre";
        Provincial = "provincial", "省管干部", "Provincially managed cadre";
        Municipal = "municipal", "市管干部", "City-managed cadre";
        County = "county", "县管干部", "County-managed cadre";
        TownshipOrBelow = "township_or_below", "乡科级及以下", "Township/section level or below";
        Ordinary = "ordinary", "一般干部", "Ordinary staff";
        Other = "other", "其他", "Other";
    }
}

code_enum! {
    /// The level of a 纪检监察机关 (or of the unit that handles a report).
    AdminLevel {
        Central = "central", "中央", "Central";
        Province = "province", "省级", "Province";
        City = "city", "市级", "City";
        County = "county", "县级", "County";
        Township = "township", "乡镇（街道）", "Township";
    }
}

impl AdminLevel {
    /// Higher is more senior.
    pub fn rank(self) -> u8 {
        match self {
            AdminLevel::Central => 4,
            AdminLevel::Province => 3,
            AdminLevel::City => 2,
            AdminLevel::County => 1,
            AdminLevel::Township => 0,
        }
    }

    /// The next level up (the central level has none).
    pub fn up(self) -> Option<AdminLevel> {
        AdminLevel::ALL.iter().copied().find(|l| l.rank() == self.rank() + 1)
    }
}

/// Where a report received at one level goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "route", rename_all = "snake_case")]
pub enum Route {
    /// Handled here (受理).
    HandleHere,
    /// 第十五条: sent up (报送上一级) within `transfer_working_days`; `to` is the level that handles it.
    SendUp { to: AdminLevel },
    /// 转办 down to the level that handles it (which then has 5 working days, 第十六条).
    SendDown { to: AdminLevel },
}

/// 分级负责: where a report about a person of `level`, received at `here`,
/// is handled. A report about this body's own principal leader goes
/// straight to the next level up (✅ 第十五条).
pub fn route(level: PersonLevel, here: AdminLevel, about_own_head: bool, rules: &LeadRules) -> Route {
    if about_own_head {
        return match here.up() {
            Some(to) => Route::SendUp { to },
            None => Route::HandleHere,
        };
    }
    let to = rules.handling.of(level);
    match to.rank().cmp(&here.rank()) {
        std::cmp::Ordering::Equal => Route::HandleHere,
        std::cmp::Ordering::Greater => Route::SendUp { to },
        std::cmp::Ordering::Less => Route::SendDown { to },
    }
}

/// The numbering series: one per report kind, and one for leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Series {
    /// `JB`: 检举控告.
    Accusation,
    /// `SS`: 申诉.
    Appeal,
    /// `JY`: 批评建议.
    Suggestion,
    /// `XS`: 问题线索.
    Lead,
}

impl Series {
    const ALL: [Series; 4] = [Series::Accusation, Series::Appeal, Series::Suggestion, Series::Lead];

    pub fn prefix(self) -> &'static str {
        match self {
            Series::Accusation => "JB",
            Series::Appeal => "SS",
            Series::Suggestion => "JY",
            Series::Lead => "XS",
        }
    }

    pub fn of(kind: ReportKind) -> Series {
        match kind {
            ReportKind::Accusation => Series::Accusation,
            ReportKind::Appeal => Series::Appeal,
            ReportKind::Suggestion => Series::Suggestion,
        }
    }
}

/// A registration number (逐件编号登记): `JB-2026-000123` — series, year of
/// registration, and a sequence number within the series and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct RegistrationNumber {
    pub series: Series,
    pub year: i16,
    pub seq: u32,
}

/// Largest sequence number in one series and year.
pub const MAX_SEQ: u32 = 999_999;

impl RegistrationNumber {
    pub fn new(series: Series, year: i16, seq: u32) -> Option<RegistrationNumber> {
        ((2000..=9999).contains(&year) && (1..=MAX_SEQ).contains(&seq)).then_some(RegistrationNumber {
            series,
            year,
            seq,
        })
    }

    /// Parses `JB-2026-000123` (case and surrounding spaces are forgiven).
    pub fn parse(s: &str) -> Result<RegistrationNumber, Msg> {
        let bad = || Msg::new("编号格式应为 JB-2026-000123", "a number looks like JB-2026-000123");
        let s = s.trim().to_ascii_uppercase();
        let mut parts = s.split('-');
        let (Some(p), Some(y), Some(n), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        let series = Series::ALL.into_iter().find(|x| x.prefix() == p).ok_or_else(bad)?;
        if y.len() != 4 || n.len() != 6 || !y.bytes().chain(n.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        RegistrationNumber::new(series, y.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?).ok_or_else(bad)
    }
}

impl fmt::Display for RegistrationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04}-{:06}", self.series.prefix(), self.year, self.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_numbers_format_and_parse_back() {
        let n = RegistrationNumber::new(Series::Accusation, 2026, 123).unwrap();
        assert_eq!(n.to_string(), "JB-2026-000123");
        assert_eq!(RegistrationNumber::parse(" jb-2026-000123 "), Ok(n));
        let lead = RegistrationNumber::new(Series::Lead, 2026, 999_999).unwrap();
        assert_eq!(RegistrationNumber::parse(&lead.to_string()), Ok(lead));
        for bad in [
            "JB-2026-123",
            "XX-2026-000123",
            "JB-26-000123",
            "JB-2026-000000",
            "JB-2026-0001234",
            "JB-2026-00012a",
            "JB2026000123",
        ] {
            assert!(RegistrationNumber::parse(bad).is_err(), "{bad}");
        }
        assert!(RegistrationNumber::new(Series::Appeal, 2026, 1_000_000).is_none());
    }

    #[test]
    fn only_online_reports_are_filed_by_the_public() {
        assert!(!Channel::Online.registered_by_staff());
        for c in [Channel::Letter, Channel::Visit, Channel::Phone] {
            assert!(c.registered_by_staff());
        }
    }

    #[test]
    fn reports_are_handled_at_the_level_that_manages_the_person() {
        let r = LeadRules::default();
        assert_eq!(route(PersonLevel::County, AdminLevel::County, false, &r), Route::HandleHere);
        assert_eq!(
            route(PersonLevel::Provincial, AdminLevel::City, false, &r),
            Route::SendUp { to: AdminLevel::Province }
        );
        assert_eq!(
            route(PersonLevel::Ordinary, AdminLevel::County, false, &r),
            Route::SendDown { to: AdminLevel::Township }
        );
    }

    #[test]
    fn a_report_on_the_bodys_own_head_goes_straight_up() {
        let r = LeadRules::default();
        assert_eq!(route(PersonLevel::County, AdminLevel::County, true, &r), Route::SendUp { to: AdminLevel::City });
    }

    #[test]
    fn the_handling_level_of_each_person_level_is_configurable() {
        let mut r = LeadRules::default();
        r.handling.township_or_below = AdminLevel::Township;
        assert_eq!(route(PersonLevel::TownshipOrBelow, AdminLevel::Township, false, &r), Route::HandleHere);
    }

    #[test]
    fn eight_rules_rows_suggest_their_discipline() {
        assert_eq!(Category::suggested_for_eight_rules("xl.2"), Some(Category::Integrity));
        assert_eq!(Category::suggested_for_eight_rules("fb.1"), Some(Category::Work));
        assert_eq!(Category::suggested_for_eight_rules("zz"), None);
    }

    #[test]
    fn admin_levels_step_up_one_at_a_time() {
        assert_eq!(AdminLevel::Township.up(), Some(AdminLevel::County));
        assert_eq!(AdminLevel::Province.up(), Some(AdminLevel::Central));
        assert_eq!(AdminLevel::Central.up(), None);
    }
}
