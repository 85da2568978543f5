//! 开门整改: what of a problem the public page may show.
//!
//! The issuing unit chooses which fields to disclose; the description is
//! always shown. Persons (责任人, 分管领导), evidence files and internal
//! comments are never disclosable. A measure's due date is a deadline too,
//! so it is shown only where the deadline is.

use serde::{Deserialize, Serialize};

/// The fields an issuing unit may choose to disclose, in display order.
pub const FIELDS: [&str; 5] = ["lead_unit", "deadline", "measures", "progress", "status"];

/// Which disclosable fields a published problem shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disclosure {
    /// 牵头单位.
    pub lead_unit: bool,
    /// 完成时限.
    pub deadline: bool,
    /// 整改措施: their titles and whether each is done.
    pub measures: bool,
    /// 整改进度 (percent of measures done).
    pub progress: bool,
    /// 整改状态 (and the 销号 date).
    pub status: bool,
}

impl Disclosure {
    /// From the stored list of field codes; unknown codes are ignored.
    pub fn from_fields<S: AsRef<str>>(fields: &[S]) -> Disclosure {
        let has = |f: &str| fields.iter().any(|x| x.as_ref() == f);
        Disclosure {
            lead_unit: has("lead_unit"),
            deadline: has("deadline"),
            measures: has("measures"),
            progress: has("progress"),
            status: has("status"),
        }
    }

    /// Whether a field code is disclosed.
    pub fn shows(&self, field: &str) -> bool {
        match field {
            "lead_unit" => self.lead_unit,
            "deadline" => self.deadline,
            "measures" => self.measures,
            "progress" => self.progress,
            "status" => self.status,
            _ => false,
        }
    }

    /// A measure's due date goes with the deadline.
    pub fn measure_due_dates(&self) -> bool {
        self.measures && self.deadline
    }

    /// The codes of the disclosed fields, in display order.
    pub fn fields(&self) -> Vec<&'static str> {
        FIELDS.into_iter().filter(|f| self.shows(f)).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.fields().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_chosen_fields_are_disclosed() {
        let d = Disclosure::from_fields(&["status", "measures", "owner", "evidence"]);
        assert_eq!(d.fields(), vec!["measures", "status"]);
        assert!(!d.lead_unit && !d.deadline && !d.progress);
        assert!(!d.shows("owner") && !d.shows("evidence"), "persons and files are never disclosable");
    }

    #[test]
    fn measure_due_dates_are_shown_only_with_the_deadline() {
        assert!(!Disclosure::from_fields(&["measures"]).measure_due_dates());
        assert!(Disclosure::from_fields(&["measures", "deadline"]).measure_due_dates());
        assert!(Disclosure::from_fields::<&str>(&[]).is_empty());
    }
}
