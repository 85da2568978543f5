//! The shape of the demo city and who works where.

use qingfeng_domain::org::OrgKind;
use rand::Rng;

/// One unit of the spec.
pub struct U {
    pub key: &'static str,
    pub name: &'static str,
    pub short: Option<&'static str>,
    pub kind: OrgKind,
    pub order: i64,
    pub staff: Staff,
    pub children: Vec<U>,
}

fn u(
    key: &'static str,
    name: &'static str,
    short: &'static str,
    kind: OrgKind,
    order: i64,
    staff: Staff,
    children: Vec<U>,
) -> U {
    U { key, name, short: (!short.is_empty()).then_some(short), kind, order, staff, children }
}

/// Who works in a unit.
pub enum Staff {
    CityCommittee,
    CityOffice,
    Commission {
        county: bool,
    },
    Stationed,
    PatrolOffice,
    BureauGroup,
    PoliceCommittee,
    OrganCommittee,
    /// A 机关 branch: (the section it serves, e.g. "办公室", its members' usual title).
    OfficeBranch {
        section: &'static str,
        title: &'static str,
        members: (usize, usize),
    },
    RetiredBranch,
    Cell {
        members: (usize, usize),
        title: &'static str,
    },
    CountyCommittee,
    Township {
        town: bool,
    },
    TownOfficeBranch,
    VillageBranch,
    CommunityBranch,
}

/// One position to fill.
pub struct Role {
    pub position: String,
    pub head: bool,
    pub leadership: bool,
    pub party_member: bool,
    pub female_share: f64,
}

fn head(position: impl Into<String>) -> Role {
    Role { position: position.into(), head: true, leadership: true, party_member: true, female_share: 0.15 }
}
fn lead(position: impl Into<String>) -> Role {
    Role { position: position.into(), head: false, leadership: true, party_member: true, female_share: 0.25 }
}
fn member(position: impl Into<String>) -> Role {
    Role { position: position.into(), head: false, leadership: false, party_member: true, female_share: 0.45 }
}
fn non_member(position: impl Into<String>) -> Role {
    Role { position: position.into(), head: false, leadership: false, party_member: false, female_share: 0.5 }
}

