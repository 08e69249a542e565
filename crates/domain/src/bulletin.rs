//! Stream kind `bulletin` (联席通报): one joint bulletin per year-month (stream id `bulletin-YYYY-MM`), its per-agency items, publication.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{
    aggregate,
    context::{Context, Role},
    error::DomainError,
    lead::{Category, PartnerAgency},
    practice::{self, Cadres},
};

/// The month a bulletin covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    /// Parse `"YYYY-MM"`.
    pub fn parse(text: &str) -> Result<YearMonth, DomainError> {
        let bad = || {
            DomainError::invalid(
                "BULLETIN_BAD_MONTH",
                format!("通报月份「{text}」无效, 应写作 YYYY-MM, 如 2025-06"),
            )
        };
        // Strict, so that the text is exactly the stream id `YearMonth::id` gives.
        let (y, m) = text.split_once('-').ok_or_else(bad)?;
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(y, 4) || !digits(m, 2) {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
        Ok(YearMonth { year, month })
    }

    /// The stream id of this month's bulletin, `"YYYY-MM"`.
    pub fn id(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// The month's first day.
    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }

    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }
}

/// A bulletin was opened for a month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opened {
    pub bulletin_id: String,
    pub year: i32,
    pub month: u32,
    pub opened_on: NaiveDate,
}

/// One agency's item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemAdded {
    pub bulletin_id: String,
    /// 1, 2, 3… in the order added.
    pub item_no: u32,
    pub agency: PartnerAgency,
    pub category: Option<Category>,
    pub summary: String,
    /// Leads the agency transferred this month.
    pub lead_count: u32,
    /// Cadres the item concerns.
    pub cadre_ids: Vec<String>,
}

/// The bulletin was published; nothing may be added after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Published {
    pub bulletin_id: String,
    pub year: i32,
    pub month: u32,
    pub published_on: NaiveDate,
    pub item_count: u32,
    pub agencies: Vec<PartnerAgency>,
}

crate::event_set! {
    /// Events of a `bulletin` stream.
    pub enum Event {
        Opened(Opened) = "bulletin.Opened" @ 1,
        ItemAdded(ItemAdded) = "bulletin.ItemAdded" @ 1,
        Published(Published) = "bulletin.Published" @ 1,
    }
}

/// Open the bulletin of `month` (`"YYYY-MM"`, also the stream id).
#[derive(Debug, Clone)]
pub struct Open {
    pub month: String,
}

/// Add one agency's item.
#[derive(Debug, Clone)]
pub struct AddItem {
    pub month: String,
    pub agency: PartnerAgency,
    pub category: Option<Category>,
    pub summary: String,
    pub lead_count: u32,
    pub cadre_ids: Vec<String>,
}

/// Publish the bulletin.
#[derive(Debug, Clone)]
pub struct Publish {
    pub month: String,
}

/// Commands a `bulletin` stream accepts; each takes effect on the context's effective date.
#[derive(Debug, Clone)]
pub enum Command {
    Open(Open),
    AddItem(AddItem),
    Publish(Publish),
}

impl Command {
    /// The cadres the application must load into [`Cadres`] before deciding.
    pub fn cadre_ids(&self) -> Vec<&str> {
        match self {
            Command::AddItem(c) => c.cadre_ids.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }
}

/// An opened bulletin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bulletin {
    pub month: YearMonth,
    pub opened_on: NaiveDate,
    pub items: u32,
    pub agencies: BTreeSet<PartnerAgency>,
    pub published_on: Option<NaiveDate>,
}

/// Folded state of a `bulletin` stream.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub bulletin: Option<Bulletin>,
}

/// The `bulletin` aggregate.
pub struct Aggregate;

impl aggregate::Aggregate for Aggregate {
    const KIND: &'static str = "bulletin";
    type State = State;
    type Command = Command;
    type Event = Event;
    type Facts = Cadres;

    fn id_of(command: &Command) -> &str {
        match command {
            Command::Open(c) => &c.month,
            Command::AddItem(c) => &c.month,
            Command::Publish(c) => &c.month,
        }
    }

