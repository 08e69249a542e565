//! Why a `down` review is opened and the 15 situations of 不适宜担任现职 a review finds.

use serde::{Deserialize, Serialize};

/// Why a review was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// 反向研判: reverse evaluation.
    ReverseEvaluation,
    /// 年度考核不称职: an 不称职 annual grade.
    IncompetentGrade,
}

impl Trigger {
    pub fn zh(self) -> &'static str {
        match self {
            Trigger::ReverseEvaluation => "反向研判",
            Trigger::IncompetentGrade => "年度考核不称职",
        }
    }
}

/// The 15 situations of 《推进领导干部能上能下规定》(2022) in which a cadre is judged
/// unfit for the current post (不适宜担任现职), in the order the rules list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Situation {
    /// (一) 政治能力不过硬
    WeakPoliticalAbility,
    /// (二) 理想信念动摇
    WaveringConviction,
    /// (三) 担当和斗争精神不强
    LackOfDrive,
    /// (四) 政绩观存在偏差
    DistortedViewOfPerformance,
    /// (五) 违背民主集中制原则
    BreachingDemocraticCentralism,
    /// (六) 组织观念淡薄, 拒不执行组织分配、调动、交流决定
    RefusingOrganizationDecisions,
    /// (七) 事业心和责任感不强
    LackOfResponsibility,
    /// (八) 领导能力不足, 工作较长时间处于落后状态
    WorkLaggingForLong,
    /// (九) 违规决策或者决策不慎重, 造成损失
    ImproperDecisions,
    /// (十) 形式主义、官僚主义问题突出
    FormalismAndBureaucratism,
    /// (十一) 履行全面从严治党责任不力
    LaxPartyGovernance,
    /// (十二) 违反中央八项规定精神或廉洁从政有关规定
    BreachingIntegrityRules,
    /// (十三) 道德品行不端, 造成不良影响
    MoralMisconduct,
    /// (十四) 配偶、子女移居国(境)外等不适宜担任所任职务
    FamilyAbroad,
    /// (十五) 其他不适宜担任现职的情形
    Other,
}

impl Situation {
    pub const ALL: [Situation; 15] = [
        Situation::WeakPoliticalAbility,
        Situation::WaveringConviction,
        Situation::LackOfDrive,
        Situation::DistortedViewOfPerformance,
        Situation::BreachingDemocraticCentralism,
        Situation::RefusingOrganizationDecisions,
        Situation::LackOfResponsibility,
        Situation::WorkLaggingForLong,
        Situation::ImproperDecisions,
        Situation::FormalismAndBureaucratism,
        Situation::LaxPartyGovernance,
        Situation::BreachingIntegrityRules,
        Situation::MoralMisconduct,
        Situation::FamilyAbroad,
        Situation::Other,
    ];

    /// The situation's number in the rules (1–15).
    pub fn number(self) -> u8 {
        // ALL lists every variant once, in order.
        Situation::ALL
            .iter()
            .position(|s| *s == self)
            .map_or(0, |i| i as u8 + 1)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Situation::WeakPoliticalAbility => "政治能力不过硬",
            Situation::WaveringConviction => "理想信念动摇",
            Situation::LackOfDrive => "担当和斗争精神不强",
            Situation::DistortedViewOfPerformance => "政绩观存在偏差",
            Situation::BreachingDemocraticCentralism => "违背民主集中制原则",
            Situation::RefusingOrganizationDecisions => {
                "组织观念淡薄, 拒不执行组织分配调动交流决定"
            }
            Situation::LackOfResponsibility => "事业心和责任感不强",
            Situation::WorkLaggingForLong => "领导能力不足, 工作较长时间处于落后状态",
            Situation::ImproperDecisions => "违规决策或决策不慎重造成损失",
            Situation::FormalismAndBureaucratism => "形式主义、官僚主义问题突出",
            Situation::LaxPartyGovernance => "履行全面从严治党责任不力",
            Situation::BreachingIntegrityRules => "违反中央八项规定精神或廉洁从政规定",
            Situation::MoralMisconduct => "道德品行不端",
            Situation::FamilyAbroad => "配偶子女移居国(境)外, 不适宜担任所任职务",
            Situation::Other => "其他不适宜担任现职的情形",
        }
    }
}
