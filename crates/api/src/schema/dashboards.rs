//! The dashboards as GraphQL serves them (read on a date, as known at a position) and their typed sections: training coverage (班次, 学时, 五学, 双月讲坛), care (appeals by stage, overdue stages, time to close, exemptions, the three distinctions) and the log overview.

use std::collections::BTreeMap;

use async_graphql::SimpleObject;
use dossier_domain::{accountability, appeal, study, training};
use dossier_projections::dashboards as d;
use serde::de::DeserializeOwned;

use crate::{
    auth::READ_ALL,
    error::ApiError,
    schema::{
        command::mirror_enum,
        cultivation::{ClassKind, StudyMode, TeachingMethod},
        decisions::{Motive, Pioneering, TrialRule},
        profile::parse_key,
        scalars::{Date, Position},
    },
    state::AppState,
};

mirror_enum! {
    /// 诉求闭环的环节.
    AppealStage => appeal::Stage {
        /// 受理
        Filed,
        /// 清单交办
        Listed,
        /// 诉求领办
        Claimed,
        /// 协调会办
        Coordinated,
        /// 跟踪督办
        Tracked,
        /// 办结
        Closed,
    }
}

/// The entries of a count map keyed by a domain value's snake_case key, typed
/// (every key is written from the same domain type, so each one parses).
fn typed<K: DeserializeOwned, G: From<K>, N: Copy>(map: &BTreeMap<String, N>) -> Vec<(G, N)> {
    map.iter()
        .filter_map(|(k, n)| parse_key::<K>(k).map(|k| (G::from(k), *n)))
        .collect()
}

/// Classes using one teaching method.
#[derive(SimpleObject)]
pub struct MethodCount {
    pub method: TeachingMethod,
    pub classes: u32,
}

/// 班次 of one kind: classes, enrolments, completions (结业), hours credited.
#[derive(SimpleObject)]
pub struct ClassKindFigures {
    pub kind: ClassKind,
    pub classes: u32,
    pub enrolments: u32,
    pub completions: u32,
    pub hours_credited: f64,
    /// Classes using each teaching method.
    pub by_method: Vec<MethodCount>,
}

/// Thematic classes on one theme.
#[derive(SimpleObject)]
pub struct ThemeCount {
    pub theme: String,
    pub classes: u32,
}

/// 五学: sessions held and attendances (person-times) of one study mode.
#[derive(SimpleObject)]
pub struct StudyModeFigures {
    pub mode: StudyMode,
    pub sessions: u32,
    pub attendances: u32,
}

/// The training dashboard.
#[derive(SimpleObject)]
pub struct TrainingDashboard {
    /// By class kind (主体班次, 专题班次).
    pub by_kind: Vec<ClassKindFigures>,
    /// Thematic classes by theme.
    pub by_theme: Vec<ThemeCount>,
    /// 五学 by mode.
    pub study: Vec<StudyModeFigures>,
    /// 双月讲坛: cycles opened, lectures held, research results submitted, answer sessions held.
    pub forum_cycles: u32,
    pub forum_lectures: u32,
    pub forum_research_results: u32,
    pub forum_answer_sessions: u32,
}

impl From<&d::training::TrainingView> for TrainingDashboard {
    fn from(v: &d::training::TrainingView) -> Self {
        let by_kind = v
            .by_kind
            .iter()
            .filter_map(|(k, f)| {
                parse_key::<training::ClassKind>(k).map(|kind| ClassKindFigures {
                    kind: kind.into(),
                    classes: f.classes,
                    enrolments: f.enrolments,
                    completions: f.completions,
                    hours_credited: f.hours_credited,
                    by_method: typed::<training::TeachingMethod, TeachingMethod, u32>(&f.by_method)
                        .into_iter()
                        .map(|(method, classes)| MethodCount { method, classes })
                        .collect(),
                })
            })
            .collect();
        let mut modes: Vec<&String> = v
            .study_sessions
            .keys()
            .chain(v.study_attendances.keys())
            .collect();
        modes.sort();
        modes.dedup();
        let study = modes
            .into_iter()
            .filter_map(|k| {
                parse_key::<study::StudyMode>(k).map(|mode| StudyModeFigures {
                    mode: mode.into(),
                    sessions: v.study_sessions.get(k).copied().unwrap_or(0),
                    attendances: v.study_attendances.get(k).copied().unwrap_or(0),
                })
            })
            .collect();
        TrainingDashboard {
            by_kind,
            by_theme: v
                .by_theme
                .iter()
                .map(|(theme, classes)| ThemeCount {
                    theme: theme.clone(),
                    classes: *classes,
                })
                .collect(),
            study,
            forum_cycles: v.forum_cycles,
            forum_lectures: v.forum_lectures,
            forum_research_results: v.forum_research_results,
            forum_answer_sessions: v.forum_answer_sessions,
        }
    }
}

