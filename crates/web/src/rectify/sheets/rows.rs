//! Checking the rows of an imported workbook.

use crate::AppState;
use crate::error::AppResult;
use jiff::civil::Date;
use qingfeng_domain::rectify::RootCause;
use qingfeng_domain::rectify::import::{Resolved, RowError, UnitName, resolve_unit, unknown_unit_msg};
use qingfeng_domain::rectify::input::{MeasureInput, ProblemInput, ProblemSpec};
use qingfeng_domain::{Lang, Msg};
use qingfeng_sheets::{Field, Mapping, Table, parse_deadline};

pub struct ColView {
    pub index: usize,
    pub letter: String,
    pub label: String,
}

pub struct FieldView {
    pub name: &'static str,
    pub label: &'static str,
    pub selected: Option<usize>,
}

impl FieldView {
    pub fn is(&self, i: &usize) -> bool {
        self.selected == Some(*i)
    }
}

#[derive(Default)]
pub struct RowView {
    pub excel_row: u32,
    pub section: String,
    pub description: String,
    pub measures: Vec<String>,
    pub unit: String,
    pub deadline: String,
    pub root_cause: String,
    pub errors: Vec<String>,
}

pub(super) fn letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Every active unit of the tree: the issuing side may assign any unit.
pub(super) async fn all_units(state: &AppState) -> AppResult<(Vec<UnitName>, String)> {
    let orgs = state.store.orgs();
    let (mut out, mut place) = (Vec::new(), String::new());
    for root in orgs.children(None, false).await? {
        if place.is_empty() {
            place = place_of(&root.unit.name);
        }
        for n in orgs.subtree(&root.unit.path, None, false).await? {
            out.push(UnitName { id: n.unit.id, name: n.unit.name, short_name: n.unit.short_name });
        }
    }
    Ok((out, place))
}

/// The city's name in a top unit's name ("中共安澜市委员会" → "安澜").
pub(super) fn place_of(name: &str) -> String {
    let s = name.trim_start_matches("中共");
    s.char_indices()
        .take(6)
        .find(|(i, c)| *i > 0 && "市县区州".contains(*c))
        .map(|(i, _)| s[..i].to_string())
        .unwrap_or_default()
}

pub(super) fn split_names(s: &str) -> Vec<&str> {
    s.split(['、', ',', '，', ';', '；', '\n', '/']).map(str::trim).filter(|x| !x.is_empty()).collect()
}

const CN_DIGITS: &str = "一二三四五六七八九十";

/// "1. 修订制度" / "（1）修订制度" / "①修订制度" → "修订制度".
pub fn strip_number(s: &str) -> &str {
    let s = s.trim();
    let num = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || CN_DIGITS.contains(c));
    for (open, close) in [("（", "）"), ("(", ")")] {
        if let Some(rest) = s.strip_prefix(open)
            && let Some(i) = rest.find(close)
            && num(&rest[..i])
        {
            return rest[i + close.len()..].trim();
        }
    }
    if let Some(c) = s.chars().next()
        && ('①'..='⑳').contains(&c)
    {
        return s[c.len_utf8()..].trim();
    }
    let n: usize = s.chars().take_while(|c| c.is_ascii_digit() || CN_DIGITS.contains(*c)).map(char::len_utf8).sum();
    if n > 0 {
        for sep in [".", "、", "．", ")", "）"] {
            if let Some(r) = s[n..].strip_prefix(sep)
                && !r.starts_with(|c: char| c.is_ascii_digit())
            {
                return r.trim();
            }
        }
    }
    s
}

/// The measures cell, one title per line, numbering removed.
pub fn split_measures(s: &str) -> Vec<String> {
    s.lines().map(strip_number).filter(|x| !x.is_empty()).map(str::to_string).collect()
}

fn field_label(f: &str) -> &'static str {
    match f {
        "description" => "问题表现",
        "lead_unit_id" => "责任单位",
        "supporting_unit_ids" => "配合单位",
        "deadline" => "整改时限",
        "root_cause" => "根源分类",
        _ => "",
    }
}

