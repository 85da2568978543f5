use jiff::civil::date;
use qingfeng_domain::leads::intake::ReportInput;
use qingfeng_seal::{Keyring, ReceiptCode, ReceiptHasher, ReporterIdentity, SealKey};
use qingfeng_store::StoreError;
use qingfeng_store::Who;
use qingfeng_store::leads::{NewReport, Report};
use qingfeng_test_support::Fixture;
use qingfeng_test_support::fixtures::who;
use qingfeng_text::fingerprint::Signature;
use uuid::Uuid;

const NAME: &str = "欧阳明远";
const ID_NUMBER: &str = "11010519491231002X";
const PHONE: &str = "13912345678";

fn code(e: StoreError) -> &'static str {
    match e {
        StoreError::Refused(r) => r.code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn fingerprint(text: &str) -> (Vec<u8>, Vec<i64>) {
    let sig = Signature::of_text(text);
    (sig.to_bytes(), sig.stored_band_keys())
}

fn input(content: &str, real: bool) -> ReportInput {
    ReportInput {
        kind: "accusation".into(),
        channel: "online".into(),
        category: "integrity".into(),
        reported_name: "王某某".into(),
        reported_unit: "丰林县自然资源局".into(),
        reported_level: "township_or_below".into(),
        title: "反映王某某违规收受购物卡问题".into(),
        content: content.into(),
        real_name: real,
        reporter_name: if real { NAME.into() } else { String::new() },
        reporter_id_number: if real { ID_NUMBER.into() } else { String::new() },
        reporter_phone: if real { PHONE.into() } else { String::new() },
        ..Default::default()
    }
}

const FIRST: &str = "丰林县自然资源局王某某在2025年春节期间收受辖区内三家砂石企业购物卡共计2万元，并多次接受企业老板宴请，在办理采矿许可证延续时为其提供便利。";
const REWORDED: &str = "王某某（丰林县自然资源局）在办理采矿许可证延续时为三家砂石企业提供便利，2025年春节期间收受这些企业的购物卡共计2万元，还多次接受老板宴请。";
const UNRELATED: &str = "丰林县自然资源局办公楼装修工程未按规定公开招标，由局里临时指定施工单位，工程款超出预算较多，群众意见较大。";

crate::on_both_engines! {
    async fn a_real_name_report_is_sealed_followed_by_receipt_deduplicated_and_released_once(db) {
        let f = Fixture::build(&db.store).await;
        let l = db.store.leads();
        let keys = Keyring::new(SealKey::generate("office-2026").unwrap());
        let hasher = ReceiptHasher::new(b"deployment-salt-for-tests").unwrap();
        let today = date(2026, 2, 12);
        let submit = |content: &'static str, real: bool| {
            let store = db.store.clone();
            let keys = &keys;
            let hasher = &hasher;
            let intake = f.city.id;
            async move {
                let spec = input(content, real).validate(false, today, |_| false).unwrap();
                let id = Uuid::now_v7();
                let sealed = spec.reporter.as_ref().map(|r| {
                    let ident = ReporterIdentity { name: r.name.clone(), id_number: r.id_number.clone(), phone: r.phone.clone(), unit: String::new(), address: String::new() };
                    ident.seal(keys, id.as_bytes()).unwrap().as_str().to_string()
                });
                let code = ReceiptCode::generate().unwrap();
                let hash = hasher.hash(&code).unwrap();
                let (sig, bands) = fingerprint(content);
                let n = NewReport {
                    id, spec: &spec, identity_sealed: sealed.as_deref(), receipt_hash: Some(&hash), intake_unit_id: intake,
                    received_on: today, accept_due: date(2026, 2, 26), notice_due: real.then_some(date(2026, 3, 11)),
                    signature: &sig, band_keys: &bands, files: &[],
                };
                let r = store.leads().submit(&Who::system("public"), &n).await.unwrap();
                (r, code)
            }
        };
        let (first, receipt) = submit(FIRST, true).await;
        assert!(first.real_name && first.identity_sealed.as_deref().is_some_and(|s| s.starts_with("v1:office-2026:")));
        // Followed by the receipt code: only its hash is stored.
        let again = l.by_receipt(&hasher.hash(&receipt).unwrap()).await.unwrap();
        assert_eq!(again.id, first.id);
        let other = ReceiptCode::generate().unwrap();
        assert!(matches!(l.by_receipt(&hasher.hash(&other).unwrap()).await, Err(StoreError::NotFound)));
        l.add_message(&Who::system("public"), first.id, "reporter", "补充：宴请地点在县城某酒店").await.unwrap();
        l.add_message(&who(), first.id, "office", "已收到，正在核实").await.unwrap();
        assert_eq!(l.messages(first.id).await.unwrap().len(), 2);

        // A re-worded copy is a candidate above the threshold; an unrelated report about the same unit is not.
        let (copy, _) = submit(REWORDED, false).await;
        let (other_r, _) = submit(UNRELATED, false).await;
        let similar = |r: &Report| {
            let store = db.store.clone();
            let r = r.clone();
            async move {
                let (sig, bands) = fingerprint(&r.content);
                let me = Signature::from_bytes(&sig).unwrap();
                let mut v: Vec<(Uuid, f64)> = store.leads().candidates(&bands, Some(r.id), 50).await.unwrap().into_iter()
                    .map(|c| (c.report_id, me.estimate_similarity(&Signature::from_bytes(&c.signature).unwrap())))
                    .filter(|(_, s)| *s >= qingfeng_text::fingerprint::DUPLICATE_THRESHOLD)
                    .collect();
                v.sort_by(|a, b| b.1.total_cmp(&a.1));
                v
            }
        };
        let found = similar(&copy).await;
        assert_eq!(found.first().map(|x| x.0), Some(first.id), "{found:?}");
        assert!(similar(&other_r).await.iter().all(|(id, _)| *id != first.id));
        let dup = l.mark_duplicate(&who(), copy.id, first.id, (found[0].1 * 100.0).round() as i64).await.unwrap();
        assert_eq!((dup.status.as_str(), dup.duplicate_of), ("duplicate", Some(first.id)));
        assert_eq!(l.duplicates_of(first.id).await.unwrap().len(), 1);

        // Registration numbers run per series and year.
        let a = l.accept(&who(), first.id, f.bureau_a.id, "integrity", today).await.unwrap();
        assert_eq!(a.reg_no.as_deref(), Some("JB-2026-000001"));
        let b = l.accept(&who(), other_r.id, f.bureau_a.id, "integrity", today).await.unwrap();
        assert_eq!(b.reg_no.as_deref(), Some("JB-2026-000002"));
        assert_eq!(code(l.accept(&who(), first.id, f.bureau_a.id, "integrity", today).await.unwrap_err()), "not_received");

        // The identity: asked with a reason, decided by a second person, read once.
        let handler = Who::account(f.officer.id, "officer");
        let second = Who::account(f.auditor.id, "auditor");
        let rel = l.request_release(&handler, first.id, "核实需要与举报人当面了解情况").await.unwrap();
        assert_eq!(code(l.decide_release(&handler, rel.id, true, None).await.unwrap_err()), "four_eyes");
        assert_eq!(code(l.read_release(&handler, rel.id).await.unwrap_err()), "not_approved");
        l.decide_release(&second, rel.id, true, Some("同意")).await.unwrap();
        assert!(matches!(l.read_release(&second, rel.id).await, Err(StoreError::NotFound)), "only the one who asked reads");
        let (rid, sealed) = l.read_release(&handler, rel.id).await.unwrap();
        let ident = ReporterIdentity::open(&keys, &qingfeng_seal::Sealed::parse(&sealed).unwrap(), rid.as_bytes()).unwrap();
        assert_eq!((ident.name.as_str(), ident.id_number.as_str(), ident.phone.as_str()), (NAME, ID_NUMBER, PHONE));
        assert_eq!(code(l.read_release(&handler, rel.id).await.unwrap_err()), "already_read");
        assert_eq!(code(l.request_release(&handler, copy.id, "核实需要联系").await.unwrap_err()), "anonymous");
        assert!(db.store.audit().verify().await.unwrap().is_ok());

        // Nowhere in the database file is the identity in the clear.
        if let Some(dir) = db.guard() {
            let mut bytes = Vec::new();
            for e in std::fs::read_dir(dir.path()).unwrap() {
                bytes.extend(std::fs::read(e.unwrap().path()).unwrap());
            }
            assert!(bytes.len() > 10_000);
            let text = String::from_utf8_lossy(&bytes);
            assert!(text.contains("砂石企业"), "the content is stored in the clear (sanity check of the scan)");
            for secret in [NAME, ID_NUMBER, PHONE] {
                assert!(!text.contains(secret), "{secret} is in the database file");
            }
        }
    }
}