/// Appeals at one stage.
#[derive(SimpleObject)]
pub struct StageCount {
    pub stage: AppealStage,
    pub appeals: u32,
}

/// An open appeal whose current stage is past its deadline.
#[derive(SimpleObject)]
pub struct OverdueAppeal {
    pub appeal_id: String,
    pub cadre_id: String,
    pub stage: AppealStage,
    pub due_on: Date,
    pub days_overdue: i64,
}

/// Accountability cases judged one way on the three distinctions (三个区分开来).
#[derive(SimpleObject)]
pub struct JudgementCount {
    pub pioneering: Pioneering,
    pub trial: TrialRule,
    pub motive: Motive,
    pub cases: u32,
}

/// The care dashboard on a date: the appeal closed loop, prior risk reports, exemptions and accountability.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct CareDashboard {
    /// Appeals filed.
    pub appeals: u32,
    /// Appeals by current stage, every stage in the loop's order.
    pub by_stage: Vec<StageCount>,
    /// Open appeals whose current stage is past its deadline on the date, by stage.
    pub overdue_by_stage: Vec<StageCount>,
    /// The longest-overdue appeals (a few per stage; the counts cover them all). Names cadres:
    #[graphql(skip)]
    pub overdue: Vec<OverdueAppeal>,
    /// Median days from filing to closing of the closed appeals (none before the first closes).
    pub median_days_to_close: Option<f64>,
    /// Appeals compiled as typical cases (典型案例).
    pub typical_cases: u32,
    /// Prior risk reports (事前报备) filed.
    pub risk_reports: u32,
    /// Exemptions (容缺免责) granted and refused.
    pub exemptions_granted: u32,
    pub exemptions_refused: u32,
    /// Accountability cases by the three-distinctions judgement.
    pub accountability_by_judgement: Vec<JudgementCount>,
}

/// Counts by stage in the loop's order; every stage when `all`, else only those with appeals.
fn stage_counts(map: &BTreeMap<String, u32>, all: bool) -> Vec<StageCount> {
    let mut by_stage: BTreeMap<appeal::Stage, u32> = map
        .iter()
        .filter_map(|(k, n)| parse_key::<appeal::Stage>(k).map(|s| (s, *n)))
        .collect();
    if all {
        for s in appeal::Stage::ALL {
            by_stage.entry(s).or_insert(0);
        }
    }
    by_stage
        .into_iter()
        .filter(|(_, n)| all || *n > 0)
        .map(|(s, appeals)| StageCount {
            stage: s.into(),
            appeals,
        })
        .collect()
}

#[async_graphql::ComplexObject]
impl CareDashboard {
    /// The longest-overdue appeals (a few per stage; the counts cover them all). Names cadres:
    /// 组织部, 纪检监察 and 审计 only, not analysts (null for them, with FORBIDDEN: the rest of
    /// the dashboard is still served).
    async fn overdue(&self, ctx: &async_graphql::Context<'_>) -> Option<&[OverdueAppeal]> {
        crate::auth::field(ctx, READ_ALL, "查看逾期诉求名单")?;
        Some(&self.overdue)
    }
}

impl From<d::care::CareView> for CareDashboard {
    fn from(v: d::care::CareView) -> Self {
        CareDashboard {
            appeals: v.appeals,
            by_stage: stage_counts(&v.by_stage, true),
            overdue_by_stage: stage_counts(&v.overdue_by_stage, false),
            overdue: v
                .overdue
                .into_iter()
                .map(|o| OverdueAppeal {
                    appeal_id: o.appeal_id,
                    cadre_id: o.cadre_id,
                    stage: o.stage.into(),
                    due_on: Date(o.due_on),
                    days_overdue: o.days_overdue,
                })
                .collect(),
            median_days_to_close: v.median_days_to_close,
            typical_cases: v.typical_cases,
            risk_reports: v.risk_reports,
            exemptions_granted: v.exemptions_granted,
            exemptions_refused: v.exemptions_refused,
            accountability_by_judgement: v
                .accountability_by_judgement
                .iter()
                .filter_map(|(k, cases)| {
                    // The key is `pioneering/trial/motive`.
                    let mut parts = k.split('/');
                    let pioneering = parse_key::<accountability::Pioneering>(parts.next()?)?;
                    let trial = parse_key::<accountability::TrialRule>(parts.next()?)?;
                    let motive = parse_key::<accountability::Motive>(parts.next()?)?;
                    Some(JudgementCount {
                        pioneering: pioneering.into(),
                        trial: trial.into(),
                        motive: motive.into(),
                        cases: *cases,
                    })
                })
                .collect(),
        }
    }
}

