//! Supervision dashboard (双联监督): records by source and kind, leads by agency, category and status, monthly bulletins.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use dossier_domain::{Event, bulletin::Event as B, lead::Event as L, supervision::Event as S};
use serde::{Deserialize, Serialize};

use super::{Figure, bump, key};
use crate::{
    envelope::Envelope,
    intern::{Interner, Sym},
    model::ReadModel,
    snap::Snap,
};

/// One month's joint bulletin.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulletinMonth {
    pub items: u32,
    pub leads: u32,
    /// Items by agency.
    pub by_agency: BTreeMap<String, u32>,
    pub published: bool,
}

/// The supervision dashboard as read (counts only; no content).
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupervisionView {
    /// Records in force by source (`org_section`, `discipline_group`).
    pub records_by_source: BTreeMap<String, u32>,
    /// Records in force by kind (daily conduct, key work, reward/punishment).
    pub records_by_kind: BTreeMap<String, u32>,
    pub records_retracted: u32,
    pub leads_by_agency: BTreeMap<String, u32>,
    pub leads_by_category: BTreeMap<String, u32>,
    /// Leads by current status (`transferred`, `verified`, `substantiated`, `not_substantiated`, …).
    pub leads_by_status: BTreeMap<String, u32>,
    /// `YYYY-MM` → bulletin.
    pub bulletins: BTreeMap<String, BulletinMonth>,
}

/// The supervision dashboard's fold: the view, and what it needs to take retractions and
/// status changes off the right counters.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupervisionDashboard {
    pub view: Snap<SupervisionView>,
    /// Entry id → (source, kind) keys (interned).
    entries: HashMap<String, (Sym, Sym)>,
    keys: Interner,
    lead_status: HashMap<String, String>,
    bulletin_months: HashMap<String, String>,
}

fn dec(map: &mut BTreeMap<String, u32>, k: &str) {
    if let Some(n) = map.get_mut(k) {
        *n = n.saturating_sub(1);
    }
}

impl SupervisionDashboard {
    fn set_lead_status(&mut self, lead: &str, status: String) {
        let v = self.view.make_mut();
        if let Some(old) = self.lead_status.insert(lead.to_owned(), status.clone()) {
            dec(&mut v.leads_by_status, &old);
        }
        bump(&mut v.leads_by_status, status);
    }
}

impl ReadModel for SupervisionDashboard {
    const NAME: &'static str = "dashboard_supervision";
    const VERSION: u32 = 2;

    fn apply(&mut self, env: &Envelope<'_>) {
        match env.event {
            Event::Supervision(S::Recorded(r)) => {
                let (source, kind) = (key(&r.source), key(&r.kind));
                let syms = (self.keys.intern(&source), self.keys.intern(&kind));
                self.entries.insert(r.entry_id.clone(), syms);
                let v = self.view.make_mut();
                bump(&mut v.records_by_source, source);
                bump(&mut v.records_by_kind, kind);
            }
            Event::Supervision(S::Retracted(r)) => {
                if let Some((source, kind)) = self.entries.remove(&r.entry_id) {
                    let v = self.view.make_mut();
                    dec(&mut v.records_by_source, self.keys.resolve(source));
                    dec(&mut v.records_by_kind, self.keys.resolve(kind));
                    v.records_retracted += 1;
                }
            }
            Event::Lead(L::Transferred(t)) => {
                let v = self.view.make_mut();
                bump(&mut v.leads_by_agency, key(&t.agency));
                bump(&mut v.leads_by_category, key(&t.category));
                self.set_lead_status(&t.lead_id, "transferred".into());
            }
            Event::Lead(L::Verified(v)) => self.set_lead_status(&v.lead_id, "verified".into()),
            Event::Lead(L::Concluded(c)) => self.set_lead_status(&c.lead_id, key(&c.conclusion)),
            Event::Bulletin(B::Opened(o)) => {
                let month = format!("{:04}-{:02}", o.year, o.month);
                self.bulletin_months
                    .insert(o.bulletin_id.clone(), month.clone());
                self.view.make_mut().bulletins.entry(month).or_default();
            }
            Event::Bulletin(B::ItemAdded(i)) => {
                if let Some(month) = self.bulletin_months.get(&i.bulletin_id) {
                    let b = self
                        .view
                        .make_mut()
                        .bulletins
                        .entry(month.clone())
                        .or_default();
                    b.items += 1;
                    b.leads += i.lead_count;
                    bump(&mut b.by_agency, key(&i.agency));
                }
            }
            Event::Bulletin(B::Published(p)) => {
                self.view
                    .make_mut()
                    .bulletins
                    .entry(format!("{:04}-{:02}", p.year, p.month))
                    .or_default()
                    .published = true;
            }
            _ => {}
        }
    }
}

impl SupervisionView {
    /// The figures in flat form.
    pub fn figures(&self) -> Vec<Figure> {
        let d = "supervision";
        let mut out = Vec::new();
        let mut put = |metric: &'static str, m: &BTreeMap<String, u32>| {
            out.extend(
                m.iter()
                    .map(|(k, n)| Figure::new(d, metric, k.clone(), f64::from(*n))),
            );
        };
        put("records_by_source", &self.records_by_source);
        put("records_by_kind", &self.records_by_kind);
        put("leads_by_agency", &self.leads_by_agency);
        put("leads_by_category", &self.leads_by_category);
        put("leads_by_status", &self.leads_by_status);
        out.push(Figure::new(
            d,
            "records_retracted",
            "",
            f64::from(self.records_retracted),
        ));
        for (m, b) in &self.bulletins {
            out.push(Figure::new(
                d,
                "bulletin_items",
                m.clone(),
                f64::from(b.items),
            ));
            out.push(Figure::new(
                d,
                "bulletin_leads",
                m.clone(),
                f64::from(b.leads),
            ));
        }
        out
    }
}
