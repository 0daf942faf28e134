import { chance, pick, type Rng } from '../../subgraphs/department-kernel/demo/generator';

/** One entry of a visit's combined checklist (R22), as `Visit.checklist` gives it. */
export interface ChecklistEntry {
  department: string;
  itemCode: string;
  method: string;
}

/** What happens on a visit (R26, R27): the business cannot be found, refuses, or is checked. */
export type VisitKind = 'CHECKED' | 'UNREACHABLE' | 'REFUSED' | 'TO_CORRECT';

/** One item's result as `jointSubmitVisitResults` takes it. */
export interface ItemResult {
  department: string;
  itemCode: string;
  outcome: string;
  method: string;
  notes: string;
  confidentialNotes: string | null;
  evidence: string[];
  penaltyUnderGeneralProcedure: boolean;
  leadFor: string | null;
  leadNote: string | null;
}

/** Per department, what its inspectors write when an item is fine, and the problems they find. */
const TEXTS: Record<string, { fine: string[]; problems: string[] }> = {
  market: {
    fine: [
      '现场核查营业执照及登记事项，与实际经营情况一致，未发现问题。',
      '特种设备使用登记证齐全，定期检验在有效期内，作业人员持证上岗。',
      '明码标价规范，进货查验记录完整，未发现问题。',
      '企业年度报告公示信息与实际情况相符。',
    ],
    problems: [
      '部分商品未明码标价',
      '营业执照未在经营场所显著位置悬挂',
      '特种设备定期检验合格标志未张贴',
      '进货查验记录不完整',
    ],
  },
  tax: {
    fine: [
      '发票领用、开具、保管符合规定，未发现异常。',
      '抽查账簿凭证设置规范，申报数据与开票数据基本匹配。',
      '纳税申报及时，未发现虚开发票风险疑点。',
    ],
    problems: ['部分发票未按规定时限开具', '发票存根联未按规定保管', '账簿设置不符合规定'],
  },
  fire: {
    fine: [
      '消防设施完好有效，疏散通道、安全出口畅通。',
      '消防安全制度健全，员工能熟练使用灭火器材。',
      '消防控制室值班记录完整，未发现问题。',
    ],
    problems: ['部分灭火器压力不足', '疏散指示标志损坏', '安全出口处堆放杂物'],
  },
  environment: {
    fine: [
      '危险废物贮存场所设置规范，转移联单齐全。',
      '油烟净化设施正常运行，清洗维护记录完整。',
      '未发现环境违法行为。',
    ],
    problems: ['危险废物标识标签不规范', '危险废物管理台账记录不完整', '油烟净化设施清洗记录缺失'],
  },
  health: {
    fine: ['卫生许可证在有效期内，从业人员持有效健康合格证明。', '公共用品用具消毒记录完整，卫生状况良好。'],
    problems: ['部分从业人员健康合格证明过期', '公共用品用具消毒记录不完整'],
  },
  housing: {
    fine: ['施工现场安全防护措施到位，质量保证资料齐全。', '起重机械安装验收及使用登记手续齐全。'],
    problems: ['临边防护栏杆缺失', '施工现场消防器材配置不足', '脚手架连墙件设置不符合规范'],
  },
};
/** A department the texts do not know (one that joined later) gets these. */
const ANY = { fine: ['现场检查未发现问题。'], problems: ['检查发现问题'] };

const UNREACHABLE_NOTE =
  '检查组按登记住所前往，现场铁门紧锁、无经营迹象，拨打登记联系电话无人接听，经向物业及周边商户了解，该企业已长期未在此经营。';
const REFUSED_NOTE =
  '企业负责人拒绝检查人员进入经营场所，拒不提供账簿、台账等资料；经告知拒绝、阻挠检查的法律责任后仍拒不配合，情节严重，已现场制作记录并拍照留存。';

/** Notes kept from the public: never published (R25). */
export const CONFIDENTIAL_NOTES = [
  '本次检查线索来源于群众举报，举报人姓名及联系方式另行存档，依法予以保密。',
  '企业提供的原料供应商名单及进货价格涉及商业秘密，仅供内部核查，不予公开。',
  '企业法定代表人个人手机号码及家庭住址已另行记录，属个人信息，不予公开。',
];

/** A lead handed to a department that is not on the visit (R27). */
const LEAD = {
  leadFor: 'housing',
  leadNote: '现场发现经营场所内擅自搭建夹层并用作仓储，疑似违法建设，移交住房城乡建设管理部门依法处理。',
};

