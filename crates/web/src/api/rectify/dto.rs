//! What the rectification API returns. Codes (`status`, `warning`,
//! `source`, …) are stable; each comes with a label in the request's language.

use crate::api::dto::page_dto;
use crate::rectify::ops::{MeasureView, ProblemDetail, needs_comment};
use qingfeng_domain::Lang;
use qingfeng_domain::rectify::lifecycle::ProblemAction;
use qingfeng_domain::rectify::tally::Counts;
use qingfeng_domain::rectify::{MeasureStatus, ProblemStatus, RootCause, Source, Warning};
use qingfeng_store::Ts;
use qingfeng_store::rectify::{Batch, Closure, Escalation, Evidence, Extension, Measure, Problem, Step};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

fn label<T: Copy>(
    parse: fn(&str) -> Option<T>,
    code: &str,
    label: fn(T) -> qingfeng_domain::Msg,
    lang: Lang,
) -> String {
    parse(code).map(|v| label(v).get(lang).to_string()).unwrap_or_default()
}

/// A 问题清单.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchDto {
    pub id: Uuid,
    /// `inspection_tour`, `patrol`, `audit`, `supervision`, `petition`, `self_check`, `media`, `online_opinion` or `talk`.
    pub source: String,
    pub source_label: String,
    /// The document the problems come from, e.g. 市委第一轮巡察反馈意见.
    pub reference: String,
    pub issuing_unit_id: Uuid,
    pub issuing_unit_name: String,
    pub issued_on: String,
    pub summary: Option<String>,
    pub created_at: String,
    pub problems: i64,
    pub closed: i64,
}

impl BatchDto {
    pub fn from(b: &Batch, lang: Lang) -> BatchDto {
        BatchDto {
            id: b.id,
            source: b.source.clone(),
            source_label: label(Source::parse, &b.source, Source::label, lang),
            reference: b.reference.clone(),
            issuing_unit_id: b.issuing_unit_id,
            issuing_unit_name: b.issuing_unit_name.clone(),
            issued_on: b.issued_on.clone(),
            summary: b.summary.clone(),
            created_at: b.created_at.rfc3339(),
            problems: b.problems,
            closed: b.closed,
        }
    }
}

/// A milestone of the planned progress (序时进度): by `date`, `percent` done.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneDto {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// 1–100.
    pub percent: u8,
}

/// A problem (问题).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemDto {
    pub id: Uuid,
    /// Short reference like `巡察-3`.
    pub code: String,
    pub batch_id: Uuid,
    /// Number within the batch.
    pub seq: i64,
    pub description: String,
    /// `mindset`, `capability`, `institution` or `responsibility`.
    pub root_cause: String,
    pub root_cause_label: String,
    /// 八项规定 category code, if any.
    pub eight_rules: Option<String>,
    pub campaign_id: Option<Uuid>,
    pub campaign_name: Option<String>,
    pub lead_unit_id: Uuid,
    pub lead_unit_name: String,
    pub issuing_unit_id: Uuid,
    pub issuing_unit_name: String,
    /// See `BatchDto.source`.
    pub source: String,
    pub source_label: String,
    pub reference: String,
    pub issued_on: String,
    pub leader_id: Option<Uuid>,
    pub leader_name: Option<String>,
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    pub deadline: String,
    pub schedule: Vec<MilestoneDto>,
    /// `unclaimed`, `in_progress`, `closure_requested` or `closed`.
    pub status: String,
    pub status_label: String,
    /// The computed colour: `green`, `yellow`, `red` (overdue) or `done`.
    pub warning: String,
    pub warning_label: String,
    /// Why the colour is what it is.
    pub warning_reason: String,
    /// Percent of measures done.
    pub progress: i64,
    /// Reopened at least once by a look-back (反弹).
    pub relapsed: bool,
    /// Reopened by a failed spot check and not closed again (纸面整改).
    pub paper: bool,
    pub requested_on: Option<String>,
    pub closed_on: Option<String>,
    pub lookback_due: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl ProblemDto {
    pub fn from(p: &Problem, lang: Lang) -> ProblemDto {
        ProblemDto {
            id: p.id,
            code: p.code(),
            batch_id: p.batch_id,
            seq: p.seq,
            description: p.description.clone(),
            root_cause: p.root_cause.clone(),
            root_cause_label: label(RootCause::parse, &p.root_cause, RootCause::label, lang),
            eight_rules: p.eight_rules.clone(),
            campaign_id: p.campaign_id,
            campaign_name: p.campaign_name.clone(),
            lead_unit_id: p.lead_unit_id,
            lead_unit_name: p.lead_unit_name.clone(),
            issuing_unit_id: p.issuing_unit_id,
            issuing_unit_name: p.issuing_unit_name.clone(),
            source: p.source.clone(),
            source_label: label(Source::parse, &p.source, Source::label, lang),
            reference: p.reference.clone(),
            issued_on: p.issued_on.clone(),
            leader_id: p.leader_id,
            leader_name: p.leader_name.clone(),
            owner_id: p.owner_id,
            owner_name: p.owner_name.clone(),
            deadline: p.deadline.clone(),
            schedule: p
                .milestones()
                .iter()
                .map(|m| MilestoneDto { date: m.date.to_string(), percent: m.percent })
                .collect(),
            status: p.status.clone(),
            status_label: label(ProblemStatus::parse, &p.status, ProblemStatus::label, lang),
            warning: p.warning.clone(),
            warning_label: label(Warning::parse, &p.warning, Warning::label, lang),
            warning_reason: p.warning_reason.clone(),
            progress: p.progress,
            relapsed: p.relapsed,
            paper: p.paper,
            requested_on: p.requested_on.clone(),
            closed_on: p.closed_on.clone(),
            lookback_due: p.lookback_due.clone(),
            created_at: p.created_at.rfc3339(),
            updated_at: p.updated_at.rfc3339(),
        }
    }
}

