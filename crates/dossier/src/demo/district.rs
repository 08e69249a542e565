//! The fixed data of the demo district (姜堰区): units, hot posts, classes, study topics, forum topics, wording of records.

/// One unit of the district.
pub struct UnitSpec {
    pub id: &'static str,
    pub name: &'static str,
    /// 窗口/服务对象为企业群众: its hot posts get rotation priority.
    pub business_facing: bool,
    /// A town or street (镇/街道) rather than a district department.
    pub town: bool,
}

const fn unit(id: &'static str, name: &'static str, business_facing: bool, town: bool) -> UnitSpec {
    UnitSpec {
        id,
        name,
        business_facing,
        town,
    }
}

/// The district's units: 8 business-facing departments first (they hold the hot posts).
pub const UNITS: &[UnitSpec] = &[
    unit("u01", "姜堰区行政审批局", true, false),
    unit("u02", "姜堰区市场监督管理局", true, false),
    unit("u03", "姜堰区住房和城乡建设局", true, false),
    unit("u04", "姜堰区自然资源和规划分局", true, false),
    unit("u05", "姜堰区人力资源和社会保障局", true, false),
    unit("u06", "姜堰区商务局", true, false),
    unit("u07", "姜堰区交通运输局", true, false),
    unit("u08", "姜堰区卫生健康委员会", true, false),
    unit("u09", "中共姜堰区委办公室", false, false),
    unit("u10", "姜堰区人民政府办公室", false, false),
    unit("u11", "中共姜堰区委组织部", false, false),
    unit("u12", "中共姜堰区委宣传部", false, false),
    unit("u13", "姜堰区发展和改革委员会", false, false),
    unit("u14", "姜堰区财政局", false, false),
    unit("u15", "姜堰区审计局", false, false),
    unit("u16", "姜堰区教育局", false, false),
    unit("u17", "姜堰区工业和信息化局", false, false),
    unit("u18", "姜堰区农业农村局", false, false),
    unit("u19", "姜堰区应急管理局", false, false),
    unit("u20", "姜堰区水利局", false, false),
    unit("u21", "罗塘街道", false, true),
    unit("u22", "三水街道", false, true),
    unit("u23", "天目山街道", false, true),
    unit("u24", "梁徐街道", false, true),
    unit("u25", "溱潼镇", false, true),
    unit("u26", "沈高镇", false, true),
    unit("u27", "大伦镇", false, true),
    unit("u28", "张甸镇", false, true),
    unit("u29", "娄庄镇", false, true),
    unit("u30", "白米镇", false, true),
    unit("u31", "俞垛镇", false, true),
    unit("u32", "兴泰镇", false, true),
    unit("u33", "顾高镇", false, true),
    unit("u34", "蒋垛镇", false, true),
    unit("u35", "淤溪镇", false, true),
    unit("u36", "桥头镇", false, true),
];

/// Hot posts (热点岗位) of each business-facing unit: 8 units × 7 posts = 56 heads.
pub const HOT_POSTS: &[&str] = &[
    "审批服务科科长",
    "行政许可科科长",
    "综合执法大队大队长",
    "招标采购科科长",
    "项目监管科科长",
    "资金审核科科长",
    "窗口服务中心主任",
];

/// Ordinary section posts (科室负责人) every unit has.
pub const SECTIONS: &[&str] = &["办公室主任", "综合科科长"];

/// 主体班次.
pub const MAIN_CLASSES: &[&str] = &[
    "中青年干部培训班",
    "新任科级领导干部任职培训班",
    "科级干部进修班",
    "年轻干部“墩苗”培训班",
    "党政正职能力提升班",
    "女干部培训班",
    "机关中层干部培训班",
    "镇（街道）党（工）委书记研修班",
    "新录用公务员初任培训班",
];

/// 专题班次: (theme, class name).
pub const THEMATIC_CLASSES: &[(&str, &str)] = &[
    ("招商引资特训营", "招商引资特训营（第一期）"),
    ("招商引资特训营", "招商引资特训营（第二期）"),
    ("招商引资特训营", "招商引资特训营（第三期）"),
    ("智改数转", "智改数转专题研讨班"),
    ("智改数转", "数字政府建设专题班"),
    ("智改数转", "智能化改造数字化转型实务班"),
    ("杏林堰才", "杏林堰才卫生健康人才培训班"),
    ("杏林堰才", "杏林堰才医院管理专题班"),
    ("杏林堰才", "杏林堰才公共卫生应急班"),
    ("领雁人才", "领雁人才村（社区）书记示范班"),
    ("领雁人才", "领雁人才乡村振兴专题班"),
    ("领雁人才", "领雁人才基层治理专题班"),
    ("领雁人才", "领雁人才后备干部实训班"),
];

