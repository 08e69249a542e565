//! Runs the demo's commands through the API's command service (fold, policy in force, facts, decide, append), counting them.
//!
//! Cross-stream commands (an assessment batch and each graded cadre's grade, an award
//! batch and each awardee's award) are written atomically by the service itself.

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::NaiveDate;
use dossier_api::{ApiError, CommandEnvelope, CommandOutcome, Service, service::Handles};
use dossier_domain::Actor;
use indicatif::ProgressBar;

/// Executes commands, counts them, and turns a refusal into an error naming the command.
pub struct Exec<'s> {
    pub service: &'s Service,
    pub commands: AtomicU64,
    pub events: AtomicU64,
    pub bar: ProgressBar,
}

impl<'s> Exec<'s> {
    pub fn new(service: &'s Service, bar: ProgressBar) -> Self {
        Exec {
            service,
            commands: AtomicU64::new(0),
            events: AtomicU64::new(0),
            bar,
        }
    }

    /// Execute one command of kind `A`, effective on `on`, resting on document `basis`.
    pub async fn run<A>(
        &self,
        actor: &Actor,
        command: A::Command,
        on: NaiveDate,
        basis: Option<&str>,
    ) -> anyhow::Result<CommandOutcome>
    where
        A: Handles,
        A::Command: Send + Sync,
        A::Facts: Send,
    {
        let what = format!("{command:?}");
        let mut envelope = CommandEnvelope::new(command, on);
        if let Some(basis) = basis {
            envelope = envelope.basis(basis);
        }
        let outcome = self
            .service
            .execute::<A>(actor, envelope)
            .await
            .map_err(|e| refusal(e, on, &what))?;
        self.commands.fetch_add(1, Ordering::Relaxed);
        self.events
            .fetch_add(outcome.events.len() as u64, Ordering::Relaxed);
        self.bar.inc(1);
        Ok(outcome)
    }
}

fn refusal(e: ApiError, on: NaiveDate, what: &str) -> anyhow::Error {
    let mut shown: String = what.chars().take(300).collect();
    if shown.len() < what.len() {
        shown.push('…');
    }
    anyhow::anyhow!(
        "[DEMO_COMMAND_REFUSED] 演示数据命令（生效 {on}）被拒绝：[{}{}] {e}\n命令：{shown}",
        e.code(),
        e.rule().map(|r| format!("/{r}")).unwrap_or_default()
    )
}
