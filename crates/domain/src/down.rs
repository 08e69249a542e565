//! Stream kind `down` (“能上能下” review, 不适宜担任现职): findings, a committee decision with one method, execution or closing.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{
    aggregate,
    context::{Context, Role},
    error::DomainError,
    practice::{self, Cadres},
    unit::PostFact,
};

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

pub use crate::types::DownMethod as Method;

/// Where a review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 研判中
    Open,
    /// 已决定 (区委常委会)
    Decided,
    /// 已执行
    Executed,
    /// 不予调整, 已结案
    ClosedWithoutAction,
}

impl Status {
    pub fn zh(self) -> &'static str {
        match self {
            Status::Open => "研判中",
            Status::Decided => "已决定",
            Status::Executed => "已执行",
            Status::ClosedWithoutAction => "不予调整已结案",
        }
    }
}

// ---------------------------------------------------------------- events

/// A review was opened; `due_on` is when it should be decided (policy `reminders.down_review_due_days`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opened {
    pub review_id: String,
    pub cadre_id: String,
    pub unit_id: Option<String>,
    pub trigger: Trigger,
    /// The assessment year of the 不称职 grade that triggered it.
    pub grade_year: Option<i32>,
    pub reason: String,
    pub opened_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    /// The 双考 evaluation of the cadre the review rests on, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_id: Option<String>,
}

/// Reverse-evaluation findings and the situation that applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingsRecorded {
    pub review_id: String,
    pub cadre_id: String,
    pub situation: Situation,
    pub findings: String,
    pub recorded_on: NaiveDate,
}

/// The committee (区委常委会) decided one method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decided {
    pub review_id: String,
    pub cadre_id: String,
    pub unit_id: Option<String>,
    pub situation: Situation,
    pub method: Method,
    /// 文号 of the decision.
    pub decision_ref: String,
    pub decided_on: NaiveDate,
    /// 逆向调整岗位: the post the cadre is moved to.
    #[serde(default)]
    pub to_post: Option<TargetPost>,
}

/// The decision was carried out; the cadre's record changes in the same write
/// (`cadre.MovedDown` with the posts ended and, for 逆向调整岗位, the new post).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Executed {
    pub review_id: String,
    pub cadre_id: String,
    pub method: Method,
    pub note: String,
    pub executed_on: NaiveDate,
    /// The decision's 文号 (the basis of the change to the cadre's record).
    #[serde(default)]
    pub decision_ref: Option<String>,
    #[serde(default)]
    pub decided_on: Option<NaiveDate>,
    /// 逆向调整岗位: the post the cadre is moved to.
    #[serde(default)]
    pub to_post: Option<TargetPost>,
}

pub use crate::unit::PostRef as TargetPost;

/// What the application knows of the post a decision names: the post (if it exists) and the
/// cadres who hold it now.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetFact {
    pub post: Option<PostFact>,
    pub holders: Vec<String>,
}

/// Facts a `down` decision needs: the cadres named, and the post a decision names.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub cadres: Cadres,
    pub target: Option<TargetFact>,
    /// For a review opened on a 不称职 year: the date that grade raised it on the cadre's
    /// record (the review is due that many days after the grade, not after the opening).
    pub required_on: Option<NaiveDate>,
    /// For a review citing a 双考 evaluation: the cadre's folded record (its evaluations).
    pub subject: Option<crate::cadre::State>,
}

impl From<Cadres> for Facts {
    fn from(cadres: Cadres) -> Self {
        Facts {
            cadres,
            target: None,
            required_on: None,
            subject: None,
        }
    }
}

/// The post `target` names, vacant for `cadre_id` (see [`crate::unit::vacant_post`]).
pub fn check_target<'f>(
    target: &TargetPost,
    fact: Option<&'f TargetFact>,
    cadre_id: &str,
) -> Result<&'f PostFact, DomainError> {
    let (post, holders) = fact.map_or((None, &[][..]), |f| (f.post.as_ref(), &f.holders[..]));
    crate::unit::vacant_post(target, post, holders, cadre_id, "逆向调整岗位")
}

