//! The shape of one demo problem and what happens to it by [`DEMO_TODAY`].
//!
//! [`DEMO_TODAY`]: crate::DEMO_TODAY

use jiff::civil::Date;
use qingfeng_domain::rectify::RootCause;

/// Where a problem stands on the demo's "today", and how it got there.
pub enum Fate {
    /// Handed over later (补充交办) on this date and not yet claimed.
    Unclaimed(Date),
    /// 整改中, at least as far as its 序时进度 asks.
    OnTrack,
    /// 整改中 and behind its 序时进度 (only some measures done).
    Behind,
    /// 整改中 past its deadline, one measure still open.
    Overdue,
    /// 申请销号 on this date, awaiting review.
    Requested(Date),
    /// Requested, then 退回 with `comment`; the unit then adds `supplement`.
    Returned { requested: Date, returned: Date, comment: &'static str, supplement: &'static str },
    /// 已销号 on this date.
    Closed(Date),
    /// Closed, and the 回头看 on `on` found it holding.
    Confirmed { closed: Date, on: Date, comment: &'static str },
    /// Closed, then the 回头看 on `on` found it back (反弹); the unit adds
    /// `measure`, and the problem is closed again on `reclosed` if given.
    Relapsed { closed: Date, on: Date, comment: &'static str, measure: &'static str, reclosed: Option<Date> },
    /// Closed, then drawn by the 四不两直 spot check: `finding` passes or
    /// fails; a failed one gets `measure`.
    Spot { closed: Date, pass: bool, finding: &'static str, measure: &'static str },
    /// 延期 asked on `on` (to `to`), not yet decided.
    ExtensionPending { on: Date, to: Date, reason: &'static str },
    /// 延期 asked on `on`, approved on `decided`; then on track.
    ExtensionApproved { on: Date, decided: Date, to: Date, reason: &'static str },
}

/// Something a 纸面整改 flag should catch.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Quirk {
    None,
    /// Its first evidence file is the very file another unit submitted.
    SharedFile,
    /// Its first measure carries minutes dated before the batch was issued.
    Predated,
}

/// One problem of a batch.
pub struct P {
    /// Lead unit (牵头单位), by its key in the tree.
    pub unit: &'static str,
    /// Responsible leader: (unit key, index of the person in that unit).
    pub leader: (&'static str, usize),
    pub cause: RootCause,
    /// 八项规定 category, when the problem is one.
    pub rules: Option<&'static str>,
    pub deadline: Date,
    /// 序时进度: (date, percent).
    pub schedule: &'static [(Date, u8)],
    pub supporting: &'static [&'static str],
    pub text: &'static str,
    pub measures: &'static [&'static str],
    pub fate: Fate,
    pub quirk: Quirk,
}

/// Defaults for the fields most problems leave alone.
pub const BASE: P = P {
    unit: "",
    leader: ("", 0),
    cause: RootCause::Responsibility,
    rules: None,
    deadline: jiff::civil::date(2026, 12, 31),
    schedule: &[],
    supporting: &[],
    text: "",
    measures: &[],
    fate: Fate::OnTrack,
    quirk: Quirk::None,
};
