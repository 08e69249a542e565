//! Shared vocabulary: rank ladder (职级), leadership levels (职务层次), annual grades, sanctions, front-line fields.

use serde::{Deserialize, Serialize};

/// 职级: the rank ladder of civil servants below 厅局级, in ascending order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rank {
    /// 二级科员
    ClerkGrade2,
    /// 一级科员
    ClerkGrade1,
    /// 四级主任科员
    PrincipalClerk4,
    /// 三级主任科员
    PrincipalClerk3,
    /// 二级主任科员
    PrincipalClerk2,
    /// 一级主任科员
    PrincipalClerk1,
    /// 四级调研员
    Researcher4,
    /// 三级调研员
    Researcher3,
    /// 二级调研员
    Researcher2,
    /// 一级调研员
    Researcher1,
    /// 二级巡视员
    Inspector2,
    /// 一级巡视员
    Inspector1,
}

impl Rank {
    pub const ALL: [Rank; 12] = [
        Rank::ClerkGrade2,
        Rank::ClerkGrade1,
        Rank::PrincipalClerk4,
        Rank::PrincipalClerk3,
        Rank::PrincipalClerk2,
        Rank::PrincipalClerk1,
        Rank::Researcher4,
        Rank::Researcher3,
        Rank::Researcher2,
        Rank::Researcher1,
        Rank::Inspector2,
        Rank::Inspector1,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            Rank::ClerkGrade2 => "二级科员",
            Rank::ClerkGrade1 => "一级科员",
            Rank::PrincipalClerk4 => "四级主任科员",
            Rank::PrincipalClerk3 => "三级主任科员",
            Rank::PrincipalClerk2 => "二级主任科员",
            Rank::PrincipalClerk1 => "一级主任科员",
            Rank::Researcher4 => "四级调研员",
            Rank::Researcher3 => "三级调研员",
            Rank::Researcher2 => "二级调研员",
            Rank::Researcher1 => "一级调研员",
            Rank::Inspector2 => "二级巡视员",
            Rank::Inspector1 => "一级巡视员",
        }
    }

    /// The next rank up, if any.
    pub fn next(self) -> Option<Rank> {
        let i = Rank::ALL.iter().position(|r| *r == self)?;
        Rank::ALL.get(i + 1).copied()
    }

    /// The rank one level down, if any.
    pub fn previous(self) -> Option<Rank> {
        let i = Rank::ALL.iter().position(|r| *r == self)?;
        i.checked_sub(1).map(|j| Rank::ALL[j])
    }

    /// 四级调研员 and above are county-level (县处级) for training requirements.
    pub fn is_county_level(self) -> bool {
        self >= Rank::Researcher4
    }
}

/// 职务层次: leadership levels, which the rank ladder treats as equivalent to some ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadershipLevel {
    /// 乡科级副职
    TownshipDeputy,
    /// 乡科级正职
    TownshipChief,
    /// 县处级副职
    CountyDeputy,
    /// 县处级正职
    CountyChief,
    /// 厅局级副职
    BureauDeputy,
}

impl LeadershipLevel {
    pub fn zh(self) -> &'static str {
        match self {
            LeadershipLevel::TownshipDeputy => "乡科级副职",
            LeadershipLevel::TownshipChief => "乡科级正职",
            LeadershipLevel::CountyDeputy => "县处级副职",
            LeadershipLevel::CountyChief => "县处级正职",
            LeadershipLevel::BureauDeputy => "厅局级副职",
        }
    }

    /// 县处级 and above.
    pub fn is_county_level(self) -> bool {
        self >= LeadershipLevel::CountyDeputy
    }
}

/// 年度考核等次.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 不称职
    Incompetent,
    /// 基本称职
    BasicallyCompetent,
    /// 称职
    Competent,
    /// 优秀
    Excellent,
}

impl Grade {
    pub const ALL: [Grade; 4] = [
        Grade::Excellent,
        Grade::Competent,
        Grade::BasicallyCompetent,
        Grade::Incompetent,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            Grade::Excellent => "优秀",
            Grade::Competent => "称职",
            Grade::BasicallyCompetent => "基本称职",
            Grade::Incompetent => "不称职",
        }
    }

    /// Counts toward promotion (称职 or better).
    pub fn counts_for_promotion(self) -> bool {
        self >= Grade::Competent
    }
}

/// 处分: disciplinary sanctions, lightest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SanctionKind {
    /// 警告
    Warning,
    /// 记过
    Demerit,
    /// 记大过
    MajorDemerit,
    /// 降级
    Demotion,
    /// 撤职
    Dismissal,
    /// 开除
    Expulsion,
}

impl SanctionKind {
    pub const ALL: [SanctionKind; 6] = [
        SanctionKind::Warning,
        SanctionKind::Demerit,
        SanctionKind::MajorDemerit,
        SanctionKind::Demotion,
        SanctionKind::Dismissal,
        SanctionKind::Expulsion,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            SanctionKind::Warning => "警告",
            SanctionKind::Demerit => "记过",
            SanctionKind::MajorDemerit => "记大过",
            SanctionKind::Demotion => "降级",
            SanctionKind::Dismissal => "撤职",
            SanctionKind::Expulsion => "开除",
        }
    }
}

/// The district's three methods of moving a cadre “down”.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DownMethod {
    /// 改任职级: change to a rank-only post.
    ChangeToRank,
    /// 提前退出领导岗位: early exit from leadership.
    EarlyExit,
    /// 逆向调整岗位: reverse post adjustment.
    ReverseAdjustment,
}

