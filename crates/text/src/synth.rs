//! A small generator of realistic 信访举报 texts (the kind 12388 receives),
//! for tests and benchmarks: the dedup tests and `examples/dedup_bench.rs`
//! include this file by path, other crates (the search benchmark) enable
//! the `synth` feature. Deterministic: the same seed gives the same reports
//! on every machine. [`random_report`] and [`reword`] are pinned by the
//! dedup tests' measurements: change them and re-measure;
//! [`search_report`] adds the wider vocabulary of full-text search.

#![allow(dead_code)]

/// SplitMix64: tiny, seedable, stable.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

const PLACES: &[&str] = &[
    "青山县",
    "河西县",
    "临江市",
    "白水县",
    "东平县",
    "南湖区",
    "石门县",
    "安定县",
    "清河县",
    "北塘区",
    "凤台县",
    "永宁县",
];
const UNITS: &[&str] = &[
    "住建局",
    "自然资源局",
    "交通运输局",
    "教育局",
    "卫健委",
    "农业农村局",
    "水利局",
    "市场监管局",
    "财政局",
    "人社局",
    "民政局",
    "城管局",
    "公安局",
    "生态环境局",
    "医保局",
    "林业局",
];
const TOWN_UNITS: &[&str] = &["镇政府", "乡政府", "街道办事处", "村委会", "镇卫生院", "中心小学"];
const TOWNS: &[&str] = &["柳树镇", "大河乡", "桃园街道", "马集镇", "新城镇", "高庄乡", "石桥镇", "王庄村"];
const TITLES: &[&str] =
    &["局长", "副局长", "党组书记", "办公室主任", "科长", "副科长", "股长", "总工程师", "纪检组长", "执法大队队长"];
const TOWN_TITLES: &[&str] = &["党委书记", "镇长", "副镇长", "村党支部书记", "村主任", "院长", "校长", "会计"];
const SURNAMES: &[&str] =
    &["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"];
const RELATIVES: &[&str] = &["妻子", "弟弟", "儿子", "女儿", "小舅子", "表哥", "侄子", "妹夫", "岳父", "女婿"];
const PROJECTS: &[&str] = &[
    "棚户区改造工程",
    "农村公路硬化工程",
    "高标准农田建设项目",
    "老旧小区改造项目",
    "污水管网工程",
    "学校食堂改扩建工程",
    "河道清淤工程",
    "安置小区建设项目",
    "乡村振兴示范点项目",
    "人饮安全工程",
    "路灯亮化工程",
    "垃圾中转站项目",
];
const VILLAGES: &[&str] = &[
    "李家湾村",
    "杨树沟村",
    "前进村",
    "红旗社区",
    "东风村",
    "三合村",
    "新华社区",
    "石河子村",
    "柳林村",
    "双塔村",
    "南岗村",
    "北关社区",
    "龙泉村",
    "黄土坡村",
    "青龙村",
    "白马村",
    "下河村",
    "团结村",
    "幸福社区",
    "五里铺村",
];
const FIRMS: &[&str] = &[
    "宏达", "鑫源", "恒通", "顺发", "金盛", "华宇", "绿源", "天成", "永兴", "瑞丰", "盛世", "通达", "佳和", "德润",
    "汇丰", "长青",
];
const FIRM_KINDS: &[&str] = &[
    "建设公司",
    "商贸公司",
    "路桥公司",
    "劳务公司",
    "房地产公司",
    "设备公司",
    "环保公司",
    "物业公司",
    "石料厂",
    "建材公司",
];
const VENUES: &[&str] = &["私人会所", "农家乐", "酒店包厢", "茶楼", "KTV", "度假山庄"];
const FUNDS: &[&str] = &["扶贫", "低保", "危房改造补助", "退耕还林补贴", "耕地地力保护补贴", "教育救助", "防汛"];

/// Who a report is about.
#[derive(Debug, Clone)]
pub struct Subject {
    pub place: String,
    pub unit: String,
    pub title: String,
    pub name: String,
}

pub fn subject(rng: &mut Rng) -> Subject {
    let place = rng.pick(PLACES).to_string();
    let name = format!("{}某某", rng.pick(SURNAMES));
    if rng.chance(0.3) {
        let unit = format!("{}{}", rng.pick(TOWNS), rng.pick(TOWN_UNITS));
        Subject { place, unit, title: rng.pick(TOWN_TITLES).to_string(), name }
    } else {
        Subject { place, unit: rng.pick(UNITS).to_string(), title: rng.pick(TITLES).to_string(), name }
    }
}

/// Number of fact templates [`fact`] knows.
pub const FACTS: usize = 18;

