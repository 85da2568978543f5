//! The rectification JSON API over real HTTP with bearer tokens: the whole
//! lifecycle with the same refusals as the pages, bad input named by field,
//! and board figures that add up.

use crate::rectify_seed::{batch_with_problem, env};
use jiff::civil::{Date, date};
use qingfeng_domain::rectify::input::MeasureSpec;
use qingfeng_domain::rectify::lifecycle::{Capacities, ProblemAction};
use qingfeng_domain::rectify::{RootCause, Source};
use qingfeng_store::rectify::{Batch, EvidenceFile, Problem};
use qingfeng_test_support::fixtures::who;
use qingfeng_test_support::{Fixture, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

struct Api<'a> {
    app: &'a TestApp,
    token: String,
}

impl<'a> Api<'a> {
    async fn new(app: &'a TestApp, account: Uuid) -> Api<'a> {
        Api { app, token: app.token(account).await }
    }

    async fn send(&self, method: Method, path: &str, body: Option<&[u8]>) -> (StatusCode, Value) {
        let mut rb = self.app.client().request(method, self.app.url(path)).bearer_auth(&self.token);
        if let Some(b) = body {
            rb = rb.header("content-type", "application/json").body(b.to_vec());
        }
        let res = rb.send().await.unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Some(body.to_string().as_bytes())).await
    }

    async fn act(&self, problem: &str, action: &str) -> (StatusCode, Value) {
        self.post(&format!("/api/v1/rectify/problems/{problem}/actions"), json!({ "action": action })).await
    }
}

/// A fresh app with a batch the city issued and one problem of branch A due on `deadline`.
async fn with_problem(deadline: Date) -> (TestApp, Fixture, Batch, Problem) {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let (b, p) = batch_with_problem(
        &app.db.store,
        (f.city.id, Source::Audit, "市审计局审计报告", date(2026, 2, 1)),
        (f.branch_a.id, "专项资金拨付滞后", RootCause::Responsibility, deadline),
    )
    .await;
    (app, f, b, p)
}