impl DownMethod {
    pub const ALL: [DownMethod; 3] = [
        DownMethod::ChangeToRank,
        DownMethod::EarlyExit,
        DownMethod::ReverseAdjustment,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            DownMethod::ChangeToRank => "改任职级",
            DownMethod::EarlyExit => "提前退出领导岗位",
            DownMethod::ReverseAdjustment => "逆向调整岗位",
        }
    }
}

/// 一线领域: front-line fields whose results weigh extra in promotion points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrontLineField {
    /// 双招双引 (investment and talent attraction)
    InvestmentAndTalent,
    /// 项目建设 (project construction)
    ProjectConstruction,
    /// 社会治理 (social governance)
    SocialGovernance,
}

impl FrontLineField {
    pub const ALL: [FrontLineField; 3] = [
        FrontLineField::InvestmentAndTalent,
        FrontLineField::ProjectConstruction,
        FrontLineField::SocialGovernance,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            FrontLineField::InvestmentAndTalent => "双招双引",
            FrontLineField::ProjectConstruction => "项目建设",
            FrontLineField::SocialGovernance => "社会治理",
        }
    }
}

/// Declare a small code set: an enum serialized in snake_case, with the
/// official code string (`code()`), a Chinese label (`zh()`) and `from_code`.
macro_rules! code_set {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($set:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $zh:literal; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $( $(#[$vmeta])* $variant ),* }

        impl $name {
            /// The code set's name (e.g. `ZB11`).
            pub const SET: &'static str = $set;
            /// Every value of the set, in code order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),* ];

            /// The code string as exchanged with other systems.
            pub fn code(self) -> &'static str {
                match self { $( $name::$variant => $code ),* }
            }

            /// The Chinese label.
            pub fn zh(self) -> &'static str {
                match self { $( $name::$variant => $zh ),* }
            }

            /// The value with this code string.
            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// The value with this Chinese label.
            pub fn from_zh(label: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.zh() == label)
            }
        }
    };
}
pub(crate) use code_set;

code_set! {
    /// 性别 (GB/T 2261.1).
    pub enum Gender ("GB/T 2261.1") {
        /// 男
        Male = "1", "男";
        /// 女
        Female = "2", "女";
    }
}

code_set! {
    /// 亲属关系 for kinship avoidance (公务员回避规定 第九条).
    pub enum Relation ("回避亲属") {
        /// 夫妻关系
        Spouse = "spouse", "夫妻关系";
        /// 直系血亲关系
        Lineal = "lineal", "直系血亲关系";
        /// 三代以内旁系血亲关系
        Collateral = "collateral", "三代以内旁系血亲关系";
        /// 近姻亲关系
        CloseInLaw = "close_in_law", "近姻亲关系";
    }
}

code_set! {
    /// 岗位类别: what a post does; some categories trigger avoidance and tenure rules.
    pub enum PostCategory ("岗位类别") {
        /// 组织
        Organization = "organization", "组织";
        /// 人事
        Personnel = "personnel", "人事";
        /// 纪检
        Discipline = "discipline", "纪检";
        /// 监察
        Supervision = "supervision", "监察";
        /// 审计
        Audit = "audit", "审计";
        /// 财务 (a body's own accounts)
        Accounting = "accounting", "财务";
        /// 财政 (public finance)
        Finance = "finance", "财政";
        /// 业务
        Business = "business", "业务";
        /// 综合
        General = "general", "综合";
    }
}

code_set! {
    /// 奖励种类. The code is the key of `PointsPolicy::award_points`.
    pub enum AwardKind ("奖励种类") {
        /// 嘉奖
        Commendation = "commendation", "嘉奖";
        /// 记三等功
        Merit = "merit", "三等功";
        /// 骏马奖
        Steed = "steed", "骏马奖";
        /// 好班子、好班长、好班副
        ThreeGood = "three_good", "三好";
        /// 其他表彰
        Other = "other", "其他表彰";
    }
}

code_set! {
    /// 交流类型 (动态交流).
    pub enum RotationKind ("交流类型") {
        /// 保护性交流
        Protective = "protective", "保护性交流";
        /// 培养性交流
        Cultivating = "cultivating", "培养性交流";
        /// 鞭策性交流
        Spurring = "spurring", "鞭策性交流";
    }
}

code_set! {
    /// 三好评选类别 (好班子、好班长、好班副).
    pub enum ThreeGoodCategory ("三好类别") {
        /// 好班子 (a unit's leadership team)
        Team = "team", "好班子";
        /// 好班长 (a unit's head)
        Leader = "leader", "好班长";
        /// 好班副 (a deputy)
        Deputy = "deputy", "好班副";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_sets_round_trip_codes_and_labels() {
        for g in Gender::ALL {
            assert_eq!(Gender::from_code(g.code()), Some(*g));
            assert_eq!(Gender::from_zh(g.zh()), Some(*g));
        }
        assert_eq!(PostCategory::from_zh("审计"), Some(PostCategory::Audit));
        assert_eq!(AwardKind::Steed.code(), "steed");
        assert_eq!(Relation::from_code("nephew"), None);
    }

    #[test]
    fn rank_ladder_moves_one_step() {
        assert_eq!(Rank::ClerkGrade2.next(), Some(Rank::ClerkGrade1));
        assert_eq!(Rank::ClerkGrade2.previous(), None);
        assert_eq!(Rank::Inspector1.next(), None);
    }
}
