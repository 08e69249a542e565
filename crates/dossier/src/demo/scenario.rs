//! The demo scenario itself: the district drawn from a seed, then built phase by phase through public commands.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;

use anyhow::{Context as _, bail};
use chrono::{Datelike, Days, NaiveDate};
use dossier_api::{Service, service::Clock};
use dossier_domain::{
    Actor, Role, accountability, appeal, assessment, award, bulletin, cadre,
    codes::{
        AppointmentManner, AppointmentReason, AppointmentStatus, AssessmentCategory, ChangeCategory,
    },
    down, forum, lead, policy_stream, quota, risk, study, supervision, training, trial_list,
    types::{
        FrontLineField, Grade, LeadershipLevel, PostCategory, Rank, RotationKind, ThreeGoodCategory,
    },
    unit,
};
use futures::{StreamExt, TryStreamExt};
use rand::{Rng, SeedableRng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;

mod cases;
mod obstacles;

use super::district::{self, UNITS};
use super::exec::Exec;
use super::people::{People, Person};
use super::{MIN_CADRES, TODAY, figures};

/// Independent streams written at once inside a phase.
const PARALLEL: usize = 24;

const APPROVER: &str = "中共泰州市姜堰区委";
const NOMINATOR: &str = "中共泰州市姜堰区委组织部";

/// What the demo did.
#[derive(Debug, Clone)]
pub struct Report {
    pub commands: u64,
    pub events: u64,
    pub cadres: usize,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn plus(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

fn today() -> NaiveDate {
    d(TODAY.0, TODAY.1, TODAY.2)
}

/// A random date in `[from, to]`.
fn between(rng: &mut impl Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0) as u64;
    plus(from, rng.random_range(0..=span))
}

/// What a cadre does in the district.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role_ {
    Head,
    Deputy,
    Hot(usize),
    Section(usize),
    Staff,
}

#[derive(Debug, Clone)]
struct CadreSpec {
    id: String,
    person: Person,
    unit: usize,
    post_id: String,
    role: Role_,
    rank: Rank,
    rank_since: NaiveDate,
    level: Option<(LeadershipLevel, NaiveDate)>,
    joined: NaiveDate,
    registered_on: NaiveDate,
    appointed_on: NaiveDate,
}

/// A post to open: id, title, category, leadership level, heads the unit, reports to.
type PostRow = (
    String,
    String,
    PostCategory,
    Option<LeadershipLevel>,
    bool,
    Option<String>,
);

fn post_id(unit: &str, suffix: &str) -> String {
    format!("{unit}-{suffix}")
}

/// The district drawn from the seed.
struct Plan {
    rng: ChaCha8Rng,
    cadres: Vec<CadreSpec>,
}

impl Plan {
    fn draw(seed: u64, count: usize) -> Plan {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut people = People::default();
        let mut roles: Vec<(usize, Role_)> = Vec::new();
        for (u, spec) in UNITS.iter().enumerate() {
            roles.push((u, Role_::Head));
            roles.push((u, Role_::Deputy));
            roles.push((u, Role_::Deputy));
            if spec.business_facing {
                for h in 0..district::HOT_POSTS.len() {
                    roles.push((u, Role_::Hot(h)));
                }
            }
            for s in 0..district::SECTIONS.len() {
                roles.push((u, Role_::Section(s)));
            }
        }
        let mut u = 0;
        while roles.len() < count {
            roles.push((u % UNITS.len(), Role_::Staff));
            u += 1;
        }
        let start = d(2018, 1, 2);
        let mut deputies_seen = BTreeMap::new();
        let cadres = roles
            .into_iter()
            .enumerate()
            .map(|(i, (unit, role))| {
                let uid = UNITS[unit].id;
                let (born, rank, level): (_, &[Rank], Option<LeadershipLevel>) = match role {
                    Role_::Head => (
                        (1968, 1978),
                        &[Rank::PrincipalClerk1, Rank::Researcher4][..],
                        Some(LeadershipLevel::TownshipChief),
                    ),
                    Role_::Deputy => (
                        (1972, 1986),
                        &[Rank::PrincipalClerk2, Rank::PrincipalClerk1][..],
                        Some(LeadershipLevel::TownshipDeputy),
                    ),
                    Role_::Hot(_) => (
                        (1975, 1988),
                        &[Rank::PrincipalClerk3, Rank::PrincipalClerk2][..],
                        None,
                    ),
                    Role_::Section(_) => (
                        (1978, 1990),
                        &[Rank::PrincipalClerk4, Rank::PrincipalClerk3][..],
                        None,
                    ),
                    Role_::Staff => (
                        (1984, 1998),
                        &[Rank::ClerkGrade1, Rank::PrincipalClerk4][..],
                        None,
                    ),
                };
                let person = people.draw(&mut rng, born.0, born.1);
                let joined = d(person.birth_date.year() + 22 + rng.random_range(0..3), 8, 1);
                let registered_on = joined.max(start);
                let rank = rank[rng.random_range(0..rank.len())];
                let rank_since = between(&mut rng, d(2019, 1, 1), d(2023, 12, 31)).max(joined);
                let level = level.map(|l| {
                    (
                        l,
                        between(&mut rng, d(2017, 1, 1), d(2022, 12, 31)).max(joined),
                    )
                });
                let appointed_on = match role {
                    Role_::Hot(_) => between(&mut rng, d(2018, 3, 1), d(2022, 12, 31)),
                    Role_::Staff => between(&mut rng, d(2018, 2, 1), d(2024, 6, 30)),
                    _ => between(&mut rng, d(2018, 2, 1), d(2023, 6, 30)),
                }
                .max(registered_on);
                let suffix = match role {
                    Role_::Head => "head".to_owned(),
                    Role_::Deputy => {
                        let n = deputies_seen.entry(unit).or_insert(0);
                        *n += 1;
                        format!("dep{n}")
                    }
                    Role_::Hot(h) => format!("hot{}", h + 1),
                    Role_::Section(s) => format!("sec{}", s + 1),
                    Role_::Staff => "staff".to_owned(),
                };
                CadreSpec {
                    id: format!("c{:04}", i + 1),
                    person,
                    unit,
                    post_id: post_id(uid, &suffix),
                    role,
                    rank,
                    rank_since,
                    level,
                    joined,
                    registered_on,
                    appointed_on,
                }
            })
            .collect();
        Plan { rng, cadres }
    }

    fn of_role(&self, pred: impl Fn(&CadreSpec) -> bool) -> Vec<usize> {
        (0..self.cadres.len())
            .filter(|&i| pred(&self.cadres[i]))
            .collect()
    }

    /// `n` distinct cadres among `pool`, drawn from the plan's RNG.
    fn pick(&mut self, pool: &[usize], n: usize) -> Vec<usize> {
        let mut pool = pool.to_vec();
        pool.shuffle(&mut self.rng);
        pool.truncate(n);
        pool
    }
}

fn admin() -> Actor {
    Actor::new("组织部干部科", Role::OrgAdmin)
}

fn inspector() -> Actor {
    Actor::new("区纪委监委派驻纪检组", Role::DisciplineInspector)
}

fn as_cadre(id: &str) -> Actor {
    Actor::scoped(format!("干部本人-{id}"), Role::Cadre, id)
}

/// Run `f` on every item, at most [`PARALLEL`] at a time; stop at the first failure.
async fn each<T, F, Fut>(items: Vec<T>, f: F) -> anyhow::Result<()>
where
    F: Fn(T) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    futures::stream::iter(items.into_iter().map(f))
        .buffer_unordered(PARALLEL)
        .try_collect::<Vec<()>>()
        .await?;
    Ok(())
}

