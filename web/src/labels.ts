/**
 * Chinese names of the hub's codes, for display. Codes stay codes in the API; these are the
 * words of the national standards and the local rules behind them. A code without a name here is
 * shown as it is (an open vocabulary, e.g. a department's own outcome, is named by its own
 * dictionary, not here).
 */

/** 检查对象类别 (R6). */
export const TARGET_KIND: Record<string, string> = {
  ENTERPRISE: '企业',
  INDIVIDUAL_BUSINESS: '个体工商户',
  COOPERATIVE: '农民专业合作社',
  SOCIAL_ORGANISATION: '社会组织',
  PUBLIC_INSTITUTION: '事业单位',
  PRODUCT: '产品',
  PROJECT: '项目',
  BEHAVIOUR: '行为',
};

/** 登记状态. */
export const ENTITY_STATUS: Record<string, string> = {
  OPERATING: '存续（在营）',
  REVOKED: '吊销',
  CANCELLED: '注销',
  MOVED_OUT: '迁出',
};

/** 检查方式 (R23): the words the hub's papers print too. */
export { METHOD_LABELS as METHOD } from '../../subgraphs/joint/visits/submission-content';
/** 现场采取的措施 (Zibo rules art. 17), as the record form prints them. */
export { VISIT_MEASURES as VISIT_MEASURE } from '../../subgraphs/joint/visits/submission-content';

/** 抽查任务状态. */
export const TASK_STATUS: Record<string, string> = {
  COMMITTED: '已承诺随机数',
  SNAPSHOT_TAKEN: '名录库已确认',
  DRAWN: '已摇号',
  LOCKED: '已锁定',
  CANCELLED: '已取消',
};

/** 计划状态. */
export const PLAN_STATUS: Record<string, string> = { PUBLISHED: '已公布', DRAFT: '草稿' };
export const PLAN_KIND: Record<string, string> = { JOINT: '部门联合抽查', INTERNAL: '部门内部抽查' };

/** 抽查事项类别 (R2). */
export const ITEM_CATEGORY: Record<string, string> = { KEY: '重点检查事项', GENERAL: '一般检查事项' };

/** 信用风险分类 (R13): counts per class are public, a target's class is not. */
export const STRATUM: Record<string, string> = {
  HIGH: '高风险',
  ELEVATED: '较高风险',
  GENERAL: '一般风险',
  LOW: '低风险',
};

/** 结果状态. */
export const RESULT_STATUS: Record<string, string> = { RECORDED: '已录入', APPROVED: '已审核', PUBLISHED: '已公示' };

/** 结果回传状态 (R24). */
export const DELIVERY_STATUS: Record<string, string> = { PENDING: '待回传', DELIVERED: '已回传', REFUSED: '被拒收' };

/** 角色. */
export const ROLE: Record<string, string> = {
  HUB_ADMIN: '平台管理员',
  DEPT_ADMIN: '部门管理员',
  DEPUTY_HEAD: '分管负责人',
  PRINCIPAL_HEAD: '主要负责人',
  COORDINATOR: '协调员（牵头部门）',
  INSPECTOR: '执法检查人员',
  AUDITOR: '审计人员',
  SERVICE: '平台服务',
};

/** 上海市辖区 (GB/T 2260): region codes of the city the demo serves; others are shown as codes. */
export const REGION: Record<string, string> = {
  '310101': '黄浦区',
  '310104': '徐汇区',
  '310105': '长宁区',
  '310106': '静安区',
  '310107': '普陀区',
  '310109': '虹口区',
  '310110': '杨浦区',
  '310112': '闵行区',
  '310113': '宝山区',
  '310114': '嘉定区',
  '310115': '浦东新区',
  '310116': '金山区',
  '310117': '松江区',
  '310118': '青浦区',
  '310120': '奉贤区',
  '310151': '崇明区',
};

/** 国民经济行业分类门类 (GB/T 4754-2017), by the section letter an industry code starts with. */
export const INDUSTRY_SECTION: Record<string, string> = {
  A: '农、林、牧、渔业',
  B: '采矿业',
  C: '制造业',
  D: '电力、热力、燃气及水生产和供应业',
  E: '建筑业',
  F: '批发和零售业',
  G: '交通运输、仓储和邮政业',
  H: '住宿和餐饮业',
  I: '信息传输、软件和信息技术服务业',
  J: '金融业',
  K: '房地产业',
  L: '租赁和商务服务业',
  M: '科学研究和技术服务业',
  N: '水利、环境和公共设施管理业',
  O: '居民服务、修理和其他服务业',
  P: '教育',
  Q: '卫生和社会工作',
  R: '文化、体育和娱乐业',
  S: '公共管理、社会保障和社会组织',
  T: '国际组织',
};

export function label(table: Record<string, string>, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  return table[code] ?? code;
}

export function regionName(code: string): string {
  const name = REGION[code] ?? REGION[code.slice(0, 6)];
  return name ? `${name}（${code}）` : code;
}

export function industryName(code: string): string {
  const section = INDUSTRY_SECTION[code.charAt(0)];
  return section ? `${section}（${code}）` : code;
}

/** What a person should do about an error code the hub answers with. */
export const ERROR_ADVICE: Record<string, string> = {
  BAD_USER_INPUT: '输入有误，请核对后重试。',
  UNAUTHENTICATED: '需要登录：请使用有效的令牌登录。',
  FORBIDDEN: '您的角色无权查看此内容。',
  NOT_FOUND: '未找到。',
  CONFLICT: '数据已变化，请刷新后重试。',
  RATE_LIMITED: '请求过于频繁，请稍后再试。',
  GRAPHQL_VALIDATION_FAILED: '请求未通过平台校验（超出限制，或页面与平台版本不一致）：请刷新页面后重试。',
  DOWNSTREAM_SERVICE_ERROR: '该部门系统暂时无法访问，其他部门的信息照常显示。',
  UNAVAILABLE: '服务暂时不可用，请稍后重试。',
  INTERNAL_SERVER_ERROR: '服务器内部错误，请稍后重试或联系平台管理员。',
  NETWORK: '无法连接到服务器，请检查网络后重试。',
};

// --- The workspace's task screen and its teams (issue I, web/src/work/task.tsx, teams.tsx) ---

/** 检查组成员来源 (R18, R20, R21). */
export const MEMBER_ORIGIN: Record<string, string> = {
  DRAWN: '随机抽取',
  REPLACEMENT: '更换（R20）',
  ASSIGNED: '补足空缺',
};

/** 席位状态 (R20). */
export const SEAT_STATUS: Record<string, string> = { ACTIVE: '在组', REPLACED: '已更换（留档）' };

/** 更换理由 (R20): 岗位调整、工作冲突、健康状况、执法回避. */
export const REPLACEMENT_REASON: Record<string, string> = {
  JOB_CHANGE: '岗位调整',
  WORK_CONFLICT: '工作冲突',
  HEALTH: '健康状况',
  RECUSAL: '执法回避',
};

/** 检查组成员类别 (R8, R18). */
export const MEMBER_KIND: Record<string, string> = { INSPECTOR: '执法检查人员', EXPERT: '专业人员' };

/* Department results screen (web/src/work/results.tsx, issue I). */

/** 检查结果选项的版本状态. */
export const OUTCOME_STATUS: Record<string, string> = { CURRENT: '现行', SUPERSEDED: '已被新版本取代' };
