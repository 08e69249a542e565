import{i as e}from"./api-BB_CPwwV.js";import{r as t}from"./index-BhNnHqMN.js";var n=`cadreId name birthDate unitId rank rankSince yearsInRank leadershipLevel isLeader probationUntil secondmentUntil
  posts { unitId postId title category leadershipLevel headsUnit since years }
  grades { year grade } awards { awardId kind year on } sanctions { sanction from until improveBy inEffect } investigationsOpen
  training { year hours required met } rotations { on kind fromUnitId toUnitId heldSince }
  downReviews { reviewId year raisedOn dueOn method decidedOn closedWithoutAction }
  points { total countedYears field multiplier items { category label year points } }
  appeals riskReports`;async function r(r,i,a){let o=t()?` supervision { source category count } accountability`:``;return(await e(`query Profile($id: String!, $asOf: Date, $knownAt: Position) { cadre(id: $id, asOf: $asOf, knownAt: $knownAt) { ${n}${o} } }`,{id:r,asOf:i||null,knownAt:a??null})).cadre}export{r as t};