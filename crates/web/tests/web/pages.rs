//! The HTML pages as a user drives them: forms keep what was typed when
//! validation fails, lists page and sort, every change lands in the trail.

use qingfeng_domain::people::PersonSpec;
use qingfeng_test_support::fixtures::{PASSWORD, who};
use qingfeng_test_support::{Fixture, TestApp};
use reqwest::StatusCode;

#[tokio::test]
async fn creating_a_sub_unit_keeps_typed_values_on_error_then_succeeds() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let s = app.login("op-a", PASSWORD).await;
    let (status, form) = s.get_text(&format!("/orgs/{}/new", f.bureau_a.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains("党支部") && !form.contains("value=\"cell\""),
        "kinds are limited to what the parent may contain"
    );
    let res = s
        .post_form(
            &format!("/orgs/{}/new", f.bureau_a.id),
            &[("name", ""), ("short_name", "规财科支部"), ("kind", "branch"), ("sort_order", "abc")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("value=\"规财科支部\""), "typed short name kept");
    assert!(page.contains("value=\"abc\""), "typed sort order kept");
    assert!(page.contains("必填") && page.contains("排序号应在"), "each field's error is shown");
    let res = s
        .post_form(
            &format!("/orgs/{}/new", f.bureau_a.id),
            &[("name", "规划财务科党支部"), ("short_name", "规财科支部"), ("kind", "branch"), ("sort_order", "20")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let loc = res.headers()["location"].to_str().unwrap().to_string();
    let (_, page) = s.get_text(&loc).await;
    assert!(page.contains("规划财务科党支部") && page.contains("组织已创建"));
}

#[tokio::test]
async fn org_page_shows_tree_counts_and_links_numbers_to_their_lists() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let s = app.login("op-a", PASSWORD).await;
    assert_eq!(s.get("/orgs").await.headers()["location"], format!("/orgs/{}", f.bureau_a.id).as_str());
    let (status, page) = s.get_text(&format!("/orgs/{}", f.branch_a.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&f.bureau_a.name) && page.contains(&f.person_a.name));
    assert!(!page.contains(&f.city.name), "nothing above the scope root, not even in the breadcrumbs");
    assert!(
        page.contains(&format!("/people?unit={}&amp;subtree=1", f.branch_a.id))
            || page.contains(&format!("/people?unit={}&subtree=1", f.branch_a.id))
    );
}

#[tokio::test]
async fn moving_a_unit_in_the_browser_takes_its_subtree_along() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let organ = app
        .db
        .store
        .orgs()
        .create(
            &who(),
            Some(f.bureau_a.id),
            &qingfeng_domain::org::OrgUnitSpec {
                name: "机关党委".into(),
                short_name: None,
                kind: qingfeng_domain::org::OrgKind::OrganCommittee,
                sort_order: 0,
            },
        )
        .await
        .unwrap();
    let s = app.login("op-a", PASSWORD).await;
    let (_, page) = s.get_text(&format!("/orgs/{}/move", f.branch_a.id)).await;
    assert!(page.contains("机关党委"));
    let res = s.post_form(&format!("/orgs/{}/move", f.branch_a.id), &[("parent_id", &organ.id.to_string())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let moved = app.db.store.orgs().get(f.branch_a.id).await.unwrap();
    assert_eq!(moved.parent_id, Some(organ.id));
    let person = app.db.store.people().get(f.person_a.id).await.unwrap();
    assert!(person.scope().unwrap().is_within(&organ.path));
    // Moving it under itself is refused on the page, with the reason.
    let res = s.post_form(&format!("/orgs/{}/move", organ.id), &[("parent_id", &f.branch_a.id.to_string())]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("不能移动到自身或其下级组织之下"));
}

#[tokio::test]
async fn people_list_pages_sorts_and_filters() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    for i in 0..25 {
        let spec = PersonSpec {
            name: format!("测试人员{i:02}"),
            gender: None,
            position: Some("科员".into()),
            is_party_member: i % 2 == 0,
            is_head: false,
            is_leadership_member: false,
            sort_order: i,
        };
        app.db.store.people().create(&who(), f.branch_a.id, &spec).await.unwrap();
    }
    let s = app.login("op-a", PASSWORD).await;
    let (_, p1) = s.get_text(&format!("/people?unit={}", f.branch_a.id)).await;
    assert!(p1.contains("1 / 2") && p1.contains("共 26 条"), "26 people, 20 per page");
    let (_, p2) = s.get_text(&format!("/people?unit={}&page=2", f.branch_a.id)).await;
    assert!(p2.contains("2 / 2"));
    let (_, desc) = s.get_text(&format!("/people?unit={}&sort=name&dir=desc", f.branch_a.id)).await;
    let first = desc.find("测试人员24").unwrap();
    let later = desc.find("测试人员23").unwrap();
    assert!(first < later, "sorted by name, descending");
    let (_, party) = s.get_text(&format!("/people?unit={}&party=1&q=测试", f.branch_a.id)).await;
    assert!(party.contains("共 13 条"), "party members among the test people");
}

#[tokio::test]
async fn person_form_keeps_values_and_admin_issues_an_account_for_the_person() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let s = app.login("op-a", PASSWORD).await;
    let unit = f.branch_a.id.to_string();
    let res = s
        .post_form(
            "/people/new",
            &[
                ("org_unit_id", &unit),
                ("name", ""),
                ("position", "四级主任科员"),
                ("gender", "female"),
                ("is_party_member", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("value=\"四级主任科员\"") && page.contains("value=\"female\" checked"));
    let res = s
        .post_form(
            "/people/new",
            &[
                ("org_unit_id", &unit),
                ("name", "陈晓燕"),
                ("position", "四级主任科员"),
                ("gender", "female"),
                ("is_party_member", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let person_url = res.headers()["location"].to_str().unwrap().to_string();
    let person_id = person_url.trim_start_matches("/people/").to_string();

    let admin = app.login("admin", PASSWORD).await;
    let (_, form) = admin.get_text(&format!("/admin/accounts/new?person={person_id}")).await;
    assert!(form.contains("陈晓燕"));
    let res = admin
        .post_form(
            "/admin/accounts/new",
            &[("username", "chen.xy"), ("display_name", "陈晓燕"), ("org_unit_id", &unit), ("person_id", &person_id)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    let start = page.find("data-secret>").unwrap() + "data-secret>".len();
    let password = page[start..start + 14].to_string();
    let account = app.db.store.accounts().find_by_username("chen.xy").await.unwrap().unwrap();
    assert_eq!(account.person_id.map(|p| p.to_string()), Some(person_id));
    let res = admin
        .post_form(
            &format!("/admin/accounts/{}/grants", account.id),
            &[("role", "branch_secretary"), ("org_unit_id", &unit)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = admin
        .post_form(&format!("/admin/accounts/{}/grants", account.id), &[("role", ""), ("org_unit_id", &unit)])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let anon = app.anonymous().await;
    let res = anon.post_form("/login", &[("username", "chen.xy"), ("password", &password)]).await;
    assert_eq!(res.headers()["location"], "/password");
}

#[tokio::test]
async fn audit_page_filters_and_shows_the_chain() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let s = app.login("auditor", PASSWORD).await;
    let (status, page) = s.get_text("/audit?entity=person").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("新增人员") && page.contains("共 2 条"), "{page:.2000}");
    let (_, page) = s.get_text(&format!("/audit?actor={}", "auditor")).await;
    assert!(page.contains("登录"), "the auditor's own login is in the trail");
    let (_, page) = s.get_text("/audit?from=2099-01-01").await;
    assert!(page.contains("没有符合条件的留痕记录"));
    let (_, page) = s.get_text("/audit?from=not-a-date").await;
    assert!(page.contains("不是有效日期"));
    let (status, event) = s.get_text("/audit/1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(event.contains(&f.city.name) && !event.contains("prev") && event.contains("0000000000000000"));
    // The auditor changes nothing.
    assert_eq!(s.get(&format!("/orgs/{}/edit", f.city.id)).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn home_lists_roles_and_an_empty_todo_list() {
    let app = TestApp::spawn().await;
    Fixture::build(&app.db.store).await;
    let s = app.login("secretary-a", PASSWORD).await;
    let (status, page) = s.get_text("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("我的待办")
            && page.contains("暂无待办事项")
            && page.contains("支部书记")
            && page.contains("办公室党支部")
    );
    assert!(!page.contains("href=\"/admin/accounts\""), "no menu entry the user cannot use");
    let todos: serde_json::Value = s.get("/api/v1/todos").await.json().await.unwrap();
    assert_eq!(todos, serde_json::json!([]));
}
