//! 第三轮省级生态环境保护督察反馈问题 (整改 led by 市生态环境局党组 as
//! 督察整改办, from 2026-05-08): the bureau and the townships of both counties.

use super::data::Fate::*;
use super::data::{BASE, P, Quirk};
use jiff::civil::date;
use qingfeng_domain::rectify::RootCause::*;

pub const PROBLEMS: &[P] = &[
    P {
        unit: "eco",
        leader: ("eco", 0),
        cause: Mindset,
        deadline: date(2026, 7, 31),
        text: "对生态环境保护工作重要性认识不足，局党组研究部署督察整改工作不及时，2025年党组会议专题研究生态环境保护工作仅2次",
        measures: &["局党组专题研究部署督察反馈问题整改工作", "建立党组会议定期研究生态环境保护工作制度"],
        fate: Closed(date(2026, 7, 17)),
        ..BASE
    },
    P {
        unit: "chengguan",
        leader: ("fenglin", 1),
        deadline: date(2026, 9, 30),
        supporting: &["eco_water"],
        text: "城关镇污水处理厂出水氨氮多次超标，在线监测数据异常未及时处置",
        measures: &[
            "对城关镇污水处理厂生化处理工艺实施提标改造",
            "落实在线监测数据异常报告和处置制度",
            "建立污水处理厂运营单位月度考核制度",
        ],
        fate: Spot {
            closed: date(2026, 9, 25),
            pass: true,
            finding: "现场查看运行台账和在线监测数据，近3个月出水氨氮稳定达标，整改属实",
            measure: "",
        },
        ..BASE
    },
    P {
        unit: "hekou",
        leader: ("fenglin", 1),
        deadline: date(2026, 6, 30),
        text: "河口镇砂石料场扬尘治理不到位，物料堆场未全覆盖，运输车辆带泥上路，群众反映强烈",
        measures: &[
            "完成砂石料场物料堆场全覆盖苫盖",
            "在料场出入口安装车辆冲洗设施",
            "建立砂石料场扬尘治理日常巡查制度",
        ],
        fate: Relapsed {
            closed: date(2026, 7, 3),
            on: date(2026, 11, 6),
            comment: "回头看发现问题反弹：现场检查发现2处砂石堆场苫盖网破损未及时更换，车辆冲洗设施停用",
            measure: "落实砂石料场扬尘治理网格化责任并纳入镇村考核",
            reclosed: None,
        },
        quirk: Quirk::SharedFile,
        ..BASE
    },
    P {
        unit: "eco_air",
        leader: ("eco", 1),
        cause: Capability,
        deadline: date(2026, 10, 31),
        text: "重点行业超低排放改造推进迟缓，2家水泥企业未按期完成有组织排放超低排放改造",
        measures: &[
            "督促2家水泥企业制定超低排放改造实施方案",
            "完成2家水泥企业有组织排放超低排放改造",
            "开展超低排放改造评估监测",
        ],
        fate: ExtensionApproved {
            on: date(2026, 9, 8),
            decided: date(2026, 9, 15),
            to: date(2027, 3, 31),
            reason: "水泥企业超低排放改造须停窑施工，需避开冬季错峰生产期，申请延期至2027年3月31日",
        },
        ..BASE
    },
    P {
        unit: "eco_air",
        leader: ("eco", 1),
        cause: Institution,
        deadline: date(2026, 10, 31),
        text: "秸秆禁烧网格化监管机制不健全，2025年秋收期间卫星遥感监测发现秸秆焚烧火点9个",
        measures: &["建立县乡村三级秸秆禁烧网格化监管体系", "推广秸秆综合利用并落实还田补贴"],
        fate: Closed(date(2026, 10, 30)),
        ..BASE
    },
    P {
        unit: "eco_water",
        leader: ("eco", 3),
        cause: Capability,
        deadline: date(2027, 2, 28),
        schedule: &[(date(2026, 8, 31), 30), (date(2026, 11, 15), 60)],
        text: "农村黑臭水体治理成效不佳，已完成治理的5条黑臭水体中有2条出现返黑返臭",
        measures: &[
            "对2条返黑返臭水体开展控源截污和清淤疏浚",
            "建立农村黑臭水体治理成效季度监测制度",
            "落实已治理水体日常管护责任",
        ],
        fate: Behind,
        ..BASE
    },
    P {
        unit: "eco_water",
        leader: ("eco", 0),
        deadline: date(2026, 10, 31),
        supporting: &["qingshan"],
        text: "工业园区污水集中处理设施建设滞后，石桥县工业集中区污水管网未实现全覆盖，部分企业废水经雨水管网外排",
        measures: &[
            "完成工业集中区污水管网补短板工程",
            "对经雨水管网外排废水企业立案查处",
            "实施工业集中区雨污分流改造",
        ],
        fate: Overdue,
        ..BASE
    },
    P {
        unit: "eco_law",
        leader: ("eco", 4),
        deadline: date(2026, 9, 30),
        text: "对环境违法行为查处不够有力，“双随机、一公开”抽查比例未达到要求，部分问题企业屡查屡犯",
        measures: &["调整“双随机、一公开”抽查事项清单和抽查比例", "对屡查屡犯企业实施联合惩戒"],
        fate: Closed(date(2026, 9, 4)),
        ..BASE
    },
    P {
        unit: "eco_law",
        leader: ("eco", 4),
        cause: Capability,
        deadline: date(2026, 11, 30),
        text: "环境信访件办理质量不高，抽查发现8件信访件答复内容与现场核查情况不符",
        measures: &["对8件信访件重新核查并答复", "建立环境信访件办理质量回访复核制度"],
        fate: Requested(date(2026, 11, 17)),
        ..BASE
    },
    P {
        unit: "eco_office",
        leader: ("eco", 1),
        cause: Institution,
        deadline: date(2026, 6, 30),
        text: "督察整改工作调度机制不健全，整改台账更新不及时，部分问题整改进展底数不清",
        measures: &["建立督察整改工作周调度、月通报制度", "建立督察反馈问题整改销号台账"],
        fate: Closed(date(2026, 6, 24)),
        quirk: Quirk::Predated,
        ..BASE
    },
    P {
        unit: "chengguan",
        leader: ("fenglin", 1),
        cause: Capability,
        schedule: &[(date(2026, 8, 31), 30)],
        text: "城区餐饮油烟扰民问题突出，老城区78家餐饮单位中有31家未安装油烟净化设施",
        measures: &[
            "督促31家餐饮单位安装油烟净化设施",
            "建立餐饮油烟净化设施定期清洗维护台账",
            "开展餐饮油烟扰民问题联合执法",
        ],
        ..BASE
    },
    P {
        unit: "liuwan",
        leader: ("chengguan", 1),
        deadline: date(2026, 11, 30),
        text: "柳湾村畜禽养殖污染治理不到位，3家养殖户粪污未经处理直排沟渠",
        measures: &["督促3家养殖户配套建设粪污贮存处理设施", "对受污染沟渠开展清淤整治"],
        fate: Requested(date(2026, 11, 9)),
        ..BASE
    },
    P {
        unit: "hekou_v",
        leader: ("hekou", 1),
        deadline: date(2026, 8, 31),
        text: "河口村沿河垃圾乱堆乱放，河道保洁长效机制未建立",
        measures: &["清理沿河堆放垃圾", "聘用河道保洁员并建立保洁考核制度"],
        fate: Closed(date(2026, 8, 14)),
        ..BASE
    },
    P {
        unit: "shitan",
        leader: ("hekou", 1),
        cause: Capability,
        deadline: date(2026, 11, 26),
        text: "石滩村非法采砂整治后生态修复未跟进，3处采砂坑未回填复绿",
        measures: &["完成3处采砂坑回填", "对采砂区域实施复绿"],
        ..BASE
    },
    P {
        unit: "shuanghe",
        leader: ("shiqiao", 1),
        deadline: date(2026, 8, 31),
        text: "双河乡石料加工点粉尘污染治理不到位，生产车间未实现密闭作业，周边农田积尘明显",
        measures: &["督促石料加工点完成生产车间密闭改造", "安装喷淋降尘设施并落实日常洒水"],
        fate: Closed(date(2026, 8, 26)),
        quirk: Quirk::SharedFile,
        ..BASE
    },
    P {
        unit: "shuanghe_v",
        leader: ("shuanghe", 1),
        cause: Institution,
        deadline: date(2026, 10, 31),
        text: "双河村生活垃圾分类收运体系不健全，收集点设置不合理，存在混收混运现象",
        measures: &["优化调整生活垃圾分类收集点", "建立生活垃圾分类收运台账"],
        fate: Closed(date(2026, 10, 9)),
        ..BASE
    },
    P {
        unit: "baiyang",
        leader: ("shuanghe", 1),
        cause: Capability,
        text: "白杨村农村生活污水处理设施建成后运行不正常，出水水质不达标",
        measures: &["委托第三方运维单位对污水处理设施进行检修", "建立污水处理设施运行维护台账"],
        fate: Returned {
            requested: date(2026, 10, 20),
            returned: date(2026, 10, 26),
            comment: "第三方检测报告显示出水总磷仍超标，请落实运维单位责任、复测达标后再申请销号",
            supplement: "已督促运维单位更换除磷药剂投加设备，11月复测报告待出具",
        },
        ..BASE
    },
    P {
        unit: "qingshan",
        leader: ("shiqiao", 1),
        deadline: date(2027, 3, 31),
        schedule: &[(date(2026, 9, 30), 40)],
        text: "青山镇矿山地质环境恢复治理进度滞后，2处废弃矿山未完成生态修复",
        measures: &["编制2处废弃矿山生态修复方案", "实施废弃矿山边坡治理和覆土绿化", "建立修复区域后期管护制度"],
        fate: Behind,
        ..BASE
    },
    P {
        unit: "chayuan",
        leader: ("qingshan", 1),
        cause: Capability,
        deadline: date(2026, 8, 31),
        text: "茶园村茶叶加工企业燃煤锅炉未按期淘汰，冒黑烟问题群众多次投诉",
        measures: &["督促茶叶加工企业淘汰燃煤锅炉改用电加热设备", "开展茶叶加工企业废气排放执法监测"],
        fate: Closed(date(2026, 7, 29)),
        ..BASE
    },
    P {
        unit: "qingshan",
        leader: ("shiqiao", 1),
        cause: Institution,
        deadline: date(2026, 11, 30),
        text: "河长制工作落实不到位，镇村两级河长巡河记录不全，河道“清四乱”问题反弹",
        measures: &["开展河道“清四乱”专项整治", "建立镇村两级河长巡河考核通报制度"],
        fate: Requested(date(2026, 11, 12)),
        ..BASE
    },
    P {
        unit: "eco",
        leader: ("eco", 0),
        cause: Institution,
        text: "生态环境保护“党政同责、一岗双责”责任清单落实不够，部门间执法协作和信息共享机制运行不畅",
        measures: &["修订生态环境保护责任清单", "建立与公安、水利等部门的执法协作和信息共享机制"],
        ..BASE
    },
    P {
        unit: "eco_water",
        leader: ("eco", 3),
        cause: Capability,
        deadline: date(2027, 3, 31),
        text: "地下水污染防治基础工作薄弱，重点污染源周边地下水监测井建设滞后",
        fate: Unclaimed(date(2026, 11, 16)),
        ..BASE
    },
    P {
        unit: "eco_law",
        leader: ("eco", 4),
        text: "督察组转办信访件：群众反映丰林县化工园区企业夜间偷排废水，执法部门查处不及时",
        fate: Unclaimed(date(2026, 11, 19)),
        ..BASE
    },
    P {
        unit: "shuanghe",
        leader: ("shiqiao", 1),
        deadline: date(2027, 1, 31),
        text: "督察组转办信访件：双河乡水产养殖尾水未经处理直排河道，群众多次反映未得到解决",
        fate: Unclaimed(date(2026, 11, 17)),
        ..BASE
    },
    P {
        unit: "hekou",
        leader: ("fenglin", 1),
        deadline: date(2027, 1, 31),
        schedule: &[(date(2026, 9, 30), 30), (date(2026, 12, 31), 70)],
        text: "河口镇集中式饮用水水源地二级保护区内违规建设的2处养殖用房未拆除",
        measures: &["拆除水源地二级保护区内2处违规养殖用房", "对拆除区域开展生态恢复", "在保护区边界设置隔离防护设施"],
        ..BASE
    },
];
