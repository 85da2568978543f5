//! The demo city's rectification round, built on a fresh SQLite database.

use qingfeng_demo::DEMO_TODAY;
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::page::PageRequest;
use qingfeng_domain::rectify::tally::Counts;
use qingfeng_domain::rectify::{ProblemStatus, RectifyRules, Source, Warning};
use qingfeng_store::rectify::{Env, ProblemFilter};
use qingfeng_test_support::TestDb;

#[tokio::test]
async fn the_demo_holds_a_whole_rectification_round() {
    let db = TestDb::sqlite().await;
    let report = qingfeng_demo::build(&db.store).await.expect("demo builds");
    let s = &report.rectify;
    let r = db.store.rectify();
    let all = [OrgPath::global()];
    let all = &all;
    let count = |f: ProblemFilter| {
        let r = db.store.rectify();
        async move { r.list(all, &f, PageRequest::default()).await.unwrap().total }
    };

    // The 巡察 and 督察 feedback of the round, and the 谈话 batch listed from
    // the 市生态环境局党组书记's collective 政治谈话 (see tests/orglife.rs).
    assert_eq!(s.batches, 3);
    assert_eq!(r.batches(all).await.unwrap().len(), 3);
    assert!(s.problems >= 55, "{} problems", s.problems);
    assert_eq!(count(ProblemFilter::default()).await, s.problems as i64);
    for status in ProblemStatus::ALL {
        let n = count(ProblemFilter { status: Some(status.as_str().into()), ..Default::default() }).await;
        assert!(n > 0, "no problem is {}", status.label().zh);
        assert_eq!(s.by_status.iter().find(|(st, _)| st == status).map(|x| x.1), Some(n));
    }

    let city = r.board(report.unit_ids["city"]).await.unwrap();
    let children: Counts = city.children.iter().map(|c| c.counts).sum();
    assert_eq!(city.total, city.direct + children);
    assert_eq!(city.total.total, s.problems as i64);
    assert!(city.total.relapsed >= 2, "relapses: {}", city.total.relapsed);
    assert!(city.total.red >= 3 && city.total.yellow >= 2, "{:?}", city.total);
    assert_eq!(city.total.paper, 1);
    assert!(city.total.closed * 10 >= city.total.total * 3, "many are closed: {:?}", city.total);
    // Both city-wide campaigns have problems filed under them, and not every problem is in one.
    assert_eq!(city.by_campaign.len(), 2, "{:?}", city.by_campaign);
    let filed: i64 = city.by_campaign.iter().map(|c| c.counts.total).sum();
    assert!(filed >= 8 && filed < city.total.total, "{filed} problems in campaigns");

    // The spot check: one failed finding, one passed.
    let checks = r.spot_checks(all).await.unwrap();
    assert_eq!(checks.len(), 1);
    let (_, items) = r.spot_check(checks[0].id).await.unwrap();
    let results: Vec<_> = items.iter().filter_map(|i| i.result.as_deref()).collect();
    assert!(results.contains(&"fail") && results.contains(&"pass"), "{results:?}");

    // Look-backs, extensions, escalations, flags, the public page.
    let cal = Calendar::builtin();
    let rules = RectifyRules::default();
    let env = Env { cal: &cal, rules: &rules, today: DEMO_TODAY };
    let flags = r.flags(&env, all).await.unwrap();
    assert_eq!(flags.shared.len(), 1, "one file used by two units");
    assert_eq!(flags.shared[0].units.len(), 2);
    assert_eq!(flags.predated.len(), 1);
    let mut confirmed = 0;
    let mut extensions = Vec::new();
    let mut escalated_to_eco_head = 0;
    let shuji = report.accounts.iter().find(|a| a.username == "shuji").unwrap().person.clone();
    for p in r.list(all, &ProblemFilter::default(), PageRequest::new(Some(1), Some(100))).await.unwrap().items {
        confirmed += r
            .closures(p.id)
            .await
            .unwrap()
            .iter()
            .filter(|c| c.lookback_result.as_deref() == Some("confirmed"))
            .count();
        extensions.extend(r.extensions(p.id).await.unwrap().into_iter().map(|x| x.status));
        let open = r.escalations(p.id).await.unwrap().iter().any(|e| e.resolved_on.is_none());
        if open && p.leader_name.as_deref() == Some(shuji.as_str()) {
            escalated_to_eco_head += 1;
            assert_eq!(p.warning(), Warning::Red);
        }
        // Problems listed from a talk have no 责任领导 or 责任人 yet: the store's
        // talk_to_problems sets only the lead unit.
        if p.source != Source::Talk.as_str() {
            assert!(p.owner_name.is_some() && p.leader_name.is_some());
        }
    }
    assert_eq!(confirmed, 2);
    extensions.sort();
    assert_eq!(extensions, ["approved", "pending"]);
    assert!(escalated_to_eco_head >= 2, "市生态环境局党组书记 has red problems escalated to them");
    assert_eq!(r.published(10).await.unwrap().len(), 3);
    assert!(
        !r.trend(report.unit_ids["city"], DEMO_TODAY.saturating_sub(jiff::Span::new().days(90)))
            .await
            .unwrap()
            .is_empty()
    );

    // Who has what to do on the demo's today.
    let eco = db.store.orgs().get(report.unit_ids["eco"]).await.unwrap().path;
    let city_path = db.store.orgs().get(report.unit_ids["city"]).await.unwrap().path;
    let sthj = r.todos(std::slice::from_ref(&eco), &[], None, DEMO_TODAY, 50).await.unwrap();
    assert!(!sthj.to_claim.is_empty() && !sthj.measures_due.is_empty());
    let jijian = r.todos(&[], std::slice::from_ref(&city_path), None, DEMO_TODAY, 50).await.unwrap();
    assert!(jijian.to_review.len() >= 4 && !jijian.extensions.is_empty() && !jijian.lookbacks.is_empty());

    assert!(r.recount().await.unwrap().is_empty());
    assert!(db.store.audit().verify().await.unwrap().is_ok());
}
