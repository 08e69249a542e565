//! The code tables of a person's particulars on the 任免审批表: 民族 (GB 3304), 学历 (GB/T 4658),
//! 学位 (GB/T 6864), 健康状况 (GB/T 2261.3) and 政治面貌 (GB/T 4762), as their labels.

/// 民族 (GB 3304-1991), the 56 ethnic groups.
pub const ETHNICITIES: &[&str] = &[
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
];

/// 学历 (GB/T 4658-2006), the labels the 任免审批表 uses.
pub const EDUCATION_LEVELS: &[&str] = &[
    "研究生",
    "博士研究生",
    "硕士研究生",
    "大学",
    "大学本科",
    "大学专科",
    "大专",
    "中专",
    "中等专科",
    "中等专业学校",
    "技工学校",
    "职业高中",
    "高中",
    "初中",
    "小学",
    "中央党校研究生",
    "中央党校大学",
    "省委党校研究生",
    "省委党校大学",
    "省委党校大专",
    "党校研究生",
    "党校大学",
    "党校大专",
];

/// 学位 (GB/T 6864-2003): a degree names its level last (工学学士, 法学硕士, 管理学博士 …).
pub const DEGREE_LEVELS: &[&str] = &["学士", "硕士", "博士", "名誉博士"];

/// 健康状况 (GB/T 2261.3-2003).
pub const HEALTH: &[&str] = &[
    "健康",
    "良好",
    "健康或良好",
    "一般",
    "较弱",
    "一般或较弱",
    "有慢性病",
    "有生理缺陷",
    "残疾",
];

/// 政治面貌 (GB/T 4762-1984).
pub const POLITICAL_STATUS: &[&str] = &[
    "中共党员",
    "中共预备党员",
    "共青团员",
    "民革党员",
    "民革会员",
    "民盟盟员",
    "民建会员",
    "民进会员",
    "农工党党员",
    "致公党党员",
    "九三学社社员",
    "台盟盟员",
    "无党派人士",
    "无党派民主人士",
    "群众",
];

/// Is `value` a label of `table`?
pub fn in_table(table: &[&str], value: &str) -> bool {
    table.contains(&value.trim())
}

/// Is `value` a 学位 (ending in a degree level)?
pub fn is_degree(value: &str) -> bool {
    let v = value.trim();
    DEGREE_LEVELS.iter().any(|l| v.ends_with(l))
}

/// The bands of 学历 a statistics table counts (highest first); `未登记` when no 学历 is recorded.
pub const EDUCATION_BANDS: &[&str] = &["研究生", "大学本科", "大学专科", "中专及以下", "未登记"];

/// The band of one 学历 label: its index in `EDUCATION_BANDS` (lower is higher). Party-school
/// education counts at its level (党校研究生 as 研究生, 党校大学 as 大学本科, 党校大专 as 大学专科).
pub fn education_band(level: &str) -> usize {
    let v = level.trim();
    if v.is_empty() {
        4
    } else if v.contains("研究生") {
        0
    } else if v.contains("专科") || v.contains("大专") {
        if v.contains("中等") { 3 } else { 2 }
    } else if v.contains("大学") || v.contains("本科") {
        1
    } else {
        3
    }
}

/// The higher band of a cadre's 全日制教育 and 在职教育 (最高学历).
pub fn highest_education_band(full_time: &str, in_service: &str) -> usize {
    education_band(full_time).min(education_band(in_service))
}
