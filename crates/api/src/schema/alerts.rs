//! Alerts as GraphQL serves them: what an alert is about, and the reminder or breach itself.

use async_graphql::SimpleObject;
use dossier_projections::alerts;

use crate::schema::{command::mirror_enum, scalars::Date};

mirror_enum! {
    /// What an alert is about.
    AlertKind => alerts::AlertKind {
        /// 热点岗位任职达到年限
        HotPostTenure,
        /// 同一岗位任职达到年限
        LeadershipTenure,
        /// 敏感岗位任职达到年限
        SensitivePostTenure,
        /// 培训学时不足
        TrainingHoursShort,
        /// 晋升前培训学时未达要求, 应限期补学
        TrainingMakeupDue,
        /// 试用期即将届满
        ProbationEnding,
        /// 挂职即将期满
        SecondmentEnding,
        /// “下”的研判到期
        DownReviewDue,
        /// 诫勉整改期限
        AdmonitionDeadline,
        /// 诉求办理环节超期
        AppealStageOverdue,
        /// 不称职降低职级待决定
        RankLoweringPending,
        /// 辞退案件待办
        DismissalCaseOpen,
    }
}

/// A reminder or a breach the department should act on.
#[derive(SimpleObject)]
pub struct Alert {
    pub kind: AlertKind,
    /// The kind in Chinese, e.g. 热点岗位任职达到年限.
    pub label: String,
    pub cadre_id: Option<String>,
    pub unit_id: Option<String>,
    pub due: Date,
    pub message: String,
}
