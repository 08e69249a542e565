// Chinese names of the enum values, figure metrics and stages the pages show.
export const RANK = {
  CLERK_GRADE_2: '二级科员', CLERK_GRADE_1: '一级科员', PRINCIPAL_CLERK_4: '四级主任科员', PRINCIPAL_CLERK_3: '三级主任科员',
  PRINCIPAL_CLERK_2: '二级主任科员', PRINCIPAL_CLERK_1: '一级主任科员', RESEARCHER_4: '四级调研员', RESEARCHER_3: '三级调研员',
  RESEARCHER_2: '二级调研员', RESEARCHER_1: '一级调研员', INSPECTOR_2: '二级巡视员', INSPECTOR_1: '一级巡视员',
}
export const LEVEL = {
  TOWNSHIP_DEPUTY: '乡科级副职', TOWNSHIP_CHIEF: '乡科级正职', COUNTY_DEPUTY: '县处级副职', COUNTY_CHIEF: '县处级正职', BUREAU_DEPUTY: '厅局级副职',
}
export const GRADE = { INCOMPETENT: '不称职', BASICALLY_COMPETENT: '基本称职', COMPETENT: '称职', EXCELLENT: '优秀' }
export const AWARD = { COMMENDATION: '嘉奖', MERIT: '记功', STEED: '骏马奖', THREE_GOOD: '好班子/好班长/好班副', OTHER: '其他' }
export const SANCTION = { WARNING: '警告', DEMERIT: '记过', MAJOR_DEMERIT: '记大过', DEMOTION: '降级', DISMISSAL: '撤职', EXPULSION: '开除' }
export const ROTATION = { PROTECTIVE: '保护性交流', CULTIVATING: '培养性交流', SPURRING: '鞭策性交流' }
export const STAGES = [
  ['filed', '受理'], ['listed', '清单交办'], ['claimed', '诉求领办'], ['coordinated', '协调会办'], ['tracked', '跟踪督办'], ['closed', '办结'],
]
export const STAGE_ZH = Object.fromEntries(STAGES)
export const stageZh = (s) => (s ? STAGE_ZH[String(s).toLowerCase()] || s : '—')
export const AREAS = [
  ['training', '教育培训'], ['assessment', '考核'], ['awards', '奖励'], ['promotion', '晋升与职数'],
  ['down', '能上能下'], ['supervision', '监督'], ['rotation', '交流'], ['care', '关爱'],
]
export const METRIC = {
  classes: '班次', enrolments: '报名人次', completions: '结业人次', hours_credited: '认定学时', classes_by_method: '按教学方式的班次',
  thematic_classes_by_theme: '专题班次（按主题）', study_sessions: '五学场次', study_attendances: '五学参学人次', forum_cycles: '双月讲坛期数',
  forum_lectures: '讲坛讲座', forum_research_results: '研讨成果', forum_answer_sessions: '答辩场次', hours_trained_cadres: '参训干部数',
  hours_requirement_met: '学时达标干部数', grades: '考核等次', grades_by_unit: '各单位考核等次', excellent: '优秀人数', excellent_cap: '优秀名额上限',
  steed_batches: '骏马奖批次', steed_awardees: '骏马奖获奖人数', steed_years: '骏马奖年度数', three_good_years: '“三好”评选年度数', three_good_winners: '“三好”获评',
  quota: '一线职级数', quota_used: '已使用职数', quota_left: '剩余职数', reviews_opened: '研判启动', cadres_moved_down: '调整“下”的干部',
  makeup_owed_cadres: '欠补培训学时干部', makeup_overdue_cadres: '逾期未补学时干部', rank_lowerings_pending: '待降低职级（不称职）', rank_lowerings_done: '已降低职级', dismissal_cases: '辞退案件',
  by_trigger: '按触发', by_situation: '按情形', by_method: '按方式', by_outcome: '按结果', records_by_source: '记实（按来源）',
  records_by_kind: '记实（按类别）', leads_by_agency: '线索（按移送单位）', leads_by_category: '线索（按类别）', leads_by_status: '线索（按状态）',
  records_retracted: '撤回记实', bulletin_items: '通报事项', bulletin_leads: '通报线索', rotations: '交流人次', hot_post_heads_rotated: '热点岗位负责人交流',
  hot_post_units: '涉及单位', rotations_by_kind: '交流（按类型）', rotations_by_unit: '交流（按单位）', hot_posts_due: '热点岗位到期未交流',
  appeals: '诉求总数', appeals_by_stage: '诉求（按环节）', overdue_by_stage: '超期诉求（按环节）', median_days_to_close: '办结中位天数',
  typical_cases: '典型案例', risk_reports: '风险事前报备', exemptions_granted: '容错免责（同意）', exemptions_refused: '容错免责（不予）',
  accountability_by_judgement: '问责（三个区分开来）', events: '事件总数', events_by_type: '事件（按类型）', streams_by_kind: '流（按种类）',
}
export const KEY = {
  main: '主体班次', thematic: '专题班次', township: '乡科级', county: '县处级', excellent: '优秀', competent: '称职',
  basically_competent: '基本称职', incompetent: '不称职', undecided: '待决定', dismissed: '辞退', not_dismissed: '不予辞退',
  open: '研判中', decided: '已决定', executed: '已执行', closed_without_action: '不作调整', ...STAGE_ZH, ...Object.fromEntries(Object.entries(ROTATION).map(([k, v]) => [k.toLowerCase(), v])),
}
export const zh = (map, v) => (v == null ? '—' : map[v] || v)
// A supervision lead's partner agency, category and step (the API's snake_case names).
export const AGENCY = {
  DISCIPLINE_COMMISSION: '纪委监委', POLICE: '公安', PROCURATORATE: '检察', COURT: '法院', AUDIT: '审计',
  PUBLICITY: '宣传', DEVELOPMENT_REFORM: '发改', EMERGENCY: '应急',
}
export const LEAD_CATEGORY = { DISCIPLINE_LAW: '纪法', JUDICIAL: '司法', ADMINISTRATIVE: '行政', SOCIAL: '社会' }
export const LEAD_STEP = { TRANSFERRED: '移送', VERIFIED: '核查', CONCLUDED: '办结' }
// Every command's Chinese name, as the department calls it (全部命令 and each form's heading).
export const COMMAND_ZH = {
  registerUnit: '登记单位', openPost: '设立岗位', closePost: '撤销岗位', designateHotPost: '设定热点岗位', clearHotPost: '取消热点岗位',
  setBusinessFacing: '设定窗口服务单位', registerCadre: '登记干部', addFamilyMember: '登记家庭成员', removeFamilyMember: '删除家庭成员',
  appoint: '任职', removeFromPost: '免职', rotate: '交流', changeLeadershipLevel: '变更职务层次', promoteRank: '职级晋升', lowerRank: '降低职级',
  recordGrade: '确定年度考核等次（个人）', grantAward: '奖励', revokeCadreAward: '撤销个人奖励', imposeSanction: '处分', issueAdmonition: '诫勉',
  openInvestigation: '立案审查', closeInvestigation: '审查办结', startPublicNotice: '开始公示', endPublicNotice: '公示结束',
  startProbation: '开始试用期', endProbation: '试用期结束', startSecondment: '开始挂职', endSecondment: '挂职结束',
  openDismissalCase: '启动辞退程序', decideDismissal: '辞退决定', closeDismissalCase: '辞退案件办结', recordGrades: '确定年度考核等次（单位）',
  recordEvaluation: '登记双考评价', announceSteedBatch: '公布骏马奖', announceThreeGood: '公布“三好”评选', revokeAward: '撤销批次奖励',
  openQuota: '设立一线职级数', rankQuota: '公布积分排名', allocateQuota: '分配一线职级数', revokeQuota: '收回一线职级数',
  fileRiskReport: '风险事前报备', acknowledgeRiskReport: '报备确认', listTrialArea: '列入试错清单', withdrawTrialArea: '移出试错清单',
  openAccountabilityCase: '问责案件立案', recordJudgement: '“三个区分开来”研判', decideExemption: '容错免责决定',
  openBulletin: '开启联席通报', addBulletinItem: '添加通报事项', publishBulletin: '发布联席通报', publishPolicy: '发布政策',
  scheduleClass: '安排培训班', enrol: '培训报名', recordAttendance: '考勤登记', completeTraining: '结业登记', closeClass: '培训班结班',
  holdStudy: '举办经常性学习', addStudyAttendees: '补登参学人员', openForum: '开启双月讲坛', forumLecture: '讲坛讲座',
  submitForumResearch: '提交研讨成果', forumAnswer: '讲坛答辩', fileAppeal: '提出诉求', listAppeal: '清单交办', claimAppeal: '诉求领办',
  coordinateAppeal: '协调会办', trackAppeal: '跟踪督办', closeAppeal: '诉求办结', markAppealTypical: '编入典型案例',
  openDownReview: '启动“能上能下”研判', recordDownFindings: '记录研判情形', decideDownReview: '常委会调整决定', executeDownDecision: '执行调整决定',
  closeDownReview: '研判不予调整', recordSupervision: '联动记实', retractSupervision: '撤回记实', transferLead: '线索移交', verifyLead: '线索核查',
  concludeLead: '线索办结', publishPostQuota: '核定职数', nominateReserve: '纳入后备干部库', reviewReserve: '后备干部年度研判',
  removeReserve: '移出后备干部库', moveSelection: '选任动议', recommendCandidates: '民主推荐', inspectCandidate: '组织考察',
  requestIntegrityOpinion: '征求廉政意见', replyIntegrityOpinion: '廉政意见回复', decideSelection: '讨论决定',
  startSelectionNotice: '任前公示', receiveSelectionObjection: '受理公示异议', handleSelectionObjection: '处理公示异议',
  endSelectionNotice: '任前公示结束', issueAppointmentDocument: '印发任职通知', confirmProbation: '试用期转正', failProbation: '试用期不合格',
  pauseSelection: '暂停选任', resumeSelection: '恢复选任', cancelSelection: '终止选任', archiveSelection: '选任纪实归档',
  createToken: '创建令牌', revokeToken: '吊销令牌', importLrmx: '导入任免审批表', importRoster: '导入花名册',
}
/** A command's Chinese name: the department's, else the first line of the schema's description when it is Chinese. */
export const commandZh = (name, description) => COMMAND_ZH[name] || ((description || '').split('\n')[0].replace(/[.。]$/, '')) || name
