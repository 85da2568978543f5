//! The round as dated events: what happens to each problem, and when.

use super::data::{Fate, P, Quirk};
use super::{
    BATCHES, Batch, DEMO_TODAY, PUBLISH_ON, RATINGS, SEED_ROUND, SHARED_FILE, SPOT_DRAWN, SPOT_VISITED, files,
};
use jiff::Span;
use jiff::civil::{Date, Weekday, date};
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::rectify::schedule::{Milestone, actual_percent, expected_percent};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One step of the round, run with its date as "today".
#[derive(Debug)]
pub enum Ev {
    Batch(usize),
    Create(usize),
    Claim(usize),
    Measures(usize),
    /// Evidence for measure `m` of problem `p`.
    Evidence {
        p: usize,
        m: usize,
        note: Option<String>,
        file: Option<(String, Vec<u8>)>,
        dated: Date,
    },
    Complete {
        p: usize,
        m: usize,
    },
    Request(usize),
    Return(usize),
    Close(usize),
    Confirm(usize),
    Relapse(usize),
    /// The measure added after a relapse or a failed spot check.
    LaterMeasure(usize),
    AskExtension(usize),
    DecideExtension(usize),
    SpotDraw,
    SpotVisit,
    Publish,
    Rate(usize),
    /// The weekly warning job (it also records the day for the trend).
    Job,
}

pub fn days(d: Date, n: i64) -> Date {
    d.checked_add(Span::new().days(n)).unwrap_or(d)
}

pub fn between(a: Date, b: Date) -> i64 {
    a.until(b).map(|s| i64::from(s.get_days())).unwrap_or(0)
}

pub fn working(cal: &Calendar, mut d: Date, step: i64) -> Date {
    for _ in 0..20 {
        if cal.is_working_day(d).value {
            break;
        }
        d = days(d, step);
    }
    d
}

/// Planning: turns the data into dated events.
struct Planner<'a> {
    cal: &'a Calendar,
    rng: ChaCha8Rng,
    files: u32,
    events: Vec<(Date, Ev)>,
}