/** The note of the result the market department's principal head corrects (R28). */
export const TO_CORRECT_NOTE = '发现特种设备安全技术档案不完整，已下达责令限期改正通知书，待复查。';

/** Why the result is corrected, as the principal head signs it (R28). */
export const CORRECTION = {
  outcome: 'CORRECTED_ON_ORDER',
  notes: '发现特种设备安全技术档案不完整，已当场责令改正，企业于检查当日补齐档案并经检查组确认。',
  reason:
    '经复核现场检查记录及企业当日提交的整改材料，该问题已于检查当日整改完毕，原公示结论“发现问题待后续处理”录入有误，经主要负责人批准予以更正。',
};

function evidence(taskNo: number, position: number, i: number, method: string): string[] {
  const ref = `${taskNo}-${String(position).padStart(3, '0')}-${i + 1}`;
  return method === 'WRITTEN' ? [`书面材料-${ref}.pdf`] : [`现场照片-${ref}.jpg`, `检查记录表-${ref}.pdf`];
}

/**
 * Every item's result of one visit (R22: all of them, each under its department). An unreachable
 * target or a serious refusal is the result of every item (R26); a checked one is mostly without
 * problems, some corrected on the spot, a few waiting for a follow-up. A few visits carry a
 * confidential note or hand a lead to another department (R27).
 */
export function visitResults(
  rng: Rng,
  kind: VisitKind,
  checklist: readonly ChecklistEntry[],
  where: { taskNo: number; position: number },
): ItemResult[] {
  const confidential = chance(rng, 0.1) ? pick(rng, CONFIDENTIAL_NOTES) : null;
  const lead = kind === 'CHECKED' && chance(rng, 0.04);
  return checklist.map((entry, i): ItemResult => {
    const base = {
      department: entry.department,
      itemCode: entry.itemCode,
      method: entry.method,
      evidence: evidence(where.taskNo, where.position, i, entry.method),
      confidentialNotes: i === 0 ? confidential : null,
      penaltyUnderGeneralProcedure: false,
      leadFor: null,
      leadNote: null,
    };
    if (kind === 'UNREACHABLE') return { ...base, method: 'ON_SITE', outcome: 'UNREACHABLE', notes: UNREACHABLE_NOTE };
    if (kind === 'REFUSED') return { ...base, method: 'ON_SITE', outcome: 'REFUSED_SERIOUS', notes: REFUSED_NOTE };
    if (
      kind === 'TO_CORRECT' &&
      entry.department === 'market' &&
      !checklist.slice(0, i).some((c) => c.department === 'market')
    ) {
      return { ...base, outcome: 'FOLLOW_UP_PENDING', notes: TO_CORRECT_NOTE };
    }
    const roll = rng();
    const texts = TEXTS[entry.department] ?? ANY;
    const problem = () => pick(rng, texts.problems);
    const result =
      roll < 0.8
        ? { ...base, outcome: 'NO_PROBLEM', notes: pick(rng, texts.fine) }
        : roll < 0.93
          ? { ...base, outcome: 'CORRECTED_ON_ORDER', notes: `发现${problem()}，已当场责令改正，企业现场整改完毕。` }
          : {
              ...base,
              outcome: 'FOLLOW_UP_PENDING',
              notes: `发现${problem()}，已下达责令限期改正通知书，待复查。`,
              penaltyUnderGeneralProcedure: chance(rng, 0.3),
            };
    return lead && i === checklist.length - 1 && entry.department !== LEAD.leadFor ? { ...result, ...LEAD } : result;
  });
}

/** What a business writes when it rates a visit against its inspection code (R32). */
export const RATINGS = [
  { rating: 5, comment: '检查人员主动出示执法证件和检查码，一次进门查了多个部门的事项，省时省心。' },
  { rating: 4, comment: '检查认真规范，指出的问题已按要求整改。' },
  { rating: 5, comment: '联合检查减少了对正常经营的干扰，点赞。' },
];

/** The 7 numbers of the demo's simulated witness, 双色球-shaped: 6 of 1-33 and 1 of 1-16. */
export function witnessNumbers(rng: Rng): string {
  const red = new Set<number>();
  while (red.size < 6) red.add(1 + Math.floor(rng() * 33));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${[...red]
    .sort((a, b) => a - b)
    .map(two)
    .join(' ')} + ${two(1 + Math.floor(rng() * 16))}`;
}

/** The witness source: honest that it is demo data, not a real lottery result. */
export const WITNESS_SOURCE = '演示数据：模拟开奖号码（非真实彩票开奖）';
