//! Deadlines as offices write them (整改时限).

use jiff::civil::Date;

/// Excel's day 0 in the 1900 date system (serial 1 is 1900-01-01, but
/// Excel counts a 1900-02-29 that never was, so from serial 61 on the
/// epoch is effectively 1899-12-30).
const EXCEL_EPOCH: Date = Date::constant(1899, 12, 30);
/// The first serial after Excel's phantom 1900-02-29.
const FIRST_SAFE_SERIAL: i64 = 61;
/// 9999-12-31.
const LAST_SERIAL: i64 = 2_958_465;

/// Reads a deadline cell into a date.
///
/// Accepts `2026-06-30`, `2026/6/30`, `2026.6.30`, `20260630`,
/// `2026年6月30日` (also with 号 or without 日), `2026年6月底` / `2026年6月末`
/// / `2026年6月` (the last day of the month), `2026年底` (31 December),
/// Excel serial day numbers of five to seven digits such as `46203`, and an ISO date followed by a time
/// (`2026-06-30 00:00:00`). Full-width digits are read as digits.
///
/// The error is a Chinese sentence naming what was wrong.
pub fn parse_deadline(s: &str) -> Result<Date, String> {
    let text = s.trim();
    if text.is_empty() {
        return Err("时限为空".to_string());
    }
    let norm = normalize(text);
    let unrecognised = || format!("无法识别的日期“{text}”，请写成 2026-06-30、2026年6月30日 或 2026年6月底 这样的格式");

    // Excel serial number or 8-digit YYYYMMDD.
    if let Some(whole) = serial_text(&norm) {
        if whole.len() == 8 {
            let (y, m, d) = (num(&whole[..4]), num(&whole[4..6]), num(&whole[6..]));
            return ymd(text, y, m, Some(d));
        }
        return match whole.parse::<i64>() {
            Ok(n) if (FIRST_SAFE_SERIAL..=LAST_SERIAL).contains(&n) => {
                from_excel_serial(n).ok_or_else(|| format!("“{text}”不是有效的 Excel 日期序号"))
            }
            _ => Err(format!("“{text}”不是有效的 Excel 日期序号（应在 10000 到 2958465 之间）")),
        };
    }

    if let Some(rest) = norm.strip_suffix("年底").or_else(|| norm.strip_suffix("年末")) {
        if let Some(y) = digits(rest) {
            return ymd(text, y, 12, Some(31));
        }
        return Err(unrecognised());
    }

    if let Some((y, rest)) = norm.split_once('年') {
        let Some(y) = digits(y) else { return Err(unrecognised()) };
        let Some((m, rest)) = rest.split_once('月') else { return Err(unrecognised()) };
        let Some(m) = digits(m) else { return Err(unrecognised()) };
        return match rest {
            "" | "底" | "末" | "份" => ymd(text, y, m, None),
            _ => {
                let d = rest.strip_suffix('日').or_else(|| rest.strip_suffix('号')).unwrap_or(rest);
                match digits(d) {
                    Some(d) => ymd(text, y, m, Some(d)),
                    None => Err(unrecognised()),
                }
            }
        };
    }

    // 2026-06-30, 2026/6/30, 2026.6.30, optionally followed by a time.
    let date_part = norm.split([' ', 'T']).next().unwrap_or("");
    let time_part = &norm[date_part.len()..];
    if !time_part.is_empty() && !is_time(time_part.trim_start_matches([' ', 'T'])) {
        return Err(unrecognised());
    }
    for sep in ['-', '/', '.'] {
        let parts: Vec<&str> = date_part.split(sep).collect();
        if let [y, m, d] = parts[..] {
            return match (digits(y), digits(m), digits(d)) {
                (Some(y), Some(m), Some(d)) if y >= 1000 => ymd(text, y, m, Some(d)),
                _ => Err(unrecognised()),
            };
        }
    }
    Err(unrecognised())
}