/// Refuse a district too small to fill the scenario's posts.
pub fn check_size(cadres: usize) -> anyhow::Result<()> {
    if cadres < MIN_CADRES {
        bail!(
            "[DEMO_TOO_FEW_CADRES] 演示区至少需要 {MIN_CADRES} 名干部才能填满所有岗位，给定 {cadres} 名"
        );
    }
    Ok(())
}

/// Build the district into the log behind `service` (which should be empty).
pub async fn build(service: &Service, seed: u64, cadres: usize) -> anyhow::Result<Report> {
    check_size(cadres)?;
    let service = service.clone().with_clock(Clock::Fixed(today()));
    let mut plan = Plan::draw(seed, cadres);
    let estimate = 3_000 + cadres as u64 * 7;
    let exec = Exec::new(&service, crate::progress::bar(estimate, "demo"));
    let x = &exec;

    policy(x).await.context("政策")?;
    units(x).await.context("单位与岗位")?;
    register_cadres(x, &plan).await.context("干部登记与任职")?;
    grades(x, &mut plan).await.context("年度考核")?;
    classes(x, &mut plan).await.context("培训班次")?;
    study_sessions(x, &mut plan).await.context("经常性学习")?;
    forums(x, &mut plan).await.context("双月讲坛")?;
    supervision_records(x, &mut plan)
        .await
        .context("联动记实")?;
    leads(x, &mut plan).await.context("问题线索")?;
    bulletins(x, &mut plan).await.context("联席通报")?;
    let risks = risk_reports(x, &mut plan).await.context("事前报备")?;
    let trials = trial_list_entries(x, &mut plan).await.context("试错清单")?;
    accountability_cases(x, &mut plan, &risks, &trials)
        .await
        .context("问责与容错免责")?;
    appeals(x, &mut plan).await.context("诉求受理")?;
    let honoured = awards(x, &mut plan).await.context("奖励")?;
    let allocated = quotas(x, &plan).await.context("一线职级数")?;
    let moved = ordinary_rotations(x, &mut plan).await.context("动态交流")?;
    let mut excluded: BTreeSet<usize> = honoured;
    excluded.extend(allocated);
    excluded.extend(moved);
    let moved_down = down_decisions(x, &mut plan, &excluded)
        .await
        .context("能上能下")?;
    hot_rotations(x, &mut plan, &moved_down)
        .await
        .context("热点岗位交流")?;
    excluded.extend(moved_down);
    let drawn = cases::selection_cases(x, &mut plan, &excluded)
        .await
        .context("选任纪实")?;
    excluded.extend(drawn);
    obstacles::record_obstacles(x, &plan, &excluded)
        .await
        .context("晋升障碍")?;

    exec.bar.finish_and_clear();
    Ok(Report {
        commands: exec.commands.load(std::sync::atomic::Ordering::Relaxed),
        events: exec.events.load(std::sync::atomic::Ordering::Relaxed),
        cadres,
    })
}

/// The district publishes its policy values (the national defaults, its hot-post limit of 5 years).
async fn policy(x: &Exec<'_>) -> anyhow::Result<()> {
    let policy = dossier_domain::Policy::national_default();
    x.run::<policy_stream::Aggregate>(
        &admin(),
        policy_stream::Command::Publish {
            book: "district".into(),
            title: "《锻造敢为善为干部队伍实施意见》配套政策".into(),
            effective_from: d(2023, 1, 1),
            basis: "泰姜组发〔2023〕1号".into(),
            policy,
        },
        d(2023, 1, 1),
        Some("泰姜组发〔2023〕1号"),
    )
    .await?;
    Ok(())
}

async fn units(x: &Exec<'_>) -> anyhow::Result<()> {
    let on = d(2018, 1, 2);
    each(UNITS.iter().collect(), |spec| async move {
        let a = admin();
        x.run::<unit::Aggregate>(
            &a,
            unit::Command::Register(unit::Register {
                unit_id: spec.id.into(),
                name: spec.name.into(),
                parent_unit_id: None,
                business_facing: spec.business_facing,
            }),
            on,
            Some("姜编〔2018〕1号"),
        )
        .await?;
        let head = post_id(spec.id, "head");
        let mut posts: Vec<PostRow> = vec![(
            head.clone(),
            if spec.town {
                "党委书记".into()
            } else {
                "主要负责人".into()
            },
            PostCategory::General,
            Some(LeadershipLevel::TownshipChief),
            true,
            None,
        )];
        for n in 1..=2 {
            posts.push((
                post_id(spec.id, &format!("dep{n}")),
                if spec.town {
                    "副镇长".into()
                } else {
                    "副职".into()
                },
                PostCategory::General,
                Some(LeadershipLevel::TownshipDeputy),
                false,
                Some(head.clone()),
            ));
        }
        let section_category = match spec.id {
            "u11" => PostCategory::Organization,
            "u14" => PostCategory::Finance,
            "u15" => PostCategory::Audit,
            _ => PostCategory::Business,
        };
        for (n, title) in district::SECTIONS.iter().enumerate() {
            posts.push((
                post_id(spec.id, &format!("sec{}", n + 1)),
                (*title).into(),
                if n == 0 {
                    PostCategory::General
                } else {
                    section_category
                },
                None,
                false,
                Some(head.clone()),
            ));
        }
        if spec.business_facing {
            for (n, title) in district::HOT_POSTS.iter().enumerate() {
                posts.push((
                    post_id(spec.id, &format!("hot{}", n + 1)),
                    (*title).into(),
                    PostCategory::Business,
                    None,
                    false,
                    Some(head.clone()),
                ));
            }
        }
        posts.push((
            post_id(spec.id, "staff"),
            "科员".into(),
            PostCategory::General,
            None,
            false,
            None,
        ));
        for (post, title, category, level, heads_unit, reports_to) in posts {
            x.run::<unit::Aggregate>(
                &a,
                unit::Command::OpenPost(unit::OpenPost {
                    unit_id: spec.id.into(),
                    post_id: post,
                    title,
                    category,
                    leadership_level: level,
                    heads_unit,
                    reports_to,
                }),
                on,
                None,
            )
            .await?;
        }
        if spec.business_facing {
            for n in 1..=district::HOT_POSTS.len() {
                x.run::<unit::Aggregate>(
                    &a,
                    unit::Command::DesignateHotPost {
                        unit_id: spec.id.into(),
                        post_id: post_id(spec.id, &format!("hot{n}")),
                        tenure_limit_years: 5,
                        basis: Some("姜组通〔2023〕6号".into()),
                    },
                    d(2023, 3, 1),
                    Some("姜组通〔2023〕6号"),
                )
                .await?;
            }
        }
        Ok(())
    })
    .await
}

