//! Unit views: posts, incumbents, hot posts with their holders' tenure, vacancies.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use dossier_domain::{
    Event,
    cadre::Event as C,
    types::{LeadershipLevel, PostCategory},
    unit::Event as U,
};
use serde::{Deserialize, Serialize};

use crate::{envelope::Envelope, model::ReadModel};

/// Who holds a post and since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incumbent {
    pub cadre_id: String,
    pub since: NaiveDate,
}

/// One post of a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostView {
    pub post_id: String,
    pub title: String,
    pub category: PostCategory,
    pub leadership_level: Option<LeadershipLevel>,
    pub heads_unit: bool,
    pub open: bool,
    /// 热点岗位: the tenure limit in years.
    pub hot_limit_years: Option<u32>,
    pub incumbents: Vec<Incumbent>,
}

/// A unit as it stands.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitView {
    pub unit_id: String,
    pub name: String,
    pub parent_unit_id: Option<String>,
    pub business_facing: bool,
    pub registered: bool,
    pub posts: BTreeMap<String, PostView>,
    /// Every cadre who held a post here (for as-of views).
    pub cadres_ever: std::collections::BTreeSet<String>,
}

/// A hot post as the tenure check needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HotMirror {
    pub limit: u32,
    pub open: bool,
    pub title: String,
    pub holders: Vec<Incumbent>,
}

/// Hot-post holders at or past their limit on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HotPostsDue {
    pub total: u32,
    pub by_unit: BTreeMap<String, u32>,
    /// The longest-serving of them (a few).
    pub longest: Vec<HotPostTenure>,
}

/// A hot post's holder and their tenure on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HotPostTenure {
    pub unit_id: String,
    pub post_id: String,
    pub title: String,
    pub cadre_id: String,
    pub since: NaiveDate,
    pub limit_years: u32,
    /// Whole years in the post on the date asked.
    pub years: u32,
    /// At or past the limit.
    pub due: bool,
}

impl UnitView {
    /// Leadership posts filled now, 正职 and 副职 (each incumbent of an open leadership post
    /// counts), as the quota (职数) counts them.
    pub fn filled_leadership(&self) -> (u32, u32) {
        use dossier_domain::staffing::Tier;
        let mut filled = (0, 0);
        for p in self.posts.values().filter(|p| p.open) {
            let Some(level) = p.leadership_level else {
                continue;
            };
            let n = p.incumbents.len() as u32;
            match Tier::of(level) {
                Tier::Chief => filled.0 += n,
                Tier::Deputy => filled.1 += n,
            }
        }
        filled
    }

    /// Open posts without an incumbent (空缺).
    pub fn vacancies(&self) -> Vec<&PostView> {
        self.posts
            .values()
            .filter(|p| p.open && p.incumbents.is_empty())
            .collect()
    }

    /// Hot posts with their holders' tenure on `on`.
    pub fn hot_posts(&self, on: NaiveDate) -> Vec<HotPostTenure> {
        let mut out = Vec::new();
        for p in self.posts.values().filter(|p| p.open) {
            let Some(limit) = p.hot_limit_years else {
                continue;
            };
            for inc in &p.incumbents {
                let years = dossier_domain::dates::years_between(inc.since, on);
                out.push(HotPostTenure {
                    unit_id: self.unit_id.clone(),
                    post_id: p.post_id.clone(),
                    title: p.title.clone(),
                    cadre_id: inc.cadre_id.clone(),
                    since: inc.since,
                    limit_years: limit,
                    years,
                    due: years >= limit,
                });
            }
        }
        out
    }
}

/// Every unit, by id.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Units {
    pub units: BTreeMap<String, UnitView>,
    /// The hot posts, mirrored from the unit views: unit → post → limit and holders
    /// (so tenure checks visit only hot posts).
    pub hot: BTreeMap<String, BTreeMap<String, HotMirror>>,
    /// How many times a hot post's mirror changed (the due counts kept below are for one count).
    #[serde(skip)]
    hot_changes: u64,
    #[serde(skip)]
    due_memo: DueMemo,
}

/// Hot-post holders due on a date, counted: in total and by unit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DueCounts {
    pub total: u32,
    pub by_unit: BTreeMap<String, u32>,
}

