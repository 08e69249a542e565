//! Stream kind `unit` (`unit-<id>`): a unit (单位), its posts (岗位), hot posts (热点岗位) and the business-facing flag.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    aggregate,
    context::{Context, ORG},
    error::DomainError,
    types::{LeadershipLevel, PostCategory},
};

/// 单位登记.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Registered {
    pub unit_id: String,
    pub name: String,
    /// The unit above (e.g. a town's office under the town); `None` for top-level bodies.
    pub parent_unit_id: Option<String>,
    /// 窗口/服务对象为企业群众的单位 (hot posts there get rotation priority).
    pub business_facing: bool,
    pub registered_on: NaiveDate,
}

/// 岗位设立.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostOpened {
    pub unit_id: String,
    pub post_id: String,
    pub title: String,
    pub category: PostCategory,
    /// `Some` for leadership posts (领导职务), with their level.
    pub leadership_level: Option<LeadershipLevel>,
    /// The post leads the unit (主要负责人).
    pub heads_unit: bool,
    /// The post this one reports to directly, in the same unit.
    pub reports_to: Option<String>,
    pub opened_on: NaiveDate,
}

/// 岗位撤销.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostClosed {
    pub unit_id: String,
    pub post_id: String,
    pub reason: String,
    pub closed_on: NaiveDate,
}

/// 热点岗位认定, with the tenure limit after which the holder is due to rotate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HotPostDesignated {
    pub unit_id: String,
    pub post_id: String,
    pub tenure_limit_years: u32,
    pub designated_on: NaiveDate,
    pub basis: Option<String>,
}

/// 热点岗位取消.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HotPostCleared {
    pub unit_id: String,
    pub post_id: String,
    pub cleared_on: NaiveDate,
}

/// The business-facing flag changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BusinessFacingChanged {
    pub unit_id: String,
    pub business_facing: bool,
    pub changed_on: NaiveDate,
}

crate::event_set! {
    /// Events of a `unit` stream.
    pub enum Event {
        Registered(Registered) = "unit.Registered" @ 1,
        PostOpened(PostOpened) = "unit.PostOpened" @ 1,
        PostClosed(PostClosed) = "unit.PostClosed" @ 1,
        HotPostDesignated(HotPostDesignated) = "unit.HotPostDesignated" @ 1,
        HotPostCleared(HotPostCleared) = "unit.HotPostCleared" @ 1,
        BusinessFacingChanged(BusinessFacingChanged) = "unit.BusinessFacingChanged" @ 1,
    }
}

/// One post of the unit as folded.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub post_id: String,
    pub title: String,
    pub category: PostCategory,
    pub leadership_level: Option<LeadershipLevel>,
    pub heads_unit: bool,
    pub reports_to: Option<String>,
    pub open: bool,
    /// Tenure limit in years when the post is a hot post.
    pub hot_limit_years: Option<u32>,
}

/// Folded state of a `unit` stream.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub registered: bool,
    pub unit_id: String,
    pub name: String,
    pub parent_unit_id: Option<String>,
    pub business_facing: bool,
    pub posts: BTreeMap<String, Post>,
}

/// What a cadre decision needs to know about a post (loaded from the unit stream).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostFact {
    pub unit_id: String,
    pub unit_name: String,
    pub post_id: String,
    pub title: String,
    pub category: PostCategory,
    pub leadership_level: Option<LeadershipLevel>,
    pub heads_unit: bool,
    pub reports_to: Option<String>,
    pub open: bool,
    pub hot_limit_years: Option<u32>,
    pub business_facing: bool,
}

/// A post named by its unit and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostRef {
    pub unit_id: String,
    pub post_id: String,
}

/// The post `target` names, if `cadre_id` may be moved into it: it exists, is open, and — a
/// leadership post — no one else holds it (posts without a leadership level hold several people).
/// `post` is what the unit stream says of it, `holders` the cadres holding it now.
pub fn vacant_post<'p>(
    target: &PostRef,
    post: Option<&'p PostFact>,
    holders: &[String],
    cadre_id: &str,
    action: &str,
) -> Result<&'p PostFact, DomainError> {
    let post = post
        .filter(|p| p.unit_id == target.unit_id && p.post_id == target.post_id)
        .ok_or_else(|| {
            DomainError::not_found(
                "POST_NOT_FOUND",
                format!(
                    "{action}被拒绝: 单位 {} 没有岗位 {}",
                    target.unit_id, target.post_id
                ),
            )
        })?;
    if !post.open {
        return Err(DomainError::refused(
            "POST_CLOSED",
            format!(
                "{action}被拒绝: {}（{}）的岗位「{}」已撤销",
                post.unit_name, post.unit_id, post.title
            ),
        ));
    }
    // Named 干部「id」: the API writes each holder's name beside the id.
    let others: Vec<String> = holders
        .iter()
        .filter(|h| *h != cadre_id)
        .map(|h| format!("干部「{h}」"))
        .collect();
    if post.leadership_level.is_some() && !others.is_empty() {
        return Err(DomainError::refused(
            "POST_TAKEN",
            format!(
                "{action}被拒绝: {}（{}）的岗位「{}」已由 {} 担任, 不是空缺岗位",
                post.unit_name,
                post.unit_id,
                post.title,
                others.join("、")
            ),
        ));
    }
    Ok(post)
}