async fn register_cadres(x: &Exec<'_>, plan: &Plan) -> anyhow::Result<()> {
    each(plan.cadres.iter().collect(), |c| async move {
        let a = admin();
        let p = &c.person;
        x.run::<cadre::Aggregate>(
            &a,
            cadre::Command::Register(cadre::Register {
                cadre_id: c.id.clone(),
                name: p.name.clone(),
                id_number: p.id_number.clone(),
                gender: Some(p.gender),
                birth_date: Some(p.birth_date),
                ethnicity: Some(p.ethnicity.clone()),
                unit_id: UNITS[c.unit].id.into(),
                rank: Some(c.rank),
                rank_since: Some(c.rank_since),
                leadership_level: c.level.map(|l| l.0),
                level_since: c.level.map(|l| l.1),
                joined_work_on: Some(c.joined),
            }),
            c.registered_on,
            None,
        )
        .await?;
        let new_leader = matches!(c.role, Role_::Head | Role_::Deputy);
        let document = format!("姜委〔{}〕{}号", c.appointed_on.year(), 10 + c.unit);
        x.run::<cadre::Aggregate>(
            &a,
            cadre::Command::Appoint(cadre::Appoint {
                cadre_id: c.id.clone(),
                unit_id: UNITS[c.unit].id.into(),
                post_id: c.post_id.clone(),
                manner: AppointmentManner::Commission,
                reason: if new_leader {
                    AppointmentReason::Promotion
                } else {
                    AppointmentReason::WorkNeeds
                },
                change_category: if new_leader {
                    ChangeCategory::Promoted
                } else {
                    ChangeCategory::New
                },
                status: AppointmentStatus::Serving,
                nominated_by: NOMINATOR.into(),
                approved_by: APPROVER.into(),
                decided_on: c.appointed_on,
                document_number: document.clone(),
                probation_until: None,
            }),
            c.appointed_on,
            Some(&document),
        )
        .await?;
        Ok(())
    })
    .await
}

