import{g as a}from"./api-BNMCBksS.js";import{i as r}from"./index-CAVzJcPV.js";const o=`cadreId name birthDate unitId rank rankSince yearsInRank leadershipLevel isLeader probationUntil secondmentUntil
  posts { unitId postId title category leadershipLevel headsUnit since years }
  grades { year grade } awards { awardId kind year on } sanctions { sanction from until improveBy inEffect } investigationsOpen
  training { year hours required met } rotations { on kind fromUnitId toUnitId heldSince }
  downReviews { reviewId year raisedOn dueOn method decidedOn closedWithoutAction }
  points { total countedYears field multiplier items { category label year points } }
  appeals riskReports`;async function c(e,n,i){const t=r()?" supervision { source category count } accountability":"";return(await a(`query Profile($id: String!, $asOf: Date, $knownAt: Position) { cadre(id: $id, asOf: $asOf, knownAt: $knownAt) { ${o}${t} } }`,{id:e,asOf:n||null,knownAt:i??null})).cadre}export{c as l};
