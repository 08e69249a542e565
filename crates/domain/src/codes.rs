//! The 任免 and 考核 code sets of the cadre-information standard (ZB11–ZB18), each with code strings and Chinese labels.
//!
//! Only the values a district department records day to day are listed;
//! "其他" (99) catches the rest so an import never fails on an unusual code.

use crate::types::{Grade, code_set};

code_set! {
    /// ZB11 任职方式 (manner of appointment).
    pub enum AppointmentManner ("ZB11") {
        /// 选任 (by election)
        Election = "1", "选任";
        /// 委任 (by appointment)
        Commission = "2", "委任";
        /// 考任 (by examination)
        Examination = "3", "考任";
        /// 聘任 (by contract)
        Engagement = "4", "聘任";
    }
}

code_set! {
    /// ZB12 任职原因 (reason of appointment).
    pub enum AppointmentReason ("ZB12") {
        /// 提拔
        Promotion = "01", "提拔";
        /// 交流
        Rotation = "02", "交流";
        /// 录用调入
        Recruitment = "03", "录用调入";
        /// 换届
        ReElection = "04", "换届";
        /// 工作需要
        WorkNeeds = "05", "工作需要";
        /// 试用期满转正
        ProbationCompleted = "06", "试用期满";
        /// 其他
        Other = "99", "其他";
    }
}

code_set! {
    /// ZB13 职务变动类别 (change category).
    pub enum ChangeCategory ("ZB13") {
        /// 新任
        New = "1", "新任";
        /// 升任
        Promoted = "2", "升任";
        /// 平调 (转任)
        Lateral = "3", "平调";
        /// 兼任
        Concurrent = "4", "兼任";
        /// 连任
        Reappointed = "5", "连任";
        /// 降任
        Demoted = "6", "降任";
    }
}

code_set! {
    /// ZB14 任职状态 (status of a holding).
    pub enum AppointmentStatus ("ZB14") {
        /// 现任
        Serving = "1", "现任";
        /// 试用期
        OnProbation = "2", "试用期";
        /// 挂职
        Seconded = "3", "挂职";
        /// 已免
        Ended = "4", "已免";
    }
}

code_set! {
    /// ZB15 免职方式 (manner of removal).
    pub enum RemovalManner ("ZB15") {
        /// 免去
        Removal = "1", "免去";
        /// 辞去
        Resignation = "2", "辞去";
        /// 撤销
        Revocation = "3", "撤销";
        /// 罢免
        Recall = "4", "罢免";
        /// 自然免职 (任期届满)
        Lapse = "5", "自然免职";
    }
}

code_set! {
    /// ZB16 免职原因 (reason of removal).
    pub enum RemovalReason ("ZB16") {
        /// 交流调动
        Transfer = "01", "交流调动";
        /// 提拔
        Promotion = "02", "提拔";
        /// 退休
        Retirement = "03", "退休";
        /// 辞职
        Resignation = "04", "辞职";
        /// 任期届满
        TermEnded = "05", "任期届满";
        /// 受处分
        Discipline = "06", "受处分";
        /// 不适宜担任现职
        Unfit = "07", "不适宜担任现职";
        /// 试用期不合格
        ProbationFailed = "08", "试用期不合格";
        /// 其他
        Other = "99", "其他";
    }
}

code_set! {
    /// ZB17 考核类别 (assessment category).
    pub enum AssessmentCategory ("ZB17") {
        /// 年度考核
        Annual = "1", "年度考核";
        /// 任期考核
        Term = "2", "任期考核";
        /// 专项考核
        Special = "3", "专项考核";
        /// 试用期考核
        Probation = "4", "试用期考核";
    }
}

code_set! {
    /// ZB18 考核结论 (assessment conclusion).
    pub enum AssessmentConclusion ("ZB18") {
        /// 优秀
        Excellent = "1", "优秀";
        /// 称职
        Competent = "2", "称职";
        /// 基本称职
        BasicallyCompetent = "3", "基本称职";
        /// 不称职
        Incompetent = "4", "不称职";
        /// 不定等次
        Ungraded = "5", "不定等次";
    }
}

impl AssessmentConclusion {
    /// The conclusion recording a grade (`None`: 不定等次).
    pub fn of(grade: Option<Grade>) -> Self {
        match grade {
            Some(Grade::Excellent) => AssessmentConclusion::Excellent,
            Some(Grade::Competent) => AssessmentConclusion::Competent,
            Some(Grade::BasicallyCompetent) => AssessmentConclusion::BasicallyCompetent,
            Some(Grade::Incompetent) => AssessmentConclusion::Incompetent,
            None => AssessmentConclusion::Ungraded,
        }
    }

    /// The grade this conclusion records (`None`: 不定等次).
    pub fn grade(self) -> Option<Grade> {
        match self {
            AssessmentConclusion::Excellent => Some(Grade::Excellent),
            AssessmentConclusion::Competent => Some(Grade::Competent),
            AssessmentConclusion::BasicallyCompetent => Some(Grade::BasicallyCompetent),
            AssessmentConclusion::Incompetent => Some(Grade::Incompetent),
            AssessmentConclusion::Ungraded => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zb_code_sets_carry_their_codes() {
        assert_eq!(AppointmentManner::SET, "ZB11");
        assert_eq!(
            AppointmentManner::from_code("2"),
            Some(AppointmentManner::Commission)
        );
        assert_eq!(
            RemovalReason::from_zh("退休"),
            Some(RemovalReason::Retirement)
        );
        for c in AssessmentConclusion::ALL {
            assert_eq!(AssessmentConclusion::of(c.grade()), *c);
        }
    }
}