fn actions(detail: &Value) -> Vec<&str> {
    detail["actions"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn the_lifecycle_over_the_api_with_the_pages_refusals() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let officer = Api::new(&app, f.officer.id).await;
    let op = Api::new(&app, f.op_a.id).await;
    let other = Api::new(&app, f.op_b.id).await;

    // The city's discipline officer issues a batch and a problem for bureau A's branch.
    let (status, batch) = officer
        .post(
            "/api/v1/rectify/batches",
            json!({"source": "patrol", "reference": "市委第一轮巡察反馈意见", "issuing_unit_id": f.city.id, "issued_on": "2026-03-16"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{batch}");
    assert_eq!(batch["source_label"], "巡察");
    let (status, problem) = officer
        .post(
            &format!("/api/v1/rectify/batches/{}/problems", batch["id"].as_str().unwrap()),
            json!({
                "description": "党组理论学习中心组学习流于形式，专题研讨仅开展2次",
                "root_cause": "mindset",
                "lead_unit_id": f.branch_a.id,
                "deadline": "2027-06-30",
                "schedule": [{"date": "2027-03-31", "percent": 50}],
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{problem}");
    assert_eq!(problem["status"], "unclaimed");
    assert_eq!(problem["schedule"], json!([{"date": "2027-03-31", "percent": 50}]));
    let p = problem["id"].as_str().unwrap().to_string();
    // The unit only issues from its own scope; another bureau cannot add to the batch.
    let (status, _) = op
        .post(
            "/api/v1/rectify/batches",
            json!({"source": "patrol", "reference": "x", "issuing_unit_id": f.city.id, "issued_on": "2026-03-16"}),
        )
        .await;
    assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "{status}");

    // The lead unit sees what it may do, and the colour.
    let (status, d) = op.get(&format!("/api/v1/rectify/problems/{p}")).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert_eq!(actions(&d), ["claim"]);
    assert_eq!(d["problem"]["warning"], "green");
    assert_eq!(d["capacities"], json!({"lead_unit": true, "issuer": false, "inspector": false}));
    let (_, d) = officer.get(&format!("/api/v1/rectify/problems/{p}")).await;
    assert!(actions(&d).is_empty(), "the issuing side has nothing to do yet: {d}");

    let (status, claimed) = op.act(&p, "claim").await;
    assert_eq!(status, StatusCode::OK, "{claimed}");
    assert_eq!(claimed["status"], "in_progress");
    let (status, m) = op
        .post(
            &format!("/api/v1/rectify/problems/{p}/measures"),
            json!({"title": "修订中心组学习制度", "due_on": "2027-03-31"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let m = m["id"].as_str().unwrap().to_string();

    // The 销号 gate, with the same reasons as the pages.
    let (status, body) = op.act(&p, "request_closure").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "measures_unfinished");
    assert!(body["message"].as_str().unwrap().contains("修订中心组学习制度"), "{body}");
    let (status, done) = op.post(&format!("/api/v1/rectify/measures/{m}/complete"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "done");
    let (status, body) = op.act(&p, "request_closure").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "evidence_missing");
    assert!(
        body["message"].as_str().unwrap().contains("没有佐证材料：修订中心组学习制度"),
        "names the measure: {body}"
    );

    // Evidence (through the store, as the upload does); the detail shows its metadata only.
    let file = EvidenceFile { name: "学习制度.pdf", content_type: "application/pdf", bytes: b"%PDF-1.4 rules" };
    let ev = app
        .db
        .store
        .rectify()
        .add_evidence(&who(), m.parse().unwrap(), Some("党组会审议通过"), Some(file), date(2026, 11, 20), None)
        .await
        .unwrap();
    let (_, d) = op.get(&format!("/api/v1/rectify/problems/{p}")).await;
    let e = &d["measures"][0]["evidence"][0];
    assert_eq!(e["file_name"], "学习制度.pdf");
    assert_eq!(e["size"], 14);
    assert_eq!(e["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(e["download_url"], format!("/rectify/evidence/{}", ev.id));
    assert!(!d.to_string().contains("%PDF"), "no file bytes in the JSON");

    let (status, requested) = op.act(&p, "request_closure").await;
    assert_eq!(status, StatusCode::OK, "{requested}");
    assert_eq!(requested["status"], "closure_requested");
    // The unit side may not close; another bureau does not even see the problem.
    let (status, body) = op.act(&p, "close").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "not_issuer");
    assert!(body["message"].as_str().unwrap().contains("只有问题交办单位范围内的审核人员"));
    let (status, body) = other.act(&p, "close").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(!body.to_string().contains("学习"), "{body}");
    assert_eq!(other.get(&format!("/api/v1/rectify/problems/{p}")).await.0, StatusCode::NOT_FOUND);
    let (_, list) = other.get("/api/v1/rectify/problems").await;
    assert_eq!(list["total"], 0, "{list}");

    // The issuing side returns it once (a comment is required), then closes it.
    let (_, d) = officer.get(&format!("/api/v1/rectify/problems/{p}")).await;
    assert_eq!(actions(&d), ["return", "close"]);
    assert_eq!(d["actions"][0]["comment_required"], true);
    let (status, body) = officer.act(&p, "return").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "comment_required");
    let (status, _) = officer
        .post(
            &format!("/api/v1/rectify/problems/{p}/actions"),
            json!({"action": "return", "comment": "请补充研讨记录"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(op.act(&p, "request_closure").await.0, StatusCode::OK);
    let (status, closed) = officer.act(&p, "close").await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["warning"], "done");

    let (_, d) = officer.get(&format!("/api/v1/rectify/problems/{p}")).await;
    let history: Vec<&str> = d["history"].as_array().unwrap().iter().map(|s| s["action"].as_str().unwrap()).collect();
    assert_eq!(history, ["create", "claim", "request_closure", "return", "request_closure", "close"]);
    assert_eq!(d["history"][3]["comment"], "请补充研讨记录");
    assert_eq!(d["closures"].as_array().unwrap().len(), 1);
    assert_eq!(actions(&d), ["relapse"]);
    // The page shows the same state.
    let s = app.login("officer", qingfeng_test_support::fixtures::PASSWORD).await;
    let (_, page) = s.get_text(&format!("/rectify/problems/{p}")).await;
    assert!(page.contains("已销号"));
    assert!(app.db.store.audit().verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn extensions_are_requested_by_the_unit_and_decided_by_the_issuing_side() {
    let (app, f, _, problem) = with_problem(date(2026, 12, 31)).await;
    let p = problem.id;
    let op = Api::new(&app, f.op_a.id).await;
    let officer = Api::new(&app, f.officer.id).await;
    let url = format!("/api/v1/rectify/problems/{p}/extensions");
    let (status, body) = op.post(&url, json!({"new_deadline": "2026-12-01", "reason": "x"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["new_deadline"].is_string(), "not after the current deadline: {body}");
    let (status, x) = op.post(&url, json!({"new_deadline": "2027-03-31", "reason": "资金下达需省厅批复"})).await;
    assert_eq!(status, StatusCode::CREATED, "{x}");
    assert_eq!(x["status"], "pending");
    let (status, body) = op.post(&url, json!({"new_deadline": "2027-04-30", "reason": "再延"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "extension_pending");

    let decide = format!("/api/v1/rectify/extensions/{}/decision", x["id"].as_str().unwrap());
    let (status, _) = op.post(&decide, json!({"decision": "approve"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the unit sees it but may not decide");
    let other = Api::new(&app, f.op_b.id).await;
    assert_eq!(other.post(&decide, json!({"decision": "approve"})).await.0, StatusCode::NOT_FOUND);
    let (status, body) = officer.post(&decide, json!({"decision": "maybe"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["decision"].is_string(), "{body}");
    let (status, decided) = officer.post(&decide, json!({"decision": "approve", "comment": "同意"})).await;
    assert_eq!(status, StatusCode::OK, "{decided}");
    assert_eq!(decided["status"], "approved");
    let (_, d) = officer.get(&format!("/api/v1/rectify/problems/{p}")).await;
    assert_eq!(d["problem"]["deadline"], "2027-03-31");
    assert_eq!(d["extensions"][0]["decision_comment"], "同意");
}

#[tokio::test]
async fn bad_input_is_named_and_writes_nothing() {
    let (app, f, batch, problem) = with_problem(date(2027, 6, 30)).await;
    let op = Api::new(&app, f.op_a.id).await;
    let officer = Api::new(&app, f.officer.id).await;
    let before = app.events().await;
    let act = format!("/api/v1/rectify/problems/{}/actions", problem.id);

    let (status, body) = op.send(Method::POST, &act, Some(br#"{"action": "#)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "malformed_json");
    let (status, body) = op.post(&act, json!({"action": "approve_everything"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["action"].is_string(), "{body}");
    let (status, body) = op.post(&act, json!({"action": "fail_spot_check", "comment": "x"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a failed spot check goes through its draw: {body}");
    let (status, body) = op.post(&act, json!({"comment": "x"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["action"].is_string(), "{body}");
    let (status, body) = op.post(&act, json!({"action": "claim", "force": true})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["force"].is_string(), "{body}");
    let (status, body) = op.send(Method::POST, &act, None).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");

    let measures = format!("/api/v1/rectify/problems/{}/measures", problem.id);
    let (status, body) = op.post(&measures, json!({"title": "制度"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["due_on"].is_string(), "{body}");
    let (status, body) = op.post(&measures, json!({"title": " ", "due_on": "2027-02-30"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["title"].is_string() && body["fields"]["due_on"].is_string(), "{body}");

    let problems = format!("/api/v1/rectify/batches/{}/problems", batch.id);
    let (status, body) = officer
        .post(
            &problems,
            json!({"description": "x", "root_cause": "greed", "lead_unit_id": f.branch_a.id, "deadline": "2026-01-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["root_cause"].is_string() && body["fields"]["deadline"].is_string(), "{body}");
    let (status, body) = officer
        .post(
            &problems,
            json!({"description": "x", "root_cause": "mindset", "lead_unit_id": f.branch_a.id, "deadline": "2027-01-01",
                   "schedule": [{"date": "2026-06-30", "percent": 300}]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["schedule[0].percent"].is_string(), "{body}");
    let (status, body) = officer
        .post("/api/v1/rectify/batches", json!({"source": "patrol", "reference": "x", "issued_on": "2026-03-01"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["issuing_unit_id"].is_string(), "{body}");

    for q in ["status=bogus", "warning=purple", "sort=salary", "unit=not-a-uuid", "page=x"] {
        let (status, body) = op.get(&format!("/api/v1/rectify/problems?{q}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {body}");
        assert_eq!(body["code"], "bad_query");
    }
    assert_eq!(op.get("/api/v1/rectify/problems/not-a-uuid").await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.events().await, before, "nothing was written");
}

/// Claims, measures, evidence and requests a closure for `p` as the lead unit; closes it as the issuer.
async fn close(app: &TestApp, p: Uuid) {
    let r = app.db.store.rectify();
    let unit = Capacities { lead_unit: true, ..Capacities::default() };
    r.act(&who(), &env(), p, ProblemAction::Claim, unit, None).await.unwrap();
    let m = r
        .add_measure(
            &who(),
            &env(),
            p,
            None,
            &MeasureSpec { title: "整改".into(), owner_id: None, due_on: date(2026, 12, 31) },
        )
        .await
        .unwrap();
    r.complete_measure(&who(), &env(), m.id).await.unwrap();
    r.add_evidence(&who(), m.id, Some("记录"), None, date(2026, 11, 20), None).await.unwrap();
    r.act(&who(), &env(), p, ProblemAction::RequestClosure, unit, None).await.unwrap();
    let issuer = Capacities { issuer: true, ..Capacities::default() };
    r.act(&who(), &env(), p, ProblemAction::Close, issuer, None).await.unwrap();
}

const FIGURES: [&str; 10] = [
    "total",
    "unclaimed",
    "in_progress",
    "closure_requested",
    "closed",
    "overdue",
    "behind",
    "relapsed",
    "paper",
    "reported_closed",
];

fn sum_of(cells: &Value, figure: &str) -> i64 {
    cells.as_array().unwrap().iter().map(|c| c["counts"][figure].as_i64().unwrap()).sum()
}

#[tokio::test]
async fn board_figures_are_the_sums_of_the_children_and_link_to_their_problems() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let store = &app.db.store;
    let mk = |issuer: Uuid, source: Source, lead: Uuid, root: RootCause, deadline| async move {
        batch_with_problem(store, (issuer, source, "清单", date(2026, 3, 1)), (lead, "问题", root, deadline)).await.1.id
    };
    // Bureau A: one closed, one overdue, one claimed (led by the bureau itself); bureau B: two; the city itself: one.
    let a1 = mk(f.city.id, Source::Patrol, f.branch_a.id, RootCause::Mindset, date(2027, 6, 30)).await;
    close(&app, a1).await;
    mk(f.city.id, Source::Patrol, f.branch_a.id, RootCause::Institution, date(2026, 9, 30)).await;
    let a3 = mk(f.city.id, Source::Audit, f.bureau_a.id, RootCause::Institution, date(2027, 6, 30)).await;
    let unit = Capacities { lead_unit: true, ..Capacities::default() };
    store.rectify().act(&who(), &env(), a3, ProblemAction::Claim, unit, None).await.unwrap();
    let b1 = mk(f.bureau_b.id, Source::SelfCheck, f.branch_b.id, RootCause::Responsibility, date(2026, 10, 30)).await;
    close(&app, b1).await;
    mk(f.city.id, Source::Audit, f.bureau_b.id, RootCause::Capability, date(2027, 6, 30)).await;
    mk(f.city.id, Source::Patrol, f.city.id, RootCause::Mindset, date(2027, 6, 30)).await;

    let officer = Api::new(&app, f.officer.id).await;
    let (status, b) = officer.get(&format!("/api/v1/rectify/board/{}", f.city.id)).await;
    assert_eq!(status, StatusCode::OK, "{b}");
    assert_eq!(b["total"]["total"], 6);
    assert_eq!(b["total"]["closed"], 2);
    assert_eq!(b["total"]["overdue"], 1);
    assert_eq!(b["direct"]["total"], 1);
    assert_eq!(b["children"].as_array().unwrap().len(), 2);
    for figure in FIGURES {
        let total = b["total"][figure].as_i64().unwrap();
        assert_eq!(total, b["direct"][figure].as_i64().unwrap() + sum_of(&b["children"], figure), "{figure}: {b}");
        for dim in ["by_source", "by_root_cause"] {
            assert_eq!(total, sum_of(&b[dim], figure), "{dim} {figure}");
        }
    }
    assert_eq!(b["total"]["verified_rate"].as_f64().unwrap(), 2.0 * 100.0 / 6.0);
    assert_eq!(b["total"]["reported_rate"], b["total"]["verified_rate"], "no 纸面整改 found");
    let audit = b["by_source"].as_array().unwrap().iter().find(|c| c["key"] == "audit").unwrap();
    assert_eq!(audit["label"], "审计");
    assert_eq!(audit["counts"]["total"], 2);

    // Each child's row is that child's own board, and each figure's list has as many problems.
    let op = Api::new(&app, f.op_a.id).await;
    let row_a = b["children"].as_array().unwrap().iter().find(|c| c["key"] == f.bureau_a.id.to_string()).unwrap();
    let (status, board_a) = op.get(&format!("/api/v1/rectify/board/{}", f.bureau_a.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(board_a["total"], row_a["counts"]);
    assert_eq!(board_a["direct"]["total"], 1);
    for cell in b["children"].as_array().unwrap().iter().chain(b["by_source"].as_array().unwrap()) {
        let (status, list) = officer.get(cell["problems_url"].as_str().unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{cell}");
        assert_eq!(list["total"], cell["counts"]["total"], "{cell}");
    }
    let (_, overdue) = officer.get(&format!("/api/v1/rectify/problems?unit={}&warning=red", f.city.id)).await;
    assert_eq!(overdue["total"], 1);
    assert_eq!(overdue["items"][0]["lead_unit_id"], f.branch_a.id.to_string());
    let (_, closed) = officer.get("/api/v1/rectify/problems?status=closed&sort=unit&dir=desc&per_page=1").await;
    assert_eq!((closed["total"].as_i64(), closed["pages"].as_i64()), (Some(2), Some(2)));
    let (_, only) = officer.get(&format!("/api/v1/rectify/problems?unit={}&only=true", f.bureau_a.id)).await;
    assert_eq!(only["total"], 1, "本级 only");

    // Bureau A's operator sees its own board and batches, not the city's board.
    assert_eq!(op.get(&format!("/api/v1/rectify/board/{}", f.city.id)).await.0, StatusCode::NOT_FOUND);
    let (_, batches) = op.get("/api/v1/rectify/batches?per_page=2").await;
    assert_eq!(batches["total"], 3, "the batches with a problem led in bureau A: {batches}");
    assert_eq!(batches["items"].as_array().unwrap().len(), 2);
    assert_eq!(batches["pages"], 2);
}

#[test]
fn the_openapi_document_describes_the_rectification_api() {
    let doc = serde_json::to_value(qingfeng_web::api::openapi()).unwrap();
    let paths: Vec<&String> =
        doc["paths"].as_object().unwrap().keys().filter(|p| p.starts_with("/api/v1/rectify/")).collect();
    assert_eq!(paths.len(), 10, "{paths:?}");
    for schema in [
        "ProblemDetailDto",
        "MeasureDto",
        "EvidenceDto",
        "BoardDto",
        "CountsDto",
        "ActionInput",
        "DecisionInput",
        "Decision",
        "MilestoneDto",
    ] {
        assert!(doc["components"]["schemas"].get(schema).is_some(), "{schema} is described");
    }
    assert_eq!(doc["paths"]["/api/v1/rectify/problems/{id}/actions"]["post"]["tags"], json!(["rectify"]));
}