/// Events of one type.
#[derive(SimpleObject)]
pub struct EventTypeCount {
    /// e.g. `cadre.Appointed`.
    pub event_type: String,
    pub events: u64,
}

/// Streams of one kind.
#[derive(SimpleObject)]
pub struct StreamKindCount {
    /// e.g. `cadre`, `unit`, `appeal`.
    pub kind: String,
    pub streams: u64,
}

/// The log overview.
#[derive(SimpleObject)]
pub struct LogDashboard {
    pub events: u64,
    pub events_by_type: Vec<EventTypeCount>,
    pub streams_by_kind: Vec<StreamKindCount>,
    /// The last position folded.
    pub last_position: Position,
}

impl From<&d::log::LogStats> for LogDashboard {
    fn from(s: &d::log::LogStats) -> Self {
        LogDashboard {
            events: s.events,
            events_by_type: s
                .events_by_type
                .iter()
                .map(|(t, n)| EventTypeCount {
                    event_type: t.clone(),
                    events: *n,
                })
                .collect(),
            streams_by_kind: s
                .streams_by_kind
                .iter()
                .map(|(k, n)| StreamKindCount {
                    kind: k.clone(),
                    streams: *n,
                })
                .collect(),
            last_position: Position(s.last_position),
        }
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::resolver_utils::EnumType;
    use dossier_projections::dashboards::key;
    use serde::Serialize;

    use super::*;

    /// Every value of a mirrored enum survives the read models' key and back.
    fn round_trips<G, K>()
    where
        G: EnumType + Copy + PartialEq + std::fmt::Debug + From<K>,
        K: Serialize + DeserializeOwned + From<G>,
    {
        for item in G::items() {
            let domain = K::from(item.value);
            let back = parse_key::<K>(&key(&domain)).map(G::from);
            assert_eq!(back, Some(item.value), "{}", item.name);
        }
    }

    #[test]
    fn every_dashboard_key_parses_back_to_its_enum() {
        round_trips::<ClassKind, training::ClassKind>();
        round_trips::<TeachingMethod, training::TeachingMethod>();
        round_trips::<StudyMode, study::StudyMode>();
        round_trips::<AppealStage, appeal::Stage>();
        round_trips::<Pioneering, accountability::Pioneering>();
        round_trips::<TrialRule, accountability::TrialRule>();
        round_trips::<Motive, accountability::Motive>();
    }
}

/// One figure of a dashboard (aggregate, no personal data).
#[derive(SimpleObject)]
pub struct Figure {
    /// e.g. `training`, `care`.
    pub dashboard: String,
    /// e.g. `classes`.
    pub metric: String,
    /// The breakdown key (empty for a total).
    pub key: String,
    pub value: f64,
}

/// The dashboards on a date, as the log knew them at a position.
#[derive(SimpleObject)]
pub struct Dashboards {
    /// The effective date every figure is for.
    pub as_of: Date,
    /// The last log position the figures take into account (the `knownAt` asked, or the
    /// read models' position when not asked or beyond it).
    pub position: Position,
    /// Every figure, flat.
    pub figures: Vec<Figure>,
    /// Training: classes, enrolments, completions and hours by class kind, themes, 五学, 双月讲坛.
    pub training: TrainingDashboard,
    /// Care: appeals by stage, overdue stages, time to close, typical cases, risk reports,
    /// exemptions and accountability judgements.
    pub care: CareDashboard,
    /// The log: events by type, streams by kind (of the events in the answer's slice).
    pub log: LogDashboard,
}

/// The dashboards as they stood on `as_of`, as known at `known_at` (`None`: as known now).
pub async fn dashboards(
    st: &AppState,
    as_of: chrono::NaiveDate,
    known_at: Option<u64>,
) -> Result<Dashboards, ApiError> {
    let view = st
        .projections
        .dashboards(as_of, known_at)
        .await
        .map_err(ApiError::internal)?;
    Ok(Dashboards {
        as_of: Date(view.as_of),
        position: Position(view.position),
        figures: view
            .figures
            .iter()
            .map(|f| Figure {
                dashboard: f.dashboard.to_owned(),
                metric: f.metric.to_owned(),
                key: f.key.clone(),
                value: f.value,
            })
            .collect(),
        training: TrainingDashboard::from(&*view.training),
        care: CareDashboard::from(view.care.clone()),
        log: LogDashboard::from(&view.log),
    })
}
