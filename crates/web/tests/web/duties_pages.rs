//! 责任清单 over HTTP: the city sets up its list from the template, a
//! bureau derives its own and adds an item (a form with errors keeps what
//! was typed and names the field), the year's occurrences are generated,
//! 履责记实 on the item completes its occurrence, and the head's person
//! page shows the duty turn done.

use qingfeng_domain::people::PersonSpec;
use qingfeng_test_support::fixtures::{PASSWORD, who};
use qingfeng_test_support::{Fixture, TestApp};
use reqwest::StatusCode;
use uuid::Uuid;

fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

/// The `<tr>` of a table that holds `text`.
fn row_of<'a>(page: &'a str, text: &str) -> &'a str {
    let i = page.find(text).unwrap_or_else(|| panic!("`{text}` not on the page"));
    let start = page[..i].rfind("<tr").unwrap_or(0);
    let end = i + page[i..].find("</tr>").unwrap_or(page.len() - i);
    &page[start..end]
}

#[tokio::test]
async fn a_bureau_derives_its_list_generates_tasks_and_a_record_turns_the_heads_duty_done() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let today = qingfeng_web::rectify::today();
    let year = today.year().to_string();

    // The city (a discipline officer there may issue) sets up its list from the template.
    let officer = app.login("officer", PASSWORD).await;
    let res = officer
        .post_form("/duties/new", &[("unit", &f.city.id.to_string()), ("kind", "primary"), ("year", &year)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{:?}", res.text().await);
    let (_, city_page) = officer.get_text(&location(&res)).await;
    assert!(city_page.contains("内置模板") && city_page.contains("本级新增"));

    // The bureau's operator: an empty form names every field.
    let op = app.login("op-a", PASSWORD).await;
    let res = op.post_form("/duties/new", &[("unit", ""), ("kind", ""), ("year", "二〇二六")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    for id in ["err-unit", "err-kind", "err-year"] {
        assert!(page.contains(id), "{id}");
    }
    // A bad id names no record.
    assert_eq!(op.get("/duties/not-an-id").await.status(), StatusCode::NOT_FOUND);

    let res = op
        .post_form("/duties/new", &[("unit", &f.bureau_a.id.to_string()), ("kind", "primary"), ("year", &year)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let list_url = location(&res);
    let list_id: Uuid = list_url.trim_start_matches("/duties/").parse().unwrap();
    let (_, page) = op.get_text(&list_url).await;
    assert!(page.contains("继承自上级") && page.contains(&f.city.name), "derived from the city's list");
    // A second list of the same kind and year is refused on the form.
    let res = op
        .post_form("/duties/new", &[("unit", &f.bureau_a.id.to_string()), ("kind", "primary"), ("year", &year)])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("已建立"));

    // An own item: errors keep what was typed and name the field.
    let own = "年内完成一次局属单位廉政风险点排查";
    let url = format!("{list_url}/entries");
    let res = op.post_form(&url, &[("text", own), ("recurrence", "once"), ("times", "九十九")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("err-times") && page.contains(own), "the typed text stays");
    let res = op
        .post_form(
            &url,
            &[("text", "每年召开一次领导班子民主生活会，认真开展批评和自我批评"), ("recurrence", "yearly")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "an inherited item cannot be added again");
    assert!(res.text().await.unwrap().contains("上级清单已有此项"));
    let res = op.post_form(&url, &[("text", own), ("recurrence", "once"), ("due_from", "period_end")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = op.get_text(&list_url).await;
    assert!(row_of(&page, own).contains("本级新增"));

    // Generate the year's tasks (twice: the second makes none).
    for _ in 0..2 {
        assert_eq!(op.post_form(&format!("{list_url}/generate"), &[]).await.status(), StatusCode::SEE_OTHER);
    }
    let lines = app.db.store.tasks().duty_entries(list_id, today).await.unwrap();
    let entry = lines.iter().find(|l| l.entry.text == own).unwrap();
    assert_eq!(entry.occurrences.len(), 1);
    let occ = app.db.store.tasks().duty_occurrences(entry.entry.id).await.unwrap();
    assert_eq!(occ.len(), 1);

    // The bureau's head carries it, not yet done.
    let head = app
        .db
        .store
        .people()
        .create(
            &who(),
            f.bureau_a.id,
            &PersonSpec {
                name: "周书记".into(),
                gender: None,
                position: Some("党组书记".into()),
                is_party_member: true,
                is_head: true,
                is_leadership_member: true,
                sort_order: 0,
            },
        )
        .await
        .unwrap();
    let (_, page) = op.get_text(&format!("/people/{}", head.id)).await;
    assert!(page.contains("承担的责任"));
    assert!(!row_of(&page, own).contains("已完成"));

    // 履责记实 on the entry page: a bad date and a bad occurrence are named, the note kept.
    let entry_url = format!("/duties/entries/{}", entry.entry.id);
    let (status, page) = op.get_text(&entry_url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&occ[0].id.to_string()), "the open occurrence is offered");
    let note = "局党组会专题部署，对12个局属单位逐一排查廉政风险点47个，建立台账";
    let res = op
        .post_form(&format!("{entry_url}/records"), &[("note", note), ("done_on", "2026-13-45"), ("occurrence", "zzz")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("err-done_on") && page.contains("err-occurrence") && page.contains(note));
    let res = op
        .post_form(
            &format!("{entry_url}/records"),
            &[("note", note), ("done_on", &today.to_string()), ("occurrence", &occ[0].id.to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = op.get_text(&entry_url).await;
    assert!(page.contains(note) && page.contains("已完成"));

    // The head's page now shows the duty done; the list counts it.
    let (_, page) = op.get_text(&format!("/people/{}", head.id)).await;
    assert!(row_of(&page, own).contains("已完成"), "{}", row_of(&page, own));
    let (_, page) = op.get_text(&list_url).await;
    assert!(row_of(&page, own).contains("1/1"));
    // Bureau B's operator does not see the list.
    let other = app.login("op-b", PASSWORD).await;
    assert_eq!(other.get(&list_url).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(other.get(&entry_url).await.status(), StatusCode::NOT_FOUND);
    app.db.store.audit().verify().await.unwrap().unwrap();
}
