//! Read models folded from the event log: profiles, unit views, dashboards, alerts, as-of views, and their runner.
