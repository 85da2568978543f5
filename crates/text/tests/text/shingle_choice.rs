//! Why words with weighted fact words (run with `--ignored --nocapture` to
//! see the table): exact Jaccard of re-worded copies vs. unrelated reports
//! under several shingle schemes, the share of each class an LSH banding
//! would make candidates, and the best cut between the classes.

use std::collections::HashSet;

use qingfeng_text::tokens::{is_entity, tokenize};

use crate::synth::{Rng, random_report, reword, same_unit_same_kind, unrelated_same_subject};

fn set(tokens: &[String], unigrams: bool, k: usize) -> HashSet<String> {
    let mut out = HashSet::new();
    if unigrams {
        out.extend(tokens.iter().cloned());
    }
    if k >= 10 {
        for t in tokens.iter().filter(|t| is_entity(t)) {
            for i in 0..k / 10 {
                out.insert(format!("{t}\u{1e}{i}"));
            }
        }
    }
    if (2..10).contains(&k) {
        out.extend(tokens.windows(k).map(|w| w.join("\u{1f}")));
    }
    out
}

fn jac(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let i = a.intersection(b).count();
    let u = a.len() + b.len() - i;
    if u == 0 { 0.0 } else { i as f64 / u as f64 }
}

/// The threshold that best separates the two samples, and the share of
/// each it gets wrong there.
fn best_cut(re: &[f64], un: &[f64]) -> String {
    let mut best = (f64::MAX, 0.0, 0.0, 0.0);
    for t in (1..100).map(|t| t as f64 / 100.0) {
        let miss = re.iter().filter(|&&x| x < t).count() as f64 / re.len() as f64;
        let fp = un.iter().filter(|&&x| x >= t).count() as f64 / un.len() as f64;
        if miss + fp < best.0 {
            best = (miss + fp, t, miss, fp);
        }
    }
    format!("cut {:.2}: missed {:.1}% false {:.1}%", best.1, best.2 * 100.0, best.3 * 100.0)
}

fn quantiles(mut v: Vec<f64>) -> String {
    v.sort_by(f64::total_cmp);
    let q = |p: f64| v[((v.len() - 1) as f64 * p) as usize];
    format!("min {:.2} p05 {:.2} p50 {:.2} p95 {:.2} max {:.2}", q(0.0), q(0.05), q(0.5), q(0.95), q(1.0))
}

/// (name, with words, k): k in 2..10 adds word k-shingles, k = 10·c adds
/// c more copies of each entity (weight c + 1; the shipped scheme is x5).
const SCHEMES: [(&str, bool, usize); 7] = [
    ("words, entities x3", true, 20),
    ("words, entities x5", true, 40),
    ("words", true, 1),
    ("pairs", false, 2),
    ("words+pairs", true, 2),
    ("triples", false, 3),
    ("words+triples", true, 3),
];
const CLASSES: [&str; 5] =
    ["reworded 0.5", "reworded 1.0", "same person, other facts", "same unit+facts, other person", "random pair"];
const BANDINGS: [(i32, i32); 4] = [(32, 4), (42, 3), (25, 5), (21, 6)];

#[test]
#[ignore = "prints the measurements behind the shingle choice"]
fn shingle_choice_table() {
    let mut rng = Rng::new(7);
    // sims[scheme][class] = exact Jaccard samples
    let mut sims = vec![vec![Vec::new(); CLASSES.len()]; SCHEMES.len()];
    for _ in 0..500 {
        let (s, facts, sentences) = random_report(&mut rng);
        let original = tokenize(&sentences.concat());
        let (_, _, random) = random_report(&mut rng);
        let others = [
            reword(&mut rng, &s, &sentences, 0.5),
            reword(&mut rng, &s, &sentences, 1.0),
            unrelated_same_subject(&mut rng, &s, &facts),
            same_unit_same_kind(&mut rng, &s, &facts),
            random.concat(),
        ];
        for (i, (_, uni, k)) in SCHEMES.iter().enumerate() {
            let o = set(&original, *uni, *k);
            for (c, text) in others.iter().enumerate() {
                sims[i][c].push(jac(&o, &set(&tokenize(text), *uni, *k)));
            }
        }
    }
    for ((name, _, _), classes) in SCHEMES.iter().zip(&sims) {
        eprintln!("== {name}");
        for (class, v) in CLASSES.iter().zip(classes) {
            let p_cand: Vec<String> = BANDINGS
                .iter()
                .map(|&(b, r)| {
                    let p = v.iter().map(|s| 1.0 - (1.0 - s.powi(r)).powi(b)).sum::<f64>() / v.len() as f64;
                    format!("{b}x{r}:{:.4}", p)
                })
                .collect();
            eprintln!("  {class:30} {}  P(candidate) {}", quantiles(v.clone()), p_cand.join(" "));
        }
        for c in 2..CLASSES.len() {
            eprintln!("  vs {:30} reworded 1.0 {}", CLASSES[c], best_cut(&classes[1], &classes[c]));
        }
    }
}