impl State {
    /// The facts about one post, for decisions on other streams. A deputy leadership post that
    /// names no post it reports to reports to the unit's head (副职 under 正职): its
    /// `reports_to` is the unit's open head post, when the unit has exactly one, so that every
    /// rule comparing superiors (回避) reads the same post whether the unit named it or not.
    pub fn post_fact(&self, post_id: &str) -> Option<PostFact> {
        let post = self.posts.get(post_id)?;
        let reports_to = post.reports_to.clone().or_else(|| {
            if post.heads_unit || post.leadership_level.is_none() {
                return None;
            }
            let mut heads = self.posts.values().filter(|p| p.heads_unit && p.open);
            match (heads.next(), heads.next()) {
                (Some(head), None) if head.post_id != post.post_id => Some(head.post_id.clone()),
                _ => None,
            }
        });
        Some(PostFact {
            unit_id: self.unit_id.clone(),
            unit_name: self.name.clone(),
            post_id: post.post_id.clone(),
            title: post.title.clone(),
            category: post.category,
            leadership_level: post.leadership_level,
            heads_unit: post.heads_unit,
            reports_to,
            open: post.open,
            hot_limit_years: post.hot_limit_years,
            business_facing: self.business_facing,
        })
    }
}

/// Register a unit.
#[derive(Debug, Clone)]
pub struct Register {
    pub unit_id: String,
    pub name: String,
    pub parent_unit_id: Option<String>,
    pub business_facing: bool,
}

/// Open a post.
#[derive(Debug, Clone)]
pub struct OpenPost {
    pub unit_id: String,
    pub post_id: String,
    pub title: String,
    pub category: PostCategory,
    pub leadership_level: Option<LeadershipLevel>,
    pub heads_unit: bool,
    pub reports_to: Option<String>,
}

/// Commands a `unit` stream accepts.
#[derive(Debug, Clone)]
pub enum Command {
    Register(Register),
    OpenPost(OpenPost),
    ClosePost {
        unit_id: String,
        post_id: String,
        reason: String,
    },
    DesignateHotPost {
        unit_id: String,
        post_id: String,
        tenure_limit_years: u32,
        basis: Option<String>,
    },
    ClearHotPost {
        unit_id: String,
        post_id: String,
    },
    SetBusinessFacing {
        unit_id: String,
        business_facing: bool,
    },
}

/// The `unit` aggregate.
pub struct Aggregate;

fn not_registered(unit_id: &str) -> DomainError {
    DomainError::not_found("UNIT_NOT_FOUND", format!("单位 {unit_id} 尚未登记"))
}

fn known_post<'s>(state: &'s State, post_id: &str) -> Result<&'s Post, DomainError> {
    state.posts.get(post_id).ok_or_else(|| {
        DomainError::not_found(
            "POST_NOT_FOUND",
            format!("单位 {} 没有岗位 {post_id}", state.name),
        )
    })
}

