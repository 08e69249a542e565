//! What a selection event does on other streams: the appointment document (and a probation's end) as the ordinary cadre commands, and the reserve pool's status.

use super::{Event, PostAction};
use crate::{
    cadre,
    codes::{AppointmentReason, AppointmentStatus, ChangeCategory, RemovalManner, RemovalReason},
};

/// The ordinary cadre commands an appointment document is carried out as, grouped by cadre in
/// document order (removals first, so a cadre leaves a post before taking the next): the
/// application decides each group against the cadre's record and appends them with the case's
/// event in one write.
pub fn cadre_commands(event: &Event) -> Vec<(String, Vec<cadre::Command>)> {
    let mut out: Vec<(String, Vec<cadre::Command>)> = Vec::new();
    let mut push = |cadre_id: &str, command: cadre::Command| match out
        .iter_mut()
        .find(|(id, _)| id == cadre_id)
    {
        Some((_, list)) => list.push(command),
        None => out.push((cadre_id.to_owned(), vec![command])),
    };
    match event {
        Event::Appointed(e) => {
            let doc = &e.document;
            for entry in &doc.entries {
                if let PostAction::Remove { manner } = entry.action {
                    push(
                        &entry.cadre_id,
                        cadre::Command::Remove(cadre::Remove {
                            cadre_id: entry.cadre_id.clone(),
                            unit_id: entry.unit_id.clone(),
                            post_id: entry.post_id.clone(),
                            manner,
                            reason: RemovalReason::Promotion,
                            approved_by: doc.issuer.clone(),
                            decided_on: e.decided_on,
                            document_number: doc.number.clone(),
                        }),
                    );
                }
            }
            for entry in &doc.entries {
                if let PostAction::Appoint {
                    manner,
                    probation_until,
                    promotion,
                } = entry.action
                {
                    push(
                        &entry.cadre_id,
                        cadre::Command::Appoint(cadre::Appoint {
                            cadre_id: entry.cadre_id.clone(),
                            unit_id: entry.unit_id.clone(),
                            post_id: entry.post_id.clone(),
                            manner,
                            reason: if promotion {
                                AppointmentReason::Promotion
                            } else {
                                AppointmentReason::WorkNeeds
                            },
                            change_category: if promotion {
                                ChangeCategory::Promoted
                            } else {
                                ChangeCategory::Lateral
                            },
                            status: if probation_until.is_some() {
                                AppointmentStatus::OnProbation
                            } else {
                                AppointmentStatus::Serving
                            },
                            nominated_by: format!("选任案件 {}", e.case_id),
                            approved_by: doc.issuer.clone(),
                            decided_on: e.decided_on,
                            document_number: doc.number.clone(),
                            probation_until,
                        }),
                    );
                }
            }
        }
        Event::ProbationConfirmed(e) => push(
            &e.cadre_id,
            cadre::Command::EndProbation {
                cadre_id: e.cadre_id.clone(),
                passed: true,
            },
        ),
        Event::ProbationFailed(e) => {
            push(
                &e.cadre_id,
                cadre::Command::EndProbation {
                    cadre_id: e.cadre_id.clone(),
                    passed: false,
                },
            );
            // 试用期不合格: 免去试任职务 (the post held on probation ends with the probation).
            if !e.post_id.is_empty() {
                push(
                    &e.cadre_id,
                    cadre::Command::Remove(cadre::Remove {
                        cadre_id: e.cadre_id.clone(),
                        unit_id: e.unit_id.clone(),
                        post_id: e.post_id.clone(),
                        manner: RemovalManner::Removal,
                        reason: RemovalReason::ProbationFailed,
                        approved_by: if e.issuer.is_empty() {
                            format!("选任案件 {}", e.case_id)
                        } else {
                            e.issuer.clone()
                        },
                        decided_on: e.ended_on,
                        document_number: e.document.clone().unwrap_or_default(),
                    }),
                );
            }
            // 按试任前职务层次安排: the level the trial raised goes back, on the same document.
            if let Some(back) = e.level_back {
                push(
                    &e.cadre_id,
                    cadre::Command::ChangeLeadershipLevel {
                        cadre_id: e.cadre_id.clone(),
                        level: back.to,
                        document_number: e.document.clone(),
                    },
                );
            }
        }
        _ => {}
    }
    out
}

/// What a selection event does to the reserve pool (年轻干部 / 后备干部库): the motion draws the
/// pool's cadres into inspection, the document marks the appointees used (已使用) and releases the
/// others it still held, a candidate the case stopped for, and every cadre a cancelled case still
/// held, go back into the pool (在库) (an archive releases those of a case appointed before its
/// document did). The application applies each to the cadres who have an
/// entry in the pool (others are not in it).
pub fn reserve_marks(event: &Event) -> Vec<(String, crate::reserve::Status)> {
    use crate::reserve::Status;
    match event {
        Event::Moved(m) => m
            .pool
            .iter()
            .map(|c| (c.clone(), Status::UnderInspection))
            .collect(),
        Event::Appointed(a) => a
            .document
            .entries
            .iter()
            .filter(|e| matches!(e.action, PostAction::Appoint { .. }))
            .map(|e| (e.cadre_id.clone(), Status::Used))
            .chain(a.released.iter().map(|id| (id.clone(), Status::InPool)))
            .collect(),
        Event::Archived(a) => a
            .released
            .iter()
            .map(|id| (id.clone(), Status::InPool))
            .collect(),
        Event::CandidateStopped(s) => vec![(s.cadre_id.clone(), Status::InPool)],
        Event::Cancelled(c) => c
            .released
            .iter()
            .map(|id| (id.clone(), Status::InPool))
            .collect(),
        _ => Vec::new(),
    }
}
