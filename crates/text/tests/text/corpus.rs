//! The speeches of shared/corpus (copied to tests/corpus so a clean clone has them), each against the outline a careful reader
//! writes down by hand: headings, the enumerations inside them (split out of
//! the paragraphs they run in) and what each lists.

use qingfeng_text::{ItemKind, Outline, outline_file};
use std::path::PathBuf;

use ItemKind::{Other as O, Problem as P, Requirement as R};

fn corpus(prefix: &str) -> Outline {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let file = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix)))
        .unwrap_or_else(|| panic!("no {prefix}* in {}", dir.display()));
    outline_file(&file).expect("corpus file reads")
}

/// (depth, marker, start of label, kind) for every item, depth first.
type Expected<'a> = &'a [(usize, &'a str, &'a str, ItemKind)];

fn assert_shape(o: &Outline, expected: Expected) {
    let got: Vec<(usize, String, String, ItemKind)> =
        o.walk().into_iter().map(|(d, it)| (d, it.marker.text.clone(), it.label.clone(), it.kind)).collect();
    let show = |v: &[(usize, String, String, ItemKind)]| {
        v.iter().map(|(d, m, l, k)| format!("{}{m}{l} {k:?}", "    ".repeat(*d))).collect::<Vec<_>>().join("\n")
    };
    assert_eq!(got.len(), expected.len(), "item count differs; got:\n{}", show(&got));
    for (g, e) in got.iter().zip(expected) {
        assert!(
            g.0 == e.0 && g.1 == e.1 && g.2.starts_with(e.2) && g.3 == e.3,
            "expected {e:?}, got {g:?}; whole outline:\n{}",
            show(&got)
        );
    }
}

/// Every piece of text the outline keeps.
fn all_text(o: &Outline) -> Vec<String> {
    let mut v = vec![o.title.clone().unwrap_or_default(), o.preamble.clone(), o.closing.clone()];
    for (_, it) in o.walk() {
        v.extend([
            it.label.clone(),
            it.body.clone(),
            it.lead_in.clone().unwrap_or_default(),
            it.tail.clone().unwrap_or_default(),
        ]);
    }
    v
}

/// No advert or site junk anywhere; no `二是`/`二要` left unsplit in a body.
fn assert_clean(o: &Outline) {
    for t in all_text(o) {
        for junk in ["QQ", "会员", "订阅", "分享 时间", "网友", "供您学习参考", "仅供学习", "4888024", "\");"]
        {
            assert!(!t.contains(junk), "junk «{junk}» left in «{t}»");
        }
    }
    for (_, it) in o.walk() {
        for n in ["二", "三", "四", "五"] {
            for m in ["是", "要"] {
                assert!(
                    !it.body.contains(&format!("。{n}{m}")),
                    "unsplit {n}{m} in the body of {}{}",
                    it.marker.text,
                    it.label
                );
            }
        }
    }
}

#[test]
fn seed_000_problems_then_three_headings_of_requirements() {
    let o = corpus("000_");
    assert_eq!(o.title.as_deref(), Some("在全市生态系统全面从严治党暨作风再整治工作会议上的讲话"));
    assert_clean(&o);
    assert_shape(
        &o,
        &[
            (0, "一是", "理论学习“搞应付”", P),
            (0, "二是", "管党治党“宽松软”", P),
            (0, "三是", "干部作风“散懒慢”", P),
            (0, "四是", "“放管服”改革“不深入”", P),
            (0, "第一，", "“忠”字为先，强基铸魂", R),
            (1, "一要", "持续加强理论修养", R),
            (1, "二要", "严明党的纪律规矩", R),
            (1, "三要", "坚决贯彻中央部署", R),
            (0, "第二，", "“严”字为要，强化担当", R),
            (1, "一要", "从“严”落实主体责任", R),
            (1, "二要", "从“严”执行党规党纪", R),
            (1, "三要", "从“严”开展党内活动", R),
            (0, "第三，", "“实”字为本，激浊扬清", R),
            (1, "一要", "抓实干部作风建设", R),
            (1, "二要", "抓实“放管服”改革", R),
            (1, "三要", "抓实“四风”整治", R),
        ],
    );
    assert!(o.preamble.starts_with("同志们："));
    assert!(o.preamble.ends_with("主要存在以下问题。"), "the lead-in of the problems stays in the opening");
    let four = &o.items[3];
    assert!(four.body.ends_with("生硬刻薄。"), "the summary after the fourth problem is not part of it: {}", four.body);
    let first = &o.items[4];
    assert!(first.lead_in.as_deref().is_some_and(|l| l.starts_with("以上这些问题") && l.ends_with("我讲四点意见。")));
    assert!(o.closing.starts_with("同志们，全面从严治党没有完成时") && o.closing.ends_with("谢谢大家！"));
    assert_eq!(o.removed_lines.len(), 8, "{:?}", o.removed_lines);
}

