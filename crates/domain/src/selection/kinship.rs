//! 回避 within one decision or one 任免文件: the persons it moves onto posts, checked two by two against the posts the
//! others take by the same act (kinship recorded on either side), with the ordinary `AVOIDANCE_*` rules.

use crate::{
    avoidance::{self, RelativeFact},
    cadre,
    error::DomainError,
    policy::TenurePolicy,
    types::Relation,
    unit::PostFact,
};

/// The kinship between two cadres as either record states it (the first record naming the other).
pub(super) fn relation(a: &cadre::State, b: &cadre::State) -> Option<Relation> {
    let names = |x: &cadre::State, y: &cadre::State| {
        x.family
            .iter()
            .find(|m| m.relative_cadre_id.as_deref() == Some(y.cadre_id.as_str()))
            .map(|m| m.relation)
    };
    names(a, b).or_else(|| names(b, a))
}

/// Every later move of `moves` checked against the posts the earlier ones give: two relatives the
/// same act puts in a direct reporting line, under the same superior, or one heading the unit and
/// the other in a restricted post, are refused with the rule's code; the message names the act,
/// the person refused and the post.
pub(super) fn check_moves(
    moves: &[(&cadre::State, &PostFact)],
    policy: &TenurePolicy,
    (action, scope): (&str, &str),
) -> Result<(), DomainError> {
    for (j, (later, post)) in moves.iter().enumerate() {
        for (earlier, theirs) in &moves[..j] {
            if earlier.cadre_id == later.cadre_id {
                continue;
            }
            let Some(relation) = relation(earlier, later) else {
                continue;
            };
            let relative = RelativeFact {
                cadre_id: earlier.cadre_id.clone(),
                name: earlier.name.clone(),
                relation,
                posts: vec![(*theirs).clone()],
            };
            avoidance::check(post, std::slice::from_ref(&relative), policy).map_err(|e| {
                let message = format!(
                    "{action}被拒绝: {scope}中 {} 拟任{}（{}）「{}」; {}",
                    later.who(),
                    post.unit_name,
                    post.unit_id,
                    post.title,
                    e.message()
                );
                DomainError::refused(e.code(), message)
            })?;
        }
    }
    Ok(())
}
