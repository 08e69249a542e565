import{g as i}from"./api-5x9cgGlg.js";import{i as o}from"./index-Djckwfod.js";const r=`cadreId name birthDate unitId rank rankSince yearsInRank leadershipLevel isLeader probationUntil secondmentUntil
  posts { unitId postId title category leadershipLevel headsUnit since years }
  grades { year grade } awards { awardId kind year on } sanctions { sanction from until improveBy inEffect } investigationsOpen
  training { year hours required met } rotations { on kind fromUnitId toUnitId heldSince }
  downReviews { reviewId year raisedOn dueOn status statusLabel method methodLabel decidedOn executedOn closedWithoutAction evaluationId }
  evaluations { evaluationId taskKindLabel taskName evaluatorLabel attitude responsibility competence evaluatedOn }
  points { total countedYears field multiplier items { category label year points } }
  appeals riskReports`;async function c(e,t,a){const n=o()?" supervision { source category count } accountability":"";return(await i(`query Profile($id: String!, $asOf: Date, $knownAt: Position) { cadre(id: $id, asOf: $asOf, knownAt: $knownAt) { ${r}${n} } }`,{id:e,asOf:t||null,knownAt:a??null})).cadre}export{c as l};
