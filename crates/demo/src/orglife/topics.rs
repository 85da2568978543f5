//! What the demo branches meet about: topics in the wording branch records
//! use, by month and by the kind of branch, with the seasons and holidays
//! of 2025-12 … 2026-12 (春节 falls on 17 February 2026, 建党105周年 on
//! 1 July, 建军99周年 on 1 August, 中秋 on 25 September).

/// The kind of branch, which decides topics, places and leave reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A 机关 branch of the 市生态环境局.
    Eco,
    /// A 机关 branch of the 市公安局.
    Police,
    /// A 乡镇机关党支部.
    Town,
    Village,
    Community,
    /// 离退休干部党支部.
    Retired,
}

impl Style {
    /// Read from the first person's position (the branch secretary's).
    pub fn of(key: &str, secretary_position: &str) -> Style {
        if secretary_position.contains("退休") {
            Style::Retired
        } else if secretary_position.contains("村党支部") {
            Style::Village
        } else if secretary_position.contains("社区") {
            Style::Community
        } else if secretary_position.contains("党政办") {
            Style::Town
        } else if key.starts_with("police") {
            Style::Police
        } else {
            Style::Eco
        }
    }

    pub fn place(self) -> &'static str {
        match self {
            Style::Eco => "局机关三楼党员活动室",
            Style::Police => "市公安局四楼会议室",
            Style::Town => "机关党员活动室",
            Style::Village => "村党群服务中心",
            Style::Community => "社区党群服务中心",
            Style::Retired => "局老干部活动室",
        }
    }

    /// Reasons members give for leave (请假).
    pub fn leave_reasons(self) -> &'static [&'static str] {
        match self {
            Style::Eco | Style::Town => {
                &["出差", "参加市委党校培训", "因病", "单位值班", "外出执法检查", "陪护家人就医"]
            }
            Style::Police => &["执勤", "外出办案", "参加警衔晋升培训", "因病", "值班备勤"],
            Style::Village => &["外出务工", "因病", "在外地照顾子女", "外出务工", "家中有事"],
            Style::Community => &["入户走访", "因病", "网格值班", "参加街道培训"],
            Style::Retired => &["身体原因", "住院治疗", "随子女在外地居住", "身体原因"],
        }
    }

    fn rural(self) -> bool {
        matches!(self, Style::Village | Style::Community)
    }
}

