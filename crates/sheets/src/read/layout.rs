//! Where the title, header, sections and data are in a sparse grid.

use std::collections::BTreeMap;
use std::collections::btree_map;

use super::{Grid, MAX_COLUMNS, MAX_DATA_ROWS, MAX_TEXT_BYTES, Merge, Raw, too_much_text};
use crate::columns::normalize_label;
use crate::{Column, Field, Row, SheetError, Table};

/// The header must lie within this many non-empty rows from the top.
const HEADER_SCAN_ROWS: usize = 30;
/// A header spans at most this many rows.
const MAX_HEADER_ROWS: u32 = 3;

pub(super) fn build(grid: Grid) -> Result<Table, SheetError> {
    let header_row = find_header_row(&grid).ok_or(SheetError::NoHeader)?;
    let (start, end) = header_span(&grid, header_row);
    let ncols =
        grid.cells.range(start..).filter_map(|(_, row)| row.keys().next_back()).max().map_or(0, |c| *c as usize + 1);

    let header_covers: Vec<(u32, Vec<Option<Merge>>)> =
        (start..=end).map(|r| (r, cover_for(r, ncols, 0, grid.merges.iter().copied()))).collect();
    let columns = (0..ncols)
        .map(|c| {
            let mut parts: Vec<String> = Vec::new();
            for (r, cover) in &header_covers {
                let label = normalize_label(value_at(&grid, *r, c, cover));
                if !label.is_empty() && parts.last() != Some(&label) {
                    parts.push(label);
                }
            }
            Column::new(c, parts.join("/"))
        })
        .collect::<Vec<_>>();

    let title = grid
        .cells
        .range(..start)
        .find_map(|(_, row)| row.values().find(|raw| !raw.numeric))
        .map(|raw| raw.text.clone());

    let seq_col = columns.iter().find(|c| c.field == Some(Field::Seq)).map(|c| c.index as u32);
    let desc_col = columns.iter().find(|c| c.field == Some(Field::Description)).map(|c| c.index as u32);
    let marker_col = seq_col.unwrap_or(0);
    let heading_cols = desc_col.unwrap_or(1).max(marker_col);

    let mut rows = Vec::new();
    let mut data_rows = 0usize;
    let mut text_bytes = 0usize;
    let mut section: Option<String> = None;
    let mut sweep = Sweep::new(&grid);
    while let Some((r, own)) = sweep.next_row() {
        if r <= end {
            continue;
        }
        let cover = cover_for(r, ncols, end + 1, sweep.active.iter().copied());
        // A row some of whose cells continue a merge from a row above belongs
        // to that problem: it is never a section heading.
        let continues = cover.iter().flatten().any(|m| m.r0 < r);
        let span = |c: u32| cover.get(c as usize).copied().flatten().map_or(1, |m| m.c1 - m.c0 + 1);
        let texts: Vec<(u32, &Raw)> = own.iter().map(|(c, raw)| (*c, raw)).collect();
        if !continues && let Some(heading) = section_heading(&texts, span, marker_col, heading_cols) {
            section = Some(heading);
            continue;
        }
        let cells: Vec<String> = (0..ncols).map(|c| value_at(&grid, r, c, &cover).to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        data_rows += 1;
        if data_rows > MAX_DATA_ROWS {
            continue; // only counted from here on
        }
        text_bytes += cells.iter().map(String::len).sum::<usize>();
        if text_bytes > MAX_TEXT_BYTES {
            return Err(too_much_text());
        }
        rows.push(Row { excel_row: r.saturating_add(1), section: section.clone(), cells });
    }
    let total = data_rows + grid.overflow_rows;
    if total > MAX_DATA_ROWS {
        return Err(SheetError::TooLarge { rows: total });
    }
    Ok(Table { title, header_rows: start.saturating_add(1)..=end.saturating_add(1), columns, rows })
}

/// The first row within [`HEADER_SCAN_ROWS`] naming at least two different
/// fields. Cells with a colon ("填报单位：…") are form text, not headers.
fn find_header_row(grid: &Grid) -> Option<u32> {
    grid.cells.iter().take(HEADER_SCAN_ROWS).find_map(|(r, row)| {
        let mut fields: Vec<Field> = row
            .values()
            .filter(|raw| !raw.numeric && !raw.text.contains(['：', ':']))
            .filter_map(|raw| Field::detect(&raw.text))
            .collect();
        fields.sort();
        fields.dedup();
        (fields.len() >= 2).then_some(*r)
    })
}

/// The header's first and last row around `row`, the row that names the
/// fields: vertical merges reaching into `row` from above extend it upwards,
/// vertical merges starting in it extend it downwards, and so does an
/// unmerged second row that only names fields under blank, merged or group
/// header cells ("责任" over "责任单位 | 责任人"). At most
/// [`MAX_HEADER_ROWS`] rows.
fn header_span(grid: &Grid, row: u32) -> (u32, u32) {
    let lowest = row.saturating_sub(MAX_HEADER_ROWS - 1);
    let start =
        grid.merges.iter().filter(|m| m.r0 < row && m.r1 >= row && m.r0 >= lowest).map(|m| m.r0).min().unwrap_or(row);
    let highest = start.saturating_add(MAX_HEADER_ROWS - 1);
    let mut end = grid
        .merges
        .iter()
        .filter(|m| (start..=row).contains(&m.r0) && m.r1 > m.r0)
        .map(|m| m.r1.min(highest))
        .max()
        .unwrap_or(row)
        .max(row);
    if end == row && end < highest && is_sub_header(grid, row, row + 1) {
        end = row + 1;
    }
    (start, end)
}

fn is_sub_header(grid: &Grid, above: u32, below: u32) -> bool {
    let (Some(top), Some(sub)) = (grid.cells.get(&above), grid.cells.get(&below)) else {
        return false;
    };
    // Under a group label: a blank, a horizontally merged cell, or a cell
    // naming no field ("责任"). A data row sits under field names instead.
    let under_group = |c: u32| match top.get(&c) {
        None => true,
        Some(label) => {
            Field::detect(&label.text).is_none() || grid.merges.iter().any(|m| m.r0 == above && m.c0 < c && c <= m.c1)
        }
    };
    sub.iter().all(|(c, raw)| !raw.numeric && Field::detect(&raw.text).is_some() && under_group(*c))
}

/// The section heading a row is, if it is one: a single text cell that is
/// merged across columns, or that starts with a heading marker ("一、",
/// "（二）", "第三部分") or is not a number in the 序号 column, left of the
/// problem column; or a bare marker in the 序号 column ("一") beside one text
/// cell, joined as "一、…".
fn section_heading(
    cells: &[(u32, &Raw)],
    span: impl Fn(u32) -> u32,
    marker_col: u32,
    heading_cols: u32,
) -> Option<String> {
    match cells {
        [(c, raw)] if !raw.numeric => {
            let merged = span(*c) >= 2;
            let marked = heading_marker_len(&raw.text).is_some() && *c <= heading_cols;
            let in_seq = *c == marker_col && raw.text.chars().count() > 3;
            (merged || marked || in_seq).then(|| raw.text.clone())
        }
        [(c0, marker), (_, raw)] if *c0 == marker_col && !raw.numeric && is_marker_only(&marker.text) => {
            let m = marker.text.as_str();
            let joined = if m.ends_with([')', '）', '、', '.', '．']) {
                format!("{m}{}", raw.text)
            } else {
                format!("{m}、{}", raw.text)
            };
            Some(joined)
        }
        _ => None,
    }
}

fn is_numeral(c: char) -> bool {
    "一二三四五六七八九十百零〇两".contains(c)
}

/// Byte length of a leading "一、" / "十二." / "（三）" / "(四)" / "第五部分".
fn heading_marker_len(s: &str) -> Option<usize> {
    let numerals = |t: &str| t.char_indices().find(|(_, c)| !is_numeral(*c)).map_or(t.len(), |(i, _)| i);
    if let Some(rest) = s.strip_prefix(['（', '(']) {
        let n = numerals(rest);
        let close = rest[n..].chars().next().filter(|c| matches!(c, ')' | '）'))?;
        return (n > 0).then(|| s.len() - rest.len() + n + close.len_utf8());
    }
    if let Some(rest) = s.strip_prefix('第') {
        let n = numerals(rest);
        let unit = ["部分", "方面", "类", "章", "节", "项", "个"].into_iter().find(|u| rest[n..].starts_with(u))?;
        return (n > 0).then(|| s.len() - rest.len() + n + unit.len());
    }
    let n = numerals(s);
    let sep = s[n..].chars().next().filter(|c| matches!(c, '、' | '.' | '．'))?;
    (n > 0).then(|| n + sep.len_utf8())
}

fn is_marker_only(s: &str) -> bool {
    heading_marker_len(s) == Some(s.len()) || (!s.is_empty() && s.chars().all(is_numeral))
}

/// The text shown at (row, col): the cell's own, or that of the merged
/// region covering it.
fn value_at<'g>(grid: &'g Grid, row: u32, col: usize, cover: &[Option<Merge>]) -> &'g str {
    let own = grid.cells.get(&row).and_then(|cells| cells.get(&(col as u32)));
    if let Some(raw) = own {
        return &raw.text;
    }
    cover
        .get(col)
        .copied()
        .flatten()
        .and_then(|m| grid.cells.get(&m.r0)?.get(&m.c0))
        .map_or("", |raw| raw.text.as_str())
}

