//! People (人员): who works in a unit, with the flags the modules need
//! (party member, 一把手, 班子成员).

use crate::msg::{Msg, Validation, optional_text, required_text};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    pub fn parse(s: &str) -> Option<Gender> {
        match s {
            "male" => Some(Gender::Male),
            "female" => Some(Gender::Female),
            _ => None,
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Gender::Male => Msg::new("男", "male"),
            Gender::Female => Msg::new("女", "female"),
        }
    }
}

/// A person as typed in a form or sent to the API.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PersonInput {
    pub name: String,
    pub gender: String,
    pub position: String,
    pub is_party_member: bool,
    pub is_head: bool,
    pub is_leadership_member: bool,
    pub sort_order: Option<i64>,
}

/// A validated person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonSpec {
    pub name: String,
    pub gender: Option<Gender>,
    pub position: Option<String>,
    pub is_party_member: bool,
    pub is_head: bool,
    pub is_leadership_member: bool,
    pub sort_order: i64,
}

impl PersonInput {
    pub fn validate(&self) -> Result<PersonSpec, Validation> {
        let mut v = Validation::new();
        let name = v.check("name", required_text(&self.name, 50));
        let gender = match self.gender.trim() {
            "" => None,
            g => {
                let parsed = Gender::parse(g);
                if parsed.is_none() {
                    v.add("gender", Msg::new("性别只能是男或女", "must be male or female"));
                }
                parsed
            }
        };
        let position = v.check("position", optional_text(&self.position, 100));
        let sort_order = self.sort_order.unwrap_or(0);
        if !(0..=1_000_000).contains(&sort_order) {
            v.add("sort_order", Msg::new("排序号应在0到1000000之间", "must be between 0 and 1000000"));
        }
        // The head of a unit is by definition a member of its leadership.
        let is_leadership_member = self.is_leadership_member || self.is_head;
        v.into_result()?;
        Ok(PersonSpec {
            name: name.unwrap_or_default(),
            gender,
            position: position.flatten(),
            is_party_member: self.is_party_member,
            is_head: self.is_head,
            is_leadership_member,
            sort_order,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_needs_a_name_and_a_valid_gender() {
        let err = PersonInput { gender: "x".into(), ..Default::default() }.validate().unwrap_err();
        assert!(err.has("name") && err.has("gender"));
    }

    #[test]
    fn head_of_unit_counts_as_leadership_member() {
        let p = PersonInput { name: "李建国".into(), is_head: true, ..Default::default() }.validate().unwrap();
        assert!(p.is_leadership_member);
    }
}