/// Fills a unit with the positions it has.
pub fn staff(s: &Staff, rng: &mut impl Rng) -> Vec<Role> {
    let mut v = Vec::new();
    match s {
        Staff::CityCommittee => {
            v.push(head("市委书记"));
            v.push(lead("市委副书记、市长"));
            v.push(lead("市委副书记"));
            v.push(lead("市委常委、常务副市长"));
            v.push(lead("市委常委、组织部部长"));
            v.push(lead("市委常委、宣传部部长"));
            v.push(lead("市委常委、政法委书记"));
            v.push(lead("市委常委、秘书长"));
        }
        Staff::CityOffice => {
            v.push(head("市委副秘书长、办公室主任"));
            v.push(member("信息化科科长"));
            v.push(member("保密科一级主任科员"));
            v.push(member("综合科副科长"));
            v.push(member("秘书科四级主任科员"));
            v.push(non_member("综合科科员"));
        }
        Staff::Commission { county } => {
            let (lvl, n) = if *county { ("县", 3) } else { ("市", 5) };
            v.push(head(format!("{lvl}委常委、{lvl}纪委书记、{lvl}监委主任")));
            v.push(lead(format!("{lvl}纪委副书记、{lvl}监委副主任")));
            v.push(lead(format!("{lvl}纪委副书记、{lvl}监委副主任")));
            if !*county {
                v.push(lead("市纪委常委、市监委委员"));
                v.push(member("信访室主任"));
                v.push(member("第一监督检查室主任"));
                v.push(member("第二监督检查室主任"));
                v.push(member("案件监督管理室主任"));
                v.push(member("审查调查室副主任"));
            }
            for _ in 0..n {
                v.push(member(["一级主任科员", "二级主任科员", "四级主任科员", "一级科员"][rng.random_range(0..4)]));
            }
        }
        Staff::Stationed => {
            v.push(head("组长"));
            v.push(lead("副组长"));
            v.push(member("一级主任科员"));
            v.push(member("三级主任科员"));
        }
        Staff::PatrolOffice => {
            v.push(head("市委巡察办主任"));
            v.push(lead("市委巡察办副主任"));
            v.push(member("市委第一巡察组组长"));
            v.push(member("市委第二巡察组组长"));
            v.push(member("综合科科长"));
            v.push(member("四级主任科员"));
        }
        Staff::BureauGroup => {
            v.push(head("党组书记、局长"));
            v.push(lead("党组成员、副局长"));
            v.push(lead("党组成员、副局长"));
            v.push(lead("党组成员、副局长"));
            v.push(lead("党组成员、总工程师"));
        }
        Staff::PoliceCommittee => {
            v.push(head("党委书记、局长"));
            v.push(lead("党委副书记、常务副局长"));
            v.push(lead("党委委员、副局长"));
            v.push(lead("党委委员、副局长"));
            v.push(lead("党委委员、政治部主任"));
        }
        Staff::OrganCommittee => {
            v.push(head("机关党委书记"));
            v.push(lead("机关党委专职副书记"));
            v.push(lead("机关纪委书记"));
            v.push(member("机关党委干事"));
        }
        Staff::OfficeBranch { section, title, members } => {
            v.push(head(format!("{section}负责人、支部书记")));
            v.push(lead(format!("{section}副职、组织委员")));
            v.push(lead("宣传委员"));
            v.push(lead("纪检委员"));
            for _ in 0..rng.random_range(members.0..=members.1) {
                if rng.random_bool(0.12) {
                    v.push(non_member(*title));
                } else {
                    v.push(member(*title));
                }
            }
        }
        Staff::RetiredBranch => {
            v.push(head("支部书记（退休干部）"));
            v.push(lead("支部委员（退休干部）"));
            for _ in 0..rng.random_range(5..=9) {
                v.push(member("退休干部"));
            }
        }
        Staff::Cell { members, title } => {
            v.push(head("党小组组长"));
            for _ in 0..rng.random_range(members.0..=members.1) {
                v.push(member(*title));
            }
        }
        Staff::CountyCommittee => {
            v.push(head("县委书记"));
            v.push(lead("县委副书记、县长"));
            v.push(lead("县委副书记"));
            v.push(lead("县委常委、组织部部长"));
            v.push(lead("县委常委、政法委书记"));
            v.push(lead("县委常委、办公室主任"));
        }
        Staff::Township { town } => {
            let (p, h) = if *town { ("镇", "镇长") } else { ("乡", "乡长") };
            v.push(head(format!("{p}党委书记")));
            v.push(lead(format!("{p}党委副书记、{h}")));
            v.push(lead(format!("{p}党委副书记")));
            v.push(lead(format!("{p}党委委员、纪委书记")));
            v.push(lead(format!("{p}党委委员、组织委员")));
            v.push(lead(format!("{p}党委委员、武装部部长")));
        }
        Staff::TownOfficeBranch => {
            v.push(head("党政办主任、支部书记"));
            v.push(lead("组织委员"));
            v.push(lead("纪检委员"));
            for _ in 0..rng.random_range(4..=7) {
                v.push(member(
                    ["党建办干事", "经济发展办干事", "社会事务办干事", "综治中心干事"][rng.random_range(0..4)],
                ));
            }
            v.push(non_member("便民服务中心工作人员"));
        }
        Staff::VillageBranch => {
            v.push(head("村党支部书记、村委会主任"));
            v.push(lead("村党支部副书记"));
            v.push(lead("村党支部委员、村委会委员"));
            v.push(lead("村务监督委员会主任"));
            for _ in 0..rng.random_range(7..=14) {
                v.push(member(["党员", "党员", "村民小组长", "致富带头人", "退伍军人"][rng.random_range(0..5)]));
            }
            v.push(non_member("村委会委员"));
        }
        Staff::CommunityBranch => {
            v.push(head("社区党支部书记、居委会主任"));
            v.push(lead("社区党支部副书记"));
            v.push(lead("社区党支部委员"));
            for _ in 0..rng.random_range(5..=10) {
                v.push(member(["网格员", "社区工作者", "楼栋长", "在职党员"][rng.random_range(0..4)]));
            }
            v.push(non_member("社区工作者"));
        }
    }
    v
}

