//! The search index as the registrar's page uses it: Chinese words,
//! scope, kind, deletion, reopening, and queries that must not break it.

use jiff::civil::date;
use qingfeng_domain::org::OrgPath;
use qingfeng_search::{Doc, DocKind, SearchIndex, WriterOptions};
use uuid::Uuid;

struct Tree {
    city: OrgPath,
    county_a: OrgPath,
    bureau_a: OrgPath,
    county_b: OrgPath,
    bureau_b: OrgPath,
}

fn tree() -> Tree {
    let city = OrgPath::top(Uuid::now_v7());
    let county_a = city.child(Uuid::now_v7());
    let bureau_a = county_a.child(Uuid::now_v7());
    let county_b = city.child(Uuid::now_v7());
    let bureau_b = county_b.child(Uuid::now_v7());
    Tree { city, county_a, bureau_a, county_b, bureau_b }
}

fn doc(kind: DocKind, unit: &OrgPath, title: &str, text: &str) -> Doc {
    Doc {
        id: Uuid::now_v7(),
        kind,
        unit_paths: vec![unit.clone()],
        title: title.to_string(),
        text: text.to_string(),
        received_on: date(2026, 2, 12),
    }
}

fn ids(hits: &[qingfeng_search::Hit]) -> Vec<Uuid> {
    hits.iter().map(|h| h.id).collect()
}

#[test]
fn chinese_words_are_found_and_highlighted() {
    let t = tree();
    let mut index = SearchIndex::in_ram().unwrap();
    let card = doc(
        DocKind::Report,
        &t.bureau_a,
        "反映住建局副局长张某某",
        "张某某在执法检查中不予处罚，事后违规收受购物卡5千元。",
    );
    let fee = doc(DocKind::Report, &t.bureau_a, "举报", "王某某为其弟弟承揽工程，收受好处费30万元，在ＫＴＶ消费。");
    let other = doc(DocKind::Report, &t.bureau_a, "举报", "李某某长期在农家乐打麻将赌博。");
    index.upsert(&[card.clone(), fee.clone(), other]).unwrap();
    index.commit().unwrap();
    let scope = [t.city.clone()];

    let hits = index.search("购物卡", &scope, None, 10).unwrap();
    assert_eq!(ids(&hits), [card.id]);
    assert_eq!(hits[0].kind, DocKind::Report);
    assert_eq!(hits[0].received_on, date(2026, 2, 12));
    let html = hits[0].snippet.to_html();
    assert!(html.contains("<b>购物</b><b>卡</b>") || html.contains("<b>购物卡</b>"), "{html}");

    // A word inside a longer indexed word, full-width and Latin forms,
    // a title word, and several words that must all occur.
    assert_eq!(ids(&index.search("好处", &scope, None, 10).unwrap()), [fee.id]);
    assert_eq!(ids(&index.search("ktv", &scope, None, 10).unwrap()), [fee.id]);
    assert_eq!(ids(&index.search("ＫＴＶ 好处费", &scope, None, 10).unwrap()), [fee.id]);
    assert_eq!(ids(&index.search("30万元", &scope, None, 10).unwrap()), [fee.id]);
    assert_eq!(ids(&index.search("住建局", &scope, None, 10).unwrap()), [card.id]);
    assert_eq!(ids(&index.search("张某某", &scope, None, 10).unwrap()), [card.id]);
    assert!(index.search("购物卡 好处费", &scope, None, 10).unwrap().is_empty());
    let title_hit = index.search("住建局", &scope, None, 10).unwrap();
    assert!(title_hit[0].snippet.to_html().contains("<b>住建局</b>"));
}