impl Planner<'_> {
    fn at(&mut self, d: Date, e: Ev) {
        self.events.push((d, e));
    }

    fn file(&mut self, name: String, photo: bool, code: &str, dated: Date) -> (String, Vec<u8>) {
        self.files += 1;
        let n = self.files;
        let bytes = if photo {
            files::png(&format!("Qingfeng demo photo {n} (fictional), {code}, {dated}"), n)
        } else {
            files::pdf(&[
                "Qingfeng demo evidence (fictional, Anlan City)".into(),
                format!("Problem {code}, file no. {n}"),
                format!("Dated {dated}"),
            ])
        };
        (name, bytes)
    }

    /// Evidence for a measure done on `on`: a note, a file, or both.
    fn evidence(&mut self, i: usize, p: &P, m: usize, title: &str, on: Date, code: &str) {
        let roll = self.rng.random_range(0..100);
        let note = files::note(title, p.unit, on, &mut self.rng);
        let (note, file) = if m == 0 && p.quirk == Quirk::SharedFile {
            let bytes =
                files::pdf(&["Qingfeng demo evidence (fictional)".into(), "Dust control rectification report".into()]);
            (Some(note), Some((SHARED_FILE.to_string(), bytes)))
        } else if roll < 60 {
            (Some(note), None)
        } else {
            let (name, photo) = files::file_name(title, p.unit, on);
            (if roll < 85 { Some(note) } else { None }, Some(self.file(name, photo, code, on)))
        };
        self.at(on, Ev::Evidence { p: i, m, note, file, dated: on });
        if m == 0 && p.quirk == Quirk::Predated {
            let dated = date(2026, 4, 22);
            let file = self.file("会议纪要（2026年第4次党组会）.pdf".into(), false, code, dated);
            let note = Some("党组会研究整改调度工作的会议纪要".to_string());
            self.at(on, Ev::Evidence { p: i, m, note, file: Some(file), dated });
        }
    }

    fn problem(&mut self, i: usize, b: &Batch, p: &P, code: &str) {
        let cal = self.cal;
        if let Fate::Unclaimed(on) = p.fate {
            self.at(on, Ev::Create(i));
            return;
        }
        self.at(b.issued, Ev::Create(i));
        let claim = working(cal, days(b.issued, self.rng.random_range(3..=8)), 1);
        let added = working(cal, days(claim, self.rng.random_range(1..=4)), 1);
        self.at(claim, Ev::Claim(i));
        self.at(added, Ev::Measures(i));

        let n = p.measures.len();
        let milestones: Vec<Milestone> =
            p.schedule.iter().map(|&(date, percent)| Milestone { date, percent }).collect();
        let expected = expected_percent(&milestones, DEMO_TODAY);
        let on_track = (0..=n).find(|&k| actual_percent(k as u32, n as u32) >= expected).unwrap_or(n);
        let on_track = on_track.max(n.div_ceil(2)).min(n.saturating_sub(1));
        let behind = (0..n).rev().find(|&k| actual_percent(k as u32, n as u32) < expected).unwrap_or(0).min(1);
        let mut request = None;
        let (done, end) = match p.fate {
            Fate::Closed(c)
            | Fate::Confirmed { closed: c, .. }
            | Fate::Relapsed { closed: c, .. }
            | Fate::Spot { closed: c, .. } => {
                let r = working(cal, days(c, -self.rng.random_range(3..=9)), -1);
                request = Some(r);
                (n, days(r, -1))
            }
            Fate::Requested(r) | Fate::Returned { requested: r, .. } => {
                request = Some(r);
                (n, days(r, -1))
            }
            Fate::OnTrack | Fate::Unclaimed(_) => (on_track, days(DEMO_TODAY, -10)),
            Fate::Behind => (behind, days(DEMO_TODAY, -30)),
            Fate::Overdue => (n.saturating_sub(1), days(p.deadline.min(DEMO_TODAY), -5)),
            Fate::ExtensionPending { on, .. } => (n.saturating_sub(1), days(on, -3)),
            Fate::ExtensionApproved { on, .. } => (1, days(on, -3)),
        };
        let start = days(added, 7).min(end);
        let span = between(start, end);
        // All done: the last one just before the request; some done: spread out.
        let parts = if done == n { done } else { done + 1 } as i64;
        for (m, title) in p.measures.iter().enumerate().take(done) {
            let on = days(start, span * (m as i64 + 1) / parts);
            let on = if working(cal, on, 1) <= end { working(cal, on, 1) } else { working(cal, on, -1).max(start) };
            self.evidence(i, p, m, title, on, code);
            self.at(on, Ev::Complete { p: i, m });
        }
        if let Some(r) = request {
            self.at(r, Ev::Request(i));
        } else if done < n {
            let on = working(cal, days(DEMO_TODAY, -self.rng.random_range(4..=15)), -1).max(added);
            let percent = self.rng.random_range(3..=8) * 10;
            let note = format!("阶段性进展：已完成工作量约{percent}%，正按整改方案推进。");
            self.at(on, Ev::Evidence { p: i, m: done, note: Some(note), file: None, dated: on });
        }
        match p.fate {
            Fate::Closed(c) => self.at(c, Ev::Close(i)),
            Fate::Confirmed { closed, on, .. } => {
                self.at(closed, Ev::Close(i));
                self.at(on, Ev::Confirm(i));
            }
            Fate::Relapsed { closed, on, measure, reclosed, .. } => {
                self.at(closed, Ev::Close(i));
                self.at(on, Ev::Relapse(i));
                self.at(working(cal, days(on, 3), 1), Ev::LaterMeasure(i));
                if let Some(rc) = reclosed {
                    let done = working(cal, days(rc, -7), -1);
                    self.evidence(i, p, n, measure, done, code);
                    self.at(done, Ev::Complete { p: i, m: n });
                    self.at(working(cal, days(rc, -4), -1), Ev::Request(i));
                    self.at(rc, Ev::Close(i));
                }
            }
            Fate::Spot { closed, pass, .. } => {
                self.at(closed, Ev::Close(i));
                if !pass {
                    self.at(working(cal, days(SPOT_VISITED, 5), 1), Ev::LaterMeasure(i));
                }
            }
            Fate::Returned { returned, supplement, .. } => {
                self.at(returned, Ev::Return(i));
                let on = working(cal, days(returned, 5), 1);
                let note = Some(supplement.to_string());
                self.at(on, Ev::Evidence { p: i, m: n - 1, note, file: None, dated: on });
            }
            Fate::ExtensionPending { on, .. } => self.at(on, Ev::AskExtension(i)),
            Fate::ExtensionApproved { on, decided, .. } => {
                self.at(on, Ev::AskExtension(i));
                self.at(decided, Ev::DecideExtension(i));
            }
            Fate::Requested(_) | Fate::OnTrack | Fate::Behind | Fate::Overdue | Fate::Unclaimed(_) => {}
        }
    }
}

/// Every step of the round, in the order to run them.
pub fn events(cal: &Calendar, all: &[(usize, &P)], code: &impl Fn(usize) -> String) -> Vec<(Date, Ev)> {
    let mut plan = Planner { cal, rng: ChaCha8Rng::seed_from_u64(SEED_ROUND), files: 0, events: Vec::new() };
    for (b, batch) in BATCHES.iter().enumerate() {
        plan.at(batch.issued, Ev::Batch(b));
    }
    for (i, &(b, p)) in all.iter().enumerate() {
        plan.problem(i, &BATCHES[b], p, &code(i));
    }
    plan.at(PUBLISH_ON, Ev::Publish);
    for (k, r) in RATINGS.iter().enumerate() {
        plan.at(r.1, Ev::Rate(k));
    }
    plan.at(SPOT_DRAWN, Ev::SpotDraw);
    plan.at(SPOT_VISITED, Ev::SpotVisit);
    let mut monday = BATCHES[0].issued;
    while monday <= DEMO_TODAY {
        if monday.weekday() == Weekday::Monday {
            plan.at(monday, Ev::Job);
        }
        monday = days(monday, 1);
    }
    plan.at(DEMO_TODAY, Ev::Job);
    let mut events = plan.events;
    // Chronological; within a day the job runs last; otherwise in plan order.
    events.sort_by_key(|(d, e)| (*d, matches!(e, Ev::Job)));

    events
}
