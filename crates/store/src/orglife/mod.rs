//! 组织生活 and 谈话: the branch roster with its history ([`members`]),
//! annual plans and meetings with attendance ([`meetings`]), and talks
//! ([`talks`]). Every command is one transaction ending in its audit event.
//! Compliance and registers are not stored: they are computed from these
//! records by `domain::orglife`.

mod meetings;
mod members;
mod talks;

pub use meetings::{AttendanceRow, HeldMeeting, Meeting, MeetingFile, MemberTurnout, PlanItem};
pub use members::{BranchInfo, Member};
pub use talks::{Talk, TalkFilter, TalkPerson, TalkToProblems};

use crate::{Result, Store, StoreError};
use serde_json::Value;

pub const MEMBERSHIP: &str = "membership";
pub const PLAN_ITEM: &str = "meeting_plan";
pub const MEETING: &str = "meeting";
pub const TALK: &str = "talk";

/// The covered entities of this module, for `audit verify`.
pub const COVERED: [&str; 4] = [MEMBERSHIP, PLAN_ITEM, MEETING, TALK];

pub struct OrgLife<'a>(pub(crate) &'a Store);

impl Store {
    pub fn orglife(&self) -> OrgLife<'_> {
        OrgLife(self)
    }
}

pub(crate) use crate::rectify::date;

impl OrgLife<'_> {
    pub(crate) async fn snapshots(&self, entity: &str) -> Result<Vec<(String, Value)>> {
        match entity {
            MEMBERSHIP => self.member_snapshots().await,
            PLAN_ITEM => self.plan_snapshots().await,
            MEETING => self.meeting_snapshots().await,
            TALK => self.talk_snapshots().await,
            other => Err(StoreError::Corrupt(format!("no snapshot for {other}"))),
        }
    }
}