/// 佐证材料: what is stored about an item, never the file itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvidenceDto {
    pub id: Uuid,
    pub measure_id: Uuid,
    /// The item this one revises.
    pub revision_of: Option<Uuid>,
    /// A later revision replaced it.
    pub superseded: bool,
    pub note: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    /// Bytes.
    pub size: Option<i64>,
    pub sha256: Option<String>,
    pub sm3: Option<String>,
    /// The date the evidence refers to.
    pub dated_on: String,
    pub submitted_by: String,
    pub submitted_at: String,
    /// Where the file can be downloaded (same authentication), when there is one.
    pub download_url: Option<String>,
}

impl From<&Evidence> for EvidenceDto {
    fn from(e: &Evidence) -> EvidenceDto {
        EvidenceDto {
            id: e.id,
            measure_id: e.measure_id,
            revision_of: e.revision_of,
            superseded: e.superseded,
            note: e.note.clone(),
            file_name: e.file_name.clone(),
            content_type: e.content_type.clone(),
            size: e.size,
            sha256: e.sha256.clone(),
            sm3: e.sm3.clone(),
            dated_on: e.dated_on.clone(),
            submitted_by: e.submitted_by.clone(),
            submitted_at: e.submitted_at.rfc3339(),
            download_url: e.sha256.as_ref().map(|_| format!("/rectify/evidence/{}", e.id)),
        }
    }
}

/// A 整改措施 (one measure may serve several problems).
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureDto {
    pub id: Uuid,
    pub org_unit_id: Uuid,
    pub org_unit_name: String,
    pub title: String,
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    pub due_on: String,
    /// `open` or `done`.
    pub status: String,
    pub status_label: String,
    pub done_on: Option<String>,
    /// Current (not superseded) evidence items.
    pub evidence_count: i64,
    /// Problems this measure serves.
    pub problem_count: i64,
    pub created_at: String,
    /// The current evidence (in a problem's detail only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Vec<EvidenceDto>>,
}

impl MeasureDto {
    pub fn from(m: &Measure, lang: Lang) -> MeasureDto {
        MeasureDto {
            id: m.id,
            org_unit_id: m.org_unit_id,
            org_unit_name: m.org_unit_name.clone(),
            title: m.title.clone(),
            owner_id: m.owner_id,
            owner_name: m.owner_name.clone(),
            due_on: m.due_on.clone(),
            status: m.status.clone(),
            status_label: label(MeasureStatus::parse, &m.status, MeasureStatus::label, lang),
            done_on: m.done_on.clone(),
            evidence_count: m.evidence_count,
            problem_count: m.problem_count,
            created_at: m.created_at.rfc3339(),
            evidence: None,
        }
    }

    fn with_evidence(v: &MeasureView, lang: Lang) -> MeasureDto {
        MeasureDto {
            evidence: Some(v.evidence.iter().map(EvidenceDto::from).collect()),
            ..MeasureDto::from(&v.m, lang)
        }
    }
}