    fn decide(
        state: &State,
        command: &Command,
        ctx: &Context<'_>,
        cadres: &Cadres,
    ) -> Result<Vec<Event>, DomainError> {
        practice::require_role(
            ctx,
            &[Role::OrgAdmin, Role::DisciplineInspector],
            "编发联席通报",
        )?;
        practice::not_future(ctx.effective, ctx, "办理日期")?;
        let on = ctx.effective;
        match command {
            Command::Open(c) => {
                let month = YearMonth::parse(&c.month)?;
                if let Some(b) = &state.bulletin {
                    return Err(DomainError::refused(
                        "BULLETIN_MONTH_EXISTS",
                        format!(
                            "{} 的联席通报已于 {} 建立, 每月只出一期",
                            b.month.id(),
                            b.opened_on
                        ),
                    ));
                }
                if YearMonth::of(ctx.today) < month {
                    return Err(DomainError::invalid(
                        "DATE_IN_FUTURE",
                        format!("通报月份 {} 尚未开始 (登记日期 {})", month.id(), ctx.today),
                    ));
                }
                Ok(vec![Event::Opened(Opened {
                    bulletin_id: month.id(),
                    year: month.year,
                    month: month.month,
                    opened_on: on,
                })])
            }
            Command::AddItem(c) => {
                let b = unpublished(state, &c.month, "添加通报事项")?;
                practice::non_empty(&c.summary, "通报事项")?;
                practice::no_duplicates(&c.cadre_ids, "涉及干部", Clone::clone)?;
                for id in &c.cadre_ids {
                    cadres.get(id)?;
                }
                Ok(vec![Event::ItemAdded(ItemAdded {
                    bulletin_id: b.month.id(),
                    item_no: b.items + 1,
                    agency: c.agency,
                    category: c.category,
                    summary: c.summary.trim().to_owned(),
                    lead_count: c.lead_count,
                    cadre_ids: c.cadre_ids.clone(),
                })])
            }
            Command::Publish(c) => {
                let b = unpublished(state, &c.month, "发布通报")?;
                if b.items == 0 {
                    return Err(DomainError::refused(
                        "BULLETIN_EMPTY",
                        format!("{} 的联席通报没有任何事项, 不能发布", b.month.id()),
                    ));
                }
                if let Some(first) = b.month.first_day()
                    && on < first
                {
                    return Err(DomainError::refused(
                        "BULLETIN_PUBLISHED_BEFORE_MONTH",
                        format!(
                            "{} 的联席通报不能在 {first} 之前发布, 发布日期为 {on}",
                            b.month.id()
                        ),
                    ));
                }
                Ok(vec![Event::Published(Published {
                    bulletin_id: b.month.id(),
                    year: b.month.year,
                    month: b.month.month,
                    published_on: on,
                    item_count: b.items,
                    agencies: b.agencies.iter().copied().collect(),
                })])
            }
        }
    }

    fn evolve(state: &mut State, event: &Event) {
        match event {
            Event::Opened(e) => {
                state.bulletin = Some(Bulletin {
                    month: YearMonth {
                        year: e.year,
                        month: e.month,
                    },
                    opened_on: e.opened_on,
                    items: 0,
                    agencies: BTreeSet::new(),
                    published_on: None,
                });
            }
            Event::ItemAdded(e) => {
                if let Some(b) = state.bulletin.as_mut() {
                    b.items = b.items.max(e.item_no);
                    b.agencies.insert(e.agency);
                }
            }
            Event::Published(e) => {
                if let Some(b) = state.bulletin.as_mut() {
                    b.published_on = Some(e.published_on);
                }
            }
        }
    }
}