/// The review ended without adjustment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosedWithoutAction {
    pub review_id: String,
    pub cadre_id: String,
    pub reason: String,
    pub closed_on: NaiveDate,
}

crate::event_set! {
    /// Events of a `down` stream.
    pub enum Event {
        Opened(Opened) = "down.Opened" @ 1,
        FindingsRecorded(FindingsRecorded) = "down.FindingsRecorded" @ 1,
        Decided(Decided) = "down.Decided" @ 1,
        Executed(Executed) = "down.Executed" @ 1,
        ClosedWithoutAction(ClosedWithoutAction) = "down.ClosedWithoutAction" @ 1,
    }
}

// ---------------------------------------------------------------- commands

/// Open a review for a cadre.
#[derive(Debug, Clone)]
pub struct Open {
    pub review_id: String,
    pub cadre_id: String,
    pub trigger: Trigger,
    pub grade_year: Option<i32>,
    pub reason: String,
    /// The 双考 evaluation of this cadre the review rests on, if any.
    pub evaluation_id: Option<String>,
}

impl Open {
    /// The review a `cadre.DownReviewRequired` (不称职) asks for.
    pub fn for_incompetent_grade(
        review_id: impl Into<String>,
        required: &crate::cadre::DownReviewRequired,
    ) -> Open {
        Open {
            review_id: review_id.into(),
            cadre_id: required.cadre_id.clone(),
            trigger: Trigger::IncompetentGrade,
            grade_year: Some(required.year),
            reason: required.reason.clone(),
            evaluation_id: None,
        }
    }
}

/// Record reverse-evaluation findings and the situation (may be revised until decided).
#[derive(Debug, Clone)]
pub struct RecordFindings {
    pub review_id: String,
    pub situation: Situation,
    pub findings: String,
}

/// Record the committee decision; `methods` must name exactly one, and 逆向调整岗位 names
/// the post the cadre moves to (`to_post`).
#[derive(Debug, Clone)]
pub struct Decide {
    pub review_id: String,
    pub decision_ref: String,
    pub methods: Vec<Method>,
    pub to_post: Option<TargetPost>,
}

/// Record that the decision was carried out.
#[derive(Debug, Clone)]
pub struct Execute {
    pub review_id: String,
    pub note: String,
}

/// Close the review without adjustment.
#[derive(Debug, Clone)]
pub struct CloseWithoutAction {
    pub review_id: String,
    pub reason: String,
}

/// Commands a `down` stream accepts; each takes effect on the context's effective date.
#[derive(Debug, Clone)]
pub enum Command {
    Open(Open),
    RecordFindings(RecordFindings),
    Decide(Decide),
    Execute(Execute),
    CloseWithoutAction(CloseWithoutAction),
}

impl Command {
    /// The cadres the application must load into [`Cadres`] before deciding.
    pub fn cadre_ids(&self) -> Vec<&str> {
        match self {
            Command::Open(c) => vec![c.cadre_id.as_str()],
            _ => Vec::new(),
        }
    }
}

/// An opened review.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub cadre_id: String,
    pub unit_id: Option<String>,
    pub status: Status,
    pub opened_on: NaiveDate,
    pub situation: Option<Situation>,
    pub findings_on: Option<NaiveDate>,
    pub method: Option<Method>,
    pub decided_on: Option<NaiveDate>,
    pub decision_ref: Option<String>,
    pub to_post: Option<TargetPost>,
}

/// Folded state of a `down` stream.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub review: Option<Review>,
}

