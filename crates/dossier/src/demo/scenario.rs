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

mod care;
mod cases;
mod cultivation;
mod moves;
mod obstacles;
mod oversight;

use care::*;
use cultivation::*;
use moves::*;
use oversight::*;

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
            // A registration states the rank and the level held on its date: not before both.
            c.registered_on
                .max(c.rank_since)
                .max(c.level.map_or(c.registered_on, |l| l.1)),
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