fn unpublished<'s>(
    state: &'s State,
    month: &str,
    action: &str,
) -> Result<&'s Bulletin, DomainError> {
    let b = state
        .bulletin
        .as_ref()
        .ok_or_else(|| practice::not_started("BULLETIN_NOT_FOUND", "联席通报", month))?;
    if let Some(on) = b.published_on {
        return Err(DomainError::refused(
            "BULLETIN_ALREADY_PUBLISHED",
            format!("{action}被拒绝: {} 的联席通报已于 {on} 发布", b.month.id()),
        ));
    }
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{context::Actor, harness::given, practice::test_support::d};

    fn opened() -> Event {
        Event::Opened(Opened {
            bulletin_id: "2025-06".into(),
            year: 2025,
            month: 6,
            opened_on: d(2025, 6, 25),
        })
    }

    fn item(no: u32, agency: PartnerAgency) -> Event {
        Event::ItemAdded(ItemAdded {
            bulletin_id: "2025-06".into(),
            item_no: no,
            agency,
            category: Some(Category::Judicial),
            summary: "本月移送线索".into(),
            lead_count: 2,
            cadre_ids: vec![],
        })
    }

    fn add(agency: PartnerAgency) -> Command {
        Command::AddItem(AddItem {
            month: "2025-06".into(),
            agency,
            category: Some(Category::Judicial),
            summary: "本月移送线索".into(),
            lead_count: 2,
            cadre_ids: vec![],
        })
    }

    fn publish() -> Command {
        Command::Publish(Publish {
            month: "2025-06".into(),
        })
    }

    #[test]
    fn one_bulletin_per_month() {
        given::<Aggregate>([])
            .on(d(2025, 6, 25))
            .when(Command::Open(Open {
                month: "2025-06".into(),
            }))
            .then_events([opened()]);
        let e = given::<Aggregate>([opened()])
            .when(Command::Open(Open {
                month: "2025-06".into(),
            }))
            .then_error("BULLETIN_MONTH_EXISTS");
        assert!(e.message().contains("2025-06"), "{e}");
    }

    #[test]
    fn the_month_is_well_formed_and_has_begun() {
        for bad in [
            "2025-6", "2025-13", "June", "", " 2025-06", "+202-06", "2025-06 ",
        ] {
            given::<Aggregate>([])
                .when(Command::Open(Open { month: bad.into() }))
                .then_error("BULLETIN_BAD_MONTH");
        }
        given::<Aggregate>([])
            .when(Command::Open(Open {
                month: "2025-07".into(),
            }))
            .then_error("DATE_IN_FUTURE");
        assert_eq!(
            YearMonth::parse("2025-06").map(YearMonth::id),
            Ok("2025-06".to_owned())
        );
    }

    #[test]
    fn items_are_numbered_per_agency_until_published() {
        given::<Aggregate>([opened()])
            .when(add(PartnerAgency::Court))
            .then_events([item(1, PartnerAgency::Court)]);
        given::<Aggregate>([opened(), item(1, PartnerAgency::Court)])
            .when(add(PartnerAgency::Emergency))
            .then_events([item(2, PartnerAgency::Emergency)]);
        given::<Aggregate>([])
            .when(add(PartnerAgency::Court))
            .then_error("BULLETIN_NOT_FOUND");
    }

    #[test]
    fn items_name_known_cadres() {
        let Command::AddItem(mut c) = add(PartnerAgency::Court) else {
            unreachable!()
        };
        c.cadre_ids = vec!["a".into()];
        given::<Aggregate>([opened()])
            .when(Command::AddItem(c.clone()))
            .then_error("CADRE_NOT_FOUND");
        given::<Aggregate>([opened()])
            .with_facts(Cadres::of([crate::practice::CadreRef::new("a", "u1")]))
            .when(Command::AddItem(c))
            .then_ok();
    }

    #[test]
    fn a_published_bulletin_takes_no_more_items_and_is_not_published_twice() {
        let history = [
            opened(),
            item(1, PartnerAgency::Court),
            item(2, PartnerAgency::Police),
        ];
        let events = given::<Aggregate>(history.clone())
            .when(publish())
            .then_events([Event::Published(Published {
                bulletin_id: "2025-06".into(),
                year: 2025,
                month: 6,
                published_on: d(2025, 6, 30),
                item_count: 2,
                agencies: vec![PartnerAgency::Police, PartnerAgency::Court],
            })]);
        let mut published = history.to_vec();
        published.extend(events);
        given::<Aggregate>(published.clone())
            .when(add(PartnerAgency::Audit))
            .then_error("BULLETIN_ALREADY_PUBLISHED");
        given::<Aggregate>(published)
            .when(publish())
            .then_error("BULLETIN_ALREADY_PUBLISHED");
    }

    #[test]
    fn an_empty_bulletin_is_not_published() {
        given::<Aggregate>([opened()])
            .when(publish())
            .then_error("BULLETIN_EMPTY");
    }

    #[test]
    fn a_bulletin_is_not_published_before_its_month() {
        let may = Event::Opened(Opened {
            bulletin_id: "2025-06".into(),
            year: 2025,
            month: 6,
            opened_on: d(2025, 5, 28),
        });
        given::<Aggregate>([may, item(1, PartnerAgency::Court)])
            .on(d(2025, 5, 30))
            .when(publish())
            .then_error("BULLETIN_PUBLISHED_BEFORE_MONTH");
    }

    #[test]
    fn only_organization_and_discipline_roles_compile_bulletins() {
        given::<Aggregate>([])
            .as_actor(Actor::new("an", Role::Analyst))
            .when(Command::Open(Open {
                month: "2025-06".into(),
            }))
            .then_error("FORBIDDEN_ROLE");
    }
}
