// Chinese labels of the input fields the forms show (the schema's own description is used when a name is missing here).
export const FIELD_ZH = {
  cadreId: '干部编号', name: '姓名', idNumber: '身份证号', gender: '性别', birthDate: '出生日期', ethnicity: '民族', unitId: '单位',
  rank: '职级', rankSince: '任现职级时间', leadershipLevel: '职务层次', level: '层级', headsUnit: '单位正职', reportsTo: '上级岗位', levelSince: '任现职务层次时间', joinedWorkOn: '参加工作时间',
  postId: '岗位', manner: '方式', reason: '事由', changeCategory: '变动类别', status: '状态', nominatedBy: '提名', approvedBy: '批准机关',
  decidedOn: '决定日期', documentNumber: '文号', probationUntil: '试用期至', kind: '类别', fromPostId: '原岗位', toUnitId: '调往单位',
  toPostId: '调往岗位', year: '年度', category: '类别', entries: '考核名单', grade: '等次', awardId: '奖励编号', title: '名称', source: '来源',
  sanctionId: '处分编号', decidedBy: '决定机关', classId: '班次编号', theme: '主题', startDate: '开始日期', endDate: '结束日期',
  scheduledHours: '计划学时', methods: '教学方式', organizerUnitId: '主办单位', sessionDate: '日期', session: '课次', hours: '学时',
  appealId: '诉求编号', town: '镇（街道）', summary: '诉求内容', assigneeUnitId: '交办单位', handler: '领办人', participantUnitIds: '参加单位',
  outcome: '结果', note: '说明', resolution: '办结意见', reviewId: '研判编号', trigger: '触发', gradeYear: '考核年度', situation: '情形',
  findings: '研判意见', decisionRef: '常委会决定文号', entryId: '记实编号', sourceName: '来源名称', channel: '渠道', tone: '性质',
  content: '内容', observedOn: '发生日期', meta: '办理信息', effective: '生效日期', basis: '文件依据', expectedVersion: '期望版本',
  commandId: '命令编号', correlationId: '关联编号', input: '', memberId: '成员编号', relation: '关系', appellation: '称谓',
  reportId: '报备编号', caseId: '案件编号', month: '月份', leadId: '线索编号', role: '角色', scope: '范围', label: '标签', hashPrefix: '令牌哈希前缀',
  tenureLimitYears: '任职年限上限', businessFacing: '窗口服务单位', passed: '是否通过', endsOn: '结束日期', improveMonths: '整改月数',
  authority: '机关', objectionUpheld: '异议成立', size: '名额', field: '一线领域', winners: '获评名单', batchId: '批次编号', recipient: '获奖人',
  grant: '是否免责', attendees: '参加人员', sessionId: '场次编号', presenters: '答辩人', date: '日期', judgement: '认定', recipients: '获奖名单',
  effectiveFrom: '施行日期', policy: '政策值', parentUnitId: '上级单位', conclusion: '结论', transferredTo: '移交至', agency: '移送单位',
  methodsList: '方式', level_: '层级', actOn: '行为日期', reasons: '理由', heldOn: '日期', mode: '方式', subject: '主题',
}
// A field whose name means something else in one input: `name` of a unit, a class, a trial area.
export const FIELD_ZH_IN = {
  RegisterUnitInput: { name: '单位名称' },
  ScheduleClassInput: { name: '班次名称' },
  ListTrialInput: { name: '事项名称' },
}
export const ENUM_ZH = {
  MALE: '男', FEMALE: '女', ELECTION: '选任', COMMISSION: '委任', EXAMINATION: '考任', ENGAGEMENT: '聘任',
  PROMOTION: '提拔', ROTATION: '交流', RECRUITMENT: '录用', RE_ELECTION: '换届', WORK_NEEDS: '工作需要', PROBATION_COMPLETED: '试用期满', OTHER: '其他',
  NEW: '新任', PROMOTED: '提拔', LATERAL: '平级', CONCURRENT: '兼任', REAPPOINTED: '连任', DEMOTED: '降职', SERVING: '在任',
  REMOVAL: '免职', RESIGNATION: '辞职', REVOCATION: '撤职', RECALL: '罢免', LAPSE: '自然免职', TRANSFER: '调动', RETIREMENT: '退休',
  TERM_ENDED: '任期届满', DISCIPLINE: '违纪', UNFIT: '不适宜担任', PROBATION_FAILED: '试用期不合格',
  COMMENDATION: '嘉奖', MERIT: '记功', STEED: '骏马奖', THREE_GOOD: '三好', WARNING: '警告', DEMERIT: '记过', MAJOR_DEMERIT: '记大过',
  DEMOTION: '降级', DISMISSAL: '撤职', EXPULSION: '开除', ANNUAL: '年度考核', TERM: '任期考核', SPECIAL: '专项考核', PROBATION: '试用期考核',
}