/// The `down` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "down";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Facts;

    fn id_of(command: &Command) -> &str {
        match command {
            Command::Open(c) => &c.review_id,
            Command::RecordFindings(c) => &c.review_id,
            Command::Decide(c) => &c.review_id,
            Command::Execute(c) => &c.review_id,
            Command::CloseWithoutAction(c) => &c.review_id,
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        facts: &Facts,
    ) -> Result<Vec<Event>, DomainError> {
        practice::require_role(ctx, &[Role::OrgAdmin, Role::System], "“能上能下”研判")?;
        practice::not_future(ctx.effective, ctx, "办理日期")?;
        let on = ctx.effective;
        match command {
            Command::Open(c) => open(state, c, ctx, facts),
            Command::RecordFindings(c) => {
                let review = review_in(state, &c.review_id, Status::Open, "记录研判结论")?;
                practice::non_empty(&c.findings, "反向研判结论")?;
                practice::not_before(on, review.opened_on, "记录研判结论", "启动研判")?;
                Ok(vec![Event::FindingsRecorded(FindingsRecorded {
                    review_id: c.review_id.clone(),
                    cadre_id: review.cadre_id.clone(),
                    situation: c.situation,
                    findings: c.findings.trim().to_owned(),
                    recorded_on: on,
                })])
            }
            Command::Decide(c) => {
                let review = review_in(state, &c.review_id, Status::Open, "作出调整决定")?;
                let Some(situation) = review.situation else {
                    return Err(DomainError::refused(
                        "DOWN_SITUATION_REQUIRED",
                        format!(
                            "作出调整决定被拒绝: 干部「{}」尚未记录反向研判结论及适用的不适宜担任现职情形",
                            review.cadre_id
                        ),
                    ));
                };
                if c.decision_ref.trim().is_empty() {
                    return Err(DomainError::invalid(
                        "DOWN_DECISION_REF_REQUIRED",
                        "区委常委会调整决定必须写明文号",
                    ));
                }
                let [method] = c.methods.as_slice() else {
                    let named: Vec<&str> = c.methods.iter().map(|m| m.zh()).collect();
                    return Err(DomainError::invalid(
                        "DOWN_EXACTLY_ONE_METHOD",
                        format!(
                            "调整决定必须在「改任职级」「提前退出领导岗位」「逆向调整岗位」中恰好选择一种, 收到 {} 种{}",
                            named.len(),
                            if named.is_empty() {
                                String::new()
                            } else {
                                format!(": {}", named.join("、"))
                            }
                        ),
                    ));
                };
                if let Some(findings_on) = review.findings_on {
                    practice::not_before(on, findings_on, "调整决定", "研判结论")?;
                }
                match (method, &c.to_post) {
                    (Method::ReverseAdjustment, None) => {
                        return Err(DomainError::invalid(
                            "DOWN_TARGET_POST_REQUIRED",
                            "逆向调整岗位的决定必须写明调整到的单位和岗位",
                        ));
                    }
                    (Method::ReverseAdjustment, Some(target)) => {
                        check_target(target, facts.target.as_ref(), &review.cadre_id)?;
                    }
                    (other, Some(_)) => {
                        return Err(DomainError::invalid(
                            "DOWN_TARGET_POST_UNEXPECTED",
                            format!(
                                "「{}」不调整到其他岗位, 只有「逆向调整岗位」写明调整到的岗位",
                                other.zh()
                            ),
                        ));
                    }
                    (_, None) => {}
                }
                Ok(vec![Event::Decided(Decided {
                    review_id: c.review_id.clone(),
                    cadre_id: review.cadre_id.clone(),
                    unit_id: review.unit_id.clone(),
                    situation,
                    method: *method,
                    decision_ref: c.decision_ref.trim().to_owned(),
                    decided_on: on,
                    to_post: c.to_post.clone(),
                })])
            }
            Command::Execute(c) => {
                let review = review_in(state, &c.review_id, Status::Decided, "执行调整决定")?;
                if let Some(decided_on) = review.decided_on {
                    practice::not_before(on, decided_on, "执行", "调整决定")?;
                }
                let Some(method) = review.method else {
                    return Err(not_in(review, Status::Decided, "执行调整决定"));
                };
                if let Some(target) = &review.to_post {
                    check_target(target, facts.target.as_ref(), &review.cadre_id)?;
                }
                Ok(vec![Event::Executed(Executed {
                    review_id: c.review_id.clone(),
                    cadre_id: review.cadre_id.clone(),
                    method,
                    note: c.note.trim().to_owned(),
                    executed_on: on,
                    decision_ref: review.decision_ref.clone(),
                    decided_on: review.decided_on,
                    to_post: review.to_post.clone(),
                })])
            }
            Command::CloseWithoutAction(c) => {
                let review = review_in(state, &c.review_id, Status::Open, "不予调整结案")?;
                practice::non_empty(&c.reason, "不予调整的理由")?;
                practice::not_before(on, review.opened_on, "结案", "启动研判")?;
                Ok(vec![Event::ClosedWithoutAction(ClosedWithoutAction {
                    review_id: c.review_id.clone(),
                    cadre_id: review.cadre_id.clone(),
                    reason: c.reason.trim().to_owned(),
                    closed_on: on,
                })])
            }
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        match event {
            Event::Opened(e) => {
                state.review = Some(Review {
                    cadre_id: e.cadre_id.clone(),
                    unit_id: e.unit_id.clone(),
                    status: Status::Open,
                    opened_on: e.opened_on,
                    situation: None,
                    findings_on: None,
                    method: None,
                    decided_on: None,
                    decision_ref: None,
                    to_post: None,
                });
            }
            Event::FindingsRecorded(e) => {
                if let Some(r) = state.review.as_mut() {
                    r.situation = Some(e.situation);
                    r.findings_on = Some(e.recorded_on);
                }
            }
            Event::Decided(e) => {
                if let Some(r) = state.review.as_mut() {
                    r.status = Status::Decided;
                    r.method = Some(e.method);
                    r.decided_on = Some(e.decided_on);
                    r.decision_ref = Some(e.decision_ref.clone());
                    r.to_post = e.to_post.clone();
                }
            }
            Event::Executed(_) => {
                if let Some(r) = state.review.as_mut() {
                    r.status = Status::Executed;
                }
            }
            Event::ClosedWithoutAction(_) => {
                if let Some(r) = state.review.as_mut() {
                    r.status = Status::ClosedWithoutAction;
                }
            }
        }
    }
}

fn not_in(review: &Review, wanted: Status, action: &str) -> DomainError {
    DomainError::refused(
        "DOWN_STATUS",
        format!(
            "{action}被拒绝: 干部「{}」的研判当前为「{}」, 只有「{}」时才能办理",
            review.cadre_id,
            review.status.zh(),
            wanted.zh()
        ),
    )
}

fn review_in<'s>(
    state: &'s State,
    review_id: &str,
    wanted: Status,
    action: &str,
) -> Result<&'s Review, DomainError> {
    let review = state.review.as_ref().ok_or_else(|| {
        practice::not_started("DOWN_REVIEW_NOT_FOUND", "“能上能下”研判", review_id)
    })?;
    if review.status != wanted {
        return Err(not_in(review, wanted, action));
    }
    Ok(review)
}

