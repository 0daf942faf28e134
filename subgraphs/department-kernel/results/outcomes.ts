/**
 * The result categories of the national enterprise credit-information publicity system
 * (国家企业信用信息公示系统), the seed of every department's outcome dictionary. Codes are an open
 * vocabulary (strings): a department may add its own.
 */
export const NATIONAL_OUTCOMES: ReadonlyArray<{ code: string; label: string; dishonesty: boolean }> = [
  { code: 'NO_PROBLEM', label: '未发现问题', dishonesty: false },
  { code: 'INFO_NOT_PUBLISHED', label: '未按规定公示应当公示的信息', dishonesty: false },
  { code: 'INFO_FALSE', label: '公示信息隐瞒真实情况、弄虚作假', dishonesty: false },
  // R26: a target that cannot be reached at its registered address gets that as its result.
  { code: 'UNREACHABLE', label: '通过登记的住所（经营场所）无法联系', dishonesty: false },
  { code: 'NOT_OPERATING', label: '未发现开展本次抽查涉及的经营活动', dishonesty: false },
  { code: 'CORRECTED_ON_ORDER', label: '发现问题已责令改正', dishonesty: false },
  { code: 'FOLLOW_UP_PENDING', label: '发现问题待后续处理', dishonesty: false },
  // R26, R27: serious refusal to cooperate is a result, and becomes a dishonesty record.
  { code: 'REFUSED_SERIOUS', label: '不配合检查情节严重', dishonesty: true },
  { code: 'CLOSED', label: '已关闭停业或正在组织清算', dishonesty: false },
];