/// The date of an Excel serial day number (1900 date system), for serials
/// from 61 (1900-03-01) on.
pub(crate) fn from_excel_serial(serial: i64) -> Option<Date> {
    if !(FIRST_SAFE_SERIAL..=LAST_SERIAL).contains(&serial) {
        return None;
    }
    EXCEL_EPOCH.checked_add(jiff::Span::new().try_days(serial).ok()?).ok()
}

/// Full-width digits and punctuation to ASCII, spaces around separators
/// removed except one between a date and a time.
fn normalize(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '—' | '–' => '-',
            '／' => '/',
            '．' | '。' => '.',
            '：' => ':',
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect();
    // Collapse inner whitespace: "2026 年 6 月" → "2026年6月"; keep a single
    // space only between two digits ("2026-06-30 00:00").
    let chars: Vec<char> = mapped.trim().chars().collect();
    let mut out = String::with_capacity(mapped.len());
    for (i, c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = out.chars().last();
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            let between_digits = prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit());
            if between_digits && prev != Some(' ') {
                out.push(' ');
            }
        } else {
            out.push(*c);
        }
    }
    out
}

/// "46203", "46203.0", "46203.5" → the whole part, when the text is a
/// number of at least five digits (so a bare year such as "2026" is not
/// read as a day in 1905).
fn serial_text(s: &str) -> Option<&str> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let is_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    (whole.len() >= 5 && is_digits(whole) && is_digits(frac)).then_some(whole)
}

fn digits(s: &str) -> Option<i64> {
    (!s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b.is_ascii_digit())).then(|| num(s))
}

fn num(s: &str) -> i64 {
    s.parse().unwrap_or(-1)
}

