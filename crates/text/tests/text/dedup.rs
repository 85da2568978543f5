//! Near-duplicate detection (重复件) on realistic report texts.

use std::time::Instant;

use qingfeng_text::fingerprint::{
    DUPLICATE_THRESHOLD, Fingerprint, FingerprintError, LshParams, SIGNATURE_LEN, Signature, features, hamming,
    jaccard, simhash,
};
use qingfeng_text::tokens::tokenize;

use crate::synth::{Rng, random_report, reword, unrelated_same_subject};

const ORIGINAL: &str = "我实名反映青山县住建局副局长张某某的问题。\
张某某利用职务便利，在2023年为其小舅子承揽县城棚户区改造工程，从中收受好处费50万元。\
2022年3月，张某某在李家湾村污水管网工程验收中弄虚作假，虚报工程量，套取财政资金86万元。\
张某某长期接受宏达建设公司老板宴请，经常出入私人会所，费用均由该公司老板支付。\
以上问题请上级纪委调查处理。";

/// The same letter written again a month later: sentences reordered,
/// several words swapped, one sentence added, punctuation changed.
const REWORDED: &str = "举报青山县住建局副局长张某某！\
他长时间接受宏达建设公司负责人的吃请，经常出入私人会所，费用都由这家公司老板买单。\
2023年，张某某利用职务上的便利，为其小舅子承包县城棚户区改造工程，收取回扣50万元。\
此事在单位内部早已传开，大家敢怒不敢言。\
2022年3月李家湾村污水管网工程验收时，张某某造假，虚报工程量，骗取财政资金86万元。\
恳请纪委监委严肃查处。";

/// Another letter about the same deputy director of the same bureau, on
/// other facts.
const SAME_PERSON_OTHER_FACTS: &str = "现反映青山县住建局副局长张某某的违纪违法问题。\
张某某违规使用公车办私事，每逢周末驾驶单位公车回老家，群众多次看到。\
2021年10月，张某某为儿子操办婚礼，大宴宾客三十余桌，收受管理服务对象礼金12万元。\
张某某违规超标配备办公用房，并用公款购买高档家具。\
希望组织派人调查核实，给群众一个交代。";

fn sig(text: &str) -> Signature {
    Signature::of_text(text)
}

fn shares_band(a: &Signature, b: &Signature, params: LshParams) -> bool {
    a.band_keys(params).iter().zip(b.band_keys(params)).any(|(x, y)| *x == y)
}

#[test]
fn a_reworded_report_is_a_candidate_with_its_similarity() {
    let (a, b) = (sig(ORIGINAL), sig(REWORDED));
    let estimated = a.estimate_similarity(&b);
    let exact = jaccard(&tokenize(ORIGINAL), &tokenize(REWORDED));
    eprintln!("re-worded: estimated {estimated:.3}, exact {exact:.3}");
    assert!(shares_band(&a, &b, LshParams::DEFAULT));
    assert!(estimated >= DUPLICATE_THRESHOLD, "estimated {estimated}");
    assert!(exact >= DUPLICATE_THRESHOLD, "exact {exact}");
}

#[test]
fn an_unrelated_report_about_the_same_person_is_not_offered() {
    let (a, b) = (sig(ORIGINAL), sig(SAME_PERSON_OTHER_FACTS));
    let estimated = a.estimate_similarity(&b);
    let exact = jaccard(&tokenize(ORIGINAL), &tokenize(SAME_PERSON_OTHER_FACTS));
    eprintln!("same person, other facts: estimated {estimated:.3}, exact {exact:.3}");
    assert!(!shares_band(&a, &b, LshParams::DEFAULT));
    assert!(estimated < DUPLICATE_THRESHOLD / 2.0, "estimated {estimated}");
    assert!(exact < DUPLICATE_THRESHOLD / 2.0, "exact {exact}");
}

#[test]
fn an_exact_duplicate_matches_in_every_band() {
    let (a, b) = (Fingerprint::of_text(ORIGINAL), Fingerprint::of_text(&format!("  {ORIGINAL}\n")));
    assert_eq!(a.signature.estimate_similarity(&b.signature), 1.0);
    assert_eq!(a.jaccard(&b), 1.0);
    assert_eq!(a.band_keys(LshParams::DEFAULT), b.band_keys(LshParams::DEFAULT));
    assert_eq!(hamming(a.simhash, b.simhash), 0);
    // Full-width digits and punctuation do not make a copy look different.
    let full_width: String = ORIGINAL
        .chars()
        .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c })
        .collect();
    assert_eq!(sig(&full_width), a.signature);
}