#[test]
fn scope_is_part_of_the_query() {
    let t = tree();
    let mut index = SearchIndex::in_ram().unwrap();
    // Many strong matches in county B, a few weak ones in county A.
    let mut docs = Vec::new();
    for _ in 0..50 {
        docs.push(doc(DocKind::Report, &t.bureau_b, "购物卡", "收受购物卡，收受购物卡，又收受购物卡。"));
    }
    let in_a: Vec<Doc> = (0..3)
        .map(|i| {
            doc(
                DocKind::Report,
                &t.bureau_a,
                "举报",
                &format!("第{i}件：逢年过节收受购物卡。{}", "其他情况。".repeat(40)),
            )
        })
        .collect();
    docs.extend(in_a.iter().cloned());
    docs.push(doc(DocKind::Report, &t.county_a, "举报", "县委本级收受购物卡。"));
    index.upsert(&docs).unwrap();
    index.commit().unwrap();

    let hits = index.search("购物卡", std::slice::from_ref(&t.bureau_a), None, 3).unwrap();
    let mut got = ids(&hits);
    got.sort();
    let mut want: Vec<Uuid> = in_a.iter().map(|d| d.id).collect();
    want.sort();
    assert_eq!(got, want, "the top 3 within scope, not 3 minus those outside");

    // The county sees its own unit and the bureau under it, not county B.
    let county = index.search("购物卡", std::slice::from_ref(&t.county_a), None, 100).unwrap();
    assert_eq!(county.len(), 4);
    assert!(county.iter().all(|h| !docs[..50].iter().any(|d| d.id == h.id)));
    // Several scopes, the global scope, and no scope at all.
    assert_eq!(index.search("购物卡", &[t.county_a.clone(), t.county_b.clone()], None, 100).unwrap().len(), 54);
    assert_eq!(index.search("购物卡", &[OrgPath::global()], None, 100).unwrap().len(), 54);
    assert!(index.search("购物卡", &[], None, 100).unwrap().is_empty());
    // A unit beside the scope with the same start of its text is not in it.
    let sibling = t.city.child(Uuid::now_v7());
    assert!(index.search("购物卡", &[sibling], None, 100).unwrap().is_empty());
}

#[test]
fn kind_filter() {
    let t = tree();
    let mut index = SearchIndex::in_ram().unwrap();
    let report = doc(DocKind::Report, &t.bureau_a, "举报", "违规发放津贴补贴。");
    let lead = doc(DocKind::Lead, &t.bureau_a, "线索", "违规发放津贴补贴，涉及金额较大。");
    index.upsert(&[report.clone(), lead.clone()]).unwrap();
    index.commit().unwrap();
    let scope = [t.county_a.clone()];
    assert_eq!(ids(&index.search("津贴补贴", &scope, Some(DocKind::Lead), 10).unwrap()), [lead.id]);
    assert_eq!(ids(&index.search("津贴补贴", &scope, Some(DocKind::Report), 10).unwrap()), [report.id]);
    assert_eq!(index.search("津贴补贴", &scope, None, 10).unwrap().len(), 2);
}

#[test]
fn delete_and_replace() {
    let t = tree();
    let mut index = SearchIndex::in_ram().unwrap();
    let mut a = doc(DocKind::Report, &t.bureau_a, "举报", "公款吃喝。");
    let b = doc(DocKind::Report, &t.bureau_a, "举报", "公款吃喝，超标准接待。");
    index.upsert(&[a.clone(), b.clone()]).unwrap();
    index.commit().unwrap();
    let scope = [t.city.clone()];
    assert_eq!(index.search("公款吃喝", &scope, None, 10).unwrap().len(), 2);

    index.delete(b.id);
    index.delete(Uuid::now_v7()); // not indexed: nothing happens
    index.commit().unwrap();
    assert_eq!(ids(&index.search("公款吃喝", &scope, None, 10).unwrap()), [a.id]);

    // Re-indexing a record replaces it, also when it moved to another unit.
    a.text = "公车私用。".to_string();
    a.unit_paths = vec![t.bureau_b.clone()];
    index.upsert(&[a.clone()]).unwrap();
    index.commit().unwrap();
    assert_eq!(index.len(), 1);
    assert!(index.search("公款吃喝", &scope, None, 10).unwrap().is_empty());
    assert!(index.search("公车私用", std::slice::from_ref(&t.county_a), None, 10).unwrap().is_empty());
    assert_eq!(ids(&index.search("公车私用", std::slice::from_ref(&t.county_b), None, 10).unwrap()), [a.id]);
}