fn is_time(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().all(|p| !p.is_empty() && p.len() <= 6 && p.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

/// A checked date; `day: None` means the last day of the month.
fn ymd(text: &str, y: i64, m: i64, day: Option<i64>) -> Result<Date, String> {
    let invalid = |why: String| format!("“{text}”不是有效日期：{why}");
    if !(1900..=9999).contains(&y) {
        return Err(invalid(format!("年份 {y} 超出范围")));
    }
    if !(1..=12).contains(&m) {
        return Err(invalid(format!("没有 {m} 月")));
    }
    // Both are in range now, so the casts cannot truncate.
    let first = Date::new(y as i16, m as i8, 1).map_err(|e| invalid(e.to_string()))?;
    let last = first.last_of_month();
    let Some(d) = day else { return Ok(last) };
    if d < 1 || d > i64::from(last.day()) {
        return Err(invalid(format!("{y} 年 {m} 月没有 {d} 日")));
    }
    Date::new(y as i16, m as i8, d as i8).map_err(|e| invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn iso_slash_and_dot_dates_are_accepted() {
        assert_eq!(parse_deadline("2026-06-30"), Ok(d(2026, 6, 30)));
        assert_eq!(parse_deadline("2026/6/30"), Ok(d(2026, 6, 30)));
        assert_eq!(parse_deadline("2026.6.30"), Ok(d(2026, 6, 30)));
        assert_eq!(parse_deadline(" 2026-6-3 "), Ok(d(2026, 6, 3)));
        assert_eq!(parse_deadline("20260630"), Ok(d(2026, 6, 30)));
    }

    #[test]
    fn a_date_followed_by_a_time_keeps_the_date() {
        assert_eq!(parse_deadline("2026-06-30 00:00:00"), Ok(d(2026, 6, 30)));
        assert_eq!(parse_deadline("2026-06-30T17:30"), Ok(d(2026, 6, 30)));
        assert!(parse_deadline("2026-06-30 下午").is_err());
    }

    #[test]
    fn chinese_full_dates_are_accepted() {
        assert_eq!(parse_deadline("2026年6月30日"), Ok(d(2026, 6, 30)));
        assert_eq!(parse_deadline("2026年06月30号"), Ok(d(2026, 6, 30)));
        assert_eq!(parse_deadline("2026年6月30"), Ok(d(2026, 6, 30)));
        assert_eq!(parse_deadline("２０２６年６月３０日"), Ok(d(2026, 6, 30)));
        assert_eq!(parse_deadline("2026 年 6 月 30 日"), Ok(d(2026, 6, 30)));
    }

    #[test]
    fn month_end_forms_mean_the_last_day_of_the_month() {
        assert_eq!(parse_deadline("2026年6月底"), Ok(d(2026, 6, 30)));
        assert_eq!(parse_deadline("2026年6月末"), Ok(d(2026, 6, 30)));
        assert_eq!(parse_deadline("2026年6月"), Ok(d(2026, 6, 30)));
        assert_eq!(parse_deadline("2028年2月底"), Ok(d(2028, 2, 29)));
        assert_eq!(parse_deadline("2026年2月"), Ok(d(2026, 2, 28)));
        assert_eq!(parse_deadline("2026年12月底"), Ok(d(2026, 12, 31)));
        assert_eq!(parse_deadline("2026年底"), Ok(d(2026, 12, 31)));
    }

    #[test]
    fn excel_serial_numbers_are_days_since_1899_12_30() {
        assert_eq!(parse_deadline("46203"), Ok(d(2026, 6, 30)));
        assert_eq!(parse_deadline("46203.0"), Ok(d(2026, 6, 30)));
        assert_eq!(parse_deadline("46203.75"), Ok(d(2026, 6, 30)));
        assert_eq!(parse_deadline("10000"), Ok(d(1927, 5, 18)));
        assert_eq!(parse_deadline("2958465"), Ok(d(9999, 12, 31)));
        assert!(parse_deadline("2958466").unwrap_err().contains("Excel 日期序号"));
        assert!(parse_deadline("0").is_err());
        assert!(parse_deadline("2026").is_err(), "a bare year is not a serial");
        assert!(parse_deadline("99999999999999999999999").is_err());
    }

    #[test]
    fn invalid_dates_name_what_is_wrong() {
        let e = parse_deadline("2026-13-01").unwrap_err();
        assert!(e.starts_with("“2026-13-01”不是有效日期"), "{e}");
        assert!(e.contains("13 月"), "{e}");
        let e = parse_deadline("2026年2月30日").unwrap_err();
        assert!(e.starts_with("“2026年2月30日”不是有效日期"), "{e}");
        assert!(e.contains("没有 30 日"), "{e}");
        let e = parse_deadline("2026-00-10").unwrap_err();
        assert!(e.contains("没有 0 月"), "{e}");
        let e = parse_deadline("1800-01-01").unwrap_err();
        assert!(e.contains("年份 1800"), "{e}");
        assert!(parse_deadline("20261301").unwrap_err().contains("不是有效日期"));
    }

    #[test]
    fn unrecognised_and_empty_text_is_an_error_quoting_the_input() {
        assert_eq!(parse_deadline("  "), Err("时限为空".to_string()));
        for bad in [
            "长期坚持",
            "6月30日",
            "2026",
            "2026-06",
            "30/06",
            "2026年",
            "年月日",
            "2026年6月上旬",
            "--",
            "2026-6-30-1",
        ] {
            let e = parse_deadline(bad).unwrap_err();
            assert!(e.contains(bad.trim()), "{bad}: {e}");
        }
    }

    #[test]
    fn no_input_panics() {
        for s in [
            "年",
            "月",
            "年月",
            "9999999999年1月",
            "2026年99999999999月",
            "\u{0}",
            "٣",
            "2026年6月\u{3000}底",
            "..",
            "1.2.3",
            "0000-00-00",
            "2026-06-30 99:99:99:99",
        ] {
            let _ = parse_deadline(s);
        }
    }

    #[test]
    fn from_excel_serial_rejects_out_of_range() {
        assert_eq!(from_excel_serial(46203), Some(d(2026, 6, 30)));
        assert_eq!(from_excel_serial(60), None);
        assert_eq!(from_excel_serial(i64::MAX), None);
    }
}