use OrgKind::*;

fn office(key: &'static str, name: &'static str, order: i64, section: &'static str, title: &'static str) -> U {
    u(key, name, "", Branch, order, Staff::OfficeBranch { section, title, members: (4, 9) }, vec![])
}

fn village(key: &'static str, name: &'static str, order: i64) -> U {
    u(key, name, "", Branch, order, Staff::VillageBranch, vec![])
}

/// The whole city.
pub fn city() -> U {
    u(
        "city",
        "中共安澜市委员会",
        "安澜市委",
        PartyCommittee,
        0,
        Staff::CityCommittee,
        vec![
            u(
                "ccdi",
                "中共安澜市纪律检查委员会",
                "市纪委监委",
                DisciplineCommission,
                10,
                Staff::Commission { county: false },
                vec![
                    u(
                        "team_eco",
                        "市纪委监委驻市生态环境局纪检监察组",
                        "驻生态环境局纪检监察组",
                        StationedTeam,
                        10,
                        Staff::Stationed,
                        vec![],
                    ),
                    u(
                        "team_police",
                        "市纪委监委驻市公安局纪检监察组",
                        "驻公安局纪检监察组",
                        StationedTeam,
                        20,
                        Staff::Stationed,
                        vec![],
                    ),
                ],
            ),
            u("city_office", "中共安澜市委办公室", "市委办", Department, 20, Staff::CityOffice, vec![]),
            u(
                "patrol",
                "中共安澜市委巡察工作领导小组办公室",
                "市委巡察办",
                Department,
                30,
                Staff::PatrolOffice,
                vec![],
            ),
            u(
                "eco",
                "中共安澜市生态环境局党组",
                "市生态环境局党组",
                PartyGroup,
                40,
                Staff::BureauGroup,
                vec![u(
                    "eco_organ",
                    "中共安澜市生态环境局机关委员会",
                    "局机关党委",
                    OrganCommittee,
                    10,
                    Staff::OrganCommittee,
                    vec![
                        office("eco_office", "办公室党支部", 10, "办公室", "一级主任科员"),
                        office("eco_air", "大气环境科党支部", 20, "大气环境科", "四级主任科员"),
                        office("eco_water", "水生态环境科党支部", 30, "水生态环境科", "二级主任科员"),
                        u(
                            "eco_law",
                            "生态环境保护综合行政执法支队党支部",
                            "执法支队党支部",
                            Branch,
                            40,
                            Staff::OfficeBranch { section: "执法支队", title: "执法队员", members: (2, 3) },
                            vec![
                                u(
                                    "eco_law_1",
                                    "执法一大队党小组",
                                    "",
                                    Cell,
                                    10,
                                    Staff::Cell { members: (3, 5), title: "执法队员" },
                                    vec![],
                                ),
                                u(
                                    "eco_law_2",
                                    "执法二大队党小组",
                                    "",
                                    Cell,
                                    20,
                                    Staff::Cell { members: (3, 5), title: "执法队员" },
                                    vec![],
                                ),
                            ],
                        ),
                        u("eco_retired", "离退休干部党支部", "", Branch, 90, Staff::RetiredBranch, vec![]),
                    ],
                )],
            ),
            u(
                "police",
                "中共安澜市公安局委员会",
                "市公安局党委",
                PartyCommittee,
                50,
                Staff::PoliceCommittee,
                vec![u(
                    "police_organ",
                    "中共安澜市公安局机关委员会",
                    "局机关党委",
                    OrganCommittee,
                    10,
                    Staff::OrganCommittee,
                    vec![
                        office("police_cmd", "指挥中心党支部", 10, "指挥中心", "一级警长"),
                        office("police_order", "治安管理支队党支部", 20, "治安支队", "二级警长"),
                        office("police_crime", "刑事侦查支队党支部", 30, "刑侦支队", "一级警员"),
                        u(
                            "police_traffic",
                            "交通警察支队党支部",
                            "交警支队党支部",
                            Branch,
                            40,
                            Staff::OfficeBranch { section: "交警支队", title: "三级警长", members: (2, 3) },
                            vec![
                                u(
                                    "police_traffic_1",
                                    "一大队党小组",
                                    "",
                                    Cell,
                                    10,
                                    Staff::Cell { members: (3, 6), title: "一级警员" },
                                    vec![],
                                ),
                                u(
                                    "police_traffic_2",
                                    "二大队党小组",
                                    "",
                                    Cell,
                                    20,
                                    Staff::Cell { members: (3, 6), title: "一级警员" },
                                    vec![],
                                ),
                            ],
                        ),
                        office("police_political", "政治部党支部", 50, "政治部", "四级高级警长"),
                    ],
                )],
            ),
            u(
                "fenglin",
                "中共丰林县委员会",
                "丰林县委",
                PartyCommittee,
                60,
                Staff::CountyCommittee,
                vec![
                    u(
                        "fenglin_ccdi",
                        "中共丰林县纪律检查委员会",
                        "丰林县纪委监委",
                        DisciplineCommission,
                        10,
                        Staff::Commission { county: true },
                        vec![],
                    ),
                    u(
                        "chengguan",
                        "中共丰林县城关镇委员会",
                        "城关镇党委",
                        PartyCommittee,
                        20,
                        Staff::Township { town: true },
                        vec![
                            u("chengguan_office", "城关镇机关党支部", "", Branch, 10, Staff::TownOfficeBranch, vec![]),
                            u("dongjie", "东街社区党支部", "", Branch, 20, Staff::CommunityBranch, vec![]),
                            village("liuwan", "柳湾村党支部", 30),
                        ],
                    ),
                    u(
                        "hekou",
                        "中共丰林县河口镇委员会",
                        "河口镇党委",
                        PartyCommittee,
                        30,
                        Staff::Township { town: true },
                        vec![
                            u("hekou_office", "河口镇机关党支部", "", Branch, 10, Staff::TownOfficeBranch, vec![]),
                            village("hekou_v", "河口村党支部", 20),
                            village("shitan", "石滩村党支部", 30),
                        ],
                    ),
                ],
            ),
            u(
                "shiqiao",
                "中共石桥县委员会",
                "石桥县委",
                PartyCommittee,
                70,
                Staff::CountyCommittee,
                vec![
                    u(
                        "shiqiao_ccdi",
                        "中共石桥县纪律检查委员会",
                        "石桥县纪委监委",
                        DisciplineCommission,
                        10,
                        Staff::Commission { county: true },
                        vec![],
                    ),
                    u(
                        "shuanghe",
                        "中共石桥县双河乡委员会",
                        "双河乡党委",
                        PartyCommittee,
                        20,
                        Staff::Township { town: false },
                        vec![
                            u("shuanghe_office", "双河乡机关党支部", "", Branch, 10, Staff::TownOfficeBranch, vec![]),
                            village("shuanghe_v", "双河村党支部", 20),
                            village("baiyang", "白杨村党支部", 30),
                        ],
                    ),
                    u(
                        "qingshan",
                        "中共石桥县青山镇委员会",
                        "青山镇党委",
                        PartyCommittee,
                        30,
                        Staff::Township { town: true },
                        vec![
                            u("qingshan_office", "青山镇机关党支部", "", Branch, 10, Staff::TownOfficeBranch, vec![]),
                            u("qingshan_c", "青山社区党支部", "", Branch, 20, Staff::CommunityBranch, vec![]),
                            village("chayuan", "茶园村党支部", 30),
                        ],
                    ),
                ],
            ),
        ],
    )
}