/// The due counts last worked out, for the hot posts' change count and the date: most events
/// touch no hot post, so today's dashboards after such an event read them from here instead of
/// visiting every holder again.
type DueMemo = crate::memo::Memo<(u64, NaiveDate), std::sync::Arc<DueCounts>>;

impl Units {
    /// Every hot post's holders at or past the tenure limit on `on`.
    pub fn hot_posts(&self, on: NaiveDate) -> Vec<HotPostTenure> {
        let mut out = Vec::new();
        self.each_due(on, |u, p, m, inc, years| {
            out.push(HotPostTenure {
                unit_id: u.to_owned(),
                post_id: p.to_owned(),
                title: m.title.clone(),
                cadre_id: inc.cadre_id.clone(),
                since: inc.since,
                limit_years: m.limit,
                years,
                due: true,
            })
        });
        out
    }

    /// How many hot-post holders are at or past the limit on `on`, in total and by unit: kept
    /// until a hot post changes or another date is asked.
    pub fn due_counts(&self, on: NaiveDate) -> std::sync::Arc<DueCounts> {
        self.due_memo.get_or((self.hot_changes, on), || {
            let mut counts = DueCounts::default();
            self.each_due(on, |u, _, _, _, _| {
                counts.total += 1;
                match counts.by_unit.get_mut(u) {
                    Some(n) => *n += 1,
                    None => {
                        counts.by_unit.insert(u.to_owned(), 1);
                    }
                }
            });
            std::sync::Arc::new(counts)
        })
    }

    /// Hot-post holders at or past the limit on `on`: how many, by unit, and the longest-serving few.
    pub fn hot_posts_due(&self, on: NaiveDate, listed: usize) -> HotPostsDue {
        let counts = self.due_counts(on);
        let mut all: Vec<(NaiveDate, &str, &str, &HotMirror, &Incumbent, u32)> = Vec::new();
        if listed > 0 {
            self.each_due(on, |u, p, m, inc, years| {
                all.push((inc.since, u, p, m, inc, years))
            });
        }
        all.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| a.1.cmp(b.1))
                .then_with(|| a.2.cmp(b.2))
        });
        let longest = all
            .into_iter()
            .take(listed)
            .map(|(since, u, p, m, inc, years)| HotPostTenure {
                unit_id: u.to_owned(),
                post_id: p.to_owned(),
                title: m.title.clone(),
                cadre_id: inc.cadre_id.clone(),
                since,
                limit_years: m.limit,
                years,
                due: true,
            })
            .collect();
        HotPostsDue {
            total: counts.total,
            by_unit: counts.by_unit.clone(),
            longest,
        }
    }

    fn each_due<'a>(
        &'a self,
        on: NaiveDate,
        mut f: impl FnMut(&'a str, &'a str, &'a HotMirror, &'a Incumbent, u32),
    ) {
        for (u, posts) in &self.hot {
            for (p, m) in posts.iter().filter(|(_, m)| m.open) {
                for inc in &m.holders {
                    let years = dossier_domain::dates::years_between(inc.since, on);
                    if years >= m.limit {
                        f(u, p, m, inc, years);
                    }
                }
            }
        }
    }

    /// Bring the hot-post mirror of one post in line with the post.
    fn sync_hot(&mut self, unit_id: &str, post_id: &str) {
        self.hot_changes += 1;
        let post = self.units.get(unit_id).and_then(|u| u.posts.get(post_id));
        match post.and_then(|p| p.hot_limit_years.map(|limit| (p, limit))) {
            Some((p, limit)) => {
                let mirror = HotMirror {
                    limit,
                    open: p.open,
                    title: p.title.clone(),
                    holders: p.incumbents.clone(),
                };
                self.hot
                    .entry(unit_id.to_owned())
                    .or_default()
                    .insert(post_id.to_owned(), mirror);
            }
            None => {
                if let Some(posts) = self.hot.get_mut(unit_id) {
                    posts.remove(post_id);
                    if posts.is_empty() {
                        self.hot.remove(unit_id);
                    }
                }
            }
        }
    }

    fn unit_mut(&mut self, unit_id: &str) -> &mut UnitView {
        self.units
            .entry(unit_id.to_owned())
            .or_insert_with(|| UnitView {
                unit_id: unit_id.to_owned(),
                ..UnitView::default()
            })
    }

    fn post_mut(
        &mut self,
        unit_id: &str,
        post_id: &str,
        title: &str,
        category: PostCategory,
    ) -> &mut PostView {
        self.unit_mut(unit_id)
            .posts
            .entry(post_id.to_owned())
            .or_insert_with(|| PostView {
                post_id: post_id.to_owned(),
                title: title.to_owned(),
                category,
                leadership_level: None,
                heads_unit: false,
                open: true,
                hot_limit_years: None,
                incumbents: Vec::new(),
            })
    }

    fn vacate(&mut self, unit_id: &str, post_id: &str, cadre_id: &str) {
        if let Some(p) = self
            .units
            .get_mut(unit_id)
            .and_then(|u| u.posts.get_mut(post_id))
        {
            p.incumbents.retain(|i| i.cadre_id != cadre_id);
        }
        self.sync_hot(unit_id, post_id);
    }

    fn occupy(
        &mut self,
        unit_id: &str,
        post_id: &str,
        title: &str,
        category: PostCategory,
        cadre_id: &str,
        since: NaiveDate,
    ) {
        self.unit_mut(unit_id)
            .cadres_ever
            .insert(cadre_id.to_owned());
        let post = self.post_mut(unit_id, post_id, title, category);
        post.incumbents.retain(|i| i.cadre_id != cadre_id);
        post.incumbents.push(Incumbent {
            cadre_id: cadre_id.to_owned(),
            since,
        });
        self.sync_hot(unit_id, post_id);
    }
}

