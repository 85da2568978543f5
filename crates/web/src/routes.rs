//! The table of HTML routes. Every page route is registered here with its
//! methods, so the access test can walk all of them (API routes are listed
//! by the OpenAPI document).

use crate::AppState;
use axum::Router;
use axum::routing::{MethodRouter, get, post};

pub struct Routes {
    router: Router<AppState>,
    list: Vec<(&'static str, &'static str)>,
}

impl Routes {
    fn new() -> Routes {
        Routes { router: Router::new(), list: Vec::new() }
    }

    /// Registers `path` with `methods` (space-separated, e.g. `"GET POST"`).
    fn add(mut self, methods: &'static str, path: &'static str, handler: MethodRouter<AppState>) -> Routes {
        for m in methods.split_whitespace() {
            self.list.push((m, path));
        }
        self.router = self.router.route(path, handler);
        self
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }

    /// (method, path template) of every page route.
    pub fn list(&self) -> &[(&'static str, &'static str)] {
        &self.list
    }
}

/// All HTML page routes.
pub fn pages() -> Routes {
    use crate::{access, api, audit, calendar, duties, home, leads, org, orglife, rectify, tasks};
    Routes::new()
        .add("GET", "/", get(home::page))
        .add("GET POST", "/login", get(access::login::form).post(access::login::submit))
        .add("POST", "/logout", post(access::login::logout))
        .add("GET POST", "/password", get(access::login::password_form).post(access::login::password_submit))
        .add("GET", "/lang/{code}", get(access::login::switch_lang))
        .add("GET", "/orgs", get(org::units::index))
        .add("GET POST", "/orgs/new", get(org::units::new_top_form).post(org::units::new_top_submit))
        .add("GET", "/orgs/{id}", get(org::units::show))
        .add("GET POST", "/orgs/{id}/new", get(org::units::new_child_form).post(org::units::new_child_submit))
        .add("GET POST", "/orgs/{id}/edit", get(org::units::edit_form).post(org::units::edit_submit))
        .add("GET POST", "/orgs/{id}/move", get(org::units::move_form).post(org::units::move_submit))
        .add("POST", "/orgs/{id}/deactivate", post(org::units::deactivate))
        .add("POST", "/orgs/{id}/reactivate", post(org::units::reactivate))
        .add("GET", "/people", get(org::people::index))
        .add("GET POST", "/people/new", get(org::people::new_form).post(org::people::new_submit))
        .add("GET", "/people/{id}", get(org::people::show))
        .add("GET POST", "/people/{id}/edit", get(org::people::edit_form).post(org::people::edit_submit))
        .add("GET POST", "/people/{id}/transfer", get(org::people::transfer_form).post(org::people::transfer_submit))
        .add("POST", "/people/{id}/deactivate", post(org::people::deactivate))
        .add("POST", "/people/{id}/reactivate", post(org::people::reactivate))
        .add("GET", "/admin/accounts", get(access::accounts::index))
        .add("GET POST", "/admin/accounts/new", get(access::accounts::new_form).post(access::accounts::new_submit))
        .add("GET", "/admin/accounts/{id}", get(access::accounts::show))
        .add("POST", "/admin/accounts/{id}/reset-password", post(access::accounts::reset_password))
        .add("POST", "/admin/accounts/{id}/disable", post(access::accounts::disable))
        .add("POST", "/admin/accounts/{id}/enable", post(access::accounts::enable))
        .add("POST", "/admin/accounts/{id}/unlock", post(access::accounts::unlock))
        .add("POST", "/admin/accounts/{id}/grants", post(access::accounts::add_grant))
        .add("POST", "/admin/grants/{id}/revoke", post(access::accounts::revoke_grant))
        .add("GET", "/rectify/problems", get(rectify::problems::index))
        .add("GET", "/rectify/problems/{id}", get(rectify::problems::show))
        .add("POST", "/rectify/problems/{id}/act", post(rectify::problems::act))
        .add("POST", "/rectify/problems/{id}/measures", post(rectify::problems::add_measure))
        .add("POST", "/rectify/problems/{id}/extension", post(rectify::problems::request_extension))
        .add("POST", "/rectify/problems/{id}/lookback", post(rectify::problems::confirm_lookback))
        .add("POST", "/rectify/problems/{id}/publish", post(rectify::public::publish))
        .add("POST", "/rectify/problems/{id}/unpublish", post(rectify::public::unpublish))
        .add("POST", "/rectify/problems/{id}/ratings/review", post(rectify::public::review))
        .add("POST", "/rectify/extensions/{id}/decide", post(rectify::problems::decide_extension))
        .add("GET", "/rectify/measures/{id}", get(rectify::problems::measure))
        .add("POST", "/rectify/measures/{id}/complete", post(rectify::problems::complete_measure))
        .add(
            "POST",
            "/rectify/measures/{id}/evidence",
            post(rectify::problems::add_evidence)
                .layer(axum::extract::DefaultBodyLimit::max(rectify::problems::MAX_UPLOAD_BYTES)),
        )
        .add("GET", "/rectify/evidence/{id}", get(rectify::problems::evidence_file))
        .add("GET", "/rectify/batches", get(rectify::batches::index))
        .add("GET POST", "/rectify/batches/new", get(rectify::batches::new_form).post(rectify::batches::new_submit))
        .add(
            "GET POST",
            "/rectify/batches/{id}/problems/new",
            get(rectify::batches::new_problem_form).post(rectify::batches::new_problem_submit),
        )
        .add("GET POST", "/rectify/campaigns", get(rectify::campaigns::index).post(rectify::campaigns::create))
        .add("GET", "/rectify/board", get(rectify::board::home))
        .add("GET", "/rectify/board/{id}", get(rectify::board::show))
        .add("POST", "/rectify/board/{id}/recompute", post(rectify::board::recompute))
        .add("GET", "/rectify/spot-checks", get(rectify::spot::index))
        .add("GET POST", "/rectify/spot-checks/new", get(rectify::spot::new_form).post(rectify::spot::new_submit))
        .add("GET", "/rectify/spot-checks/{id}", get(rectify::spot::show))
        .add("POST", "/rectify/spot-checks/{id}/findings", post(rectify::spot::record_finding))
        .add("GET", "/rectify/flags", get(rectify::spot::flags))
        .add("GET", "/rectify/problems.xlsx", get(rectify::sheets::export_problems))
        .add("GET", "/rectify/board/{id}/export.xlsx", get(rectify::sheets::export_board))
        .add(
            "GET POST",
            "/rectify/import",
            get(rectify::sheets::import_form)
                .post(rectify::sheets::import_upload)
                .layer(axum::extract::DefaultBodyLimit::max(rectify::problems::MAX_UPLOAD_BYTES)),
        )
        .add(
            "POST",
            "/rectify/import/confirm",
            post(rectify::sheets::import_confirm)
                .layer(axum::extract::DefaultBodyLimit::max(rectify::problems::MAX_UPLOAD_BYTES)),
        )
        // 部署分解: directives, tasks, the board.
        .add("GET", "/tasks", get(tasks::directives::index))
        .add(
            "GET POST",
            "/tasks/directives/new",
            get(tasks::directives::new_form)
                .post(tasks::directives::new_submit)
                .layer(axum::extract::DefaultBodyLimit::max(tasks::directives::MAX_SOURCE_BYTES + 64 * 1024)),
        )
        .add("GET", "/tasks/directives/{id}", get(tasks::directives::show))
        .add("POST", "/tasks/directives/{id}/draft", post(tasks::directives::draft_submit))
        .add("POST", "/tasks/directives/{id}/issue", post(tasks::directives::issue_submit))
        .add("POST", "/tasks/directives/{id}/problems", post(tasks::directives::problems_submit))
        .add("GET", "/tasks/directives/{id}/tasks.xlsx", get(tasks::export::xlsx))
        .add("GET", "/tasks/directives/{id}/tasks.docx", get(tasks::export::docx))
        .add("GET", "/tasks/items/{id}", get(tasks::items::show))
        .add("POST", "/tasks/items/{id}/act", post(tasks::items::act))
        .add("POST", "/tasks/items/{id}/report", post(tasks::items::report))
        .add("POST", "/tasks/items/{id}/breakdown", post(tasks::items::break_down))
        .add("POST", "/tasks/items/{id}/deadline", post(tasks::items::request_deadline))
        .add("POST", "/tasks/deadline-changes/{id}/decide", post(tasks::items::decide_deadline))
        .add("GET", "/tasks/board", get(tasks::board::home))
        .add("GET", "/tasks/board/{id}", get(tasks::board::show))
        .add("GET", "/tasks/list", get(tasks::board::list))
        // 责任清单
        .add("GET", "/duties", get(duties::index))
        .add("GET POST", "/duties/new", get(duties::new_form).post(duties::new_submit))
        .add("GET", "/duties/{id}", get(duties::show))
        .add("POST", "/duties/{id}/entries", post(duties::add_entry))
        .add("POST", "/duties/{id}/generate", post(duties::generate))
        .add("GET", "/duties/entries/{id}", get(duties::entry::show))
        .add("POST", "/duties/entries/{id}/records", post(duties::entry::record))
        // 开门整改: open to anyone, no login (their own frame and limits).
        .add("GET", "/orglife", get(orglife::board::home))
        .add("GET", "/orglife/units/{id}", get(orglife::board::show))
        .add("GET", "/orglife/branches/{id}", get(orglife::branch::show))
        .add("POST", "/orglife/branches/{id}/plan", post(orglife::branch::add_plan_item))
        .add("POST", "/orglife/branches/{id}/plan/generate", post(orglife::branch::generate_plan))
        .add("POST", "/orglife/branches/{id}/members", post(orglife::branch::add_member))
        .add("GET", "/orglife/branches/{id}/register.xlsx", get(orglife::branch::register_xlsx))
        .add("GET", "/orglife/branches/{id}/meetings", get(orglife::meetings::list))
        .add(
            "GET POST",
            "/orglife/branches/{id}/meetings/new",
            get(orglife::meetings::new_form).post(orglife::meetings::new_submit),
        )
        .add("GET", "/orglife/meetings/{id}", get(orglife::meetings::show))
        .add("GET", "/orglife/meetings/{id}/report.docx", get(orglife::meetings::report_docx))
        .add(
            "POST",
            "/orglife/meetings/{id}/files",
            post(orglife::files::upload).layer(axum::extract::DefaultBodyLimit::max(rectify::problems::MAX_UPLOAD_BYTES)),
        )
        .add("GET", "/orglife/files/{id}", get(orglife::files::download))
        .add("POST", "/orglife/members/{id}/transfer", post(orglife::branch::transfer))
        .add("GET", "/orglife/talks", get(orglife::talks::index))
        .add("GET POST", "/orglife/talks/new", get(orglife::talks::new_form).post(orglife::talks::new_submit))
        .add("GET", "/orglife/talks/{id}", get(orglife::talks::show))
        .add("POST", "/orglife/talks/{id}/problems", post(orglife::talks::to_problems))
        // 信访举报: the office's register and a report's page.
        .add("GET", "/leads", get(leads::office::index))
        .add(
            "GET POST",
            "/leads/reports/new",
            get(leads::office::new_form)
                .post(leads::office::new_submit)
                .layer(axum::extract::DefaultBodyLimit::max(leads::public::MAX_BODY_BYTES)),
        )
        .add("GET", "/leads/reports/{id}", get(leads::office::show))
        .add("POST", "/leads/reports/{id}/accept", post(leads::office::accept))
        .add("POST", "/leads/reports/{id}/duplicate", post(leads::office::duplicate))
        .add("POST", "/leads/reports/{id}/message", post(leads::office::message))
        .add("POST", "/leads/reports/{id}/release", post(leads::office::request_release))
        .add("POST", "/leads/releases/{id}/decide", post(leads::office::decide_release))
        .add("POST", "/leads/releases/{id}/read", post(leads::office::read_release))
        .add("POST", "/leads/reports/{id}/notice", post(leads::followup::notice))
        .add("GET", "/leads/ledger", get(leads::ledger::ledger))
        .add("GET POST", "/leads/ledger/new", get(leads::ledger::new_form).post(leads::ledger::create))
        .add("GET", "/leads/items/{id}", get(leads::lead::show))
        .add("POST", "/leads/items/{id}/act", post(leads::lead::act))
        .add("POST", "/leads/items/{id}/people", post(leads::lead::add_person))
        .add("POST", "/leads/people/{id}/outcome", post(leads::lead::outcome))
        .add("POST", "/leads/items/{id}/refer", post(leads::followup::refer))
        .add("POST", "/leads/items/{id}/clearance", post(leads::followup::propose_clearance))
        .add("POST", "/leads/clearances/{id}/decide", post(leads::followup::decide_clearance))
        .add("POST", "/leads/items/{id}/false-accusation", post(leads::followup::false_accusation))
        .add("POST", "/leads/items/{id}/feedback", post(leads::followup::feedback))
        .add("GET", "/leads/inquiries", get(leads::followup::inquiries))
        .add("GET", "/leads/inquiries/{id}", get(leads::followup::inquiry))
        .add("POST", "/leads/inquiries/{id}/conclude", post(leads::followup::conclude))
        .add("GET", "/leads/referrals", get(leads::followup::referrals))
        .add("GET", "/leads/referrals/{id}", get(leads::followup::referral))
        .add("POST", "/leads/referrals/{id}/answer", post(leads::followup::answer))
        .add("GET POST", "/leads/reconcile", get(leads::figures::reconcile).post(leads::figures::confirm))
        .add("GET", "/leads/stats", get(leads::figures::stats))
        // 12388-style intake: open to anyone, no login.
        .add(
            "GET POST",
            "/public/report",
            get(leads::public::form)
                .post(leads::public::submit)
                .layer(axum::extract::DefaultBodyLimit::max(leads::public::MAX_BODY_BYTES)),
        )
        .add("GET POST", "/public/report/follow", get(leads::public::follow_form).post(leads::public::follow_submit))
        .add("GET", "/public/report/status", get(leads::public::status))
        .add("POST", "/public/report/status/message", post(leads::public::message))
        .add("GET", "/public/rectify", get(rectify::public::index))
        .add("GET", "/public/rectify/{id}", get(rectify::public::show))
        .add("POST", "/public/rectify/{id}/rate", post(rectify::public::rate))
        .add("GET", "/audit", get(audit::index))
        .add("GET", "/audit/{seq}", get(audit::show))
        .add("GET", "/calendar", get(calendar::page))
        .add("GET", "/api/docs", get(api::docs::page))
        .add("GET", "/api/openapi.json", get(api::docs::openapi_json))
}
