//! Columns of a problem list and the header words offices use for them.

/// What a column of a problem list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// 序号
    Seq,
    /// 问题表现
    Description,
    /// 整改措施
    Measures,
    /// 责任单位 / 牵头单位
    LeadUnit,
    /// 配合单位
    SupportingUnits,
    /// 责任领导
    Leader,
    /// 责任人
    Owner,
    /// 整改时限
    Deadline,
    /// 整改进展
    Progress,
    /// 整改状态 (written by [`crate::write_problem_list`])
    Status,
    /// 问题来源
    Source,
    /// 根源分类
    RootCause,
    /// 备注
    Remark,
}

/// Header words per field. Detection picks the longest word contained in a
/// header label, so "问题来源" is a source (not a description) and
/// "完成时限" a deadline (not progress).
const SYNONYMS: &[(Field, &[&str])] = &[
    (Field::Seq, &["序号", "编号"]),
    (Field::Description, &["问题表现", "问题", "存在问题", "问题描述", "反馈问题", "问题内容", "主要问题"]),
    (Field::Measures, &["整改措施", "措施"]),
    (Field::LeadUnit, &["责任单位", "牵头单位", "责任部门", "牵头部门"]),
    (Field::SupportingUnits, &["配合单位", "协同单位", "配合部门", "协办单位"]),
    (Field::Leader, &["责任领导", "分管领导", "牵头领导"]),
    (Field::Owner, &["责任人", "具体责任人"]),
    (Field::Deadline, &["整改时限", "完成时限", "时限", "完成时间"]),
    (Field::Progress, &["整改进展", "进展情况", "完成情况", "进展", "整改情况"]),
    (Field::Status, &["整改状态", "状态", "办理状态"]),
    (Field::Source, &["问题来源", "来源"]),
    (Field::RootCause, &["根源分类", "根源", "问题根源"]),
    (Field::Remark, &["备注"]),
];

/// Labels longer than this are prose, not column names.
const MAX_LABEL_CHARS: usize = 24;

impl Field {
    /// Every field, in column order of a problem list.
    pub const ALL: [Field; 13] = [
        Field::Seq,
        Field::Description,
        Field::Measures,
        Field::LeadUnit,
        Field::SupportingUnits,
        Field::Leader,
        Field::Owner,
        Field::Deadline,
        Field::Progress,
        Field::Status,
        Field::Source,
        Field::RootCause,
        Field::Remark,
    ];

    /// The usual Chinese column name.
    pub fn label_zh(self) -> &'static str {
        match self {
            Field::Seq => "序号",
            Field::Description => "问题表现",
            Field::Measures => "整改措施",
            Field::LeadUnit => "责任单位",
            Field::SupportingUnits => "配合单位",
            Field::Leader => "责任领导",
            Field::Owner => "责任人",
            Field::Deadline => "整改时限",
            Field::Progress => "整改进展",
            Field::Status => "整改状态",
            Field::Source => "问题来源",
            Field::RootCause => "根源分类",
            Field::Remark => "备注",
        }
    }

    /// A stable snake_case name (for forms and JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Seq => "seq",
            Field::Description => "description",
            Field::Measures => "measures",
            Field::LeadUnit => "lead_unit",
            Field::SupportingUnits => "supporting_units",
            Field::Leader => "leader",
            Field::Owner => "owner",
            Field::Deadline => "deadline",
            Field::Progress => "progress",
            Field::Status => "status",
            Field::Source => "source",
            Field::RootCause => "root_cause",
            Field::Remark => "remark",
        }
    }

    /// The inverse of [`Field::as_str`]; also accepts the Chinese label.
    pub fn parse(s: &str) -> Option<Field> {
        let s = s.trim();
        Field::ALL.into_iter().find(|f| f.as_str().eq_ignore_ascii_case(s) || f.label_zh() == s)
    }

    /// The field a header label names, if any. Whitespace inside the label
    /// is ignored ("序  号", "问题\n表现"); for a label joined from several
    /// header rows ("责任/责任人") the lowest row decides, then the higher ones.
    pub fn detect(label: &str) -> Option<Field> {
        label.rsplit('/').find_map(detect_one).or_else(|| detect_one(label))
    }
}

fn detect_one(label: &str) -> Option<Field> {
    let label = normalize_label(label);
    if label.is_empty() || label.chars().count() > MAX_LABEL_CHARS {
        return None;
    }
    let mut best: Option<(usize, Field)> = None;
    for (field, words) in SYNONYMS {
        for word in *words {
            let len = word.chars().count();
            // An exact match beats any containment; otherwise the longest word wins.
            let score = if label == *word {
                usize::MAX
            } else if label.contains(word) {
                len
            } else {
                continue;
            };
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, *field));
            }
        }
    }
    best.map(|(_, f)| f)
}

/// A header cell as a label: all whitespace (including the full-width space
/// and line breaks offices use to lay out headers) removed, and a leading
/// required-marker "*" dropped.
pub(crate) fn normalize_label(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    s.trim_start_matches(['*', '＊']).to_string()
}

