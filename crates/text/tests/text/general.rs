//! Documents in other shapes than the corpus, written for these tests, so
//! that the rules are checked on more than the three seed speeches.

use qingfeng_text::{ItemKind, parse_outline};

use ItemKind::{Other as O, Problem as P, Requirement as R};

fn shape(text: &str) -> Vec<(usize, String, ItemKind)> {
    parse_outline(text)
        .walk()
        .into_iter()
        .map(|(d, it)| (d, format!("{}{}", it.marker.text, it.label), it.kind))
        .collect()
}

fn e(d: usize, t: &str, k: ItemKind) -> (usize, String, ItemKind) {
    (d, t.to_string(), k)
}

#[test]
fn checking_material_with_problems_reasons_and_measures() {
    // 对照检查材料: 一、问题 / 二、原因 / 三、措施, each with （一） and inline 一是.
    let text = "XX同志民主生活会对照检查材料\n\
        根据会议安排，现将个人对照检查情况报告如下。\n\
        一、存在的主要问题\n\
        （一）在理论学习方面。一是学习不够系统，满足于读原文。二是联系实际不够紧密。\n\
        （二）在担当作为方面。一是攻坚克难的劲头有所减弱。二是调查研究不深入。\n\
        二、问题产生的原因\n\
        （一）理想信念有所松懈。放松了对世界观的改造。\n\
        （二）宗旨意识有所淡化。\n\
        三、下一步整改措施\n\
        （一）加强理论武装。首先，要坚持原原本本学。其次，要联系实际学。最后，要学以致用。\n\
        （二）改进工作作风，深入基层调查研究。\n";
    let o = parse_outline(text);
    assert_eq!(o.title.as_deref(), Some("XX同志民主生活会对照检查材料"));
    assert_eq!(
        shape(text),
        vec![
            e(0, "一、存在的主要问题", P),
            e(1, "（一）在理论学习方面", P),
            e(2, "一是学习不够系统，满足于读原文", P),
            e(2, "二是联系实际不够紧密", P),
            e(1, "（二）在担当作为方面", P),
            e(2, "一是攻坚克难的劲头有所减弱", P),
            e(2, "二是调查研究不深入", P),
            e(0, "二、问题产生的原因", O),
            e(1, "（一）理想信念有所松懈", O),
            e(1, "（二）宗旨意识有所淡化", O),
            e(0, "三、下一步整改措施", R),
            e(1, "（一）加强理论武装", R),
            e(2, "首先要坚持原原本本学", R),
            e(2, "其次要联系实际学", R),
            e(2, "最后要学以致用", R),
            e(1, "（二）改进工作作风，深入基层调查研究", R),
        ]
    );
}

#[test]
fn work_plan_with_four_levels_and_numbers_that_are_not_headings() {
    let text = "关于开展作风建设年活动的实施方案\n\
        为深入贯彻落实中央八项规定精神，结合实际，制定本方案。\n\
        一、工作目标\n\
        通过活动，力争到年底完成1.5亿元项目投资，干部作风明显好转。\n\
        二、重点任务\n\
        （一）强化政治建设\n\
        1.深化理论学习。各支部每月至少集中学习1次，2024.3起执行。\n\
        2.严肃组织生活。\n\
        （1）规范三会一课。\n\
        （2）开好组织生活会。\n\
        （二）整治形式主义\n\
        三、保障措施\n\
        第一时间报告重大情况。\n";
    assert_eq!(
        shape(text),
        vec![
            e(0, "一、工作目标", R), // a target set by the plan: with its sibling headings
            e(0, "二、重点任务", R),
            e(1, "（一）强化政治建设", R),
            e(2, "1.深化理论学习", R),
            e(2, "2.严肃组织生活", R),
            e(3, "（1）规范三会一课", R),
            e(3, "（2）开好组织生活会", R),
            e(1, "（二）整治形式主义", R),
            e(0, "三、保障措施", R),
        ]
    );
}
