//! Progress roll-up: a report is entered once, on a leaf, and every parent's
//! progress is derived from its children's — never typed — to any depth.
//! The same tree walk sums counts for a board (挂图作战).
//!
//! Both functions take a forest as a slice of nodes with parent indices and
//! refuse (never panic on) a parent index out of range or a cycle.

use super::{RollupMode, TaskStatus, Warning};
use crate::msg::{Msg, Refusal};
use serde::Serialize;

/// One task as the roll-up sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    /// Index of the parent task in the same slice; `None` for a top-level task.
    pub parent: Option<usize>,
    pub status: TaskStatus,
    /// The latest reported percent (leaves only; ignored once broken down).
    pub reported: Option<u8>,
    /// Weight in a weighted roll-up.
    pub weight: u32,
}

fn bad_parent(i: usize) -> Refusal {
    Refusal {
        code: "bad_tree",
        msg: Msg::owned(format!("第{i}项的上级任务不存在"), format!("node {i} names a parent that does not exist")),
    }
}

fn cycle(i: usize) -> Refusal {
    Refusal {
        code: "bad_tree",
        msg: Msg::owned(format!("第{i}项的上级关系成环"), format!("node {i} is its own ancestor")),
    }
}

/// Node indices ordered deepest first (children before their parents).
fn bottom_up(parents: &[Option<usize>]) -> Result<Vec<usize>, Refusal> {
    let n = parents.len();
    let mut depth: Vec<Option<usize>> = vec![None; n];
    for start in 0..n {
        let mut path = Vec::new();
        let mut cur = start;
        let base = loop {
            if let Some(d) = depth[cur] {
                break d + 1;
            }
            if path.len() > n {
                return Err(cycle(start));
            }
            path.push(cur);
            match parents[cur] {
                None => break 0,
                Some(p) if p >= n => return Err(bad_parent(cur)),
                Some(p) => cur = p,
            }
        };
        // `path` runs from `start` up; the last element sits at depth `base`
        // (or is the root at 0).
        for (k, &node) in path.iter().rev().enumerate() {
            depth[node] = Some(base + k);
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(depth[i].unwrap_or(0)));
    Ok(order)
}

/// Mean of `(value, weight)` rounded to the nearest whole percent; a plain
/// mean when weights are ignored or all zero. A directive's progress is this
/// over its top-level tasks (withdrawn ones left out by the caller).
pub fn mean(values: &[(u8, u32)], mode: RollupMode) -> u8 {
    let weighted = mode == RollupMode::Weighted && values.iter().any(|&(_, w)| w > 0);
    let (num, den) = values.iter().fold((0u64, 0u64), |(n, d), &(v, w)| {
        let w = if weighted { u64::from(w) } else { 1 };
        (n + u64::from(v) * w, d + w)
    });
    if den == 0 { 0 } else { ((2 * num + den) / (2 * den)).min(100) as u8 }
}

/// The progress of every node: a done task counts 100; a task with
/// sub-tasks that are not withdrawn takes their (weighted) mean; a leaf
/// takes its latest report (0 before any). Withdrawn sub-tasks do not count.
pub fn rollup(nodes: &[Node], mode: RollupMode) -> Result<Vec<u8>, Refusal> {
    let parents: Vec<Option<usize>> = nodes.iter().map(|n| n.parent).collect();
    let order = bottom_up(&parents)?;
    let mut kids: Vec<Vec<(u8, u32)>> = vec![Vec::new(); nodes.len()];
    let mut out = vec![0u8; nodes.len()];
    for i in order {
        let node = &nodes[i];
        let p = if node.status == TaskStatus::Done {
            100
        } else if !kids[i].is_empty() {
            mean(&kids[i], mode)
        } else {
            node.reported.unwrap_or(0).min(100)
        };
        out[i] = p;
        if let Some(parent) = node.parent
            && node.status != TaskStatus::Withdrawn
        {
            kids[parent].push((p, node.weight));
        }
    }
    Ok(out)
}

/// `root` and every node below it (for withdrawing a task with its sub-tasks).
pub fn subtree(parents: &[Option<usize>], root: usize) -> Result<Vec<usize>, Refusal> {
    if root >= parents.len() {
        return Err(bad_parent(root));
    }
    let order = bottom_up(parents)?;
    let mut inside = vec![false; parents.len()];
    inside[root] = true;
    // Parents before children: walk the bottom-up order backwards.
    for &i in order.iter().rev() {
        if let Some(p) = parents[i]
            && inside[p]
        {
            inside[i] = true;
        }
    }
    Ok((0..parents.len()).filter(|&i| inside[i]).collect())
}

/// Counts for a board: by status and by colour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: u32,
    pub issued: u32,
    pub accepted: u32,
    pub returned: u32,
    pub done: u32,
    pub withdrawn: u32,
    pub green: u32,
    pub yellow: u32,
    /// 逾期.
    pub red: u32,
}