#[test]
fn empty_punctuation_and_huge_inputs_never_panic() {
    for text in ["", "   \n\t", "，。！？……——“”", "的了和是在", "\u{0}\u{1}\u{fffd}\u{feff}"] {
        let f = Fingerprint::of_text(text);
        assert!(f.signature.is_empty(), "{text:?}");
        assert!(f.band_keys(LshParams::DEFAULT).is_empty());
        assert_eq!(f.signature.estimate_similarity(&f.signature), 0.0);
        assert_eq!(f.jaccard(&f), 0.0);
        assert_eq!(Signature::from_bytes(&f.signature.to_bytes()), Ok(f.signature.clone()));
    }
    // About 1 MB: the report repeated, plus a run of digits and of Latin.
    let mut huge = ORIGINAL.repeat(1_000_000 / ORIGINAL.len());
    huge.push_str(&"9".repeat(20_000));
    huge.push_str(&"x".repeat(20_000));
    let started = Instant::now();
    let f = Fingerprint::of_text(&huge);
    eprintln!("1 MB: {} tokens in {:?}", f.tokens.len(), started.elapsed());
    assert!(f.signature.estimate_similarity(&sig(ORIGINAL)) > 0.9);
    assert_eq!(f.band_keys(LshParams::new(64, 2).unwrap()).len(), 64);
}

#[test]
fn generated_reports_reworded_are_found_and_unrelated_ones_are_not() {
    let params = LshParams::DEFAULT;
    let mut rng = Rng::new(2024);
    let (mut found, mut offered, mut false_candidates, mut false_offers, mut same_person_offers) = (0, 0, 0, 0, 0);
    let n = 1000;
    for _ in 0..n {
        let (s, facts, sentences) = random_report(&mut rng);
        let original = sig(&sentences.concat());
        let again = sig(&reword(&mut rng, &s, &sentences, 1.0));
        if shares_band(&original, &again, params) {
            found += 1;
            if original.estimate_similarity(&again) >= DUPLICATE_THRESHOLD {
                offered += 1;
            }
        }
        // Two unrelated pairs per report: a random report, and one about
        // the same person on other facts.
        let (_, _, random) = random_report(&mut rng);
        let same_person = unrelated_same_subject(&mut rng, &s, &facts);
        for (i, other) in [random.concat(), same_person].iter().enumerate() {
            let other = sig(other);
            if shares_band(&original, &other, params) {
                false_candidates += 1;
                if original.estimate_similarity(&other) >= DUPLICATE_THRESHOLD {
                    false_offers += 1;
                    same_person_offers += i;
                }
            }
        }
    }
    eprintln!(
        "{n} re-worded: {found} candidates, {offered} offered; {} unrelated pairs: {false_candidates} candidates, \
         {false_offers} offered ({same_person_offers} about the same person)",
        2 * n
    );
    assert!(offered as f64 >= 0.95 * n as f64);
    assert!(false_candidates as f64 <= 0.01 * 2.0 * n as f64);
    assert!(false_offers as f64 <= 0.002 * 2.0 * n as f64);
}

#[test]
fn hashing_is_pinned() {
    // If this fails, stored fingerprints no longer match new ones: bump
    // SCHEME_VERSION and plan a re-fingerprinting of stored reports.
    let tokens = ["张某某", "收受", "好处费", "50万元"];
    let f = features(&tokens);
    assert_eq!(f.len(), 1 + 1 + 1 + 5 + 4);
    let s = Signature::from_features(&f);
    assert_eq!(&s.values()[..4], &[40348402, 236521470, 641887804, 69057416]);
    assert_eq!(&s.band_keys(LshParams::DEFAULT)[..2], &[821908936712957668, 560851450566949095]);
    assert_eq!(simhash(&f), 15031892502651227806);
    // Tokenising is pinned too (it depends on jieba's dictionary).
    assert_eq!(
        tokenize("青山县住建局副局长张某某在2023年为其小舅子承揽工程，收受好处费50万元。"),
        // 县 on its own is a single character and dropped.
        ["青山", "住建局", "副局长", "张某某", "2023年", "小舅子", "承揽", "工程", "收受", "好处费", "50万元"]
    );
}

#[test]
fn signature_bytes_round_trip_and_bad_bytes_are_refused() {
    let s = sig(ORIGINAL);
    let bytes = s.to_bytes();
    assert_eq!(bytes.len(), 3 + 4 * SIGNATURE_LEN);
    assert_eq!(Signature::from_bytes(&bytes), Ok(s));
    assert_eq!(Signature::from_bytes(&bytes[1..]), Err(FingerprintError::Length(bytes.len() - 1)));
    let mut other_version = bytes.clone();
    other_version[0] = 99;
    assert_eq!(Signature::from_bytes(&other_version), Err(FingerprintError::Version(99)));
    assert!(Signature::from_bytes(&[]).is_err());
}

#[test]
fn banding_is_validated_and_its_curve_is_an_s() {
    assert!(LshParams::new(0, 4).is_err());
    assert!(LshParams::new(33, 4).is_err());
    assert!(LshParams::new(usize::MAX, 2).is_err());
    let p = LshParams::new(32, 4).unwrap();
    assert_eq!((p.bands(), p.rows()), (32, 4));
    let d = LshParams::DEFAULT;
    assert!((d.threshold() - 0.525).abs() < 0.01);
    assert!(d.candidate_probability(0.2) < 0.01 && d.candidate_probability(0.7) > 0.98);
}