/// One step of a problem's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepDto {
    /// `create`, `claim`, `request_closure`, `return`, `close`, `relapse`, `fail_spot_check`, `extend`, `lookback_confirm`, …
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub comment: Option<String>,
    /// The closure a `close` created or a `relapse` broke.
    pub closure_id: Option<Uuid>,
    pub actor: String,
    pub on_date: String,
    pub at: String,
}

impl From<&Step> for StepDto {
    fn from(s: &Step) -> StepDto {
        StepDto {
            action: s.action.clone(),
            from_status: s.from_status.clone(),
            to_status: s.to_status.clone(),
            comment: s.comment.clone(),
            closure_id: s.closure_id,
            actor: s.actor_label.clone(),
            on_date: s.on_date.clone(),
            at: s.at.rfc3339(),
        }
    }
}

/// A 销号 and its 回头看.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClosureDto {
    pub id: Uuid,
    pub requested_on: Option<String>,
    pub closed_on: String,
    pub closed_by: String,
    /// Digest of the exact state the reviewer approved.
    pub state_digest: String,
    pub lookback_due: String,
    pub lookback_result: Option<String>,
    pub lookback_on: Option<String>,
    pub lookback_by: Option<String>,
    pub lookback_comment: Option<String>,
}

impl From<&Closure> for ClosureDto {
    fn from(c: &Closure) -> ClosureDto {
        ClosureDto {
            id: c.id,
            requested_on: c.requested_on.clone(),
            closed_on: c.closed_on.clone(),
            closed_by: c.closed_by.clone(),
            state_digest: c.state_digest.clone(),
            lookback_due: c.lookback_due.clone(),
            lookback_result: c.lookback_result.clone(),
            lookback_on: c.lookback_on.clone(),
            lookback_by: c.lookback_by.clone(),
            lookback_comment: c.lookback_comment.clone(),
        }
    }
}

/// A 延期 request.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtensionDto {
    pub id: Uuid,
    pub problem_id: Uuid,
    pub old_deadline: String,
    pub new_deadline: String,
    pub reason: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    pub requested_by: String,
    pub requested_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_comment: Option<String>,
}

impl From<&Extension> for ExtensionDto {
    fn from(x: &Extension) -> ExtensionDto {
        ExtensionDto {
            id: x.id,
            problem_id: x.problem_id,
            old_deadline: x.old_deadline.clone(),
            new_deadline: x.new_deadline.clone(),
            reason: x.reason.clone(),
            status: x.status.clone(),
            requested_by: x.requested_by.clone(),
            requested_at: x.requested_at.rfc3339(),
            decided_by: x.decided_by.clone(),
            decided_at: x.decided_at.map(Ts::rfc3339),
            decision_comment: x.decision_comment.clone(),
        }
    }
}

/// A 督办 raised by the warning job.
#[derive(Debug, Serialize, ToSchema)]
pub struct EscalationDto {
    pub id: Uuid,
    pub leader_id: Option<Uuid>,
    pub raised_on: String,
    pub reason: String,
    pub resolved_on: Option<String>,
}

impl From<&Escalation> for EscalationDto {
    fn from(e: &Escalation) -> EscalationDto {
        EscalationDto {
            id: e.id,
            leader_id: e.leader_id,
            raised_on: e.raised_on.clone(),
            reason: e.reason.clone(),
            resolved_on: e.resolved_on.clone(),
        }
    }
}

/// A lifecycle action the caller may ask for now (`POST …/actions`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionDto {
    /// `claim`, `request_closure`, `return`, `close` or `relapse`.
    pub action: String,
    pub label: String,
    /// The request is refused without a `comment`.
    pub comment_required: bool,
}

impl ActionDto {
    fn from(a: ProblemAction, lang: Lang) -> ActionDto {
        ActionDto { action: a.as_str().into(), label: a.label().get(lang).into(), comment_required: needs_comment(a) }
    }
}

/// In which capacities the caller stands towards the problem.
#[derive(Debug, Serialize, ToSchema)]
pub struct CapacitiesDto {
    /// Manages rectification in the lead unit's scope.
    pub lead_unit: bool,
    /// Reviews in the issuing unit's scope.
    pub issuer: bool,
    /// Spot-checks in the lead unit's scope.
    pub inspector: bool,
}

/// 群众评议 counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatingsDto {
    pub satisfied: i64,
    pub basic: i64,
    pub dissatisfied: i64,
    /// 不满意 not yet reviewed (they block closure).
    pub unreviewed_dissatisfied: i64,
}