/// For each column of `row`, the merge covering it, among `merges` anchored
/// at or below `min_anchor_row`. Overlapping merges (which Excel never
/// writes) are cut where they meet, so the cost stays linear in the columns.
fn cover_for(row: u32, ncols: usize, min_anchor_row: u32, merges: impl Iterator<Item = Merge>) -> Vec<Option<Merge>> {
    let mut cover: Vec<Option<Merge>> = vec![None; ncols];
    for m in merges.filter(|m| m.r0 <= row && row <= m.r1 && m.r0 >= min_anchor_row) {
        for c in m.c0 as usize..=(m.c1 as usize).min(ncols.saturating_sub(1)) {
            match cover.get_mut(c) {
                Some(slot @ None) => *slot = Some(m),
                _ => break,
            }
        }
    }
    cover
}

/// Walks the stored rows top to bottom, keeping the merges that touch the
/// current row (at most [`MAX_COLUMNS`] of them: more can only be
/// overlapping garbage).
struct Sweep<'g> {
    rows: btree_map::Iter<'g, u32, BTreeMap<u32, Raw>>,
    pending: std::iter::Peekable<std::vec::IntoIter<Merge>>,
    active: Vec<Merge>,
}

impl<'g> Sweep<'g> {
    fn new(grid: &'g Grid) -> Self {
        let mut merges = grid.merges.clone();
        merges.sort_by_key(|m| (m.r0, m.c0));
        Sweep { rows: grid.cells.iter(), pending: merges.into_iter().peekable(), active: Vec::new() }
    }