/// Months are numbered 0 = December 2025, 1…12 = January…December 2026.
fn month(list: &[&'static str; 13], m: usize) -> &'static str {
    list[m.min(12)]
}

const THEME_OFFICE: [&str; 13] = [
    "学习贯彻党的二十届四中全会精神，开展“12·4”国家宪法日宣传活动",
    "重温入党誓词，开展元旦春节期间廉洁过节提醒",
    "开展新春走访慰问困难党员和老党员活动",
    "开展“学雷锋”志愿服务，深化“我为群众办实事”实践活动",
    "清明祭英烈，赴安澜市革命烈士陵园开展革命传统教育",
    "学习“十五五”规划纲要，结合岗位谈落实",
    "开展“安全生产月”宣传进社区活动",
    "庆祝中国共产党成立105周年，重温入党誓词、过“政治生日”",
    "纪念中国人民解放军建军99周年，走访慰问退役军人党员",
    "观看警示教育片，开展中秋国庆节前廉洁提醒",
    "重阳节走访慰问离退休老党员，开展敬老志愿服务",
    "专题学习《中国共产党纪律处分条例》，开展以案促改警示教育",
    "开展“12·4”国家宪法日学习宣传活动",
];

const THEME_VILLAGE: [&str; 13] = [
    "学习党的二十届四中全会精神，开展冬季森林防火宣传",
    "开展冬季村庄清洁行动，走访慰问困难群众",
    "春节前走访慰问老党员、困难党员，召开返乡人员座谈会",
    "开展植树造林和“学雷锋”志愿服务",
    "清明祭英烈，宣传文明祭扫和森林防火",
    "开展春耕生产技术服务和农资安全宣传",
    "开展防汛备汛隐患排查和防溺水宣传",
    "庆祝中国共产党成立105周年，重温入党誓词",
    "开展人居环境整治“清洁家园”志愿服务",
    "开展秋收秸秆禁烧宣传，参加“中国农民丰收节”活动",
    "重阳节走访慰问高龄老人和老党员",
    "学习《中国共产党农村基层组织工作条例》，开展村务公开“回头看”",
    "开展“12·4”宪法宣传进村入户活动",
];

const THEME_COMMUNITY: [&str; 13] = [
    "学习党的二十届四中全会精神，开展冬季消防安全入户宣传",
    "开展“迎新春”社区文化活动，走访独居老人",
    "春节前走访慰问老党员、困难党员和困难家庭",
    "开展“学雷锋”志愿服务，清理楼道堆积杂物",
    "清明祭英烈，开展文明祭扫宣传",
    "开展“5·12”全国防灾减灾日应急疏散演练",
    "开展“安全生产月”燃气安全入户宣传",
    "庆祝中国共产党成立105周年，重温入党誓词",
    "开展暑期“四点半课堂”志愿服务",
    "开展中秋“邻里一家亲”活动和节前安全检查",
    "重阳节走访慰问高龄老人，开展敬老志愿服务",
    "开展“119”消防宣传月活动",
    "开展“12·4”宪法宣传进楼栋活动",
];

const COMMITTEE_OFFICE: [&str; 13] = [
    "研究部署2025年度组织生活会和民主评议党员工作",
    "研究制定支部2026年度工作计划和“三会一课”安排",
    "研究春节期间走访慰问对象和节日值班安排",
    "研究年度发展党员计划和入党积极分子培养工作",
    "研究落实市委巡察反馈意见整改任务分工",
    "研究讨论“七一”系列活动方案",
    "研究讨论发展对象和预备党员接收事宜",
    "研究上半年支部工作总结和下半年工作安排",
    "研究党员教育培训和党费收缴使用情况",
    "研究中秋国庆节前廉政风险排查和作风建设",
    "研究三季度意识形态工作分析研判",
    "研究部署2026年度组织生活会和民主评议党员工作",
    "审议支部2026年度工作总结",
];

const COMMITTEE_VILLAGE: [&str; 13] = [
    "研究村集体经济年度收益分配方案",
    "研究制定村党支部2026年度工作计划",
    "研究春节期间走访慰问困难群众名单",
    "研究春耕农田水利项目，按“四议两公开”提交党员大会讨论",
    "研究人居环境整治和森林防火工作",
    "研究低保对象动态调整民主评议事宜",
    "研究防汛备汛工作和汛期值班安排",
    "研究上半年村务、财务公开事项",
    "研究发展党员和入党积极分子培养工作",
    "研究秋收秸秆禁烧和森林防火工作",
    "研究村集体经济项目年度收益情况",
    "研究部署2026年度组织生活会和民主评议党员工作",
    "审议村党支部2026年度工作总结",
];

const CELL: [&str; 13] = [
    "学习党的二十届四中全会精神，交流学习体会",
    "学习《中国共产党党员教育管理工作条例》，交流年度学习计划",
    "交流节前一线执勤执法和廉洁自律情况",
    "学习全国两会精神，交流本岗位落实举措",
    "学习《中国共产党纪律处分条例》，开展岗位廉政风险点排查",
    "交流一线执法中遇到的难点问题，研究改进措施",
    "学习“七一”专题党课精神，评选党员示范岗",
    "学习《中国共产党纪律处分条例》关于群众纪律的规定",
    "交流夏季一线执法工作作风情况",
    "观看警示教育片，交流节前廉洁自律体会",
    "学习党章，交流岗位履职情况",
    "开展批评和自我批评，为组织生活会作准备",
    "党小组成员互评，听取对支部工作的意见建议",
];

pub fn theme_day(style: Style, m: usize) -> String {
    let special = match (style, m) {
        (Style::Eco, 6) => Some("深入学习贯彻习近平生态文明思想，开展生态环境法律法规进企业宣讲"),
        (Style::Police, 6) => Some("开展全民禁毒宣传月禁毒宣传进校园活动"),
        (Style::Retired, 8) => Some("组织离退休老党员开展“银发生辉”志愿服务"),
        _ => None,
    };
    let text = special.unwrap_or_else(|| match style {
        Style::Village => month(&THEME_VILLAGE, m),
        Style::Community => month(&THEME_COMMUNITY, m),
        _ => month(&THEME_OFFICE, m),
    });
    text.to_string()
}

pub fn committee(style: Style, m: usize) -> String {
    if style.rural() { month(&COMMITTEE_VILLAGE, m) } else { month(&COMMITTEE_OFFICE, m) }.to_string()
}

pub fn cell(cell_name: &str, m: usize) -> String {
    format!("{cell_name}：{}", month(&CELL, m))
}

/// The 党员大会 of quarter `q` (1…4).
pub fn assembly(style: Style, q: usize) -> String {
    match (style.rural(), q) {
        (false, 1) => "总结2025年度支部工作，审议2026年度党建工作计划",
        (false, 2) => "庆祝建党105周年，表彰优秀共产党员",
        (false, 3) => "专题学习《中国共产党纪律处分条例》，通报典型违纪违法案件",
        (false, _) => "学习《中国共产党党员教育管理工作条例》，通报年度党费收缴情况",
        (true, 1) => "审议村党支部2026年度工作计划，讨论春耕农田水利项目",
        (true, 2) => "庆祝建党105周年，讨论村级重大事项",
        (true, 3) => "学习《中国共产党纪律处分条例》，通报村级小微权力监督情况",
        (true, _) => "学习《中国共产党农村基层组织工作条例》，讨论年度村务公开情况",
    }
    .to_string()
}

/// The 党课 of quarter `q` (1…4).
pub fn lecture(style: Style, q: usize) -> String {
    match (style, q) {
        (_, 1) => "专题党课：深入学习贯彻党的二十届四中全会精神",
        (_, 2) => "“七一”专题党课：赓续红色血脉，践行初心使命",
        (Style::Eco, 3) => "专题党课：深入学习贯彻习近平生态文明思想",
        (Style::Village, 3) => "专题党课：抓党建促乡村全面振兴",
        (_, 3) => "专题党课：以案为鉴，严守纪律规矩",
        (_, _) => "专题党课：锚定“十五五”目标任务，立足岗位作贡献",
    }
    .to_string()
}

pub fn life_meeting(year: i16) -> String {
    format!("召开{year}年度组织生活会，对照检视查摆问题，开展批评和自我批评")
}

pub fn member_review(year: i16) -> String {
    format!("开展{year}年度民主评议党员")
}

/// Subjects of 谈心谈话, by the situation.
pub fn heart_to_heart(style: Style, between_committee: bool, late: bool) -> &'static str {
    if between_committee {
        return "支委之间谈心谈话：交流履职情况，相互提醒";
    }
    match (style, late) {
        (_, true) => "组织生活会前谈心谈话：听取意见建议，交流思想工作情况",
        (Style::Village, false) => "了解党员思想动态和生产生活情况",
        (Style::Retired, false) => "走访谈心，了解老党员身体状况和生活需求",
        _ => "年度谈心谈话：交流思想和工作情况",
    }
}

/// What members said in some 谈心谈话 (recorded as 谈话要点).
pub fn heart_points(style: Style) -> &'static [&'static str] {
    match style {
        Style::Village => &[
            "反映村组道路部分路段破损，希望列入明年村级项目",
            "反映灌溉水渠年久失修，建议尽快组织维修",
            "希望支部多组织种植养殖技术培训",
        ],
        Style::Community => &["建议主题党日多结合楼栋服务开展", "反映老旧小区加装电梯群众意见较多"],
        Style::Retired => &["希望多组织就近学习，方便行动不便的老党员参加", "建议为高龄党员送学上门"],
        _ => &[
            "希望支部学习形式更加多样，多结合业务开展学习",
            "反映科室近期加班较多，希望统筹安排工作",
            "建议主题党日多到基层一线开展",
            "对本人理论学习不够系统的问题作了自我剖析",
        ],
    }
}