impl ReadModel for Units {
    const NAME: &'static str = "unit_views";
    const VERSION: u32 = 3;

    fn apply(&mut self, env: &Envelope<'_>) {
        match env.event {
            Event::Unit(e) => match e {
                U::Registered(r) => {
                    let u = self.unit_mut(&r.unit_id);
                    u.name = r.name.clone();
                    u.parent_unit_id = r.parent_unit_id.clone();
                    u.business_facing = r.business_facing;
                    u.registered = true;
                }
                U::PostOpened(p) => {
                    let post = self.post_mut(&p.unit_id, &p.post_id, &p.title, p.category);
                    post.title = p.title.clone();
                    post.category = p.category;
                    post.leadership_level = p.leadership_level;
                    post.heads_unit = p.heads_unit;
                    post.open = true;
                }
                U::PostClosed(p) => {
                    if let Some(post) = self
                        .units
                        .get_mut(&p.unit_id)
                        .and_then(|u| u.posts.get_mut(&p.post_id))
                    {
                        post.open = false;
                    }
                    self.sync_hot(&p.unit_id, &p.post_id);
                }
                U::HotPostDesignated(h) => {
                    if let Some(post) = self
                        .units
                        .get_mut(&h.unit_id)
                        .and_then(|u| u.posts.get_mut(&h.post_id))
                    {
                        post.hot_limit_years = Some(h.tenure_limit_years);
                    }
                    self.sync_hot(&h.unit_id, &h.post_id);
                }
                U::HotPostCleared(h) => {
                    if let Some(post) = self
                        .units
                        .get_mut(&h.unit_id)
                        .and_then(|u| u.posts.get_mut(&h.post_id))
                    {
                        post.hot_limit_years = None;
                    }
                    self.sync_hot(&h.unit_id, &h.post_id);
                }
                U::BusinessFacingChanged(b) => {
                    self.unit_mut(&b.unit_id).business_facing = b.business_facing
                }
            },
            Event::Cadre(e) => match e {
                C::Appointed(a) => {
                    self.occupy(
                        &a.unit_id,
                        &a.post_id,
                        &a.post_title,
                        a.category,
                        &a.cadre_id,
                        a.effective_on,
                    );
                }
                C::Removed(r) => self.vacate(&r.unit_id, &r.post_id, &r.cadre_id),
                C::Rotated(r) => {
                    self.vacate(&r.from_unit_id, &r.from_post_id, &r.cadre_id);
                    self.occupy(
                        &r.to_unit_id,
                        &r.to_post_id,
                        &r.to_post_title,
                        r.to_category,
                        &r.cadre_id,
                        r.effective_on,
                    );
                }
                _ => {}
            },
            _ => {}
        }
    }
}