    fn next_row(&mut self) -> Option<(u32, &'g BTreeMap<u32, Raw>)> {
        let (r, cells) = self.rows.next()?;
        let r = *r;
        self.active.retain(|m| m.r1 >= r);
        while let Some(m) = self.pending.next_if(|m| m.r0 <= r) {
            if m.r1 >= r && self.active.len() < MAX_COLUMNS {
                self.active.push(m);
            }
        }
        Some((r, cells))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(t: &str) -> Raw {
        Raw { text: t.to_string(), numeric: false }
    }

    #[test]
    fn heading_markers_are_recognised() {
        assert_eq!(heading_marker_len("一、党的领导方面"), Some("一、".len()));
        assert_eq!(heading_marker_len("十二.作风建设"), Some("十二.".len()));
        assert_eq!(heading_marker_len("（三）制度建设"), Some("（三）".len()));
        assert_eq!(heading_marker_len("(四)其他"), Some("(四)".len()));
        assert_eq!(heading_marker_len("第五部分 其他"), Some("第五部分".len()));
        assert_eq!(heading_marker_len("一是加强学习"), None);
        assert_eq!(heading_marker_len("1、加强学习"), None);
        assert_eq!(heading_marker_len("（一"), None);
        assert_eq!(heading_marker_len("第"), None);
        assert_eq!(heading_marker_len(""), None);
        assert!(is_marker_only("一"));
        assert!(is_marker_only("（二）"));
        assert!(!is_marker_only("1"));
    }

    #[test]
    fn single_merged_or_marked_cells_are_sections_and_others_are_not() {
        let a = raw("党的领导方面");
        let no_span = |_| 1;
        assert_eq!(section_heading(&[(0, &a)], |_| 8, 0, 1).as_deref(), Some("党的领导方面"));
        assert_eq!(section_heading(&[(0, &a)], no_span, 0, 1).as_deref(), Some("党的领导方面"));
        let marked = raw("一、党的领导方面");
        assert_eq!(section_heading(&[(1, &marked)], no_span, 0, 1).as_deref(), Some("一、党的领导方面"));
        // a lone measure continuing in the measures column is no heading
        assert_eq!(section_heading(&[(2, &marked)], no_span, 0, 1), None);
        let short = raw("备注");
        assert_eq!(section_heading(&[(3, &short)], no_span, 0, 1), None);
        let n = Raw { text: "3".into(), numeric: true };
        assert_eq!(section_heading(&[(0, &n)], |_| 8, 0, 1), None);
        let one = raw("一");
        assert_eq!(section_heading(&[(0, &one), (1, &a)], no_span, 0, 1).as_deref(), Some("一、党的领导方面"));
        let two = raw("（二）");
        assert_eq!(section_heading(&[(0, &two), (1, &a)], no_span, 0, 1).as_deref(), Some("（二）党的领导方面"));
        let seq = raw("1");
        assert_eq!(section_heading(&[(0, &seq), (1, &a)], no_span, 0, 1), None);
    }
}