fn open(
    state: &State,
    c: &Open,
    ctx: &Context<'_>,
    facts: &Facts,
) -> Result<Vec<Event>, DomainError> {
    let (cadres, required_on) = (&facts.cadres, facts.required_on);
    if state.review.is_some() {
        return Err(practice::already_exists(
            "DOWN_REVIEW_EXISTS",
            "“能上能下”研判",
            &c.review_id,
        ));
    }
    practice::non_empty(&c.review_id, "研判编号")?;
    let grade_year = match (c.trigger, c.grade_year) {
        (Trigger::IncompetentGrade, None) => {
            return Err(DomainError::invalid(
                "DOWN_GRADE_YEAR_REQUIRED",
                "因年度考核不称职启动的研判必须写明考核年度",
            ));
        }
        (Trigger::IncompetentGrade, year) => year,
        (Trigger::ReverseEvaluation, _) => None,
    };
    let cadre = cadres.get(&c.cadre_id)?;
    if c.evaluation_id.is_some() {
        let subject = facts
            .subject
            .as_ref()
            .filter(|s| s.registered && s.cadre_id == c.cadre_id)
            .ok_or_else(|| {
                DomainError::not_found(
                    "CADRE_NOT_FOUND",
                    format!("干部「{}」不存在或已不在册", c.cadre_id),
                )
            })?;
        crate::cadre::check_cited(
            subject,
            c.evaluation_id.as_deref(),
            ctx.effective,
            "“能上能下”研判",
        )?;
    }
    if let Some(open) = cadre
        .open_down_review
        .as_deref()
        .filter(|r| *r != c.review_id)
    {
        return Err(DomainError::refused(
            "DOWN_REVIEW_ALREADY_OPEN",
            format!(
                "启动研判被拒绝: 干部「{}」已有未办结的“能上能下”研判 {open}, 同一干部同时只能有一项研判, 请先执行或结案",
                c.cadre_id
            ),
        ));
    }
    // The clock starts when the grade required the review, not when it is opened.
    let clock_from = required_on
        .filter(|_| grade_year.is_some())
        .unwrap_or(ctx.effective);
    let due_on = clock_from.checked_add_days(Days::new(u64::from(
        ctx.policy.reminders.down_review_due_days,
    )));
    Ok(vec![Event::Opened(Opened {
        review_id: c.review_id.clone(),
        cadre_id: c.cadre_id.clone(),
        unit_id: cadre.unit_id.clone(),
        trigger: c.trigger,
        grade_year,
        reason: c.reason.trim().to_owned(),
        opened_on: ctx.effective,
        due_on,
        evaluation_id: c.evaluation_id.clone(),
    })])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        context::Actor,
        harness::given,
        practice::{CadreRef, test_support::d},
    };

    fn opened() -> Event {
        Event::Opened(Opened {
            review_id: "r1".into(),
            cadre_id: "a".into(),
            unit_id: Some("u1".into()),
            trigger: Trigger::ReverseEvaluation,
            grade_year: None,
            reason: "群众反映较大".into(),
            opened_on: d(2025, 3, 1),
            due_on: Some(d(2025, 4, 30)),
            evaluation_id: None,
        })
    }

    fn findings() -> Event {
        Event::FindingsRecorded(FindingsRecorded {
            review_id: "r1".into(),
            cadre_id: "a".into(),
            situation: Situation::WorkLaggingForLong,
            findings: "分管工作连续两年排名末位".into(),
            recorded_on: d(2025, 4, 1),
        })
    }

    fn decided(method: Method) -> Event {
        Event::Decided(Decided {
            review_id: "r1".into(),
            cadre_id: "a".into(),
            unit_id: Some("u1".into()),
            situation: Situation::WorkLaggingForLong,
            method,
            decision_ref: "姜委〔2025〕12号".into(),
            decided_on: d(2025, 6, 30),
            to_post: None,
        })
    }

    fn decide(methods: Vec<Method>, decision_ref: &str) -> Command {
        Command::Decide(Decide {
            review_id: "r1".into(),
            decision_ref: decision_ref.into(),
            methods,
            to_post: None,
        })
    }

    #[test]
    fn the_fifteen_situations_are_numbered_in_order() {
        assert_eq!(Situation::ALL.len(), 15);
        assert_eq!(Situation::WeakPoliticalAbility.number(), 1);
        assert_eq!(Situation::Other.number(), 15);
        let labels: std::collections::BTreeSet<&str> =
            Situation::ALL.iter().map(|s| s.zh()).collect();
        assert_eq!(labels.len(), 15, "every situation has its own label");
    }

    fn facts() -> Facts {
        Cadres::of([CadreRef::new("a", "u1")]).into()
    }

    fn open_for_grade(year: Option<i32>) -> Command {
        Command::Open(Open {
            review_id: "r2".into(),
            cadre_id: "a".into(),
            trigger: Trigger::IncompetentGrade,
            grade_year: year,
            reason: String::new(),
            evaluation_id: None,
        })
    }

    #[test]
    fn a_review_opens_from_reverse_evaluation_or_an_incompetent_grade() {
        given::<Aggregate>([])
            .with_facts(facts())
            .on(d(2025, 3, 1))
            .when(Command::Open(Open {
                review_id: "r1".into(),
                cadre_id: "a".into(),
                trigger: Trigger::ReverseEvaluation,
                grade_year: None,
                reason: "群众反映较大".into(),
                evaluation_id: None,
            }))
            .then_events([opened()]);
        given::<Aggregate>([])
            .with_facts(facts())
            .as_actor(Actor::system())
            .when(open_for_grade(Some(2024)))
            .then_ok();
    }

    #[test]
    fn a_review_for_an_incompetent_grade_names_the_year() {
        let e = given::<Aggregate>([])
            .with_facts(facts())
            .when(open_for_grade(None))
            .then_error("DOWN_GRADE_YEAR_REQUIRED");
        assert!(matches!(e, DomainError::Invalid { .. }));
    }

    #[test]
    fn a_review_is_about_a_known_cadre() {
        given::<Aggregate>([])
            .when(open_for_grade(Some(2024)))
            .then_error("CADRE_NOT_FOUND");
    }

    #[test]
    fn a_review_is_opened_once() {
        given::<Aggregate>([opened()])
            .with_facts(facts())
            .when(open_for_grade(Some(2024)))
            .then_error("DOWN_REVIEW_EXISTS");
    }

    #[test]
    fn only_the_organization_department_runs_reviews() {
        given::<Aggregate>([opened()])
            .as_actor(Actor::new("inspector", Role::DisciplineInspector))
            .when(Command::RecordFindings(RecordFindings {
                review_id: "r1".into(),
                situation: Situation::LackOfDrive,
                findings: "f".into(),
            }))
            .then_error("FORBIDDEN_ROLE");
    }

    #[test]
    fn a_decision_needs_the_situation_recorded_first() {
        given::<Aggregate>([opened()])
            .when(decide(vec![Method::EarlyExit], "姜委〔2025〕12号"))
            .then_error("DOWN_SITUATION_REQUIRED");
        given::<Aggregate>([opened(), findings()])
            .when(decide(vec![Method::EarlyExit], "姜委〔2025〕12号"))
            .then_events([decided(Method::EarlyExit)]);
    }

    #[test]
    fn a_decision_needs_a_decision_reference() {
        let e = given::<Aggregate>([opened(), findings()])
            .when(decide(vec![Method::ChangeToRank], "  "))
            .then_error("DOWN_DECISION_REF_REQUIRED");
        assert!(matches!(e, DomainError::Invalid { .. }));
    }

    fn target() -> TargetPost {
        TargetPost {
            unit_id: "u2".into(),
            post_id: "deputy".into(),
        }
    }

    /// The facts of the post `target()` names: a leadership post held by `holders`.
    fn target_facts(holders: &[&str]) -> Facts {
        Facts {
            cadres: Cadres::default(),
            target: Some(TargetFact {
                post: Some(PostFact {
                    unit_id: "u2".into(),
                    unit_name: "区商务局".into(),
                    post_id: "deputy".into(),
                    title: "副局长".into(),
                    category: crate::types::PostCategory::Business,
                    leadership_level: Some(crate::types::LeadershipLevel::TownshipDeputy),
                    heads_unit: false,
                    reports_to: None,
                    open: true,
                    hot_limit_years: None,
                    business_facing: true,
                }),
                holders: holders.iter().map(|h| (*h).to_owned()).collect(),
            }),
            required_on: None,
            subject: None,
        }
    }

    fn decide_to(method: Method, to: Option<TargetPost>) -> Command {
        Command::Decide(Decide {
            review_id: "r1".into(),
            decision_ref: "文号".into(),
            methods: vec![method],
            to_post: to,
        })
    }

    #[test]
    fn a_reverse_adjustment_names_a_vacant_post_and_no_other_method_names_one() {
        given::<Aggregate>([opened(), findings()])
            .with_facts(target_facts(&[]))
            .when(decide_to(Method::ReverseAdjustment, Some(target())))
            .then_ok();
        given::<Aggregate>([opened(), findings()])
            .when(decide_to(Method::ReverseAdjustment, None))
            .then_error("DOWN_TARGET_POST_REQUIRED");
        let missing = TargetPost {
            unit_id: "u2".into(),
            post_id: "nope".into(),
        };
        let e = given::<Aggregate>([opened(), findings()])
            .with_facts(target_facts(&[]))
            .when(decide_to(Method::ReverseAdjustment, Some(missing)))
            .then_error("POST_NOT_FOUND");
        assert!(
            e.message().contains("u2") && e.message().contains("nope"),
            "{e}"
        );
        let e = given::<Aggregate>([opened(), findings()])
            .with_facts(target_facts(&["b"]))
            .when(decide_to(Method::ReverseAdjustment, Some(target())))
            .then_error("POST_TAKEN");
        assert!(
            e.message().contains("区商务局（u2）") && e.message().contains("副局长"),
            "{e}"
        );
        given::<Aggregate>([opened(), findings()])
            .with_facts(target_facts(&[]))
            .when(decide_to(Method::ChangeToRank, Some(target())))
            .then_error("DOWN_TARGET_POST_UNEXPECTED");
    }

    #[test]
    fn a_decided_target_taken_before_execution_is_refused_at_execution() {
        let mut decided = decided(Method::ReverseAdjustment);
        if let Event::Decided(d) = &mut decided {
            d.to_post = Some(target());
        }
        given::<Aggregate>([opened(), findings(), decided])
            .with_facts(target_facts(&["b"]))
            .when(Command::Execute(Execute {
                review_id: "r1".into(),
                note: String::new(),
            }))
            .then_error("POST_TAKEN");
    }

    #[test]
    fn a_decision_names_exactly_one_method() {
        for method in Method::ALL {
            let to = (method == Method::ReverseAdjustment).then(target);
            given::<Aggregate>([opened(), findings()])
                .with_facts(target_facts(&[]))
                .when(decide_to(method, to))
                .then_ok();
        }
        let e = given::<Aggregate>([opened(), findings()])
            .when(decide(
                vec![Method::ChangeToRank, Method::EarlyExit],
                "文号",
            ))
            .then_error("DOWN_EXACTLY_ONE_METHOD");
        assert!(
            e.message()
                .contains("收到 2 种: 改任职级、提前退出领导岗位"),
            "{e}"
        );
        given::<Aggregate>([opened(), findings()])
            .when(decide(vec![], "文号"))
            .then_error("DOWN_EXACTLY_ONE_METHOD");
    }

    #[test]
    fn a_decision_is_executed_once_after_it_is_made() {
        let execute = || {
            Command::Execute(Execute {
                review_id: "r1".into(),
                note: "已办理改任手续".into(),
            })
        };
        given::<Aggregate>([opened(), findings()])
            .when(execute())
            .then_error("DOWN_STATUS");
        let events = given::<Aggregate>([opened(), findings(), decided(Method::ReverseAdjustment)])
            .when(execute())
            .then_events([Event::Executed(Executed {
                review_id: "r1".into(),
                cadre_id: "a".into(),
                method: Method::ReverseAdjustment,
                note: "已办理改任手续".into(),
                executed_on: d(2025, 6, 30),
                decision_ref: Some("姜委〔2025〕12号".into()),
                decided_on: Some(d(2025, 6, 30)),
                to_post: None,
            })]);
        let mut history = vec![opened(), findings(), decided(Method::ReverseAdjustment)];
        history.extend(events);
        let e = given::<Aggregate>(history)
            .when(execute())
            .then_error("DOWN_STATUS");
        assert!(e.message().contains("已执行"), "{e}");
    }

    #[test]
    fn a_review_closes_without_action_only_before_a_decision() {
        let close = || {
            Command::CloseWithoutAction(CloseWithoutAction {
                review_id: "r1".into(),
                reason: "经研判不属于不适宜情形".into(),
            })
        };
        given::<Aggregate>([opened(), findings()])
            .when(close())
            .then_ok();
        given::<Aggregate>([opened(), findings(), decided(Method::EarlyExit)])
            .when(close())
            .then_error("DOWN_STATUS");
        let e = given::<Aggregate>([opened()])
            .when(Command::CloseWithoutAction(CloseWithoutAction {
                review_id: "r1".into(),
                reason: "".into(),
            }))
            .then_error("EMPTY_FIELD");
        assert!(matches!(e, DomainError::Invalid { .. }));
    }

    #[test]
    fn an_incompetent_grade_opens_a_review_through_the_system() {
        let required = crate::cadre::DownReviewRequired {
            cadre_id: "a".into(),
            year: 2024,
            reason: "2024 年度考核不称职".into(),
            raised_on: d(2025, 2, 1),
        };
        let events = given::<Aggregate>([])
            .with_facts(Cadres::of([CadreRef::new("a", "u1")]).into())
            .as_actor(Actor::system())
            .on(d(2025, 2, 1))
            .when(Command::Open(Open::for_incompetent_grade("r9", &required)))
            .then_ok();
        assert!(matches!(&events[0], Event::Opened(o)
            if o.trigger == Trigger::IncompetentGrade && o.grade_year == Some(2024) && o.cadre_id == "a"));
    }

    #[test]
    fn the_review_due_date_follows_policy() {
        let mut policy = crate::policy::Policy::national_default();
        policy.reminders.down_review_due_days = 30;
        let events = given::<Aggregate>([])
            .with_facts(Cadres::of([CadreRef::new("a", "u1")]).into())
            .with_policy(policy)
            .on(d(2025, 3, 1))
            .when(Command::Open(Open {
                review_id: "r1".into(),
                cadre_id: "a".into(),
                trigger: Trigger::ReverseEvaluation,
                grade_year: None,
                reason: String::new(),
                evaluation_id: None,
            }))
            .then_ok();
        assert!(matches!(&events[0], Event::Opened(o) if o.due_on == Some(d(2025, 3, 31))));
    }

    #[test]
    fn commands_name_an_opened_review() {
        let e = given::<Aggregate>([])
            .when(decide(vec![Method::EarlyExit], "文号"))
            .then_error("DOWN_REVIEW_NOT_FOUND");
        assert!(matches!(e, DomainError::NotFound { .. }));
    }

    #[test]
    fn review_steps_are_dated_in_order() {
        let findings = || {
            Command::RecordFindings(RecordFindings {
                review_id: "r1".into(),
                situation: Situation::LackOfDrive,
                findings: "f".into(),
            })
        };
        given::<Aggregate>([opened()])
            .on(d(2025, 3, 1))
            .when(findings())
            .then_ok();
        given::<Aggregate>([opened()])
            .on(d(2025, 2, 28))
            .when(findings())
            .then_error("DATE_BEFORE_PREVIOUS_STEP");
    }

    fn open_second(review_id: &str) -> Command {
        Command::Open(Open {
            review_id: review_id.into(),
            cadre_id: "a".into(),
            trigger: Trigger::ReverseEvaluation,
            grade_year: None,
            reason: "再次反映不适宜担任现职".into(),
            evaluation_id: None,
        })
    }

    #[test]
    fn a_second_review_for_a_cadre_with_one_still_open_is_refused() {
        let e = given::<Aggregate>([])
            .with_facts(Cadres::of([CadreRef::new("a", "u1").with_open_down_review("r1")]).into())
            .on(d(2025, 6, 1))
            .when(open_second("r2"))
            .then_error("DOWN_REVIEW_ALREADY_OPEN");
        let message = e.to_string();
        assert!(
            message.contains("r1") && message.contains("同一干部同时只能有一项研判"),
            "{message}"
        );
    }

    #[test]
    fn a_review_opens_for_a_cadre_whose_earlier_review_is_closed() {
        // The application loads no open review once the earlier one was executed or closed.
        let events = given::<Aggregate>([])
            .with_facts(Cadres::of([CadreRef::new("a", "u1")]).into())
            .on(d(2025, 6, 1))
            .when(open_second("r2"))
            .then_ok();
        assert!(matches!(&events[0], Event::Opened(o) if o.review_id == "r2" && o.cadre_id == "a"));
    }
}