impl Counts {
    /// One task.
    pub fn of(status: TaskStatus, warning: Warning) -> Counts {
        let mut c = Counts { total: 1, ..Counts::default() };
        match status {
            TaskStatus::Issued => c.issued = 1,
            TaskStatus::Accepted => c.accepted = 1,
            TaskStatus::Returned => c.returned = 1,
            TaskStatus::Done => c.done = 1,
            TaskStatus::Withdrawn => c.withdrawn = 1,
        }
        match warning {
            Warning::Green => c.green = 1,
            Warning::Yellow => c.yellow = 1,
            Warning::Red => c.red = 1,
            Warning::Done => {}
        }
        c
    }

    pub fn add(&mut self, o: &Counts) {
        self.total = self.total.saturating_add(o.total);
        self.issued = self.issued.saturating_add(o.issued);
        self.accepted = self.accepted.saturating_add(o.accepted);
        self.returned = self.returned.saturating_add(o.returned);
        self.done = self.done.saturating_add(o.done);
        self.withdrawn = self.withdrawn.saturating_add(o.withdrawn);
        self.green = self.green.saturating_add(o.green);
        self.yellow = self.yellow.saturating_add(o.yellow);
        self.red = self.red.saturating_add(o.red);
    }

    /// Share done among the tasks that count (withdrawn ones do not), in percent.
    pub fn done_percent(&self) -> u8 {
        let counted = self.total.saturating_sub(self.withdrawn);
        if counted == 0 { 0 } else { ((u64::from(self.done) * 100) / u64::from(counted)).min(100) as u8 }
    }
}