fn required(value: &str, code: &'static str, what: &str) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        Err(DomainError::invalid(code, format!("{what}不能为空")))
    } else {
        Ok(())
    }
}

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "unit";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = ();

    fn id_of(command: &Command) -> &str {
        match command {
            Command::Register(c) => &c.unit_id,
            Command::OpenPost(c) => &c.unit_id,
            Command::ClosePost { unit_id, .. }
            | Command::DesignateHotPost { unit_id, .. }
            | Command::ClearHotPost { unit_id, .. }
            | Command::SetBusinessFacing { unit_id, .. } => unit_id,
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        _: &(),
    ) -> Result<Vec<Event>, DomainError> {
        ctx.require_role(ORG, "办理单位与岗位事项")?;
        if let Command::Register(c) = command {
            if state.registered {
                return Err(DomainError::refused(
                    "UNIT_ALREADY_REGISTERED",
                    format!("单位 {} 已登记为 “{}”", c.unit_id, state.name),
                ));
            }
            required(&c.unit_id, "UNIT_ID_REQUIRED", "单位编号")?;
            required(&c.name, "UNIT_NAME_REQUIRED", "单位名称")?;
            if c.parent_unit_id.as_deref() == Some(c.unit_id.as_str()) {
                return Err(DomainError::invalid(
                    "UNIT_PARENT_SELF",
                    "单位不能隶属于自身",
                ));
            }
            return Ok(vec![Event::Registered(Registered {
                unit_id: c.unit_id.clone(),
                name: c.name.trim().to_owned(),
                parent_unit_id: c.parent_unit_id.clone(),
                business_facing: c.business_facing,
                registered_on: ctx.effective,
            })]);
        }
        if !state.registered {
            return Err(not_registered(Self::id_of(command)));
        }
        let unit_id = state.unit_id.clone();
        match command {
            Command::Register(_) => Ok(vec![]),
            Command::OpenPost(c) => {
                required(&c.post_id, "POST_ID_REQUIRED", "岗位编号")?;
                required(&c.title, "POST_TITLE_REQUIRED", "岗位名称")?;
                if state.posts.contains_key(&c.post_id) {
                    return Err(DomainError::refused(
                        "POST_ALREADY_EXISTS",
                        format!("单位 {} 已有岗位 {}", state.name, c.post_id),
                    ));
                }
                if let Some(up) = &c.reports_to {
                    let sup = known_post(state, up)?;
                    if !sup.open {
                        return Err(DomainError::refused(
                            "POST_CLOSED",
                            format!("上级岗位 {} 已撤销", sup.title),
                        ));
                    }
                }
                if c.heads_unit && c.leadership_level.is_none() {
                    return Err(DomainError::invalid(
                        "POST_HEAD_NEEDS_LEVEL",
                        format!("主要负责人岗位 “{}” 须为领导职务并注明职务层次", c.title),
                    ));
                }
                if c.heads_unit && state.posts.values().any(|p| p.open && p.heads_unit) {
                    return Err(DomainError::refused(
                        "POST_HEAD_EXISTS",
                        format!("单位 {} 已设有主要负责人岗位", state.name),
                    ));
                }
                Ok(vec![Event::PostOpened(PostOpened {
                    unit_id,
                    post_id: c.post_id.clone(),
                    title: c.title.trim().to_owned(),
                    category: c.category,
                    leadership_level: c.leadership_level,
                    heads_unit: c.heads_unit,
                    reports_to: c.reports_to.clone(),
                    opened_on: ctx.effective,
                })])
            }
            Command::ClosePost {
                post_id, reason, ..
            } => {
                let post = known_post(state, post_id)?;
                if !post.open {
                    return Err(DomainError::refused(
                        "POST_CLOSED",
                        format!("岗位 {} 已撤销", post.title),
                    ));
                }
                required(reason, "POST_CLOSE_REASON_REQUIRED", "撤销岗位的理由")?;
                Ok(vec![Event::PostClosed(PostClosed {
                    unit_id,
                    post_id: post_id.clone(),
                    reason: reason.trim().to_owned(),
                    closed_on: ctx.effective,
                })])
            }
            Command::DesignateHotPost {
                post_id,
                tenure_limit_years,
                basis,
                ..
            } => {
                let post = known_post(state, post_id)?;
                if !post.open {
                    return Err(DomainError::refused(
                        "POST_CLOSED",
                        format!("岗位 {} 已撤销", post.title),
                    ));
                }
                if *tenure_limit_years == 0 {
                    return Err(DomainError::invalid(
                        "HOT_POST_LIMIT_INVALID",
                        "热点岗位任职年限上限须至少为 1 年",
                    ));
                }
                Ok(vec![Event::HotPostDesignated(HotPostDesignated {
                    unit_id,
                    post_id: post_id.clone(),
                    tenure_limit_years: *tenure_limit_years,
                    designated_on: ctx.effective,
                    basis: basis.clone(),
                })])
            }
            Command::ClearHotPost { post_id, .. } => {
                let post = known_post(state, post_id)?;
                if post.hot_limit_years.is_none() {
                    return Err(DomainError::refused(
                        "HOT_POST_NOT_DESIGNATED",
                        format!("岗位 {} 不是热点岗位", post.title),
                    ));
                }
                Ok(vec![Event::HotPostCleared(HotPostCleared {
                    unit_id,
                    post_id: post_id.clone(),
                    cleared_on: ctx.effective,
                })])
            }
            Command::SetBusinessFacing {
                business_facing, ..
            } => {
                if state.business_facing == *business_facing {
                    return Ok(vec![]);
                }
                Ok(vec![Event::BusinessFacingChanged(BusinessFacingChanged {
                    unit_id,
                    business_facing: *business_facing,
                    changed_on: ctx.effective,
                })])
            }
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        match event {
            Event::Registered(e) => {
                state.registered = true;
                state.unit_id = e.unit_id.clone();
                state.name = e.name.clone();
                state.parent_unit_id = e.parent_unit_id.clone();
                state.business_facing = e.business_facing;
            }
            Event::PostOpened(e) => {
                state.posts.insert(
                    e.post_id.clone(),
                    Post {
                        post_id: e.post_id.clone(),
                        title: e.title.clone(),
                        category: e.category,
                        leadership_level: e.leadership_level,
                        heads_unit: e.heads_unit,
                        reports_to: e.reports_to.clone(),
                        open: true,
                        hot_limit_years: None,
                    },
                );
            }
            Event::PostClosed(e) => {
                if let Some(p) = state.posts.get_mut(&e.post_id) {
                    p.open = false;
                }
            }
            Event::HotPostDesignated(e) => {
                if let Some(p) = state.posts.get_mut(&e.post_id) {
                    p.hot_limit_years = Some(e.tenure_limit_years);
                }
            }
            Event::HotPostCleared(e) => {
                if let Some(p) = state.posts.get_mut(&e.post_id) {
                    p.hot_limit_years = None;
                }
            }
            Event::BusinessFacingChanged(e) => state.business_facing = e.business_facing,
        }
    }
}
