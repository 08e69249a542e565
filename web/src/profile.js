// The profile query, shared by the profile page and its print view.
import { gql } from './api.js'
import { isSupervisor } from './session.js'

export const PROFILE_FIELDS = `cadreId name birthDate unitId rank rankSince yearsInRank leadershipLevel isLeader probationUntil secondmentUntil
  posts { unitId postId title category leadershipLevel headsUnit since years }
  grades { year grade } awards { awardId kind year on } sanctions { sanction from until improveBy inEffect } investigationsOpen
  training { year hours required met } rotations { on kind fromUnitId toUnitId heldSince }
  pendingRankLowerings { year from to raisedOn }
  dismissalCase { caseId openedOn reason dismissed decidedOn documentNumber closedOn }
  trainingMakeup { promotedOn to period required credited owed madeUp left dueOn done }
  downReviews { reviewId year raisedOn dueOn status statusLabel method methodLabel decidedOn executedOn closedWithoutAction evaluationId }
  evaluations { evaluationId taskKindLabel taskName evaluatorLabel attitude responsibility competence evaluatedOn }
  points { total countedYears field multiplier items { category label year points } }
  appeals riskReports`

export async function loadProfile(id, asOf, knownAt) {
  const extra = isSupervisor() ? ' supervision { source category count } accountability' : ''
  const d = await gql(`query Profile($id: String!, $asOf: Date, $knownAt: Position) { cadre(id: $id, asOf: $asOf, knownAt: $knownAt) { ${PROFILE_FIELDS}${extra} } }`, { id, asOf: asOf || null, knownAt: knownAt ?? null })
  return d.cadre
}
