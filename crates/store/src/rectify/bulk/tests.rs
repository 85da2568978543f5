use super::*;
use crate::Settings;
use sqlx::AssertSqlSafe;
use std::path::Path;
use qingfeng_domain::page::PageRequest;

/// A fresh SQLite store, and a PostgreSQL one when `QINGFENG_TEST_PG_URL` is set.
async fn stores(dir: &Path) -> Vec<Store> {
    let mut out =
        vec![Store::open(&format!("sqlite://{}/bulk.db", dir.display()), Settings::default()).await.unwrap()];
    if let Ok(url) = std::env::var("QINGFENG_TEST_PG_URL")
        && !url.is_empty()
    {
        let name = format!("qf_bulk_{}", Uuid::now_v7().simple());
        let admin = sqlx::PgPool::connect(&url).await.unwrap();
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.unwrap();
        admin.close().await;
        let (base, query) =
            url.split_once('?').map_or((url.as_str(), String::new()), |(b, q)| (b, format!("?{q}")));
        let server = base.rsplit_once('/').map_or(base, |(s, _)| s);
        out.push(Store::open(&format!("{server}/{name}{query}"), Settings::default()).await.unwrap());
    }
    out
}

async fn indexes(store: &Store) -> Vec<(String, String)> {
    match &store.pool {
        Pool::Sqlite(p) => sqlx::query_as(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'problems' AND sql IS NOT NULL ORDER BY name",
        )
        .fetch_all(p)
        .await
        .unwrap(),
        Pool::Postgres(p) => sqlx::query_as(
            "SELECT indexname::text, indexdef FROM pg_indexes WHERE tablename = 'problems' ORDER BY indexname",
        )
        .fetch_all(p)
        .await
        .unwrap(),
    }
}

#[tokio::test]
async fn a_bulk_load_gives_the_tallies_a_recount_gives() {
    let dir = tempfile::tempdir().unwrap();
    for store in stores(dir.path()).await {
        check(&store).await;
    }
}

async fn check(store: &Store) {
    let root = Uuid::now_v7();
    let top = OrgPath::top(root);
    let mut units = vec![NewUnit {
        id: root,
        parent_id: None,
        kind: OrgKind::PartyCommittee,
        name: "省委".into(),
        short_name: None,
        path: top.clone(),
        sort_order: 0,
    }];
    for i in 0..3 {
        let id = Uuid::now_v7();
        units.push(NewUnit {
            id,
            parent_id: Some(root),
            kind: OrgKind::Branch,
            name: format!("第{i}支部"),
            short_name: None,
            path: top.child(id),
            sort_order: i,
        });
    }
    let campaign = NewCampaign { id: Uuid::now_v7(), org_unit_id: root, name: "专项整治".into() };
    let batch = NewBatch {
        id: Uuid::now_v7(),
        source: Source::Patrol,
        reference: "巡察反馈〔2025〕1号".into(),
        issuing_unit_id: root,
        issued_on: "2025-03-01".into(),
        summary: None,
    };
    let statuses = [
        ProblemStatus::Unclaimed,
        ProblemStatus::InProgress,
        ProblemStatus::ClosureRequested,
        ProblemStatus::Closed,
    ];
    let problems: Vec<NewProblem> = (0..40)
        .map(|i| {
            let status = statuses[i % 4];
            let closed = status == ProblemStatus::Closed;
            NewProblem {
                id: Uuid::now_v7(),
                batch_id: batch.id,
                seq: i as i64 + 1,
                description: format!("问题{i}"),
                root_cause: RootCause::ALL[i % RootCause::ALL.len()],
                eight_rules: None,
                campaign_id: (i % 3 == 0).then_some(campaign.id),
                lead_unit_id: units[i % units.len()].id,
                leader_id: None,
                owner_id: None,
                deadline: "2025-09-30".into(),
                status,
                warning: if closed { Warning::Done } else { Warning::ALL[i % 3] },
                warning_reason: String::new(),
                progress: 0,
                relapsed: i % 7 == 0,
                paper: i % 11 == 1,
                requested_on: None,
                closed_on: closed.then(|| "2025-06-01".into()),
                lookback_due: closed.then(|| "2025-12-01".into()),
            }
        })
        .collect();
    let before = indexes(store).await;
    assert!(before.len() >= 5, "{before:?}");
    let loaded = load(store, units, [campaign], [batch.clone()], problems.clone()).await.unwrap();
    assert_eq!((loaded.units, loaded.campaigns, loaded.batches, loaded.problems), (4, 1, 1, 40));
    assert_eq!(indexes(store).await, before);
    let r = store.rectify();
    assert!(r.recount().await.unwrap().is_empty());
    let board = r.board(root).await.unwrap();
    assert_eq!(board.total.total, 40);
    assert_eq!(board.direct.total, 10);
    assert_eq!(board.children.len(), 3);
    assert_eq!(board.by_campaign.iter().map(|c| c.counts.total).sum::<i64>(), 14);
    let list = r.list(&[top], &Default::default(), PageRequest::default()).await.unwrap();
    assert_eq!((list.total, list.items.len()), (40, 20));
    // The store's own rebuild writes the same rows.
    assert_eq!(r.rebuild_tallies().await.unwrap() as u64, loaded.tallies);
    assert!(r.recount().await.unwrap().is_empty());

    // A second load adds to what is there.
    let batch2 =
        NewBatch { id: Uuid::now_v7(), source: Source::Audit, reference: "审计〔2025〕2号".into(), ..batch };
    let more: Vec<NewProblem> = problems
        .into_iter()
        .take(10)
        .map(|p| NewProblem { id: Uuid::now_v7(), batch_id: batch2.id, campaign_id: None, ..p })
        .collect();
    load(store, [], [], [batch2], more).await.unwrap();
    assert!(r.recount().await.unwrap().is_empty());
    assert_eq!(r.board(root).await.unwrap().total.total, 50);
    assert_eq!(indexes(store).await, before);
}