/// Annual grades 2023–2025, one batch per unit and year, 优秀 within the 15% cap; in 2025 one
/// 四级主任科员 (a staff member, not a leader) is graded 不称职, so the district shows that year's
/// consequences: the rank lowering pending a decision, the down review due, and the obstacle to
/// promotion.
async fn grades(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<()> {
    let mut incompetent_given = false;
    for year in 2023..=2025 {
        let mut batches = Vec::new();
        for (u, spec) in UNITS.iter().enumerate() {
            let mut members: Vec<usize> =
                plan.of_role(|c| c.unit == u && c.registered_on.year() <= year);
            members.shuffle(&mut plan.rng);
            let cap = members.len() * 15 / 100;
            let excellent = if cap > 0 {
                plan.rng.random_range(cap.div_ceil(2)..=cap)
            } else {
                0
            };
            let mut entries: Vec<assessment::GradeEntry> = members
                .iter()
                .enumerate()
                .map(|(k, &i)| assessment::GradeEntry {
                    cadre_id: plan.cadres[i].id.clone(),
                    grade: Some(if k < excellent {
                        Grade::Excellent
                    } else if plan.rng.random_bool(0.03) {
                        Grade::BasicallyCompetent
                    } else {
                        Grade::Competent
                    }),
                    evaluation_id: None,
                })
                .collect();
            if year == 2025 && !incompetent_given {
                let staff = entries.iter_mut().zip(&members).find(|(e, i)| {
                    let c = &plan.cadres[**i];
                    e.grade == Some(Grade::Competent)
                        && matches!(c.role, Role_::Staff)
                        && c.rank == Rank::PrincipalClerk4
                        && c.level.is_none()
                });
                if let Some((entry, _)) = staff {
                    entry.grade = Some(Grade::Incompetent);
                    incompetent_given = true;
                }
            }
            if !entries.is_empty() {
                batches.push((spec.id, entries));
            }
        }
        let on = d(year + 1, 1, 20);
        let basis = format!("姜组发〔{}〕3号", year + 1);
        let basis = basis.as_str();
        each(batches, |(unit_id, entries)| async move {
            let a = admin();
            x.run::<assessment::Aggregate>(
                &a,
                assessment::Command::RecordGrades {
                    key: assessment::stream_key(unit_id, year),
                    unit_id: unit_id.into(),
                    year,
                    category: AssessmentCategory::Annual,
                    entries,
                    basis: Some(basis.into()),
                },
                on,
                Some(basis),
            )
            .await?;
            Ok(())
        })
        .await?;
    }
    Ok(())
}

struct ClassPlan {
    id: String,
    name: String,
    kind: training::ClassKind,
    theme: Option<String>,
    start: NaiveDate,
    methods: Vec<training::TeachingMethod>,
    /// Enrolled cadres and the days each attended (of 3).
    enrolled: Vec<(String, u64)>,
}

/// 9 main and 13 thematic classes, 2023–2026: enrolment, daily attendance, completion at 80%.
async fn classes(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<()> {
    let all: Vec<usize> = (0..plan.cadres.len()).collect();
    let mut specs: Vec<(training::ClassKind, Option<&str>, &str)> = district::MAIN_CLASSES
        .iter()
        .map(|n| (training::ClassKind::Main, None, *n))
        .chain(
            district::THEMATIC_CLASSES
                .iter()
                .map(|(t, n)| (training::ClassKind::Thematic, Some(*t), *n)),
        )
        .collect();
    specs.shuffle(&mut plan.rng);
    let methods = [
        training::TeachingMethod::Case,
        training::TeachingMethod::Discussion,
        training::TeachingMethod::Experiential,
        training::TeachingMethod::Interactive,
        training::TeachingMethod::Simulation,
    ];
    let mut classes = Vec::new();
    for (i, (kind, theme, name)) in specs.into_iter().enumerate() {
        let start = plus(d(2023, 3, 6), i as u64 * 60);
        let mut m = methods.to_vec();
        m.shuffle(&mut plan.rng);
        m.truncate(plan.rng.random_range(2..=3));
        let enrolled = plan
            .pick(&all, 10)
            .into_iter()
            .map(|c| {
                (
                    plan.cadres[c].id.clone(),
                    if plan.rng.random_bool(0.1) { 2 } else { 3 },
                )
            })
            .collect();
        classes.push(ClassPlan {
            id: format!("tc{:02}", i + 1),
            name: name.into(),
            kind,
            theme: theme.map(String::from),
            start,
            methods: m,
            enrolled,
        });
    }
    each(classes, |c| async move {
        let a = admin();
        let end = plus(c.start, 2);
        x.run::<training::Aggregate>(
            &a,
            training::Command::Schedule(training::Schedule {
                class_id: c.id.clone(),
                name: c.name.clone(),
                kind: c.kind,
                theme: c.theme.clone(),
                start_date: c.start,
                end_date: end,
                scheduled_hours: 24.0,
                methods: c.methods.clone(),
                organizer_unit_id: Some("u11".into()),
            }),
            plus(c.start, 0)
                .checked_sub_days(Days::new(14))
                .unwrap_or(c.start),
            Some("姜组办〔培训〕计划"),
        )
        .await?;
        for (cadre_id, _) in &c.enrolled {
            x.run::<training::Aggregate>(
                &a,
                training::Command::Enrol(training::Enrol {
                    class_id: c.id.clone(),
                    cadre_id: cadre_id.clone(),
                }),
                c.start.checked_sub_days(Days::new(7)).unwrap_or(c.start),
                None,
            )
            .await?;
        }
        for day in 0..3u64 {
            let date = plus(c.start, day);
            for (cadre_id, days) in &c.enrolled {
                if day >= *days {
                    continue;
                }
                x.run::<training::Aggregate>(
                    &a,
                    training::Command::RecordAttendance(training::RecordAttendance {
                        class_id: c.id.clone(),
                        cadre_id: cadre_id.clone(),
                        session_date: date,
                        session: None,
                        hours: 8.0,
                    }),
                    date,
                    None,
                )
                .await?;
            }
        }
        for (cadre_id, days) in &c.enrolled {
            if *days == 3 {
                x.run::<training::Aggregate>(
                    &a,
                    training::Command::Complete(training::Complete {
                        class_id: c.id.clone(),
                        cadre_id: cadre_id.clone(),
                    }),
                    end,
                    None,
                )
                .await?;
            }
        }
        x.run::<training::Aggregate>(
            &a,
            training::Command::Close(training::Close {
                class_id: c.id.clone(),
            }),
            plus(end, 3),
            None,
        )
        .await?;
        Ok(())
    })
    .await
}

/// Recurring study in the five modes, 2024–2026.
async fn study_sessions(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<()> {
    let all: Vec<usize> = (0..plan.cadres.len()).collect();
    let mut sessions = Vec::new();
    for i in 0..40usize {
        let n = plan.rng.random_range(8..=20);
        let attendees: Vec<String> = plan
            .pick(&all, n)
            .into_iter()
            .map(|c| plan.cadres[c].id.clone())
            .collect();
        let topic = district::STUDY_TOPICS[plan.rng.random_range(0..district::STUDY_TOPICS.len())];
        let hours = f64::from(plan.rng.random_range(2..=4u32));
        sessions.push((i, attendees, topic, hours));
    }
    each(sessions, |(i, attendees, topic, hours)| async move {
        let date = plus(d(2024, 1, 10), i as u64 * 17);
        let mode = study::StudyMode::ALL[i % 5];
        x.run::<study::Aggregate>(
            &admin(),
            study::Command::Hold(study::Hold {
                session_id: format!("st{:03}", i + 1),
                mode,
                date,
                topic: topic.into(),
                hours,
                organizer_unit_id: Some(UNITS[i % UNITS.len()].id.into()),
                location: Some("区委党校".into()),
                attendees,
            }),
            date,
            None,
        )
        .await?;
        Ok(())
    })
    .await
}

/// The bi-monthly forum: lecture, research in a contest on the same topic, answers.
async fn forums(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<()> {
    let heads = plan.of_role(|c| c.role == Role_::Head);
    let mut cycles = Vec::new();
    for (i, topic) in district::FORUM_TOPICS.iter().enumerate() {
        let (year, month) = (2025 + (i as i32 * 2) / 12, (i as u32 * 2) % 12 + 1);
        let mut units: Vec<&str> = UNITS.iter().map(|u| u.id).collect();
        units.shuffle(&mut plan.rng);
        units.truncate(plan.rng.random_range(3..=5));
        let presenters: Vec<String> = plan
            .pick(&heads, 3)
            .into_iter()
            .map(|c| plan.cadres[c].id.clone())
            .collect();
        cycles.push((
            format!("f{year}-{month:02}"),
            *topic,
            year,
            month,
            units,
            presenters,
        ));
    }
    each(
        cycles,
        |(id, topic, year, month, units, presenters)| async move {
            let a = admin();
            x.run::<forum::Aggregate>(
                &a,
                forum::Command::Open(forum::Open {
                    forum_id: id.clone(),
                    topic: topic.into(),
                    year,
                    month,
                }),
                d(year, month, 1),
                None,
            )
            .await?;
            x.run::<forum::Aggregate>(
                &a,
                forum::Command::Lecture(forum::Lecture {
                    forum_id: id.clone(),
                    date: d(year, month, 12),
                    title: format!("{topic}（专题讲座）"),
                    speakers: vec!["区委主要领导".into(), "省委党校特邀专家".into()],
                }),
                d(year, month, 12),
                None,
            )
            .await?;
            for (k, unit_id) in units.iter().enumerate() {
                let date = d(year, month, 20 + k as u32);
                x.run::<forum::Aggregate>(
                    &a,
                    forum::Command::SubmitResearch(forum::SubmitResearch {
                        forum_id: id.clone(),
                        unit_id: (*unit_id).into(),
                        title: format!("关于“{topic}”的调研报告"),
                        date,
                    }),
                    date,
                    None,
                )
                .await?;
            }
            let answer_on = d(year, month + 1, 18);
            x.run::<forum::Aggregate>(
                &a,
                forum::Command::Answer(forum::Answer {
                    forum_id: id.clone(),
                    date: answer_on,
                    presenters,
                }),
                answer_on,
                None,
            )
            .await?;
            Ok(())
        },
    )
    .await
}

async fn supervision_records(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<()> {
    let all: Vec<usize> = (0..plan.cadres.len()).collect();
    let mut entries = Vec::new();
    for i in 0..120usize {
        let c = plan.cadres[all[plan.rng.random_range(0..all.len())]]
            .id
            .clone();
        let note = plan.rng.random_range(0..district::SUPERVISION_NOTES.len());
        let tone = match note {
            3 | 6 => supervision::Tone::Negative,
            4 | 7 | 2 => supervision::Tone::Positive,
            _ => supervision::Tone::Neutral,
        };
        let channel = [
            supervision::Channel::Meeting,
            supervision::Channel::Survey,
            supervision::Channel::Inspection,
        ][plan.rng.random_range(0..3)];
        let kind = [
            supervision::EntryKind::DailyConduct,
            supervision::EntryKind::KeyWorkPerformance,
            supervision::EntryKind::RewardPunishment,
        ][plan.rng.random_range(0..3)];
        let on = between(&mut plan.rng, d(2024, 1, 8), d(2026, 11, 10));
        entries.push((i, c, note, tone, channel, kind, on));
    }
    each(
        entries,
        |(i, cadre_id, note, tone, channel, kind, on)| async move {
            let discipline = i % 2 == 1;
            let actor = if discipline { inspector() } else { admin() };
            x.run::<supervision::Aggregate>(
                &actor,
                supervision::Command::Record(supervision::Record {
                    entry_id: format!("sv{:04}", i + 1),
                    cadre_id,
                    source: if discipline {
                        supervision::Source::DisciplineGroup
                    } else {
                        supervision::Source::OrgSection
                    },
                    source_name: if discipline {
                        "区纪委监委第三派驻纪检组".into()
                    } else {
                        "区委组织部干部监督科".into()
                    },
                    channel,
                    kind,
                    tone,
                    content: district::SUPERVISION_NOTES[note].into(),
                    observed_on: on,
                }),
                on,
                None,
            )
            .await?;
            Ok(())
        },
    )
    .await
}

async fn leads(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<()> {
    let all: Vec<usize> = (0..plan.cadres.len()).collect();
    let mut items = Vec::new();
    for i in 0..24usize {
        let c = plan.cadres[all[plan.rng.random_range(0..all.len())]]
            .id
            .clone();
        let agency =
            lead::PartnerAgency::ALL[plan.rng.random_range(0..lead::PartnerAgency::ALL.len())];
        let cat = plan.rng.random_range(0..4usize);
        let on = between(&mut plan.rng, d(2024, 2, 1), d(2026, 11, 1));
        let roll = plan.rng.random_range(0..100);
        items.push((i, c, agency, cat, on, roll));
    }
    each(items, |(i, cadre_id, agency, cat, on, roll)| async move {
        let actor = inspector();
        let id = format!("ld{:03}", i + 1);
        x.run::<lead::Aggregate>(
            &actor,
            lead::Command::Transfer(lead::Transfer {
                lead_id: id.clone(),
                cadre_id,
                agency,
                category: lead::Category::ALL[cat],
                summary: district::LEAD_SUMMARIES[cat].into(),
            }),
            on,
            None,
        )
        .await?;
        let verified = plus(on, 10);
        if verified > today() {
            return Ok(());
        }
        x.run::<lead::Aggregate>(
            &actor,
            lead::Command::Verify(lead::Verify {
                lead_id: id.clone(),
                findings: "经初步核实，已形成核查报告".into(),
            }),
            verified,
            None,
        )
        .await?;
        let concluded = plus(on, 30);
        if concluded > today() {
            return Ok(());
        }
        let (conclusion, to) = match roll {
            0..30 => (lead::Conclusion::Substantiated, None),
            30..85 => (lead::Conclusion::NotSubstantiated, None),
            _ => (lead::Conclusion::Transferred, Some("区纪委监委".to_owned())),
        };
        x.run::<lead::Aggregate>(
            &actor,
            lead::Command::Conclude(lead::Conclude {
                lead_id: id,
                conclusion,
                transferred_to: to,
                reason: "依据核查情况作出结论".into(),
            }),
            concluded,
            None,
        )
        .await?;
        Ok(())
    })
    .await
}

/// Monthly joint bulletins 2025-01 … 2026-10.
async fn bulletins(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<()> {
    let all: Vec<usize> = (0..plan.cadres.len()).collect();
    let mut months = Vec::new();
    for k in 0..22u32 {
        let (year, month) = (2025 + (k / 12) as i32, k % 12 + 1);
        let mut items = Vec::new();
        for _ in 0..plan.rng.random_range(2..=3) {
            let agency =
                lead::PartnerAgency::ALL[plan.rng.random_range(0..lead::PartnerAgency::ALL.len())];
            let cat = plan.rng.random_range(0..4usize);
            let n = plan.rng.random_range(0..=2);
            let cadres: Vec<String> = plan
                .pick(&all, n)
                .into_iter()
                .map(|c| plan.cadres[c].id.clone())
                .collect();
            let head =
                district::BULLETIN_ITEMS[plan.rng.random_range(0..district::BULLETIN_ITEMS.len())];
            items.push((agency, cat, head, n as u32, cadres));
        }
        months.push((year, month, items));
    }
    each(months, |(year, month, items)| async move {
        let a = inspector();
        let id = format!("{year}-{month:02}");
        x.run::<bulletin::Aggregate>(
            &a,
            bulletin::Command::Open(bulletin::Open { month: id.clone() }),
            d(year, month, 1),
            None,
        )
        .await?;
        for (agency, cat, head, leads, cadre_ids) in items {
            x.run::<bulletin::Aggregate>(
                &a,
                bulletin::Command::AddItem(bulletin::AddItem {
                    month: id.clone(),
                    agency,
                    category: Some(lead::Category::ALL[cat]),
                    summary: head.into(),
                    lead_count: leads,
                    cadre_ids,
                }),
                d(year, month, 20),
                None,
            )
            .await?;
        }
        x.run::<bulletin::Aggregate>(
            &a,
            bulletin::Command::Publish(bulletin::Publish { month: id }),
            d(year, month, 28),
            None,
        )
        .await?;
        Ok(())
    })
    .await
}

/// Prior risk reports, filed by leaders and acknowledged. Returns (report id, cadre id, filed on).
async fn risk_reports(
    x: &Exec<'_>,
    plan: &mut Plan,
) -> anyhow::Result<Vec<(String, String, NaiveDate)>> {
    let leaders = plan.of_role(|c| matches!(c.role, Role_::Head | Role_::Deputy));
    let chosen = plan.pick(&leaders, 16);
    let mut reports = Vec::new();
    for (i, c) in chosen.into_iter().enumerate() {
        let on = between(&mut plan.rng, d(2024, 3, 1), d(2026, 9, 30));
        reports.push((format!("rk{:03}", i + 1), plan.cadres[c].id.clone(), on));
    }
    each(reports.clone(), |(id, cadre_id, on)| async move {
        let (matter, risks, measures) =
            district::RISK_MATTERS[id.len() % district::RISK_MATTERS.len()];
        x.run::<risk::Aggregate>(
            &as_cadre(&cadre_id),
            risk::Command::File(risk::File {
                report_id: id.clone(),
                cadre_id: cadre_id.clone(),
                matter: matter.into(),
                risks: risks.into(),
                measures: measures.into(),
                planned_decision_on: plus(on, 20),
            }),
            on,
            None,
        )
        .await?;
        x.run::<risk::Aggregate>(
            &admin(),
            risk::Command::Acknowledge(risk::Acknowledge {
                report_id: id,
                note: "已备案，请按报备措施推进".into(),
            }),
            plus(on, 3),
            None,
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(reports)
}

/// The trial-and-error list. Returns (entry id, cadre ids).
async fn trial_list_entries(
    x: &Exec<'_>,
    plan: &mut Plan,
) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let leaders = plan.of_role(|c| matches!(c.role, Role_::Head | Role_::Deputy | Role_::Hot(_)));
    let mut entries = Vec::new();
    for (i, (area, description)) in district::TRIAL_AREAS.iter().enumerate() {
        let cadres: Vec<String> = plan
            .pick(&leaders, 3)
            .into_iter()
            .map(|c| plan.cadres[c].id.clone())
            .collect();
        entries.push((format!("tl{:02}", i + 1), *area, *description, cadres));
    }
    let out = entries.iter().map(|e| (e.0.clone(), e.3.clone())).collect();
    each(entries, |(id, area, description, cadre_ids)| async move {
        x.run::<trial_list::Aggregate>(
            &admin(),
            trial_list::Command::List(trial_list::List {
                entry_id: id,
                area: area.into(),
                description: description.into(),
                cadre_ids,
                valid_until: Some(d(2027, 12, 31)),
            }),
            d(2024, 3, 1),
            Some("姜组发〔2024〕5号"),
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(out)
}

/// Accountability cases judged by the three distinctions; exemptions granted citing a prior report or the trial list, or refused.
async fn accountability_cases(
    x: &Exec<'_>,
    plan: &mut Plan,
    risks: &[(String, String, NaiveDate)],
    trials: &[(String, Vec<String>)],
) -> anyhow::Result<()> {
    let mut cases = Vec::new();
    for (i, (report_id, cadre_id, filed)) in risks.iter().take(4).enumerate() {
        let act = plus(*filed, 30);
        cases.push((
            i,
            cadre_id.clone(),
            act,
            true,
            Some(accountability::Basis::RiskReport {
                report_id: report_id.clone(),
            }),
        ));
    }
    for (k, (entry_id, cadres)) in trials.iter().take(2).enumerate() {
        if let Some(c) = cadres.first() {
            cases.push((
                4 + k,
                c.clone(),
                d(2025, 5, 10 + k as u32),
                true,
                Some(accountability::Basis::TrialListEntry {
                    entry_id: entry_id.clone(),
                }),
            ));
        }
    }
    let others = plan.of_role(|c| matches!(c.role, Role_::Section(_) | Role_::Staff));
    for (k, c) in plan.pick(&others, 4).into_iter().enumerate() {
        let act = between(&mut plan.rng, d(2024, 6, 1), d(2026, 6, 30));
        cases.push((6 + k, plan.cadres[c].id.clone(), act, false, None));
    }
    each(cases, |(i, cadre_id, act, favourable, basis)| async move {
        let a = inspector();
        let id = format!("ac{:03}", i + 1);
        let opened = plus(act, 20).min(today());
        x.run::<accountability::Aggregate>(
            &a,
            accountability::Command::Open(accountability::Open {
                case_id: id.clone(),
                cadre_id,
                summary: if favourable {
                    "推进改革事项中出现失误，造成一定损失".into()
                } else {
                    "违反规定办理审批事项".into()
                },
                act_on: act,
            }),
            opened,
            None,
        )
        .await?;
        let judgement = if favourable {
            accountability::ThreeDistinctions {
                pioneering: accountability::Pioneering::Inexperience,
                trial: accountability::TrialRule::NotYetProhibited,
                motive: accountability::Motive::ForDevelopment,
            }
        } else {
            accountability::ThreeDistinctions {
                pioneering: accountability::Pioneering::KnowingViolation,
                trial: accountability::TrialRule::ExplicitViolation,
                motive: accountability::Motive::SelfServing,
            }
        };
        let judged = plus(opened, 15).min(today());
        x.run::<accountability::Aggregate>(
            &a,
            accountability::Command::RecordJudgement(accountability::RecordJudgement {
                case_id: id.clone(),
                judgement,
                reasons: "依据“三个区分开来”综合研判".into(),
            }),
            judged,
            None,
        )
        .await?;
        x.run::<accountability::Aggregate>(
            &a,
            accountability::Command::DecideExemption(accountability::DecideExemption {
                case_id: id,
                grant: favourable,
                reasons: if favourable {
                    "符合容错免责情形，予以免责".into()
                } else {
                    "属明知故犯，不予免责".into()
                },
                basis,
            }),
            plus(judged, 10).min(today()),
            None,
        )
        .await?;
        Ok(())
    })
    .await
}

/// How far an appeal got through the closed loop.
#[derive(Debug, Clone, Copy)]
enum AppealFate {
    Typical,
    Closed,
    /// Open after this many stages past filing (0: filed only).
    Open(usize),
}

/// 85 typical cases compiled from closed appeals, other closed ones, and some still open (a few overdue).
async fn appeals(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<()> {
    let all: Vec<usize> = (0..plan.cadres.len()).collect();
    let mut items = Vec::new();
    let fates = std::iter::repeat_n(AppealFate::Typical, figures::TYPICAL_APPEALS)
        .chain(std::iter::repeat_n(AppealFate::Closed, 20))
        .chain((0..12).map(|k| AppealFate::Open(k % 4)));
    for (i, fate) in fates.enumerate() {
        let c = all[plan.rng.random_range(0..all.len())];
        let filed = match fate {
            AppealFate::Open(_) => between(&mut plan.rng, d(2026, 9, 1), d(2026, 11, 12)),
            _ => between(&mut plan.rng, d(2024, 1, 8), d(2026, 8, 31)),
        };
        let summary =
            district::APPEAL_SUMMARIES[plan.rng.random_range(0..district::APPEAL_SUMMARIES.len())];
        items.push((
            i,
            plan.cadres[c].id.clone(),
            plan.cadres[c].unit,
            filed,
            fate,
            summary,
        ));
    }
    each(
        items,
        |(i, cadre_id, unit, filed, fate, summary)| async move {
            let id = format!("ap{:03}", i + 1);
            let town = UNITS[unit].town;
            let centre = admin();
            x.run::<appeal::Aggregate>(
                &as_cadre(&cadre_id),
                appeal::Command::File(appeal::File {
                    appeal_id: id.clone(),
                    cadre_id: cadre_id.clone(),
                    level: if town {
                        appeal::CentreLevel::Town
                    } else {
                        appeal::CentreLevel::District
                    },
                    town: town.then(|| UNITS[unit].name.to_owned()),
                    summary: summary.into(),
                }),
                filed,
                None,
            )
            .await?;
            let steps: Vec<appeal::Command> = vec![
                appeal::Command::List(appeal::List {
                    appeal_id: id.clone(),
                    assignee_unit_id: UNITS[unit].id.into(),
                }),
                appeal::Command::Claim(appeal::Claim {
                    appeal_id: id.clone(),
                    handler: "领办责任人".into(),
                }),
                appeal::Command::Coordinate(appeal::Coordinate {
                    appeal_id: id.clone(),
                    participant_unit_ids: vec![
                        UNITS[unit].id.into(),
                        if UNITS[unit].id == "u11" {
                            "u09"
                        } else {
                            "u11"
                        }
                        .into(),
                    ],
                    outcome: "协调会明确责任分工和办理时限".into(),
                }),
                appeal::Command::Track(appeal::Track {
                    appeal_id: id.clone(),
                    note: "跟踪督办，按期反馈".into(),
                }),
                appeal::Command::Close(appeal::Close {
                    appeal_id: id.clone(),
                    resolution: "诉求已解决，当事人满意".into(),
                }),
            ];
            let stages = match fate {
                AppealFate::Open(n) => n,
                _ => steps.len(),
            };
            let mut on = filed;
            for step in steps.into_iter().take(stages) {
                on = plus(on, 1);
                x.run::<appeal::Aggregate>(&centre, step, on, None).await?;
            }
            if matches!(fate, AppealFate::Typical) {
                x.run::<appeal::Aggregate>(
                    &centre,
                    appeal::Command::MarkTypical(appeal::MarkTypical {
                        appeal_id: id,
                        reason: "办理过程规范、成效明显，编入典型案例".into(),
                    }),
                    plus(on, 2),
                    None,
                )
                .await?;
            }
            Ok(())
        },
    )
    .await
}

/// The three-good contest 2023–2026 and five Steed Award batches (37 awardees) 2024–2026.
/// Returns the cadres honoured with the Steed Award.
async fn awards(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<BTreeSet<usize>> {
    let heads = plan.of_role(|c| c.role == Role_::Head);
    let deputies = plan.of_role(|c| c.role == Role_::Deputy);
    for year in figures::THREE_GOOD_YEARS {
        let on = if year == 2026 {
            d(2026, 11, 10)
        } else {
            d(year, 12, 20)
        };
        let mut winners = Vec::new();
        let mut units: Vec<usize> = (0..UNITS.len()).collect();
        units.shuffle(&mut plan.rng);
        for &u in units.iter().take(3) {
            winners.push(award::ThreeGoodWinner {
                category: ThreeGoodCategory::Team,
                unit_id: UNITS[u].id.into(),
                cadre_id: None,
                citation: "班子团结协作，年度重点任务全面完成".into(),
            });
        }
        for c in plan.pick(&heads, 3) {
            winners.push(award::ThreeGoodWinner {
                category: ThreeGoodCategory::Leader,
                unit_id: UNITS[plan.cadres[c].unit].id.into(),
                cadre_id: Some(plan.cadres[c].id.clone()),
                citation: "把方向、管大局、带队伍成效突出".into(),
            });
        }
        for c in plan.pick(&deputies, 4) {
            winners.push(award::ThreeGoodWinner {
                category: ThreeGoodCategory::Deputy,
                unit_id: UNITS[plan.cadres[c].unit].id.into(),
                cadre_id: Some(plan.cadres[c].id.clone()),
                citation: "分管工作争先进位，补位协作主动".into(),
            });
        }
        let basis = format!("姜委〔{year}〕{}号", 80 + year % 100);
        x.run::<award::Aggregate>(
            &admin(),
            award::Command::AnnounceThreeGood {
                batch_id: format!("three-good-{year}"),
                year,
                winners,
                basis: Some(basis.clone()),
            },
            on,
            Some(&basis),
        )
        .await?;
    }

    let front = plan.of_role(|c| {
        matches!(
            c.role,
            Role_::Head | Role_::Deputy | Role_::Hot(_) | Role_::Section(_)
        )
    });
    let awardees = plan.pick(&front, figures::STEED_AWARDEES);
    let batches: [(i32, NaiveDate, usize); 5] = [
        (2024, d(2024, 12, 18), 7),
        (2025, d(2025, 6, 18), 8),
        (2025, d(2025, 12, 18), 7),
        (2026, d(2026, 6, 18), 8),
        (2026, d(2026, 11, 5), 7),
    ];
    let mut next = 0;
    for (ordinal, (year, on, size)) in batches.into_iter().enumerate() {
        let chosen = &awardees[next..next + size];
        next += size;
        let list = chosen
            .iter()
            .map(|&c| award::Awardee {
                cadre_id: plan.cadres[c].id.clone(),
                citation: "在重大项目攻坚和招商引资一线勇挑重担、实绩突出".into(),
            })
            .collect();
        let basis = format!("姜委〔{year}〕{}号", 120 + ordinal);
        x.run::<award::Aggregate>(
            &admin(),
            award::Command::AnnounceSteedBatch {
                batch_id: format!("steed-{}", ordinal + 1),
                ordinal: ordinal as u32 + 1,
                year,
                title: "姜堰区“骏马奖”".into(),
                awardees: list,
                basis: Some(basis.clone()),
            },
            on,
            Some(&basis),
        )
        .await?;
    }
    Ok(awardees.into_iter().collect())
}

/// The front-line field a unit's cadres work in.
fn field_of(unit: usize) -> FrontLineField {
    match UNITS[unit].id {
        "u03" | "u04" | "u07" | "u17" | "u20" => FrontLineField::ProjectConstruction,
        "u01" | "u06" | "u13" => FrontLineField::InvestmentAndTalent,
        _ => FrontLineField::SocialGovernance,
    }
}

/// 20 front-line promotion quotas a year (2024–2026), allocated by points ranking. Returns the recipients.
async fn quotas(x: &Exec<'_>, plan: &Plan) -> anyhow::Result<BTreeSet<usize>> {
    let candidates =
        plan.of_role(|c| matches!(c.role, Role_::Deputy | Role_::Hot(_) | Role_::Section(_)));
    let mut recipients = BTreeSet::new();
    for year in figures::QUOTA_YEARS {
        let key = year.to_string();
        let basis = format!("姜组发〔{year}〕9号");
        x.run::<quota::Aggregate>(
            &admin(),
            quota::Command::Open {
                key: key.clone(),
                year,
                size: None,
                basis: Some(basis.clone()),
            },
            d(year, 3, 1),
            Some(&basis),
        )
        .await?;
        let on = if year == 2026 {
            d(2026, 11, 12)
        } else {
            d(year, 11, 15)
        };
        // The year's ranking of the front-line cadres not yet promoted by a quota, published on
        // the quota stream; the places go down it in order.
        let mut named = Vec::new();
        for &c in &candidates {
            if recipients.contains(&c) {
                continue;
            }
            let spec = &plan.cadres[c];
            named.push(quota::RankCandidate {
                cadre_id: spec.id.clone(),
                field: field_of(spec.unit),
            });
        }
        x.run::<quota::Aggregate>(
            &admin(),
            quota::Command::Rank {
                key: key.clone(),
                candidates: named,
            },
            on,
            Some(&basis),
        )
        .await?;
        let (state, _) = x
            .service
            .load::<quota::Aggregate>(&<quota::Aggregate as dossier_domain::Aggregate>::stream_id(
                &key,
            ))
            .await
            .map_err(crate::commands::api_error)?;
        for entry in state.ranking.iter().take(figures::QUOTA_PER_YEAR as usize) {
            let Some(c) = candidates
                .iter()
                .copied()
                .find(|&c| plan.cadres[c].id == entry.cadre_id)
            else {
                continue;
            };
            x.run::<quota::Aggregate>(
                &admin(),
                quota::Command::Allocate {
                    key: key.clone(),
                    cadre_id: entry.cadre_id.clone(),
                    field: entry.field,
                    place: entry.place,
                    skip_reason: None,
                },
                on,
                Some(&basis),
            )
            .await?;
            recipients.insert(c);
        }
    }
    Ok(recipients)
}

/// 8 cadres found unfit by reverse evaluation and moved “down” by committee decision, each with one method.
/// Eight cadres moved “down” by committee decision. Returns the cadres moved.
async fn down_decisions(
    x: &Exec<'_>,
    plan: &mut Plan,
    excluded: &BTreeSet<usize>,
) -> anyhow::Result<BTreeSet<usize>> {
    let pool: Vec<usize> = plan
        .of_role(|c| matches!(c.role, Role_::Deputy | Role_::Section(_)))
        .into_iter()
        .filter(|c| !excluded.contains(c))
        .collect();
    let chosen = plan.pick(&pool, figures::DOWN_DECISIONS);
    let moved: BTreeSet<usize> = chosen.iter().copied().collect();
    let mut cases = Vec::new();
    for (i, c) in chosen.into_iter().enumerate() {
        let opened = plus(d(2025, 3, 3), i as u64 * 70);
        cases.push((i, plan.cadres[c].clone(), opened));
    }
    let staff_of = |unit: usize| post_id(UNITS[(unit + 7) % UNITS.len()].id, "staff");
    each(cases, |(i, c, opened)| async move {
        let a = admin();
        let id = format!("dr{:02}", i + 1);
        x.run::<down::Aggregate>(
            &a,
            down::Command::Open(down::Open {
                review_id: id.clone(),
                cadre_id: c.id.clone(),
                trigger: down::Trigger::ReverseEvaluation,
                grade_year: None,
                reason: "干部日常考核和反向研判反映不适宜担任现职".into(),
                evaluation_id: None,
            }),
            opened,
            None,
        )
        .await?;
        x.run::<down::Aggregate>(
            &a,
            down::Command::RecordFindings(down::RecordFindings {
                review_id: id.clone(),
                situation: down::Situation::ALL[i % down::Situation::ALL.len()],
                findings: "经谈话了解、调查核实，情况属实".into(),
            }),
            plus(opened, 15),
            None,
        )
        .await?;
        let method = down::Method::ALL[i % 3];
        let decided = plus(opened, 30);
        let decision_ref = format!("姜委常〔{}〕{}号", decided.year(), 30 + i);
        // 逆向调整岗位 moves the cadre to a staff post of another unit; the execution below
        // carries every method out on the cadre's record in the same write.
        let to_post = (method == down::Method::ReverseAdjustment).then(|| down::TargetPost {
            unit_id: UNITS[(c.unit + 7) % UNITS.len()].id.into(),
            post_id: staff_of(c.unit),
        });
        x.run::<down::Aggregate>(
            &a,
            down::Command::Decide(down::Decide {
                review_id: id.clone(),
                decision_ref: decision_ref.clone(),
                methods: vec![method],
                to_post,
            }),
            decided,
            Some(&decision_ref),
        )
        .await?;
        let executed = plus(opened, 40);
        x.run::<down::Aggregate>(
            &a,
            down::Command::Execute(down::Execute {
                review_id: id,
                note: format!("已按{}办理", method.zh()),
            }),
            executed,
            Some(&decision_ref),
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(moved)
}

/// A few ordinary cultivating moves of town deputies in 2024–2025. Returns the cadres moved.
async fn ordinary_rotations(x: &Exec<'_>, plan: &mut Plan) -> anyhow::Result<BTreeSet<usize>> {
    let deputies = plan.of_role(|c| c.role == Role_::Deputy && UNITS[c.unit].town);
    let chosen = plan.pick(&deputies, 8);
    let mut moves = Vec::new();
    for (k, &c) in chosen.iter().enumerate() {
        let spec = plan.cadres[c].clone();
        let on = plus(d(2024, 9, 2), k as u64 * 45);
        // The next town (towns are the last 16 units).
        let first_town = UNITS.len() - 16;
        let to = first_town + (spec.unit - first_town + 1) % 16;
        moves.push((spec, on, RotationKind::Cultivating, to, 100 + k));
    }
    each(moves, |m| rotate(x, m)).await?;
    Ok(chosen.into_iter().collect())
}

/// 56 hot-post heads of the 8 business-facing units rotated in 2026, each post filled the
/// same day by the cadre coming in: an exchange (交流) with a section head or staff member
/// of a unit that is not business-facing, who takes the hot post while the hot-post head
/// takes theirs. `moved_down` (no longer in their posts) take no part.
async fn hot_rotations(
    x: &Exec<'_>,
    plan: &mut Plan,
    moved_down: &BTreeSet<usize>,
) -> anyhow::Result<()> {
    let hot = plan.of_role(|c| matches!(c.role, Role_::Hot(_)));
    let elsewhere = |role: fn(&Role_) -> bool| {
        move |c: &CadreSpec| !UNITS[c.unit].business_facing && role(&c.role)
    };
    let sections: Vec<usize> = plan
        .of_role(elsewhere(|r| matches!(r, Role_::Section(_))))
        .into_iter()
        .filter(|c| !moved_down.contains(c))
        .collect();
    let staff: Vec<usize> = plan
        .of_role(elsewhere(|r| *r == Role_::Staff))
        .into_iter()
        .filter(|c| !moved_down.contains(c))
        .collect();
    // Section heads first (a 科长 post for a 科长), then staff members.
    let mut incoming = plan.pick(&sections, sections.len());
    incoming.extend(plan.pick(&staff, staff.len()));
    if incoming.len() < hot.len() {
        bail!(
            "[DEMO_TOO_FEW_CADRES] 热点岗位交流需要 {} 名非窗口单位干部接任，只有 {} 名",
            hot.len(),
            incoming.len()
        );
    }
    let mut exchanges = Vec::new();
    for (k, (&c, &i)) in hot.iter().zip(&incoming).enumerate() {
        let out = plan.cadres[c].clone();
        let inc = plan.cadres[i].clone();
        let on = plus(d(2026, 3, 2), (k as u64 * 4) % 240);
        let years = (on - out.appointed_on).num_days() / 365;
        let kind = if years >= 5 {
            RotationKind::Protective
        } else if plan.rng.random_bool(0.1) {
            RotationKind::Spurring
        } else {
            RotationKind::Cultivating
        };
        exchanges.push((out, inc, on, kind, k));
    }
    each(exchanges, |(out, inc, on, kind, k)| async move {
        let a = admin();
        // The hot-post head takes the incoming cadre's post…
        let doc = format!("姜组〔{}〕{}号", on.year(), 200 + k);
        exchange(x, &a, &out, &inc, kind, on, &doc).await?;
        // …and the incoming cadre fills the hot post the same day.
        let doc = format!("姜组〔{}〕{}号", on.year(), 400 + k);
        exchange(x, &a, &inc, &out, RotationKind::Cultivating, on, &doc).await
    })
    .await
}

/// Rotate `who` from their post into the post `to` held before the exchange.
async fn exchange(
    x: &Exec<'_>,
    a: &Actor,
    who: &CadreSpec,
    to: &CadreSpec,
    kind: RotationKind,
    on: NaiveDate,
    doc: &str,
) -> anyhow::Result<()> {
    x.run::<cadre::Aggregate>(
        a,
        cadre::Command::Rotate(cadre::Rotate {
            cadre_id: who.id.clone(),
            kind,
            reason: reason_of(kind).into(),
            from_post_id: who.post_id.clone(),
            to_unit_id: UNITS[to.unit].id.into(),
            to_post_id: to.post_id.clone(),
            approved_by: APPROVER.into(),
            document_number: doc.to_owned(),
        }),
        on,
        Some(doc),
    )
    .await?;
    Ok(())
}

fn reason_of(kind: RotationKind) -> &'static str {
    match kind {
        RotationKind::Protective => "热点岗位任职满 5 年，保护性交流",
        RotationKind::Spurring => "工作作风需改进，鞭策性交流",
        RotationKind::Cultivating => "培养锻炼，拓宽岗位经历",
    }
}

async fn rotate(
    x: &Exec<'_>,
    (spec, on, kind, to, k): (CadreSpec, NaiveDate, RotationKind, usize, usize),
) -> anyhow::Result<()> {
    let reason = reason_of(kind);
    let doc = format!("姜组〔{}〕{}号", on.year(), 200 + k);
    let to_post = if matches!(spec.role, Role_::Deputy) {
        post_id(UNITS[to].id, "dep2")
    } else {
        post_id(UNITS[to].id, "sec2")
    };
    x.run::<cadre::Aggregate>(
        &admin(),
        cadre::Command::Rotate(cadre::Rotate {
            cadre_id: spec.id.clone(),
            kind,
            reason: reason.into(),
            from_post_id: spec.post_id.clone(),
            to_unit_id: UNITS[to].id.into(),
            to_post_id: to_post,
            approved_by: APPROVER.into(),
            document_number: doc.clone(),
        }),
        on,
        Some(&doc),
    )
    .await?;
    Ok(())
}