#[test]
fn reopening_an_index_on_disk() {
    let t = tree();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search");
    let d = doc(DocKind::Lead, &t.bureau_a, "问题线索", "村支书优亲厚友，违规办理低保。");
    {
        let mut index = SearchIndex::open_or_create(&path).unwrap();
        index.upsert(std::slice::from_ref(&d)).unwrap();
        index.upsert(&[doc(DocKind::Report, &t.bureau_a, "未提交", "优亲厚友。")]).unwrap();
        index.commit().unwrap();
        index.upsert(&[doc(DocKind::Report, &t.bureau_a, "未提交", "优亲厚友。")]).unwrap();
        // dropped without commit: the last document is lost
    }
    let options = WriterOptions { threads: 2, memory_bytes: 40_000_000 };
    let index = SearchIndex::open_or_create_with(&path, options).unwrap();
    assert_eq!(index.len(), 2);
    let hits = index.search("低保", std::slice::from_ref(&t.city), None, 10).unwrap();
    assert_eq!(ids(&hits), [d.id]);
    assert_eq!(hits[0].kind, DocKind::Lead);
}

#[test]
fn odd_queries_and_documents_do_not_break_it() {
    let t = tree();
    let mut index = SearchIndex::in_ram().unwrap();
    let odd = [
        "",
        "\u{0}\u{feff}\u{200b}",
        "<script>alert('x')</script> & 购物卡",
        "𠀀𠀁𪚥 e\u{301}\u{301}\u{301} עברית العربية 🙂👨‍👩‍👧",
        &"购".repeat(100_000),
        &"x".repeat(100_000),
        &"1".repeat(10_000),
    ];
    for (i, text) in odd.iter().enumerate() {
        index.upsert(&[doc(DocKind::Report, &t.bureau_a, text, &format!("{text}{i}"))]).unwrap();
    }
    index.commit().unwrap();
    let scope = [t.city.clone()];
    let queries = [
        "",
        " ",
        "\"",
        ":",
        "(",
        ")",
        "*",
        "\"住建局\" AND (好处费*) OR title:x^2 -y +z ~2 [a TO b] {c} \\",
        "，。！？",
        "的了和",
        "\u{0}",
        "🙂",
        "𠀀",
        "e\u{301}",
        &"购物卡".repeat(10_000),
        &"查".repeat(1_000_000),
    ];
    for q in queries {
        for limit in [0, 1, 10, usize::MAX] {
            let hits = index.search(q, &scope, None, limit).unwrap();
            assert!(hits.len() <= limit.min(qingfeng_search::MAX_LIMIT));
            for h in hits {
                let _ = h.snippet.to_html();
            }
        }
    }
    // HTML in a document is escaped in the snippet.
    let hits = index.search("购物卡", &scope, None, 10).unwrap();
    let html = hits.iter().map(|h| h.snippet.to_html()).collect::<String>();
    assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"), "{html}");
}

#[test]
fn a_record_under_two_units_is_found_from_either_and_not_from_outside() {
    let t = tree();
    let mut index = SearchIndex::in_ram().unwrap();
    let mut d = doc(DocKind::Report, &t.bureau_a, "举报", "违规发放津贴补贴，从专项经费列支。");
    d.unit_paths.push(t.bureau_b.clone());
    index.upsert(std::slice::from_ref(&d)).unwrap();
    index.commit().unwrap();
    for scope in [&t.bureau_a, &t.county_b, &t.city] {
        assert_eq!(ids(&index.search("津贴补贴", std::slice::from_ref(scope), None, 10).unwrap()), [d.id], "{scope:?}");
    }
    let elsewhere = t.city.child(Uuid::now_v7());
    assert!(index.search("津贴补贴", &[elsewhere], None, 10).unwrap().is_empty());
}
