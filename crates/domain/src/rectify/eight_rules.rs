//! 八项规定 categories (the CCDI monthly table), as versioned reference data.

use jiff::civil::Date;
use serde::Deserialize;

/// The table shipped with Qingfeng.
pub const BUILTIN_TOML: &str = include_str!("../../data/eight-rules.toml");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Row {
    pub code: String,
    pub group: String,
    pub name: String,
    /// Whether the wording was verified against a published table.
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Version {
    pub effective_from: Date,
    pub source: String,
    #[serde(rename = "row")]
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Taxonomy {
    #[serde(rename = "version")]
    versions: Vec<Version>,
}

impl Taxonomy {
    pub fn parse(text: &str) -> Result<Taxonomy, String> {
        let mut t: Taxonomy = toml::from_str(text).map_err(|e| e.to_string())?;
        if t.versions.is_empty() {
            return Err("no version".into());
        }
        t.versions.sort_by_key(|v| v.effective_from);
        Ok(t)
    }

    pub fn builtin() -> Taxonomy {
        Taxonomy::parse(BUILTIN_TOML).expect("the built-in 八项规定 table parses (tested)")
    }

    /// The version in force on `on` (the earliest one before any version).
    pub fn at(&self, on: Date) -> &Version {
        self.versions.iter().rev().find(|v| v.effective_from <= on).unwrap_or(&self.versions[0])
    }

    /// The row with `code` in the version in force on `on`.
    pub fn row(&self, on: Date, code: &str) -> Option<&Row> {
        self.at(on).rows.iter().find(|r| r.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn builtin_table_has_the_5_plus_6_rows_of_2020() {
        let t = Taxonomy::builtin();
        let v = t.at(date(2026, 3, 1));
        assert_eq!(v.rows.iter().filter(|r| r.code.starts_with("fb.")).count(), 5);
        assert_eq!(v.rows.iter().filter(|r| r.code.starts_with("xl.") && r.code.len() == 4).count(), 5);
        assert_eq!(t.row(date(2026, 3, 1), "xl.2").map(|r| r.name.as_str()), Some("违规吃喝"));
        assert!(t.row(date(2026, 3, 1), "xl.99").is_none());
    }

    #[test]
    fn a_later_version_takes_over_from_its_date() {
        let text = format!(
            "{BUILTIN_TOML}\n[[version]]\neffective_from = \"2030-01-01\"\nsource = \"test\"\n\
             [[version.row]]\ncode = \"x.1\"\ngroup = \"g\"\nname = \"n\"\nverified = false\n"
        );
        let t = Taxonomy::parse(&text).unwrap();
        assert!(t.row(date(2029, 12, 31), "xl.2").is_some());
        assert!(t.row(date(2030, 1, 1), "xl.2").is_none());
        assert!(t.row(date(2030, 1, 1), "x.1").is_some());
    }
}
