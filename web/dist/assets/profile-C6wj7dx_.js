import{g as i}from"./api-BaU-uPMy.js";import{i as o}from"./index-C2HEvYFE.js";const d=`cadreId name birthDate unitId rank rankSince yearsInRank leadershipLevel isLeader probationUntil secondmentUntil
  posts { unitId postId title category leadershipLevel headsUnit since years }
  grades { year grade } awards { awardId kind year on } sanctions { sanction from until improveBy inEffect } investigationsOpen
  training { year hours required met } rotations { on kind fromUnitId toUnitId heldSince }
  pendingRankLowerings { year from to raisedOn }
  dismissalCase { caseId openedOn reason dismissed decidedOn documentNumber closedOn }
  trainingMakeup { promotedOn to period required credited owed madeUp left dueOn done }
  downReviews { reviewId year raisedOn dueOn status statusLabel method methodLabel decidedOn executedOn closedWithoutAction evaluationId }
  evaluations { evaluationId taskKindLabel taskName evaluatorLabel attitude responsibility competence evaluatedOn }
  points { total countedYears field multiplier items { category label year points } }
  appeals riskReports`;async function c(e,n,t){const a=o()?" supervision { source category count } accountability":"";return(await i(`query Profile($id: String!, $asOf: Date, $knownAt: Position) { cadre(id: $id, asOf: $asOf, knownAt: $knownAt) { ${d}${a} } }`,{id:e,asOf:n||null,knownAt:t??null})).cadre}export{c as l};