/// Topics of recurring study sessions.
pub const STUDY_TOPICS: &[&str] = &[
    "习近平新时代中国特色社会主义思想专题学习",
    "《中国共产党纪律处分条例》逐条学",
    "优化营商环境典型案例剖析",
    "重大产业项目推进中的难点与对策",
    "基层治理网格化实践",
    "安全生产责任制落实",
    "高标准农田建设现场观摩",
    "园区“智改数转”现场教学",
    "信访积案化解经验交流",
    "招商引资谈判技巧分享",
];

/// Topics of the bi-monthly forum (双月讲坛).
pub const FORUM_TOPICS: &[&str] = &[
    "以新质生产力赋能县域高质量发展",
    "营商环境“一件事”改革",
    "乡村振兴中的产业融合",
    "城市更新与老旧小区改造",
    "基层减负与为基层赋能",
    "重大项目全生命周期服务",
    "数字经济与制造业深度融合",
    "生态优先与绿色发展",
    "民生实事项目的群众参与",
    "安全发展与应急能力建设",
    "年轻干部成长的“墩苗”机制",
];

/// What appeals (诉求) are about.
pub const APPEAL_SUMMARIES: &[&str] = &[
    "反映因推进拆迁工作遭恶意举报，请求澄清正名",
    "请求落实驻村期间交通补贴",
    "反映职级晋升年限计算有误",
    "请求协调解决异地交流干部子女入学",
    "反映年度考核等次评定程序问题",
    "请求为受诬告干部公开澄清",
    "反映长期加班调休无法落实",
    "请求协调挂职期间的体检和疗休养安排",
    "反映容错免责申请久拖未决",
    "请求明确借调期间考核归属",
];

/// What supervision entries (联动记实) say.
pub const SUPERVISION_NOTES: &[&str] = &[
    "列席单位民主生活会，发言能结合分管工作查摆问题",
    "重点项目现场督查，推进节点按期完成",
    "走访服务企业，企业反映响应及时",
    "专项督查发现台账资料不规范，已当场指出",
    "年度述职评议中群众满意度较高",
    "防汛值守到岗到位，处置及时",
    "信访接待中态度生硬，已提醒谈话",
    "招商项目签约落地，获区委通报表扬",
];

/// What leads (线索) are about, by category index (纪法, 司法, 行政, 社会).
pub const LEAD_SUMMARIES: &[&str] = &[
    "反映违规收受礼品礼金",
    "涉及民事诉讼被列为被执行人",
    "行政执法程序不规范被复议纠错",
    "反映酒后驾驶机动车",
];

/// Matters of prior risk reports (重大风险事项事前报备).
pub const RISK_MATTERS: &[(&str, &str, &str)] = &[
    (
        "为重大产业项目先行办理用地预审",
        "政策衔接存在不确定性，可能被认定程序瑕疵",
        "经法律顾问审查，集体研究决策，全程留痕",
    ),
    (
        "试行“拿地即开工”审批模式",
        "并联审批中部分材料容缺，存在事后补正风险",
        "签订承诺书，建立容缺清单和限期补正机制",
    ),
    (
        "老旧小区改造采用EPC总承包",
        "造价控制和质量监管压力较大",
        "引入第三方全过程造价咨询",
    ),
    (
        "村集体经济入股乡村旅游项目",
        "经营收益存在波动，集体资产可能受损",
        "设定保底收益条款并经村民代表大会表决",
    ),
];

/// Areas of the trial-and-error list (试错清单).
pub const TRIAL_AREAS: &[(&str, &str)] = &[
    ("招商引资", "探索以商招商、基金招商等新方式中的先行先试"),
    ("审批制度改革", "容缺受理、告知承诺制在重大项目中的试点"),
    ("乡村振兴", "村级集体经济新型发展路径探索"),
    ("数字化转型", "政务数据共享和场景应用中的创新试点"),
];

/// Heads of the monthly joint bulletin (联席通报) items.
pub const BULLETIN_ITEMS: &[&str] = &[
    "本月移送干部问题线索情况",
    "审计发现的共性问题通报",
    "涉法涉诉干部情况通报",
    "舆情监测中涉及干部的情况",
];