/// One column of a [`crate::Table`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Position in [`crate::Row::cells`]; equal to the worksheet column
    /// (0 = A).
    pub index: usize,
    /// The header text, rows of a multi-row header joined with "/"
    /// ("责任/责任单位"); "" for a column without a header.
    pub label: String,
    /// The field detected from the label.
    pub field: Option<Field>,
}

impl Column {
    /// A column whose field is detected from its label.
    pub fn new(index: usize, label: impl Into<String>) -> Column {
        let label = label.into();
        let field = Field::detect(&label);
        Column { index, label, field }
    }
}

/// Field → column index, as detected by [`crate::Table::auto_mapping`] and
/// then edited by the user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping(pub Vec<(Field, usize)>);

impl Mapping {
    /// The column mapped to `field`.
    pub fn column(&self, field: Field) -> Option<usize> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, i)| *i)
    }

    /// Maps `field` to `index`, replacing an earlier choice.
    pub fn set(&mut self, field: Field, index: usize) {
        self.remove(field);
        self.0.push((field, index));
        self.0.sort_by_key(|(f, _)| *f);
    }

    /// Unmaps `field`.
    pub fn remove(&mut self, field: Field) {
        self.0.retain(|(f, _)| *f != field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_synonym_in_the_brief_is_recognised() {
        let cases = [
            ("序号", Field::Seq),
            ("问题表现", Field::Description),
            ("问题", Field::Description),
            ("存在问题", Field::Description),
            ("问题描述", Field::Description),
            ("反馈问题", Field::Description),
            ("整改措施", Field::Measures),
            ("措施", Field::Measures),
            ("责任单位", Field::LeadUnit),
            ("牵头单位", Field::LeadUnit),
            ("责任部门", Field::LeadUnit),
            ("配合单位", Field::SupportingUnits),
            ("协同单位", Field::SupportingUnits),
            ("责任领导", Field::Leader),
            ("分管领导", Field::Leader),
            ("责任人", Field::Owner),
            ("具体责任人", Field::Owner),
            ("整改时限", Field::Deadline),
            ("完成时限", Field::Deadline),
            ("时限", Field::Deadline),
            ("整改进展", Field::Progress),
            ("进展情况", Field::Progress),
            ("完成情况", Field::Progress),
            ("问题来源", Field::Source),
            ("来源", Field::Source),
            ("根源分类", Field::RootCause),
            ("备注", Field::Remark),
            ("整改状态", Field::Status),
        ];
        for (label, field) in cases {
            assert_eq!(Field::detect(label), Some(field), "{label}");
        }
    }

    #[test]
    fn longest_contained_word_wins_over_shorter_ones() {
        assert_eq!(Field::detect("问题来源"), Some(Field::Source));
        assert_eq!(Field::detect("具体整改措施"), Some(Field::Measures));
        assert_eq!(Field::detect("整改时限（2026年）"), Some(Field::Deadline));
        assert_eq!(Field::detect("完成时限"), Some(Field::Deadline));
        assert_eq!(Field::detect("整改进展情况"), Some(Field::Progress));
    }

    #[test]
    fn whitespace_and_required_markers_are_ignored() {
        assert_eq!(Field::detect("序  号"), Some(Field::Seq));
        assert_eq!(Field::detect("问题\n表现"), Some(Field::Description));
        assert_eq!(Field::detect("*责任单位"), Some(Field::LeadUnit));
        assert_eq!(Field::detect("责\u{3000}任\u{3000}人"), Some(Field::Owner));
    }

    #[test]
    fn joined_label_is_decided_by_its_lowest_header_row() {
        assert_eq!(Field::detect("责任/责任单位"), Some(Field::LeadUnit));
        assert_eq!(Field::detect("责任/责任人"), Some(Field::Owner));
        assert_eq!(Field::detect("整改措施/备注"), Some(Field::Remark));
        assert_eq!(Field::detect("整改落实/说明"), None);
    }

    #[test]
    fn unknown_empty_and_prose_labels_name_no_field() {
        assert_eq!(Field::detect(""), None);
        assert_eq!(Field::detect("说明"), None);
        assert_eq!(Field::detect("市委第一巡察组反馈问题整改清单汇总表（第二批次，截至2026年3月）"), None);
    }

    #[test]
    fn field_names_round_trip_through_parse() {
        for f in Field::ALL {
            assert_eq!(Field::parse(f.as_str()), Some(f));
            assert_eq!(Field::parse(f.label_zh()), Some(f));
            assert_eq!(Field::detect(f.label_zh()), Some(f));
        }
        assert_eq!(Field::parse("LEAD_UNIT"), Some(Field::LeadUnit));
        assert_eq!(Field::parse("nope"), None);
    }

    #[test]
    fn mapping_set_replaces_and_remove_unmaps() {
        let mut m = Mapping::default();
        m.set(Field::Owner, 3);
        m.set(Field::Seq, 0);
        m.set(Field::Owner, 4);
        assert_eq!(m.0, vec![(Field::Seq, 0), (Field::Owner, 4)]);
        assert_eq!(m.column(Field::Owner), Some(4));
        m.remove(Field::Owner);
        assert_eq!(m.column(Field::Owner), None);
    }
}