#[test]
fn seed_001_achievements_then_five_tasks_with_problems_and_requirements_in_one_paragraph() {
    let o = corpus("001_");
    assert_eq!(o.title, None, "this copy starts with 同志们");
    assert_clean(&o);
    assert_shape(
        &o,
        &[
            (0, "一是", "主体责任有效落实", O),
            (0, "二是", "党史学习教育扎实推进", O),
            (0, "三是", "基层基础全面夯实", O),
            (0, "四是", "正风肃纪又严又实", O),
            (0, "五是", "党风廉政建设深入推进", O),
            (0, "第一，", "聚力解决党建工作责任制落实不到位的问题", R),
            (1, "一是", "要站在讲政治、讲大局的高度", R),
            (1, "二是", "要明确责任主体和履责要求", R),
            (2, "第一个是", "局党组", O),
            (2, "第二个是", "机关党委", O),
            (2, "第三个是", "党支部", O),
            (1, "三是", "要狠抓党建工作责任落实", R),
            (0, "第二，", "聚力解决党支部组织功能弱化问题", R),
            (1, "一是", "要突出强化党支部的主体地位", R),
            (1, "二是", "要突出强化党支部的组织功能", R),
            (1, "三是", "要强化党支部组织制度建设", R),
            (1, "四是", "要努力提升组织生活质量", R),
            (1, "五是", "要大力开展标准化党支部创建工作", R),
            (0, "第三，", "聚力解决党建与业务工作“两张皮”问题", R),
            (1, "一是", "要在“同”字上下功夫", R),
            (1, "二是", "要在优化队伍建设上下功夫", R),
            (1, "三是", "要广泛开展大谈心活动", R),
            (0, "第四，", "聚力解决不敢担当作为的问题", R),
            (1, "一要", "推进党史学习教育常态化制度化", R),
            (1, "二要", "扎实开展“比实干、比担当、比奉献”主题教育实践活动", R),
            (1, "三要", "持续开展“不作为、慢作为、乱作为”专项整治", R),
            (1, "四要", "集中整治“雁过拔毛式”腐败问题", R),
            (1, "五要", "旗帜鲜明地为敢于担当的干部担当", R),
            (0, "第五，", "聚力解决落实“两个责任”力度层层递减的问题", R),
            (1, "一是", "不想管", P),
            (1, "二是", "不愿管", P),
            (1, "三是", "不会管", P),
            (1, "四是", "不敢管", P),
            (1, "一是", "要严格落实主体责任", R),
            (1, "二是", "要强化监督执纪工作", R),
            (1, "三是", "要扎紧制度笼子", R),
            (1, "四是", "抓好廉政警示教育", R),
        ],
    );
    let fifth = &o.items[9];
    let second_run = &fifth.children[4];
    assert_eq!(second_run.lead_in.as_deref(), Some("为此，我们要标本兼治，不断把全面从严治党引向深入。"));
    assert!(
        o.items[5]
            .lead_in
            .as_deref()
            .is_some_and(|l| l.starts_with("同志们，过去一年") && l.ends_with("我讲五个方面的意见。"))
    );
    assert!(o.closing.starts_with("同志们，做好新形势下的党建工作") && o.closing.ends_with("谢谢大家！"));
}

#[test]
fn seed_002_one_section_of_problems_and_four_of_requirements() {
    let o = corpus("002_");
    assert_eq!(o.title.as_deref(), Some("在省委学习教育整改整治工作推进会上的讲话"));
    assert_clean(&o);
    assert_shape(
        &o,
        &[
            (0, "一、", "深刻检视当前问题", P),
            (0, "二、", "持续深化学习领悟", R),
            (1, "一要", "深学细悟核心要义", R),
            (1, "二要", "用活典型案例资源", R),
            (1, "三要", "深刻认清政治危害", R),
            (0, "三、", "精准深入查摆问题", R),
            (1, "一要", "拓宽渠道\"全面查\"", R),
            (1, "二要", "聚焦重点\"深入查\"", R),
            (1, "三要", "剖析根源\"精准查\"", R),
            (1, "四要", "动态更新\"清单查\"", R),
            (0, "四、", "动真碰硬整改整治", R),
            (1, "一要", "坚持以上率下", R),
            (1, "二要", "坚持分类施策", R),
            (1, "三要", "坚持开门整改", R),
            (0, "五、", "压紧压实政治责任", R),
            (1, "一要", "强化组织领导", R),
            (1, "二要", "强化协同联动", R),
            (1, "三要", "强化标本兼治", R),
        ],
    );
    assert!(o.items[0].body.contains("在思想认识层面"), "the four kinds of problem are the section's text");
    assert!(o.items[3].children[1].body.contains("对违规吃喝"), "paragraphs after 二要 belong to it");
    assert!(o.closing.starts_with("同志们,抓好学习教育整改整治工作"));
    assert!(o.removed_lines.iter().any(|l| l.contains("分享 时间")));
    assert!(o.removed_lines.iter().any(|l| l == "47 4888024"));
}