/// Fact `k` about `s`, with the details drawn from `rng`.
pub fn fact(rng: &mut Rng, s: &Subject, k: usize) -> String {
    let n = &s.name;
    let y = 2018 + rng.below(7);
    let m = 1 + rng.below(12);
    let a = 2 + rng.below(300);
    let small = 2 + rng.below(9);
    let rel = rng.pick(RELATIVES);
    let proj = format!("{}{}", rng.pick(VILLAGES), rng.pick(PROJECTS));
    let co = format!("{}{}", rng.pick(FIRMS), rng.pick(FIRM_KINDS));
    let venue = rng.pick(VENUES);
    let fund = rng.pick(FUNDS);
    let other = format!("{}某", rng.pick(SURNAMES));
    match k % FACTS {
        0 => format!("{n}利用职务便利，在{y}年为其{rel}承揽{proj}，从中收受好处费{a}万元。"),
        1 => format!("{y}年{m}月，{n}在{proj}验收中弄虚作假，虚报工程量，套取财政资金{a}万元。"),
        2 => format!("{n}长期接受{co}老板宴请，经常出入{venue}，费用均由该公司老板支付。"),
        3 => format!("{n}的{rel}在{co}挂名领取工资，从未上过一天班，每月领取{small}千元。"),
        4 => format!("{n}违规使用公车办私事，每逢周末驾驶单位公车回老家，群众多次看到。"),
        5 => format!("在{y}年干部调整中，{n}收受下属{other}现金{a}万元，随后提拔其担任中层正职。"),
        6 => format!("{n}截留挪用{fund}资金{a}万元，用于单位发放福利和招待开支。"),
        7 => format!("{y}年{m}月，{n}为儿子操办婚礼，大宴宾客{small}十余桌，收受管理服务对象礼金{a}万元。"),
        8 => format!("群众反映的{proj}质量问题，{n}长期推诿扯皮，不予解决，群众意见很大。"),
        9 => format!("{n}违规为不符合条件的{small}户亲友办理低保，优亲厚友，群众反映强烈。"),
        10 => format!("{n}在{y}年的{proj}招投标中，事先向{co}泄露标底，帮助其以高价中标。"),
        11 => format!("{n}多次利用工作日在{venue}打麻将赌博，单场输赢上万元。"),
        12 => format!("{n}在{place}新区违规购买{co}开发的住房{small}套，价格明显低于市场价。", place = s.place),
        13 => format!("{y}年以来，{n}以考察为名组织单位人员赴外地旅游{small}次，费用在公款中报销。"),
        14 => format!("{n}长期在{co}入干股，每年分红{a}万元，并为该公司承接业务打招呼。"),
        15 => format!("{n}的{rel}开办{co}，{n}利用职权向下属单位推销该公司产品，金额达{a}万元。"),
        16 => format!("{y}年{m}月，{n}在执法检查中对{co}的违法行为不予处罚，事后收受该公司购物卡{small}千元。"),
        _ => format!("{n}违规超标配备办公用房，面积达{a}平方米，并用公款购买高档家具。"),
    }
}

const OPENINGS: &[&str] = &[
    "我实名反映{place}{unit}{title}{name}的问题。",
    "现反映{place}{unit}{title}{name}的违纪违法问题。",
    "举报{place}{unit}{title}{name}。",
    "本人要举报{place}{unit}{title}{name}，具体问题如下。",
];
const CLOSINGS: &[&str] = &[
    "以上问题请上级纪委调查处理。",
    "恳请纪委监委严肃查处，还群众一个公道。",
    "希望组织派人调查核实，给群众一个交代。",
    "以上情况属实，本人愿意配合调查。",
    "请有关部门尽快调查处理。",
];

fn fill(template: &str, s: &Subject) -> String {
    template
        .replace("{place}", &s.place)
        .replace("{unit}", &s.unit)
        .replace("{title}", &s.title)
        .replace("{name}", &s.name)
}

/// A report as sentences: opening, the facts given, closing.
pub fn report_sentences(rng: &mut Rng, s: &Subject, facts: &[usize]) -> Vec<String> {
    let mut out = vec![fill(rng.pick(OPENINGS), s)];
    out.extend(facts.iter().map(|&k| fact(rng, s, k)));
    out.push(fill(rng.pick(CLOSINGS), s));
    out
}

/// `count` distinct fact numbers, none of them in `avoid`.
pub fn pick_facts(rng: &mut Rng, count: usize, avoid: &[usize]) -> Vec<usize> {
    let mut all: Vec<usize> = (0..FACTS).filter(|k| !avoid.contains(k)).collect();
    rng.shuffle(&mut all);
    all.truncate(count);
    all
}

