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
    pub const ALL: [Grade; 4] =
        [Grade::Excellent, Grade::Competent, Grade::BasicallyCompetent, Grade::Incompetent];

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