/// One problem with its measures, evidence, history and what the caller may do.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemDetailDto {
    pub problem: ProblemDto,
    pub measures: Vec<MeasureDto>,
    /// Every step, oldest first.
    pub history: Vec<StepDto>,
    pub closures: Vec<ClosureDto>,
    pub extensions: Vec<ExtensionDto>,
    pub escalations: Vec<EscalationDto>,
    pub ratings: RatingsDto,
    /// The lifecycle actions the caller may ask for now.
    pub actions: Vec<ActionDto>,
    pub capacities: CapacitiesDto,
    /// Measures may be added and completed now.
    pub can_work: bool,
}

impl ProblemDetailDto {
    pub fn from(d: &ProblemDetail, lang: Lang) -> ProblemDetailDto {
        ProblemDetailDto {
            problem: ProblemDto::from(&d.p, lang),
            measures: d.measures.iter().map(|v| MeasureDto::with_evidence(v, lang)).collect(),
            history: d.steps.iter().map(StepDto::from).collect(),
            closures: d.closures.iter().map(ClosureDto::from).collect(),
            extensions: d.extensions.iter().map(ExtensionDto::from).collect(),
            escalations: d.escalations.iter().map(EscalationDto::from).collect(),
            ratings: RatingsDto {
                satisfied: d.ratings.satisfied,
                basic: d.ratings.basic,
                dissatisfied: d.ratings.dissatisfied,
                unreviewed_dissatisfied: d.ratings.unreviewed_dissatisfied,
            },
            actions: d.actions.iter().map(|a| ActionDto::from(*a, lang)).collect(),
            capacities: CapacitiesDto { lead_unit: d.cap.lead_unit, issuer: d.cap.issuer, inspector: d.cap.inspector },
            can_work: d.can_work(),
        }
    }
}

/// The figures of one board cell. Every figure is a sum over problems, so
/// a parent's figures are the sums of its children's plus its own (本级).
#[derive(Debug, Serialize, ToSchema)]
pub struct CountsDto {
    pub total: i64,
    pub unclaimed: i64,
    pub in_progress: i64,
    pub closure_requested: i64,
    pub closed: i64,
    /// Open and overdue (`warning=red`, 逾期).
    pub overdue: i64,
    /// Open and behind schedule or near the deadline (`warning=yellow`, 滞后预警).
    pub behind: i64,
    /// Reopened by a look-back at least once (反弹).
    pub relapsed: i64,
    /// Reopened by a failed spot check and not closed again (纸面整改).
    pub paper: i64,
    /// Closed as the units report it: `closed + paper`.
    pub reported_closed: i64,
    /// 整改完成率 as reported, percent (null when there are no problems).
    pub reported_rate: Option<f64>,
    /// 整改完成率 after verification: `closed / total`, percent.
    pub verified_rate: Option<f64>,
    /// Overdue share of the open problems, percent.
    pub overdue_rate: Option<f64>,
    pub relapse_rate: Option<f64>,
}

impl From<&Counts> for CountsDto {
    fn from(c: &Counts) -> CountsDto {
        CountsDto {
            total: c.total,
            unclaimed: c.unclaimed,
            in_progress: c.in_progress,
            closure_requested: c.requested,
            closed: c.closed,
            overdue: c.red,
            behind: c.yellow,
            relapsed: c.relapsed,
            paper: c.paper,
            reported_closed: c.reported_closed(),
            reported_rate: c.reported_rate(),
            verified_rate: c.verified_rate(),
            overdue_rate: c.overdue_rate(),
            relapse_rate: c.relapse_rate(),
        }
    }
}

/// One row of a board breakdown.
#[derive(Debug, Serialize, ToSchema)]
pub struct BoardCellDto {
    /// Child unit id, source code, root-cause code or campaign id.
    pub key: String,
    pub label: String,
    pub counts: CountsDto,
    /// The problem list behind the figures (`GET` it with the same authentication).
    pub problems_url: String,
}

/// A 挂图作战 board: the figures of a unit's whole subtree.
#[derive(Debug, Serialize, ToSchema)]
pub struct BoardDto {
    pub unit_id: Uuid,
    pub unit_name: String,
    pub total: CountsDto,
    /// Problems led by the unit itself (本级).
    pub direct: CountsDto,
    /// Per direct child unit (each for its own subtree); with `direct` they add up to `total`.
    pub children: Vec<BoardCellDto>,
    pub by_source: Vec<BoardCellDto>,
    pub by_root_cause: Vec<BoardCellDto>,
    pub by_campaign: Vec<BoardCellDto>,
}

page_dto!(BatchPageDto, BatchDto);
page_dto!(ProblemPageDto, ProblemDto);