/// Subtree sums: `out[i]` is `own[i]` plus everything below `i`. Works for
/// the task tree and equally for the org tree (own = the unit's own tasks).
pub fn roll_up_counts(parents: &[Option<usize>], own: &[Counts]) -> Result<Vec<Counts>, Refusal> {
    if parents.len() != own.len() {
        return Err(Refusal::new("bad_tree", "节点数与统计数不一致", "nodes and counts differ in length"));
    }
    let order = bottom_up(parents)?;
    let mut out = own.to_vec();
    for i in order {
        if let Some(p) = parents[i] {
            let c = out[i];
            out[p].add(&c);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(parent: Option<usize>, reported: u8) -> Node {
        Node { parent, status: TaskStatus::Accepted, reported: Some(reported), weight: 1 }
    }

    fn parent(parent: Option<usize>) -> Node {
        Node { parent, status: TaskStatus::Accepted, reported: None, weight: 1 }
    }

    #[test]
    fn the_city_and_the_bureau_update_from_the_branches_reports() {
        // city task 0 → bureaus 1, 2 (bureau 1 broke its task into two for
        // branches 3, 4; bureau 2 reports itself).
        let nodes = [parent(None), parent(Some(0)), leaf(Some(0), 40), leaf(Some(1), 100), leaf(Some(1), 50)];
        let p = rollup(&nodes, RollupMode::Mean).unwrap();
        assert_eq!(p[1], 75, "the bureau is the mean of its branches");
        assert_eq!(p[0], 58, "the city is the mean of its bureaus (57.5 rounds to 58)");
    }

    #[test]
    fn done_children_count_100_and_withdrawn_ones_do_not_count() {
        let mut done = leaf(Some(0), 30);
        done.status = TaskStatus::Done;
        let mut gone = leaf(Some(0), 0);
        gone.status = TaskStatus::Withdrawn;
        let nodes = [parent(None), done, gone, leaf(Some(0), 50)];
        assert_eq!(rollup(&nodes, RollupMode::Mean).unwrap()[0], 75);
    }

    #[test]
    fn a_broken_down_task_ignores_its_own_earlier_report() {
        let nodes = [leaf(None, 90), leaf(Some(0), 10)];
        assert_eq!(rollup(&nodes, RollupMode::Mean).unwrap()[0], 10);
    }

    #[test]
    fn weights_apply_only_in_weighted_mode_and_all_zero_weights_fall_back_to_the_mean() {
        let mut heavy = leaf(Some(0), 100);
        heavy.weight = 3;
        let nodes = [parent(None), heavy, leaf(Some(0), 0)];
        assert_eq!(rollup(&nodes, RollupMode::Mean).unwrap()[0], 50);
        assert_eq!(rollup(&nodes, RollupMode::Weighted).unwrap()[0], 75);
        let mut a = leaf(Some(0), 100);
        a.weight = 0;
        let mut b = leaf(Some(0), 0);
        b.weight = 0;
        assert_eq!(rollup(&[parent(None), a, b], RollupMode::Weighted).unwrap()[0], 50);
    }

    #[test]
    fn bad_parents_and_cycles_are_refused_not_panicked_on() {
        assert_eq!(rollup(&[leaf(Some(5), 1)], RollupMode::Mean).unwrap_err().code, "bad_tree");
        assert_eq!(rollup(&[leaf(Some(0), 1)], RollupMode::Mean).unwrap_err().code, "bad_tree");
        assert_eq!(rollup(&[leaf(Some(1), 1), leaf(Some(0), 1)], RollupMode::Mean).unwrap_err().code, "bad_tree");
        assert_eq!(rollup(&[], RollupMode::Mean), Ok(vec![]));
        let over = Node { parent: None, status: TaskStatus::Accepted, reported: Some(250), weight: 1 };
        assert_eq!(rollup(&[over], RollupMode::Mean).unwrap()[0], 100);
    }

    /// A small deterministic generator (xorshift) so that the property test
    /// needs no extra crate and always runs the same trees.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n.max(1)
        }
    }

    #[test]
    fn property_a_parent_is_within_its_childrens_range_and_equals_a_single_child() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let statuses = TaskStatus::ALL;
        for round in 0..400 {
            let n = 1 + rng.below(40) as usize;
            let nodes: Vec<Node> = (0..n)
                .map(|i| Node {
                    parent: if i == 0 || rng.below(5) == 0 { None } else { Some(rng.below(i as u64) as usize) },
                    status: statuses[rng.below(statuses.len() as u64) as usize],
                    reported: if rng.below(4) == 0 { None } else { Some(rng.below(101) as u8) },
                    weight: rng.below(5) as u32,
                })
                .collect();
            for mode in [RollupMode::Mean, RollupMode::Weighted] {
                let p = rollup(&nodes, mode).unwrap();
                for (i, node) in nodes.iter().enumerate() {
                    let kids: Vec<u8> = (0..n)
                        .filter(|&k| nodes[k].parent == Some(i) && nodes[k].status != TaskStatus::Withdrawn)
                        .map(|k| p[k])
                        .collect();
                    if kids.is_empty() || node.status == TaskStatus::Done {
                        continue;
                    }
                    let (lo, hi) = (*kids.iter().min().unwrap(), *kids.iter().max().unwrap());
                    assert!(lo <= p[i] && p[i] <= hi, "round {round} node {i}: {} not in [{lo}, {hi}]", p[i]);
                    if kids.len() == 1 {
                        assert_eq!(p[i], kids[0], "round {round} node {i}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_subtree_holds_the_task_and_every_sub_task_below_it() {
        let parents = [None, Some(0), Some(1), Some(0), Some(2), None];
        assert_eq!(subtree(&parents, 1).unwrap(), vec![1, 2, 4]);
        assert_eq!(subtree(&parents, 0).unwrap(), vec![0, 1, 2, 3, 4]);
        assert_eq!(subtree(&parents, 5).unwrap(), vec![5]);
        assert!(subtree(&parents, 6).is_err());
    }

    #[test]
    fn counts_roll_up_over_the_subtree_by_status_and_colour() {
        let parents = [None, Some(0), Some(0), Some(1)];
        let own = [
            Counts::of(TaskStatus::Accepted, Warning::Green),
            Counts::of(TaskStatus::Accepted, Warning::Yellow),
            Counts::of(TaskStatus::Done, Warning::Done),
            Counts::of(TaskStatus::Accepted, Warning::Red),
        ];
        let out = roll_up_counts(&parents, &own).unwrap();
        assert_eq!(out[0].total, 4);
        assert_eq!((out[0].green, out[0].yellow, out[0].red, out[0].done), (1, 1, 1, 1));
        assert_eq!(out[1].total, 2);
        assert_eq!(out[1].red, 1);
        assert_eq!(out[0].done_percent(), 25);
        assert!(roll_up_counts(&parents[..2], &own).is_err());
        assert_eq!(Counts::default().done_percent(), 0);
    }
}
