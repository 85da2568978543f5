//! The tables of the access walk: every route, with the URL an outsider
//! tries and what it must get back.

use super::Other;
use serde_json::json;

#[derive(Debug, Clone)]
pub enum Expect {
    /// Exactly 404.
    NotFound,
    /// The actor's own record pointed at bureau B: refused, 403 or 404
    /// depending on whether the actor may manage its own record.
    Denied,
    /// Any answer but a server error, without a trace of bureau B.
    NoLeak,
    /// Not walked (the reason is given).
    Skip(&'static str),
}

pub struct Case {
    pub method: &'static str,
    pub template: &'static str,
    pub url: String,
    pub form: Vec<(&'static str, String)>,
    pub json: Option<serde_json::Value>,
    pub expect: Expect,
}

fn case(method: &'static str, template: &'static str, url: String, expect: Expect) -> Case {
    Case { method, template, url, form: vec![], json: None, expect }
}

fn form(mut c: Case, fields: &[(&'static str, &str)]) -> Case {
    c.form = fields.iter().map(|(k, v)| (*k, v.to_string())).collect();
    c
}

fn with_json(mut c: Case, body: serde_json::Value) -> Case {
    c.json = Some(body);
    c
}

pub fn html_cases(o: &Other) -> Vec<Case> {
    use Expect::*;
    let (b, br, p, a, g, s) = (&o.bureau, &o.branch, &o.person, &o.account, &o.grant, o.seq);
    vec![
        case("GET", "/", "/".into(), NoLeak),
        case("GET", "/login", "/login".into(), NoLeak),
        case("POST", "/login", "/login".into(), Skip("signs in as someone else; covered by the auth tests")),
        case("POST", "/logout", "/logout".into(), Skip("ends the walking session; covered by the auth tests")),
        case("GET", "/password", "/password".into(), NoLeak),
        form(
            case("POST", "/password", "/password".into(), NoLeak),
            &[("current", "wrong"), ("new", "x"), ("confirm", "y")],
        ),
        case("GET", "/lang/{code}", "/lang/zh-CN?next=/".into(), NoLeak),
        case("GET", "/orgs", "/orgs".into(), NoLeak),
        case("GET", "/orgs", "/orgs?q=支部".into(), NoLeak),
        case("GET", "/orgs", format!("/orgs?within={b}"), NotFound),
        case("GET", "/orgs/new", "/orgs/new".into(), NotFound),
        form(
            case("POST", "/orgs/new", "/orgs/new".into(), NotFound),
            &[("name", "新市委"), ("kind", "party_committee")],
        ),
        case("GET", "/orgs/{id}", format!("/orgs/{b}"), NotFound),
        case("GET", "/orgs/{id}/new", format!("/orgs/{b}/new"), NotFound),
        form(
            case("POST", "/orgs/{id}/new", format!("/orgs/{b}/new"), NotFound),
            &[("name", "新支部"), ("kind", "organ_committee")],
        ),
        case("GET", "/orgs/{id}/edit", format!("/orgs/{b}/edit"), NotFound),
        form(
            case("POST", "/orgs/{id}/edit", format!("/orgs/{b}/edit"), NotFound),
            &[("name", "改名"), ("kind", "party_committee")],
        ),
        case("GET", "/orgs/{id}/move", format!("/orgs/{b}/move"), NotFound),
        form(case("POST", "/orgs/{id}/move", format!("/orgs/{br}/move"), NotFound), &[("parent_id", &o.own_branch)]),
        form(case("POST", "/orgs/{id}/move", format!("/orgs/{}/move", o.own_branch), Denied), &[("parent_id", b)]),
        case("POST", "/orgs/{id}/deactivate", format!("/orgs/{br}/deactivate"), NotFound),
        case("POST", "/orgs/{id}/reactivate", format!("/orgs/{br}/reactivate"), NotFound),
        case("GET", "/people", "/people".into(), NoLeak),
        case("GET", "/people", format!("/people?unit={br}&subtree=1"), NotFound),
        case("GET", "/people/new", "/people/new".into(), NoLeak),
        case("GET", "/people/new", format!("/people/new?unit={br}"), NotFound),
        form(case("POST", "/people/new", "/people/new".into(), NotFound), &[("org_unit_id", br), ("name", "张三")]),
        case("GET", "/people/{id}", format!("/people/{p}"), NotFound),
        case("GET", "/people/{id}/edit", format!("/people/{p}/edit"), NotFound),
        form(case("POST", "/people/{id}/edit", format!("/people/{p}/edit"), NotFound), &[("name", "改名")]),
        case("GET", "/people/{id}/transfer", format!("/people/{p}/transfer"), NotFound),
        form(
            case("POST", "/people/{id}/transfer", format!("/people/{p}/transfer"), NotFound),
            &[("org_unit_id", &o.own_branch)],
        ),
        form(
            case("POST", "/people/{id}/transfer", format!("/people/{}/transfer", o.own_person), Denied),
            &[("org_unit_id", br)],
        ),
        case("POST", "/people/{id}/deactivate", format!("/people/{p}/deactivate"), NotFound),
        case("POST", "/people/{id}/reactivate", format!("/people/{p}/reactivate"), NotFound),
        case("GET", "/admin/accounts", "/admin/accounts".into(), NotFound),
        case("GET", "/admin/accounts/new", "/admin/accounts/new".into(), NotFound),
        form(
            case("POST", "/admin/accounts/new", "/admin/accounts/new".into(), NotFound),
            &[("username", "intruder"), ("display_name", "x"), ("org_unit_id", b)],
        ),
        case("GET", "/admin/accounts/{id}", format!("/admin/accounts/{a}"), NotFound),
        case("POST", "/admin/accounts/{id}/reset-password", format!("/admin/accounts/{a}/reset-password"), NotFound),
        case("POST", "/admin/accounts/{id}/disable", format!("/admin/accounts/{a}/disable"), NotFound),
        case("POST", "/admin/accounts/{id}/enable", format!("/admin/accounts/{a}/enable"), NotFound),
        case("POST", "/admin/accounts/{id}/unlock", format!("/admin/accounts/{a}/unlock"), NotFound),
        form(
            case("POST", "/admin/accounts/{id}/grants", format!("/admin/accounts/{a}/grants"), NotFound),
            &[("role", "system_admin"), ("org_unit_id", b)],
        ),
        case("POST", "/admin/grants/{id}/revoke", format!("/admin/grants/{g}/revoke"), NotFound),
        case("GET", "/rectify/problems", "/rectify/problems".into(), NoLeak),
        case("GET", "/rectify/problems", format!("/rectify/problems?unit={b}"), NotFound),
        case("GET", "/rectify/problems", format!("/rectify/problems?batch={}", o.batch), NoLeak),
        case("GET", "/rectify/problems/{id}", format!("/rectify/problems/{}", o.problem), NotFound),
        form(case("POST", "/rectify/problems/{id}/act", format!("/rectify/problems/{}/act", o.problem), NotFound), &[("action", "request_closure")]),
        form(case("POST", "/rectify/problems/{id}/measures", format!("/rectify/problems/{}/measures", o.problem), NotFound), &[("title", "x"), ("due_on", "2026-08-01")]),
        form(case("POST", "/rectify/problems/{id}/extension", format!("/rectify/problems/{}/extension", o.problem), NotFound), &[("new_deadline", "2027-01-01"), ("reason", "x")]),
        case("POST", "/rectify/problems/{id}/lookback", format!("/rectify/problems/{}/lookback", o.problem), NotFound),
        form(case("POST", "/rectify/problems/{id}/publish", format!("/rectify/problems/{}/publish", o.problem), NotFound), &[("status", "1")]),
        case("POST", "/rectify/problems/{id}/unpublish", format!("/rectify/problems/{}/unpublish", o.problem), NotFound),
        case("POST", "/rectify/problems/{id}/ratings/review", format!("/rectify/problems/{}/ratings/review", o.problem), NotFound),
        form(case("POST", "/rectify/extensions/{id}/decide", format!("/rectify/extensions/{}/decide", o.extension), NotFound), &[("decision", "approve")]),
        case("GET", "/rectify/measures/{id}", format!("/rectify/measures/{}", o.measure), NotFound),
        case("POST", "/rectify/measures/{id}/complete", format!("/rectify/measures/{}/complete", o.measure), NotFound),
        case("POST", "/rectify/measures/{id}/evidence", format!("/rectify/measures/{}/evidence", o.measure), Skip("multipart; covered by rectify_pages::evidence_upload_is_scoped_and_checked")),
        case("GET", "/rectify/evidence/{id}", format!("/rectify/evidence/{}", o.evidence), NotFound),
        case("GET", "/rectify/batches", "/rectify/batches".into(), NoLeak),
        case("GET", "/rectify/batches/new", "/rectify/batches/new".into(), NotFound),
        form(case("POST", "/rectify/batches/new", "/rectify/batches/new".into(), NotFound), &[("source", "patrol"), ("reference", "x"), ("issuing_unit_id", b), ("issued_on", "2026-05-01")]),
        case("GET", "/rectify/batches/{id}/problems/new", format!("/rectify/batches/{}/problems/new", o.batch), NotFound),
        form(case("POST", "/rectify/batches/{id}/problems/new", format!("/rectify/batches/{}/problems/new", o.batch), NotFound), &[("description", "x")]),
        case("GET", "/rectify/campaigns", "/rectify/campaigns".into(), NoLeak),
        form(case("POST", "/rectify/campaigns", "/rectify/campaigns".into(), NotFound), &[("name", "x"), ("org_unit_id", b)]),
        case("GET", "/rectify/board", "/rectify/board".into(), NoLeak),
        case("GET", "/rectify/board/{id}", format!("/rectify/board/{b}"), NotFound),
        case("GET", "/rectify/board/{id}", format!("/rectify/board/{b}?screen=1"), NotFound),
        case("POST", "/rectify/board/{id}/recompute", format!("/rectify/board/{b}/recompute"), NotFound),
        case("GET", "/rectify/spot-checks", "/rectify/spot-checks".into(), NotFound),
        case("GET", "/rectify/spot-checks/new", "/rectify/spot-checks/new".into(), NotFound),
        case("GET", "/rectify/spot-checks/new", format!("/rectify/spot-checks/new?unit={b}"), NotFound),
        form(case("POST", "/rectify/spot-checks/new", "/rectify/spot-checks/new".into(), NotFound), &[("scope_unit_id", b), ("title", "x"), ("sample_size", "1")]),
        case("GET", "/rectify/spot-checks/{id}", format!("/rectify/spot-checks/{}", o.spot_check), NotFound),
        form(case("POST", "/rectify/spot-checks/{id}/findings", format!("/rectify/spot-checks/{}/findings", o.spot_check), NotFound), &[("problem_id", &o.problem), ("result", "fail"), ("findings", "x"), ("checked_on", "2026-05-11")]),
        case("GET", "/rectify/flags", "/rectify/flags".into(), NotFound),
        case("GET", "/rectify/flags", format!("/rectify/flags?unit={b}"), NotFound),
        case("GET", "/rectify/problems.xlsx", "/rectify/problems.xlsx".into(), NoLeak),
        case("GET", "/rectify/problems.xlsx", format!("/rectify/problems.xlsx?unit={b}"), NotFound),
        case("GET", "/rectify/problems.xlsx", format!("/rectify/problems.xlsx?batch={}", o.batch), NoLeak),
        case("GET", "/rectify/board/{id}/export.xlsx", format!("/rectify/board/{b}/export.xlsx"), NotFound),
        case("GET", "/rectify/import", "/rectify/import".into(), NoLeak),
        case("GET", "/rectify/import", format!("/rectify/import?batch={}", o.batch), NoLeak),
        case("POST", "/rectify/import", "/rectify/import".into(), Skip("multipart; covered by rectify_sheets::a_damaged_workbook_gets_a_clear_page_and_exports_are_scoped")),
        case("POST", "/rectify/import/confirm", "/rectify/import/confirm".into(), Skip("multipart; covered by rectify_sheets")),
        case("GET", "/leads", "/leads".into(), NotFound),
        case("GET", "/leads/reports/new", "/leads/reports/new".into(), NotFound),
        case("POST", "/leads/reports/new", "/leads/reports/new".into(), Skip("multipart; staff registration is covered by leads_pages")),
        case("GET", "/leads/reports/{id}", format!("/leads/reports/{}", o.report), NotFound),
        form(case("POST", "/leads/reports/{id}/accept", format!("/leads/reports/{}/accept", o.report), NotFound), &[("handling_unit_id", b), ("category", "integrity")]),
        form(case("POST", "/leads/reports/{id}/duplicate", format!("/leads/reports/{}/duplicate", o.report), NotFound), &[("of", &o.report), ("similarity", "90")]),
        form(case("POST", "/leads/reports/{id}/message", format!("/leads/reports/{}/message", o.report), NotFound), &[("text", "x")]),
        form(case("POST", "/leads/reports/{id}/release", format!("/leads/reports/{}/release", o.report), NotFound), &[("text", "核实需要")]),
        form(case("POST", "/leads/releases/{id}/decide", format!("/leads/releases/{}/decide", o.release), NotFound), &[("decision", "approve")]),
        case("POST", "/leads/releases/{id}/read", format!("/leads/releases/{}/read", o.release), NotFound),
        case("GET", "/public/report", "/public/report".into(), NoLeak),
        case("POST", "/public/report", "/public/report".into(), Skip("multipart, public; covered by leads_pages")),
        case("GET", "/public/report/follow", "/public/report/follow".into(), NoLeak),
        form(case("POST", "/public/report/follow", "/public/report/follow".into(), NoLeak), &[("code", "1234 5678 9012 3456")]),
        case("GET", "/public/report/status", "/public/report/status".into(), NoLeak),
        form(case("POST", "/public/report/status/message", "/public/report/status/message".into(), NotFound), &[("body", "x")]),
        case("GET", "/tasks", "/tasks".into(), NoLeak),
        case("GET", "/tasks/directives/new", "/tasks/directives/new".into(), NoLeak),
        case("POST", "/tasks/directives/new", "/tasks/directives/new".into(), Skip("multipart; the issuing unit is checked by tasks_pages::a_directive_for_another_bureau_is_refused")),
        case("GET", "/tasks/directives/{id}", format!("/tasks/directives/{}", o.directive), NotFound),
        case("GET", "/tasks/directives/{id}", format!("/tasks/directives/{}", o.draft_directive), NotFound),
        form(case("POST", "/tasks/directives/{id}/draft", format!("/tasks/directives/{}/draft", o.draft_directive), NotFound), &[("op", "drop:0"), ("title.0", "x")]),
        form(case("POST", "/tasks/directives/{id}/issue", format!("/tasks/directives/{}/issue", o.draft_directive), NotFound), &[("title.0", "x"), ("lead.0", b), ("deadline.0", "2026-12-31")]),
        form(case("POST", "/tasks/directives/{id}/problems", format!("/tasks/directives/{}/problems", o.directive), NotFound), &[("lead_unit_id", b), ("deadline", "2027-03-31"), ("root_cause", "responsibility")]),
        case("GET", "/tasks/directives/{id}/tasks.xlsx", format!("/tasks/directives/{}/tasks.xlsx", o.directive), NotFound),
        case("GET", "/tasks/directives/{id}/tasks.docx", format!("/tasks/directives/{}/tasks.docx", o.directive), NotFound),
        case("GET", "/tasks/items/{id}", format!("/tasks/items/{}", o.task), NotFound),
        form(case("POST", "/tasks/items/{id}/act", format!("/tasks/items/{}/act", o.task), NotFound), &[("action", "complete")]),
        form(case("POST", "/tasks/items/{id}/report", format!("/tasks/items/{}/report", o.task), NotFound), &[("percent", "50"), ("note", "x")]),
        form(case("POST", "/tasks/items/{id}/breakdown", format!("/tasks/items/{}/breakdown", o.task), NotFound), &[("title.0", "x"), ("lead.0", br), ("deadline.0", "2026-09-01")]),
        form(case("POST", "/tasks/items/{id}/deadline", format!("/tasks/items/{}/deadline", o.task), NotFound), &[("new_deadline", "2026-09-10"), ("reason", "x")]),
        form(case("POST", "/tasks/deadline-changes/{id}/decide", format!("/tasks/deadline-changes/{}/decide", o.deadline_change), NotFound), &[("decision", "approve")]),
        case("GET", "/tasks/board", "/tasks/board".into(), NoLeak),
        case("GET", "/tasks/board/{id}", format!("/tasks/board/{b}"), NotFound),
        case("GET", "/tasks/list", "/tasks/list".into(), NoLeak),
        case("GET", "/tasks/list", format!("/tasks/list?unit={b}"), NotFound),
        case("GET", "/tasks/list", format!("/tasks/list?directive={}", o.directive), NotFound),
        case("GET", "/orglife", "/orglife".into(), NoLeak),
        case("GET", "/orglife/units/{id}", format!("/orglife/units/{b}"), NotFound),
        case("GET", "/orglife/branches/{id}", format!("/orglife/branches/{br}"), NotFound),
        form(case("POST", "/orglife/branches/{id}/plan", format!("/orglife/branches/{br}/plan"), NotFound), &[("kind", "theme_day"), ("planned_on", "2026-06-15"), ("topic", "x")]),
        form(case("POST", "/orglife/branches/{id}/plan/generate", format!("/orglife/branches/{br}/plan/generate"), NotFound), &[("year", "2026")]),
        form(case("POST", "/orglife/branches/{id}/members", format!("/orglife/branches/{br}/members"), NotFound), &[("person_id", p), ("status", "formal"), ("joined_on", "2010-07-01")]),
        case("GET", "/orglife/branches/{id}/register.xlsx", format!("/orglife/branches/{br}/register.xlsx"), NotFound),
        case("GET", "/orglife/branches/{id}/meetings", format!("/orglife/branches/{br}/meetings"), NotFound),
        case("GET", "/orglife/branches/{id}/meetings/new", format!("/orglife/branches/{br}/meetings/new"), NotFound),
        form(case("POST", "/orglife/branches/{id}/meetings/new", format!("/orglife/branches/{br}/meetings/new"), NotFound), &[("kind", "theme_day"), ("held_on", "2026-05-08"), ("topic", "x")]),
        case("GET", "/orglife/meetings/{id}", format!("/orglife/meetings/{}", o.meeting), NotFound),
        case("POST", "/orglife/meetings/{id}/files", format!("/orglife/meetings/{}/files", o.meeting), Skip("multipart; covered by orglife_pages::a_meeting_file_is_checked_scoped_and_in_the_chain")),
        case("GET", "/orglife/files/{id}", format!("/orglife/files/{}", o.meeting_file), NotFound),
        case("GET", "/orglife/meetings/{id}/report.docx", format!("/orglife/meetings/{}/report.docx", o.meeting), NotFound),
        form(case("POST", "/orglife/members/{id}/transfer", format!("/orglife/members/{}/transfer", o.member), NotFound), &[("to_branch_id", &o.own_branch), ("on", "2026-05-09")]),
        case("GET", "/orglife/talks", "/orglife/talks".into(), NoLeak),
        case("GET", "/orglife/talks", format!("/orglife/talks?unit={b}"), NotFound),
        case("GET", "/orglife/talks/new", format!("/orglife/talks/new?unit={b}"), NotFound),
        form(case("POST", "/orglife/talks/new", "/orglife/talks/new".into(), NotFound), &[("unit", b), ("kind", "reminder"), ("held_on", "2026-05-08"), ("subject", "x"), ("talkers", p), ("talkees", p)]),
        case("GET", "/orglife/talks/{id}", format!("/orglife/talks/{}", o.talk), NotFound),
        form(case("POST", "/orglife/talks/{id}/problems", format!("/orglife/talks/{}/problems", o.talk), NotFound), &[("lead_unit_id", b), ("deadline", "2027-03-31"), ("root_cause", "responsibility")]),
        case("GET", "/duties", "/duties".into(), NoLeak),
        case("GET", "/duties", format!("/duties?unit={b}&year=2026"), NotFound),
        case("GET", "/duties/new", "/duties/new".into(), NoLeak),
        case("GET", "/duties/new", format!("/duties/new?unit={b}"), NotFound),
        form(case("POST", "/duties/new", "/duties/new".into(), NotFound), &[("unit", b), ("kind", "primary"), ("year", "2027")]),
        case("GET", "/duties/{id}", format!("/duties/{}", o.duty_list), NotFound),
        form(case("POST", "/duties/{id}/entries", format!("/duties/{}/entries", o.duty_list), NotFound), &[("text", "每月检查一次"), ("recurrence", "monthly")]),
        case("POST", "/duties/{id}/generate", format!("/duties/{}/generate", o.duty_list), NotFound),
        case("GET", "/duties/entries/{id}", format!("/duties/entries/{}", o.duty_entry), NotFound),
        form(case("POST", "/duties/entries/{id}/records", format!("/duties/entries/{}/records", o.duty_entry), NotFound), &[("note", "已落实"), ("done_on", "2026-05-08")]),
        // 开门整改: open without login (see public_pages); bureau B's problem is not published.
        case("GET", "/public/rectify", "/public/rectify".into(), NoLeak),
        case("GET", "/public/rectify", format!("/public/rectify?unit={b}"), NoLeak),
        case("GET", "/public/rectify/{id}", format!("/public/rectify/{}", o.problem), NotFound),
        form(case("POST", "/public/rectify/{id}/rate", format!("/public/rectify/{}/rate", o.problem), NotFound), &[("rating", "satisfied"), ("receipt", "x")]),
        case("GET", "/audit", "/audit".into(), NoLeak),
        case("GET", "/audit", format!("/audit?entity=person&entity_id={p}"), NoLeak),
        case("GET", "/audit/{seq}", format!("/audit/{s}"), NotFound),
        case("GET", "/calendar", "/calendar?from=2026-02-12&days=15".into(), NoLeak),
        case("GET", "/api/docs", "/api/docs".into(), NoLeak),
        case("GET", "/api/openapi.json", "/api/openapi.json".into(), NoLeak),
    ]
}

pub fn api_cases(o: &Other) -> Vec<Case> {
    use Expect::*;
    let (b, br, p, a, g, s) = (&o.bureau, &o.branch, &o.person, &o.account, &o.grant, o.seq);
    vec![
        case("GET", "/api/v1/me", "/api/v1/me".into(), NoLeak),
        case("GET", "/api/v1/todos", "/api/v1/todos".into(), NoLeak),
        case("GET", "/api/v1/orgs", "/api/v1/orgs?q=支部".into(), NoLeak),
        with_json(
            case("POST", "/api/v1/orgs", "/api/v1/orgs".into(), NotFound),
            json!({"parent_id": b, "name": "新支部", "kind": "organ_committee"}),
        ),
        case("GET", "/api/v1/orgs/roots", "/api/v1/orgs/roots".into(), NoLeak),
        case("GET", "/api/v1/orgs/{id}", format!("/api/v1/orgs/{b}"), NotFound),
        with_json(case("PATCH", "/api/v1/orgs/{id}", format!("/api/v1/orgs/{b}"), NotFound), json!({"name": "改名"})),
        case("GET", "/api/v1/orgs/{id}/children", format!("/api/v1/orgs/{b}/children"), NotFound),
        case("GET", "/api/v1/orgs/{id}/subtree", format!("/api/v1/orgs/{b}/subtree"), NotFound),
        with_json(
            case("POST", "/api/v1/orgs/{id}/move", format!("/api/v1/orgs/{br}/move"), NotFound),
            json!({"parent_id": o.own_branch}),
        ),
        with_json(
            case("POST", "/api/v1/orgs/{id}/move", format!("/api/v1/orgs/{}/move", o.own_branch), Denied),
            json!({"parent_id": b}),
        ),
        case("POST", "/api/v1/orgs/{id}/deactivate", format!("/api/v1/orgs/{br}/deactivate"), NotFound),
        case("POST", "/api/v1/orgs/{id}/reactivate", format!("/api/v1/orgs/{br}/reactivate"), NotFound),
        case("GET", "/api/v1/people", "/api/v1/people?per_page=200".into(), NoLeak),
        case("GET", "/api/v1/people", format!("/api/v1/people?unit={br}"), NotFound),
        with_json(
            case("POST", "/api/v1/people", "/api/v1/people".into(), NotFound),
            json!({"org_unit_id": br, "name": "张三"}),
        ),
        case("GET", "/api/v1/people/{id}", format!("/api/v1/people/{p}"), NotFound),
        with_json(
            case("PATCH", "/api/v1/people/{id}", format!("/api/v1/people/{p}"), NotFound),
            json!({"name": "改名"}),
        ),
        with_json(
            case("POST", "/api/v1/people/{id}/transfer", format!("/api/v1/people/{p}/transfer"), NotFound),
            json!({"org_unit_id": o.own_branch}),
        ),
        with_json(
            case("POST", "/api/v1/people/{id}/transfer", format!("/api/v1/people/{}/transfer", o.own_person), Denied),
            json!({"org_unit_id": br}),
        ),
        case("POST", "/api/v1/people/{id}/deactivate", format!("/api/v1/people/{p}/deactivate"), NotFound),
        case("POST", "/api/v1/people/{id}/reactivate", format!("/api/v1/people/{p}/reactivate"), NotFound),
        case("GET", "/api/v1/accounts", "/api/v1/accounts".into(), NotFound),
        with_json(
            case("POST", "/api/v1/accounts", "/api/v1/accounts".into(), NotFound),
            json!({"username": "intruder", "display_name": "x", "org_unit_id": b}),
        ),
        case("GET", "/api/v1/accounts/{id}", format!("/api/v1/accounts/{a}"), NotFound),
        case("POST", "/api/v1/accounts/{id}/reset-password", format!("/api/v1/accounts/{a}/reset-password"), NotFound),
        case("POST", "/api/v1/accounts/{id}/disable", format!("/api/v1/accounts/{a}/disable"), NotFound),
        case("POST", "/api/v1/accounts/{id}/enable", format!("/api/v1/accounts/{a}/enable"), NotFound),
        case("POST", "/api/v1/accounts/{id}/unlock", format!("/api/v1/accounts/{a}/unlock"), NotFound),
        with_json(
            case("POST", "/api/v1/grants", "/api/v1/grants".into(), NotFound),
            json!({"account_id": a, "role": "system_admin", "org_unit_id": b}),
        ),
        case("DELETE", "/api/v1/grants/{id}", format!("/api/v1/grants/{g}"), NotFound),
        case("GET", "/api/v1/audit/events", "/api/v1/audit/events?per_page=200".into(), NoLeak),
        case("GET", "/api/v1/audit/events/{seq}", format!("/api/v1/audit/events/{s}"), NotFound),
        case("GET", "/api/v1/calendar/deadline", "/api/v1/calendar/deadline?from=2026-02-12&days=15".into(), NoLeak),
        case(
            "GET",
            "/api/v1/calendar/working-days",
            "/api/v1/calendar/working-days?from=2026-02-12&to=2026-03-11".into(),
            NoLeak,
        ),
        case("GET", "/api/v1/orglife/branches/{id}/compliance", format!("/api/v1/orglife/branches/{br}/compliance"), NotFound),
        case("GET", "/api/v1/orglife/branches/{id}/roster", format!("/api/v1/orglife/branches/{br}/roster"), NotFound),
        with_json(
            case("POST", "/api/v1/orglife/branches/{id}/meetings", format!("/api/v1/orglife/branches/{br}/meetings"), NotFound),
            json!({"kind": "theme_day", "held_on": "2026-05-08", "topic": "x"}),
        ),
        case("GET", "/api/v1/orglife/meetings/{id}", format!("/api/v1/orglife/meetings/{}", o.meeting), NotFound),
        case("GET", "/api/v1/rectify/batches", "/api/v1/rectify/batches?per_page=200".into(), NoLeak),
        with_json(
            case("POST", "/api/v1/rectify/batches", "/api/v1/rectify/batches".into(), NotFound),
            json!({"source": "patrol", "reference": "x", "issuing_unit_id": b, "issued_on": "2026-05-01"}),
        ),
        with_json(
            case("POST", "/api/v1/rectify/batches/{id}/problems", format!("/api/v1/rectify/batches/{}/problems", o.batch), NotFound),
            json!({"description": "x", "root_cause": "mindset", "lead_unit_id": o.own_branch, "deadline": "2026-12-31"}),
        ),
        case("GET", "/api/v1/rectify/problems", "/api/v1/rectify/problems?per_page=200".into(), NoLeak),
        case("GET", "/api/v1/rectify/problems", format!("/api/v1/rectify/problems?unit={b}"), NotFound),
        case("GET", "/api/v1/rectify/problems", format!("/api/v1/rectify/problems?batch={}&per_page=200", o.batch), NoLeak),
        case("GET", "/api/v1/rectify/problems/{id}", format!("/api/v1/rectify/problems/{}", o.problem), NotFound),
        with_json(
            case("POST", "/api/v1/rectify/problems/{id}/actions", format!("/api/v1/rectify/problems/{}/actions", o.problem), NotFound),
            json!({"action": "request_closure"}),
        ),
        with_json(
            case("POST", "/api/v1/rectify/problems/{id}/actions", format!("/api/v1/rectify/problems/{}/actions", o.problem), NotFound),
            json!({"action": "close"}),
        ),
        with_json(
            case("POST", "/api/v1/rectify/problems/{id}/measures", format!("/api/v1/rectify/problems/{}/measures", o.problem), NotFound),
            json!({"title": "x", "due_on": "2026-08-01"}),
        ),
        case("POST", "/api/v1/rectify/measures/{id}/complete", format!("/api/v1/rectify/measures/{}/complete", o.measure), NotFound),
        with_json(
            case("POST", "/api/v1/rectify/problems/{id}/extensions", format!("/api/v1/rectify/problems/{}/extensions", o.problem), NotFound),
            json!({"new_deadline": "2027-01-01", "reason": "x"}),
        ),
        with_json(
            case("POST", "/api/v1/rectify/extensions/{id}/decision", format!("/api/v1/rectify/extensions/{}/decision", o.extension), NotFound),
            json!({"decision": "approve"}),
        ),
        case("GET", "/api/v1/rectify/board/{unit}", format!("/api/v1/rectify/board/{b}"), NotFound),
    ]
}