/// A fresh report: its subject, fact numbers and sentences (3–6 in all).
pub fn random_report(rng: &mut Rng) -> (Subject, Vec<usize>, Vec<String>) {
    let s = subject(rng);
    let count = 1 + rng.below(4);
    let facts = pick_facts(rng, count, &[]);
    let sentences = report_sentences(rng, &s, &facts);
    (s, facts, sentences)
}

/// Synonyms a second letter-writer (or the same one, writing again) uses.
const SYNONYMS: &[(&str, &str)] = &[
    ("利用职务便利", "利用职务上的便利"),
    ("收受", "收取"),
    ("好处费", "回扣"),
    ("承揽", "承包"),
    ("违规", "违反规定"),
    ("公车", "公务用车"),
    ("老板", "负责人"),
    ("宴请", "吃请"),
    ("长期", "长时间"),
    ("群众", "老百姓"),
    ("挪用", "占用"),
    ("套取", "骗取"),
    ("多次", "屡次"),
    ("调查处理", "查处"),
    ("问题", "情况"),
    ("亲友", "亲戚朋友"),
    ("弄虚作假", "造假"),
    ("不予解决", "一直不解决"),
];

const ADDED: &[&str] = &[
    "此事在单位内部早已传开，大家敢怒不敢言。",
    "{name}平时作风霸道，在单位一手遮天。",
    "我多次向单位反映，至今没有任何结果。",
    "知情人可以证明上述情况。",
];

/// The same report written again: sentences reordered, some words swapped
/// for synonyms (each applicable swap with probability `swap_p`), one
/// sentence added.
pub fn reword(rng: &mut Rng, s: &Subject, sentences: &[String], swap_p: f64) -> String {
    let mut out: Vec<String> = sentences.to_vec();
    rng.shuffle(&mut out);
    for sentence in out.iter_mut() {
        for (from, to) in SYNONYMS {
            if sentence.contains(from) && rng.chance(swap_p) {
                *sentence = sentence.replace(from, to);
            }
        }
    }
    let at = rng.below(out.len() + 1);
    out.insert(at, fill(rng.pick(ADDED), s));
    out.concat()
}

/// Another report about the same person in the same post, on other facts.
pub fn unrelated_same_subject(rng: &mut Rng, s: &Subject, facts: &[usize]) -> String {
    let count = 1 + rng.below(4);
    let other = pick_facts(rng, count, facts);
    report_sentences(rng, s, &other).concat()
}

/// A report about someone else in the same unit, on the same kind of fact
/// (other project, year, amount): the hardest report that is not a copy.
pub fn same_unit_same_kind(rng: &mut Rng, s: &Subject, facts: &[usize]) -> String {
    let mut other = s.clone();
    while other.name == s.name {
        other.name = format!("{}某某", rng.pick(SURNAMES));
    }
    report_sentences(rng, &other, facts).concat()
}

/// Further complaints, about everyday 八项规定 matters, that
/// [`search_report`] mixes in (`{name}` is the subject).
const MORE_FACTS: &[&str] = &[
    "{name}经常用公款吃喝，在单位食堂和农家乐超标准接待，发票以会议费名义报销。",
    "{name}违规发放津贴补贴，以加班费、值班费名义向班子成员发放现金。",
    "{name}逢年过节收受下属和管理服务对象赠送的购物卡、土特产。",
    "{name}在村级事务中优亲厚友，把救灾物资和补助优先分给亲属。",
    "{name}违规使用公务加油卡为私家车加油，费用由单位承担。",
    "{name}对群众反映的噪音扰民问题敷衍塞责，多次投诉无人处理。",
    "{name}在疫情防控物资采购中指定供应商，价格明显高于市场价。",
    "{name}违规收受红包礼金，并在婚丧喜庆中大操大办。",
];

/// A report for the full-text search benchmark: a [`random_report`], and
/// in half of them one more complaint from a wider list (公款吃喝, 津贴补贴,
/// 购物卡, 优亲厚友 …).
pub fn search_report(rng: &mut Rng) -> (Subject, Vec<String>) {
    let (s, _, mut sentences) = random_report(rng);
    if rng.chance(0.5) {
        let at = 1 + rng.below(sentences.len() - 1);
        sentences.insert(at, fill(rng.pick(MORE_FACTS), &s));
    }
    (s, sentences)
}

/// The places (counties) and departments [`subject`] draws from, for a
/// benchmark's organisation tree.
pub fn places() -> &'static [&'static str] {
    PLACES
}
