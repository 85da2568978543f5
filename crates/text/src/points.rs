//! The points of an outline that become work: the requirement items (to be
//! issued as tasks) and the problem items (to be rectified).
//!
//! A requirement whose own points are requirements gives those points
//! (一、… → 一要…二要…); otherwise the item itself is one task, with the text
//! of any non-requirement points run into its body. Problems are taken the
//! same way.

use crate::outline::{Item, ItemKind, Outline};

/// One point: its label, its body, and its path in the outline (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    pub label: String,
    pub body: String,
    pub path: Vec<u32>,
}

/// (requirement points, problem points) of an outline, in reading order.
pub fn work_points(o: &Outline) -> (Vec<Point>, Vec<Point>) {
    fn go(items: &[Item], path: &mut Vec<u32>, tasks: &mut Vec<Point>, problems: &mut Vec<Point>) {
        for (i, it) in items.iter().enumerate() {
            path.push(u32::try_from(i).unwrap_or(u32::MAX));
            let has = |k: ItemKind| it.children.iter().any(|c| c.kind == k);
            let point = || Point { label: it.label.clone(), body: body(it), path: path.clone() };
            match it.kind {
                ItemKind::Requirement if !has(ItemKind::Requirement) => tasks.push(point()),
                ItemKind::Problem if !has(ItemKind::Problem) => problems.push(point()),
                _ => go(&it.children, path, tasks, problems),
            }
            path.pop();
        }
    }
    let (mut tasks, mut problems) = (Vec::new(), Vec::new());
    go(&o.items, &mut Vec::new(), &mut tasks, &mut problems);
    (tasks, problems)
}

/// An item's body with the text of its points run in, one per line.
fn body(it: &Item) -> String {
    let mut s = it.body.clone();
    for c in &it.children {
        if !s.is_empty() {
            s.push('\n');
        }
        s.push_str(&c.marker.text);
        s.push_str(&c.label);
        s.push_str(&c.body);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_requirements_give_their_points_and_problems_stay_apart() {
        let o = crate::parse_outline(
            "存在以下问题。一是学习不深。二是作风不实。\n下面我讲两点意见。\n一、加强学习\n一要读原著。二要悟原理。\n二、改进作风\n要坚持深入基层。\n",
        );
        let (tasks, problems) = work_points(&o);
        let labels: Vec<&str> = tasks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["读原著", "悟原理", "改进作风"], "{o:#?}");
        assert_eq!(tasks[0].path, vec![2, 0]);
        assert_eq!(problems.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(), ["学习不深", "作风不实"]);
    }
}