/// Checks one row; the spec with its measures, or the row's errors.
pub(super) fn check_row(
    table: &Table,
    row: &qingfeng_sheets::Row,
    m: &Mapping,
    units: &[UnitName],
    place: &str,
    issued: Date,
    v: &mut RowView,
) -> Result<(ProblemSpec, Vec<String>), Vec<RowError>> {
    let cell = |f: Field| table.get(row, m, f).trim();
    let mut errs = Vec::new();
    let mut err = |column: &str, msg: Msg| errs.push(RowError { row: row.excel_row, column: column.into(), msg });
    let description = cell(Field::Description);
    if description.is_empty() {
        err("问题表现", Msg::new("问题表现为空", "the description is empty"));
    }
    let names: Vec<(&str, &str)> = split_names(cell(Field::LeadUnit))
        .into_iter()
        .map(|n| ("责任单位", n))
        .chain(split_names(cell(Field::SupportingUnits)).into_iter().map(|n| ("配合单位", n)))
        .collect();
    if names.first().is_none_or(|(c, _)| *c != "责任单位") {
        err("责任单位", Msg::new("责任单位为空", "the responsible unit is empty"));
    }
    let (mut lead, mut supporting, mut shown) = (None, Vec::new(), Vec::new());
    for (i, (column, typed)) in names.iter().enumerate() {
        match resolve_unit(typed, units, place) {
            Resolved::Found(id) => {
                shown.push(
                    units
                        .iter()
                        .find(|u| u.id == id)
                        .map(|u| u.short_name.clone().unwrap_or_else(|| u.name.clone()))
                        .unwrap_or_default(),
                );
                if i == 0 && *column == "责任单位" {
                    lead = Some(id);
                } else if lead != Some(id) && !supporting.contains(&id) {
                    supporting.push(id);
                }
            }
            r => err(column, unknown_unit_msg(column, typed, &r)),
        }
    }
    v.unit = shown.join("、");
    let typed = cell(Field::Deadline);
    let deadline = match parse_deadline(typed) {
        _ if typed.is_empty() => {
            err("整改时限", Msg::new("整改时限为空", "the deadline is empty"));
            None
        }
        Ok(d) if d < issued => {
            err(
                "整改时限",
                Msg::owned(
                    format!("整改时限 {d} 早于问题清单下发日期 {issued}"),
                    format!("deadline {d} precedes the batch date {issued}"),
                ),
            );
            None
        }
        Ok(d) => Some(d),
        Err(why) => {
            let sep = if why.starts_with('“') { "" } else { "：" };
            err(
                "整改时限",
                Msg::owned(format!("整改时限{sep}{why}"), format!("deadline `{typed}` is not a valid date")),
            );
            None
        }
    };
    v.deadline = deadline.map(|d| d.to_string()).unwrap_or_else(|| typed.to_string());
    let rc_text = cell(Field::RootCause);
    let root_cause = if rc_text.is_empty() { Some(RootCause::Responsibility) } else { RootCause::from_label(rc_text) };
    match root_cause {
        Some(rc) => v.root_cause = rc.label().zh.to_string(),
        None => err(
            "根源分类",
            Msg::owned(
                format!("根源分类“{rc_text}”无法识别，应为思想根子、能力本领、制度机制或责任落实"),
                format!("unknown root cause `{rc_text}`"),
            ),
        ),
    }
    let measures = split_measures(cell(Field::Measures));
    for (k, title) in measures.iter().enumerate() {
        let input =
            MeasureInput { title: title.clone(), owner_id: None, due_on: deadline.unwrap_or(issued).to_string() };
        if let Err(e) = input.validate() {
            for fe in e.0.iter().filter(|fe| fe.field == "title") {
                err(
                    "整改措施",
                    Msg::owned(
                        format!("整改措施第{}条{}", k + 1, fe.msg.zh),
                        format!("measure {}: {}", k + 1, fe.msg.en),
                    ),
                );
            }
        }
    }
    v.measures = measures.clone();
    if errs.is_empty() {
        let input = ProblemInput {
            description: description.to_string(),
            root_cause: root_cause.map(|r| r.as_str().to_string()).unwrap_or_default(),
            lead_unit_id: lead,
            supporting_unit_ids: supporting,
            deadline: deadline.map(|d| d.to_string()).unwrap_or_default(),
            ..Default::default()
        };
        match input.validate(issued, |_| false) {
            Ok(spec) => return Ok((spec, measures)),
            Err(e) => {
                for fe in e.0 {
                    let l = field_label(&fe.field);
                    errs.push(RowError {
                        row: row.excel_row,
                        column: l.into(),
                        msg: Msg::owned(format!("{l}{}", fe.msg.zh), format!("{l} {}", fe.msg.en)),
                    });
                }
            }
        }
    }
    Err(errs)
}

pub(super) fn row_text(e: &RowError, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Row {}: {}", e.row, e.msg.en),
        _ => format!("第{}行：{}", e.row, e.msg.zh),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_is_stripped_from_measures() {
        assert_eq!(
            split_measures("1. 修订制度\n（2）开展培训\n③ 建立台账\n四、定期检查\n2026.6完成"),
            vec!["修订制度", "开展培训", "建立台账", "定期检查", "2026.6完成"]
        );
        assert_eq!(letter(0), "A");
        assert_eq!(letter(27), "AB");
        assert_eq!(place_of("中共测试市委员会"), "测试");
    }
}
