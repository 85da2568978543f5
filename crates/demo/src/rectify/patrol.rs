//! 十三届市委第一轮巡察反馈意见 (issued by 市委巡察办 on 2026-03-16):
//! 市生态环境局党组, 市公安局党委 and 丰林县.

use super::data::Fate::*;
use super::data::{BASE, P};
use jiff::civil::date;
use qingfeng_domain::rectify::RootCause::*;

pub const PROBLEMS: &[P] = &[
    P {
        unit: "eco",
        leader: ("eco", 0),
        cause: Mindset,
        deadline: date(2026, 6, 30),
        text: "学习贯彻习近平新时代中国特色社会主义思想不够深入，党组理论学习中心组学习流于形式，2025年专题研讨仅开展2次，研讨发言照搬照抄文件材料",
        measures: &[
            "修订《党组理论学习中心组学习制度》",
            "制定2026年度党组理论学习中心组专题学习计划",
            "围绕习近平生态文明思想开展党组理论学习中心组专题研讨",
        ],
        fate: Confirmed {
            closed: date(2026, 5, 6),
            on: date(2026, 11, 10),
            comment: "回头看：查阅2026年中心组学习记录，已按计划开展专题研讨5次，成员均提交研讨材料，整改成效巩固，确认销号",
        },
        ..BASE
    },
    P {
        unit: "eco",
        leader: ("eco", 0),
        rules: Some("xl.4"),
        deadline: date(2026, 6, 30),
        text: "落实中央八项规定精神不够严格，2025年以来存在违规发放加班补贴问题，涉及金额3.2万元，党组对机关财务监管失之于宽",
        measures: &[
            "清退违规发放的加班补贴3.2万元",
            "修订《机关考勤与加班管理办法》",
            "组织开展违规发放津补贴问题专题警示教育",
        ],
        fate: Closed(date(2026, 6, 12)),
        ..BASE
    },
    P {
        unit: "eco_office",
        leader: ("eco", 1),
        cause: Institution,
        rules: Some("xl.6.1"),
        deadline: date(2026, 7, 31),
        text: "公务用车管理不规范，2025年有17次公务用车未履行派车审批手续，加油卡未实行一车一卡管理",
        measures: &["修订《公务用车使用管理规定》", "开展公务用车使用情况专项清查", "推行加油卡一车一卡、定点加油管理"],
        fate: Closed(date(2026, 7, 24)),
        ..BASE
    },
    P {
        unit: "eco_office",
        leader: ("eco", 0),
        cause: Institution,
        deadline: date(2026, 11, 30),
        text: "“三重一大”决策制度执行不到位，2025年有2项10万元以上采购事项未经党组会集体研究，事后补办程序",
        measures: &[
            "修订《党组“三重一大”事项集体决策制度》",
            "对2025年以来大额资金使用情况开展倒查",
            "建立“三重一大”事项决策过程纪实台账",
        ],
        fate: Requested(date(2026, 11, 13)),
        ..BASE
    },
    P {
        unit: "eco_office",
        leader: ("eco", 1),
        cause: Capability,
        schedule: &[(date(2026, 9, 30), 50)],
        text: "机关档案管理基础薄弱，2023年至2025年文书档案未按规定及时归档，归档率不足60%",
        measures: &["完成2023年至2025年文书档案清理归档", "制定《机关档案管理实施细则》", "组织机关档案业务培训"],
        ..BASE
    },
    P {
        unit: "eco_organ",
        leader: ("eco", 2),
        deadline: date(2026, 8, 31),
        text: "基层党组织建设存在薄弱环节，3个党支部未按规定落实“三会一课”制度，组织生活会会前谈心谈话记录缺失",
        measures: &[
            "对3个党支部“三会一课”落实情况开展专项督查",
            "建立党支部组织生活月报告、季检查制度",
            "组织党支部书记集中轮训",
        ],
        fate: Closed(date(2026, 8, 21)),
        ..BASE
    },
    P {
        unit: "eco_organ",
        leader: ("eco", 2),
        cause: Institution,
        deadline: date(2026, 9, 30),
        text: "选人用人把关不严，干部档案审核发现3名干部出生日期认定依据不足，2名干部学历信息前后记载不一致",
        measures: &[
            "对3名干部出生日期重新认定并报市委组织部备案",
            "开展干部人事档案专项审核",
            "建立干部档案材料收集归档工作台账",
        ],
        fate: Closed(date(2026, 9, 18)),
        ..BASE
    },
    P {
        unit: "eco_air",
        leader: ("eco", 1),
        cause: Capability,
        rules: Some("fb.2"),
        deadline: date(2027, 3, 31),
        schedule: &[(date(2026, 6, 30), 30), (date(2026, 10, 31), 70)],
        text: "推进大气污染防治攻坚不力，2025年PM2.5平均浓度改善幅度未完成省定目标，重污染天气应急减排清单更新不及时",
        measures: &[
            "修订重污染天气应急减排清单",
            "对涉气重点企业实行“一厂一策”深度治理",
            "建立大气环境质量月调度、月通报制度",
        ],
        fate: Behind,
        ..BASE
    },
    P {
        unit: "eco_air",
        leader: ("eco", 1),
        deadline: date(2026, 10, 31),
        text: "对涉挥发性有机物企业监管不到位，12家汽修企业喷漆房未安装废气收集处理设施",
        measures: &["督促12家汽修企业完成喷漆房废气收集处理设施安装", "开展涉挥发性有机物企业专项执法检查"],
        fate: Closed(date(2026, 10, 16)),
        ..BASE
    },
    P {
        unit: "eco_water",
        leader: ("eco", 0),
        deadline: date(2026, 9, 30),
        text: "入河排污口排查整治推进缓慢，排查出的46个入河排污口中仅完成溯源18个，整治进度明显滞后",
        measures: &["完成46个入河排污口溯源工作", "制定入河排污口“一口一策”整治方案", "建立入河排污口动态管理台账"],
        fate: Overdue,
        ..BASE
    },
    P {
        unit: "eco_water",
        leader: ("eco", 3),
        cause: Capability,
        deadline: date(2026, 7, 31),
        supporting: &["chengguan"],
        text: "饮用水水源地规范化建设不到位，丰林县城关镇水源地一级保护区隔离防护网多处破损，警示标志缺失",
        measures: &[
            "修复城关镇水源地一级保护区隔离防护网",
            "补设水源地保护区界标和警示标志",
            "建立水源地保护区每周巡查制度",
        ],
        fate: Closed(date(2026, 7, 10)),
        ..BASE
    },
    P {
        unit: "eco_law",
        leader: ("eco", 0),
        deadline: date(2026, 10, 31),
        text: "生态环境执法检查流于形式，2025年现场检查笔录中有23份未载明检查内容和发现问题，执法文书制作不规范",
        measures: &[
            "开展2025年度执法案卷专项评查",
            "组织执法人员执法文书规范化培训",
            "修订《生态环境现场检查工作规程》",
        ],
        fate: Overdue,
        ..BASE
    },
    P {
        unit: "eco_law",
        leader: ("eco", 4),
        cause: Institution,
        text: "行政处罚自由裁量权行使不规范，同类环境违法行为处罚金额差异较大，未严格执行裁量基准",
        measures: &["修订《生态环境行政处罚自由裁量基准》", "建立重大行政处罚案件集体审议制度"],
        fate: Requested(date(2026, 11, 6)),
        ..BASE
    },
    P {
        unit: "eco_retired",
        leader: ("eco", 2),
        deadline: date(2026, 6, 30),
        text: "离退休干部党支部组织生活不经常，2025年主题党日活动仅开展4次，部分行动不便的老党员长期未参加组织生活",
        measures: &["制定离退休干部党支部年度组织生活计划", "对行动不便老党员实行“送学上门”"],
        fate: Closed(date(2026, 6, 26)),
        ..BASE
    },
    P {
        unit: "police",
        leader: ("police", 0),
        cause: Mindset,
        deadline: date(2026, 7, 31),
        text: "意识形态工作责任制落实不到位，局党委每年专题研究意识形态工作仅1次，对涉警网络舆情苗头性问题研判不及时",
        measures: &[
            "修订《局党委意识形态工作责任制实施细则》",
            "建立涉警网络舆情每日研判、分级处置机制",
            "局党委专题研究意识形态工作",
        ],
        fate: Closed(date(2026, 7, 3)),
        ..BASE
    },
    P {
        unit: "police",
        leader: ("police", 0),
        rules: Some("xl.2"),
        deadline: date(2026, 6, 30),
        text: "纠治“四风”不够坚决，2025年有1名副科级干部接受管理服务对象宴请，局党委落实主体责任压力传导层层递减",
        measures: &["对接受宴请问题依规依纪作出处理", "开展违规吃喝问题专项整治", "召开以案促改专题民主生活会"],
        fate: Relapsed {
            closed: date(2026, 5, 29),
            on: date(2026, 11, 12),
            comment: "回头看发现问题反弹：2026年10月交警支队1名民警工作日午间饮酒，以案促改成效未能巩固",
            measure: "建立节假日及工作日午间饮酒问题常态化监督检查机制",
            reclosed: None,
        },
        ..BASE
    },
    P {
        unit: "police_organ",
        leader: ("police", 4),
        cause: Institution,
        deadline: date(2026, 8, 31),
        text: "发展党员工作程序不规范，抽查发现4名发展对象政治审查材料不全，入党志愿书填写不规范",
        measures: &["对近三年发展党员档案开展全面复查", "补齐4名发展对象政治审查材料", "组织发展党员工作业务培训"],
        fate: Closed(date(2026, 8, 7)),
        ..BASE
    },
    P {
        unit: "police_cmd",
        leader: ("police", 1),
        cause: Capability,
        schedule: &[(date(2026, 10, 31), 50)],
        text: "110接处警规范化水平不高，部分警情处置结果反馈不及时，回访发现重复报警率偏高",
        measures: &["修订《110接处警工作规范》", "建立警情处置结果24小时回访制度", "开展接处警岗位全员轮训"],
        ..BASE
    },
    P {
        unit: "police_order",
        leader: ("police", 2),
        rules: Some("fb.3"),
        text: "服务群众意识不强，户籍业务“多头跑、反复跑”问题未根本解决，群众反映较多",
        measures: &["在户籍窗口推行“一窗通办”", "梳理公布户籍业务办事指南和材料清单"],
        fate: Returned {
            requested: date(2026, 9, 25),
            returned: date(2026, 9, 30),
            comment: "佐证材料只有制度文件，缺少“一窗通办”实际运行情况和群众评价数据，请补充后再申请销号",
            supplement: "补充：“一窗通办”运行以来共受理户籍业务1286件，一次办结率96.4%，群众评价满意率98.1%",
        },
        ..BASE
    },
    P {
        unit: "police_order",
        leader: ("police", 2),
        cause: Institution,
        deadline: date(2026, 7, 31),
        text: "娱乐场所治安管理存在漏洞，2家娱乐场所从业人员信息登记不全，日常检查记录不完整",
        measures: &["对辖区娱乐场所开展治安清查", "落实娱乐场所从业人员实名登记"],
        fate: Closed(date(2026, 6, 19)),
        ..BASE
    },
    P {
        unit: "police_crime",
        leader: ("police", 3),
        cause: Capability,
        deadline: date(2026, 11, 30),
        text: "涉案财物管理不规范，涉案财物管理中心有11件涉案物品未及时登记入库，出入库手续不全",
        measures: &["对11件涉案物品补办登记入库手续", "启用涉案财物电子化管理系统", "修订《涉案财物管理办法》"],
        fate: Requested(date(2026, 11, 16)),
        ..BASE
    },
    P {
        unit: "police_crime",
        leader: ("police", 3),
        deadline: date(2026, 10, 31),
        text: "执法办案监督制约不够有力，2025年有5起刑事案件未在法定期限内移送审查起诉",
        measures: &["对5起超期案件逐案倒查并追究相关人员责任", "建立刑事案件办案期限预警提醒机制"],
        fate: Overdue,
        ..BASE
    },
    P {
        unit: "police_traffic",
        leader: ("police", 2),
        rules: Some("fb.3"),
        deadline: date(2026, 9, 30),
        text: "“放管服”改革落实不到位，车驾管业务网上办理率偏低，群众办事排长队问题突出",
        measures: &["推广“交管12123”网上办理车驾管业务", "在车管所增设自助服务区并延长周末服务时间"],
        fate: Closed(date(2026, 9, 11)),
        ..BASE
    },
    P {
        unit: "police_traffic",
        leader: ("police", 2),
        rules: Some("xl.6.1"),
        deadline: date(2027, 1, 31),
        text: "执法执勤用车管理不严，2025年有3次执勤警车节假日停放在非办公场所",
        fate: Unclaimed(date(2026, 11, 18)),
        ..BASE
    },
    P {
        unit: "police_political",
        leader: ("police", 4),
        cause: Institution,
        deadline: date(2027, 1, 31),
        schedule: &[(date(2026, 8, 31), 40), (date(2026, 11, 15), 80)],
        text: "从严管党治警措施落实不够，民警心理健康疏导机制不健全，谈心谈话制度执行不到位",
        measures: &[
            "建立民警心理健康服务站并配备专兼职心理咨询师",
            "修订《民警谈心谈话制度》",
            "对全局民警开展心理健康状况普查",
        ],
        fate: Behind,
        ..BASE
    },
    P {
        unit: "fenglin",
        leader: ("fenglin", 0),
        cause: Mindset,
        deadline: date(2026, 6, 30),
        text: "落实全面从严治党主体责任不够到位，县委常委会2025年专题研究党风廉政建设仅1次，对下级党组织“一把手”监督措施不多",
        measures: &["县委常委会专题研究全面从严治党工作", "制定《加强对下级党组织“一把手”监督的实施办法》"],
        fate: Confirmed {
            closed: date(2026, 5, 22),
            on: date(2026, 11, 17),
            comment: "回头看：县委常委会已按季度研究全面从严治党工作，“一把手”监督实施办法执行良好，确认销号",
        },
        ..BASE
    },
    P {
        unit: "fenglin",
        leader: ("fenglin", 5),
        rules: Some("fb.4"),
        text: "为基层减负工作落实不到位，2025年县级层面印发文件较上年增加15%，部分督查检查考核事项重复交叉",
        measures: &[
            "制定2026年度县级督查检查考核计划并实行总量控制",
            "清理规范县级工作群和政务应用程序",
            "建立县级发文审核把关和月度通报制度",
        ],
        fate: Requested(date(2026, 11, 10)),
        ..BASE
    },
    P {
        unit: "chengguan",
        leader: ("fenglin", 2),
        deadline: date(2026, 11, 30),
        text: "乡镇纪委监督作用发挥不充分，2025年镇纪委开展日常监督检查仅3次，对村级小微权力运行监督乏力",
        measures: &[
            "制定镇纪委年度监督检查计划",
            "建立村级小微权力清单和运行流程图",
            "开展村级小微权力运行专项监督检查",
        ],
        fate: ExtensionPending {
            on: date(2026, 11, 16),
            to: date(2027, 3, 31),
            reason: "县纪委监委正在推进片区协作机制改革，镇纪委监督检查规程需与县级文件衔接后印发，申请延期至2027年3月31日",
        },
        ..BASE
    },
    P {
        unit: "chengguan_office",
        leader: ("chengguan", 1),
        deadline: date(2026, 11, 30),
        text: "惠民惠农财政补贴资金“一卡通”发放管理不规范，抽查发现7名已死亡人员仍在领取补贴，涉及金额1.4万元",
        measures: &["追回7名已死亡人员冒领的补贴资金1.4万元", "建立补贴对象与殡葬、户籍信息定期比对机制"],
        fate: Closed(date(2026, 11, 5)),
        ..BASE
    },
    P {
        unit: "dongjie",
        leader: ("chengguan", 2),
        cause: Capability,
        text: "社区网格化服务管理不够精细，网格员入户走访记录不实，部分独居老人、困难群众底数不清",
        measures: &["开展独居老人、困难群众入户走访摸底", "建立网格员走访工作日志抽查制度"],
        ..BASE
    },
    P {
        unit: "liuwan",
        leader: ("chengguan", 3),
        cause: Institution,
        deadline: date(2026, 8, 31),
        text: "村级“三资”管理不规范，村集体资产台账不健全，2处集体鱼塘发包未经村民代表大会表决",
        measures: &["建立健全村集体资产台账", "对2处集体鱼塘发包合同重新履行民主程序"],
        fate: Spot {
            closed: date(2026, 9, 4),
            pass: false,
            finding: "现场核查发现整改台账系补填，实际未建立长效机制",
            measure: "建立村级“三资”管理长效机制并经村民代表大会审议通过",
        },
        ..BASE
    },
    P {
        unit: "hekou",
        leader: ("fenglin", 2),
        cause: Mindset,
        deadline: date(2026, 9, 30),
        text: "落实意识形态工作责任制不到位，镇党委对宗教活动场所、网络平台等阵地管理排查不全面",
        measures: &["开展意识形态阵地全面排查", "建立意识形态阵地管理台账并实行季度研判"],
        fate: Closed(date(2026, 8, 28)),
        ..BASE
    },
    P {
        unit: "hekou_office",
        leader: ("hekou", 1),
        rules: Some("xl.6.3"),
        deadline: date(2026, 7, 31),
        text: "公务接待管理不严，2025年有6次公务接待超标准安排陪餐人员，接待清单与实际不符",
        measures: &["对6次超标准接待涉及费用予以清退", "修订《镇机关公务接待管理办法》"],
        fate: Closed(date(2026, 6, 5)),
        ..BASE
    },
    P {
        unit: "hekou_v",
        leader: ("hekou", 1),
        deadline: date(2026, 9, 30),
        text: "村务公开不及时、不规范，2025年第三、四季度村级财务收支未按期公开，群众有意见",
        measures: &["补充公开2025年第三、四季度村级财务收支", "规范村务公开栏并同步开通线上公开"],
        fate: Relapsed {
            closed: date(2026, 6, 18),
            on: date(2026, 10, 22),
            comment: "回头看发现问题反弹：2026年第三季度村级财务收支仍未按期公开，公开栏内容停留在6月份",
            measure: "建立村务公开季度提醒和镇纪委监督检查机制",
            reclosed: Some(date(2026, 11, 13)),
        },
        ..BASE
    },
    P {
        unit: "shitan",
        leader: ("hekou", 2),
        cause: Capability,
        deadline: date(2026, 8, 31),
        text: "村级产业项目管理粗放，2024年扶持建设的光伏电站收益分配方案未经公示，收益台账不清",
        measures: &["制定光伏电站收益分配方案并张榜公示", "建立光伏电站收益台账"],
        fate: Closed(date(2026, 7, 31)),
        ..BASE
    },
];
