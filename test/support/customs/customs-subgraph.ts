/**
 * A customs (海关) department subgraph written the way a department system that is NOT built on
 * this code base joins the hub: only against the published department contract
 * (`schema/contract.graphql`, with `example`/`Example` replaced by `customs`/`Customs`, as
 * schema/README.md tells outside departments to do), with plain `@apollo/subgraph`,
 * `@apollo/server`, `graphql` and `jose`. Nothing here imports the hub's own code (`subgraphs/`,
 * `gateway/`, `scripts/`): that is the point, it proves an outside system can join.
 *
 * Storage is in memory: it simulates another organisation's system. Its demo data (checklist,
 * roster, inspectors, experts, outcome dictionary) is derived from a seed alone.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import {
  GraphQLError,
  GraphQLScalarType,
  Kind,
  isEnumType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  parse,
  type GraphQLSchema,
} from 'graphql';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';

// ---------------------------------------------------------------------------------------------
// The department and its contract
// ---------------------------------------------------------------------------------------------

/** The department code and its PascalCase (type prefix). */
export const CUSTOMS_CODE = 'customs';
const CODE = CUSTOMS_CODE;
const PREFIX = 'Customs';

/** The published contract template, in the repository's `schema/` folder. */
export const CONTRACT_FILE = path.resolve(__dirname, '../../../schema/contract.graphql');

/** The contract made ours: exactly what schema/README.md tells an outside department to do. */
export function customsSdl(contractFile = CONTRACT_FILE): string {
  return fs
    .readFileSync(contractFile, 'utf8')
    .replace(/example/g, CODE)
    .replace(/Example/g, PREFIX);
}

/** The columns of `exportTargetRows`, in contract order. */
export const ROSTER_ROW_COLUMNS = [
  'id',
  'kind',
  'uscc',
  'regionCode',
  'industryCode',
  'creditLevel',
  'riskLevel',
  'penaltiesLast3Years',
  'verifiedComplaints',
] as const;

const TARGET_KINDS = [
  'ENTERPRISE',
  'INDIVIDUAL_BUSINESS',
  'COOPERATIVE',
  'SOCIAL_ORGANISATION',
  'PUBLIC_INSTITUTION',
  'PRODUCT',
  'PROJECT',
  'BEHAVIOUR',
] as const;
const MARKET_ENTITY_KINDS: readonly string[] = ['ENTERPRISE', 'INDIVIDUAL_BUSINESS', 'COOPERATIVE'];
const REGION_CODE = /^[1-8][0-9]{5}$/;
const INDUSTRY_CODE = /^[A-T][0-9]{0,4}$/;
const ITEM_CODE = /^[A-Z][A-Z0-9-]{1,31}$/;
const OWN_TARGET_ID = /^[A-Za-z0-9][A-Za-z0-9-]{1,63}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Page limits, as the contract's descriptions state them. */
const PAGE_MAX = 1000;
const EXPORT_MAX = 10_000;
const ROWS_MAX = 50_000;
const IMPORT_MAX = 5000;
const RESULT_BATCH_MAX = 1000;

// ---------------------------------------------------------------------------------------------
// Stored shapes
// ---------------------------------------------------------------------------------------------

export type TargetKind = (typeof TARGET_KINDS)[number];
export type CreditLevel = 'A' | 'B' | 'C' | 'D';
export type RiskLevel = 'LOW' | 'GENERAL' | 'ELEVATED' | 'HIGH';

export interface CustomsTarget {
  id: string;
  kind: TargetKind;
  uscc: string | null;
  name: string;
  regionCode: string;
  industryCode: string;
  creditLevel: CreditLevel;
  riskLevel: RiskLevel;
  penaltiesLast3Years: number;
  verifiedComplaints: number;
}

export interface CustomsChecklistItem {
  code: string;
  version: number;
  title: string;
  content: string;
  basis: string;
  inspectingBody: string;
  targetKinds: TargetKind[];
  method: 'ON_SITE' | 'WRITTEN' | 'ONLINE_MONITORING' | 'THIRD_PARTY';
  category: 'KEY' | 'GENERAL';
  ratioCapPercent: number | null;
  frequency: string;
  domain: string;
  industries: string[];
  status: 'CURRENT' | 'SUPERSEDED' | 'REPEALED';
  validFrom: Date;
  validUntil: Date | null;
  changeReason: string | null;
  closeReason: string | null;
}

export interface CustomsInspector {
  id: string;
  name: string;
  certificateNo: string;
  unit: string;
  position: string;
  domains: string[];
  permissions: string[];
  jurisdiction: string[];
  qualified: boolean;
  phone: string;
}

export interface CustomsExpert {
  id: string;
  name: string;
  organisation: string;
  title: string;
  expertise: string[];
  phone: string;
}

export interface CustomsOutcome {
  code: string;
  version: number;
  label: string;
  dishonesty: boolean;
  status: 'CURRENT' | 'SUPERSEDED';
}

/** A result as this system stores it: what was written back, and what the department did with it. */
export interface StoredResult {
  id: string;
  idempotencyKey: string;
  taskId: string;
  targetKey: string;
  uscc: string | null;
  itemCode: string;
  itemVersion: number;
  outcome: string;
  outcomeVersion: number;
  method: string;
  notes: string | null;
  confidentialNotes: string | null;
  evidence: string[];
  inspectors: string[];
  inspectedOn: string;
  penaltyUnderGeneralProcedure: boolean;
  statutoryCheckFailed: boolean;
  dishonesty: boolean;
  status: 'RECORDED' | 'APPROVED' | 'PUBLISHED';
  recordedAt: Date;
  recordedBy: string;
  approvedAt: Date | null;
  approvedBy: string | null;
  publishedAt: Date | null;
  correctsId: string | null;
  correctionReason: string | null;
}

interface ResultInput {
  idempotencyKey: string;
  taskId: string;
  targetKey: string;
  uscc?: string | null;
  itemCode: string;
  itemVersion: number;
  outcome: string;
  method: string;
  notes?: string | null;
  confidentialNotes?: string | null;
  evidence: string[];
  inspectors: string[];
  inspectedOn: string;
  penaltyUnderGeneralProcedure: boolean;
  statutoryCheckFailed: boolean;
}

interface ChecklistItemInput {
  title: string;
  content: string;
  basis: string;
  inspectingBody: string;
  targetKinds: TargetKind[];
  method: CustomsChecklistItem['method'];
  category: CustomsChecklistItem['category'];
  ratioCapPercent?: number | null;
  frequency: string;
  domain: string;
  industries?: string[] | null;
}

interface RosterTargetInput {
  id?: string | null;
  kind: TargetKind;
  uscc?: string | null;
  name: string;
  regionCode: string;
  industryCode: string;
  creditLevel: CreditLevel;
  riskLevel: RiskLevel;
  penaltiesLast3Years: number;
  verifiedComplaints: number;
}

interface RosterFilter {
  kinds?: string[] | null;
  regions?: string[] | null;
  industries?: string[] | null;
}

// ---------------------------------------------------------------------------------------------
// Errors and identity
// ---------------------------------------------------------------------------------------------

type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';

function fail(code: ErrorCode, message: string, detail: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...detail } });
}
const badInput = (message: string, detail: Record<string, unknown> = {}) => fail('BAD_USER_INPUT', message, detail);

const ROLES = [
  'HUB_ADMIN',
  'DEPT_ADMIN',
  'DEPUTY_HEAD',
  'PRINCIPAL_HEAD',
  'COORDINATOR',
  'INSPECTOR',
  'AUDITOR',
  'SERVICE',
] as const;
const DEPARTMENT_ROLES: readonly string[] = ['DEPT_ADMIN', 'DEPUTY_HEAD', 'PRINCIPAL_HEAD', 'COORDINATOR', 'INSPECTOR'];
const DEPARTMENT_CODE = /^[a-z][a-z0-9]{1,19}$/;

export interface Identity {
  subject: string;
  role: (typeof ROLES)[number] | 'PUBLIC';
  department: string | null;
}

const PUBLIC: Identity = Object.freeze({ subject: 'anonymous', role: 'PUBLIC', department: null });

/** Verifies the caller's token (EdDSA JWT from the hub): no header is the public; a bad token is refused (HTTP 401). */
async function identify(
  keys: ReturnType<typeof createLocalJWKSet>,
  settings: { issuer: string; audience: string },
  authorization: string | undefined,
): Promise<Identity> {
  if (!authorization) return PUBLIC;
  const refuse = (why: string) =>
    new GraphQLError(`The token ${why}: ask the hub for a new one.`, {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match)
    throw new GraphQLError("The Authorization header must be 'Bearer <token>'.", {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  let payload: Record<string, unknown> & { sub?: string };
  try {
    ({ payload } = await jwtVerify(match[1]!, keys, {
      issuer: [settings.issuer, `${settings.issuer}:gateway`],
      audience: settings.audience,
      algorithms: ['EdDSA'],
      requiredClaims: ['exp'],
    }));
  } catch (error) {
    throw refuse((error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'has expired' : 'is not valid');
  }
  const role = String(payload.role ?? '');
  const department = typeof payload.dept === 'string' ? payload.dept : null;
  if (!(ROLES as readonly string[]).includes(role)) throw refuse(`names an unknown role '${role}'`);
  const needsDept = DEPARTMENT_ROLES.includes(role);
  if (needsDept && (!department || !DEPARTMENT_CODE.test(department))) throw refuse(`gives role ${role} no department`);
  if (!needsDept && department) throw refuse(`gives role ${role} a department`);
  if (!payload.sub || payload.sub.length > 64) throw refuse('has no valid subject');
  return { subject: payload.sub, role: role as Identity['role'], department };
}

const ownStaff = (identity: Identity) => identity.department === CODE && DEPARTMENT_ROLES.includes(identity.role);
const hubRole = (identity: Identity) =>
  identity.role === 'HUB_ADMIN' || identity.role === 'AUDITOR' || identity.role === 'SERVICE';

function refuseAnonymous(identity: Identity, what: string): void {
  if (identity.role === 'PUBLIC')
    throw fail('UNAUTHENTICATED', `Sign in to ${what}: send 'Authorization: Bearer <token>'.`);
}

/**
 * R30: rosters (targets, export, inspectors, experts) and results: customs staff, hub admins, auditors, hub services.
 */
function assertCanReadRoster(identity: Identity): void {
  refuseAnonymous(identity, `read the ${CODE} rosters`);
  if (!ownStaff(identity) && !hubRole(identity)) {
    throw fail(
      'FORBIDDEN',
      `The ${CODE} rosters are readable by ${CODE} staff, hub admins, auditors and hub services only (R30).`,
      { rule: 'R30' },
    );
  }
}

/** R30: the view of a target (internal classes): customs staff, coordinators of any department, hub roles. */
function assertCanReadViews(identity: Identity): void {
  refuseAnonymous(identity, `read the ${CODE} view of a target`);
  if (!ownStaff(identity) && identity.role !== 'COORDINATOR' && !hubRole(identity)) {
    throw fail(
      'FORBIDDEN',
      `The ${CODE} view of a target is readable by ${CODE} staff, coordinators, hub admins, auditors and hub ` +
        `services only (R30).`,
      { rule: 'R30' },
    );
  }
}

/** R30: customs data is written by customs' own admin (or the roles given) only. */
function assertWriter(identity: Identity, roles: readonly string[] = ['DEPT_ADMIN']): void {
  refuseAnonymous(identity, `change ${CODE} data`);
  if (identity.department !== CODE || !roles.includes(identity.role)) {
    throw fail(
      'FORBIDDEN',
      `Only ${roles.join(' or ')} of department '${CODE}' may change its data; you are ` +
        `${identity.role}${identity.department ? ` of '${identity.department}'` : ''}.`,
      { rule: 'R30' },
    );
  }
}

/** R24: results reach customs only through the hub's joint service (a SERVICE identity). */
function assertWriteBack(identity: Identity): void {
  if (identity.role === 'PUBLIC') throw fail('UNAUTHENTICATED', 'Sign in to write results back.');
  if (identity.role !== 'SERVICE')
    throw fail(
      'FORBIDDEN',
      `Results reach ${CODE} through the joint service's write-back (R24); a team submits them there.`,
      { rule: 'R24' },
    );
}

// ---------------------------------------------------------------------------------------------
// Checks of input (the same rules the contract's descriptions state)
// ---------------------------------------------------------------------------------------------

function requireText(value: unknown, field: string, max: number, why = ''): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw badInput(`${field} is required${why ? `: ${why}` : ''}.`, { field });
  const text = value.trim();
  if ([...text].length > max)
    throw badInput(`${field} is ${[...text].length} characters long; at most ${max} fit.`, { field });
  return text;
}

/** GB 32100-2015: 18 characters of this set, digits in the region positions, and the check character. */
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_CHARSET.indexOf(first17[i]!);
    if (value < 0) throw new Error(`'${first17[i]}' is not a USCC character`);
    sum += value * (3 ** i % 31);
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31]!;
}

export function isValidUscc(value: string): boolean {
  return (
    value.length === 18 &&
    [...value].every((c) => USCC_CHARSET.includes(c)) &&
    /^[0-9]{6}$/.test(value.slice(2, 8)) &&
    usccCheckCharacter(value.slice(0, 17)) === value[17]
  );
}

function assertUscc(value: string, field: string): string {
  const normalised = value.trim().toUpperCase();
  if (!isValidUscc(normalised))
    throw badInput(`${field}: '${value}' is not a valid unified social credit code (GB 32100-2015).`, { field });
  return normalised;
}

/** GB 11714 organisation-code check character of 8 characters. */
function organisationCodeCheck(first8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = first8[i]!;
    sum += (/[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55) * weights[i]!;
  }
  const r = 11 - (sum % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}

function pageSize(first: number, max: number): number {
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw badInput(`first must be between 1 and ${max}, got ${first}.`, { field: 'first' });
  return first;
}

/** R1, R2: what every checklist item records; KEY items have no cap, GENERAL ones a cap above 0 and below 100%. */
function validateItem(
  input: ChecklistItemInput,
  field = 'input',
): Omit<
  CustomsChecklistItem,
  'code' | 'version' | 'status' | 'validFrom' | 'validUntil' | 'changeReason' | 'closeReason'
> {
  const text = (key: 'title' | 'content' | 'basis' | 'inspectingBody' | 'frequency' | 'domain', max: number) =>
    requireText(input[key], `${field}.${key}`, max, `every checklist item records its ${key} (R1)`);
  const content = {
    title: text('title', 200),
    content: text('content', 10_000),
    basis: text('basis', 10_000),
    inspectingBody: text('inspectingBody', 100),
    frequency: text('frequency', 100),
    domain: text('domain', 50),
  };
  if (input.targetKinds.length === 0)
    throw badInput(`${field}.targetKinds: name at least one kind of target the item applies to (R1).`, {
      field: `${field}.targetKinds`,
      rule: 'R1',
    });
  const industries = input.industries ?? [];
  industries.forEach((code, i) => {
    if (!INDUSTRY_CODE.test(code))
      throw badInput(`${field}.industries[${i}]: '${code}' is not a GB/T 4754 industry code.`, {
        field: `${field}.industries.${i}`,
      });
  });
  const cap = input.ratioCapPercent ?? null;
  if (input.category === 'KEY') {
    if (cap !== null)
      throw badInput(`${field}.ratioCapPercent must be empty for a KEY item (R2).`, {
        field: `${field}.ratioCapPercent`,
        rule: 'R2',
      });
  } else {
    if (cap === null)
      throw badInput(`${field}.ratioCapPercent is required for a GENERAL item (R2).`, {
        field: `${field}.ratioCapPercent`,
        rule: 'R2',
      });
    if (!(cap > 0 && cap < 100))
      throw badInput(`${field}.ratioCapPercent is ${cap}%: a GENERAL item's cap is above 0 and below 100% (R2).`, {
        field: `${field}.ratioCapPercent`,
        rule: 'R2',
      });
    if (Math.abs(Math.round(cap * 100) - cap * 100) > 1e-6)
      throw badInput(`${field}.ratioCapPercent: at most two decimals (0.01%).`, { field: `${field}.ratioCapPercent` });
  }
  return {
    ...content,
    targetKinds: [...new Set(input.targetKinds)],
    method: input.method,
    category: input.category,
    ratioCapPercent: cap === null ? null : Math.round(cap * 100) / 100,
    industries: [...new Set(industries)],
  };
}

/** R6: roster rows, all checked before any is stored. Market entities are keyed by their USCC. */
function validateTargets(inputs: RosterTargetInput[]): CustomsTarget[] {
  const seen = new Set<string>();
  return inputs.map((input, i) => {
    const field = `targets[${i}]`;
    const uscc = input.uscc ? assertUscc(input.uscc, `${field}.uscc`) : null;
    let id: string;
    if (MARKET_ENTITY_KINDS.includes(input.kind)) {
      if (!uscc)
        throw badInput(`${field}.uscc is required for a ${input.kind}: market entities are keyed by their USCC (R6).`, {
          field: `${field}.uscc`,
          rule: 'R6',
        });
      if (input.id && input.id !== uscc)
        throw badInput(`${field}.id must be empty or equal to the USCC for a ${input.kind}.`, { field: `${field}.id` });
      id = uscc;
    } else {
      if (!input.id || !OWN_TARGET_ID.test(input.id))
        throw badInput(
          `${field}.id: a ${input.kind} needs an id of its own (letters, digits, dashes; at most 64) (R6).`,
          { field: `${field}.id`, rule: 'R6' },
        );
      id = input.id;
    }
    if (seen.has(id)) throw badInput(`${field}: id ${id} appears twice in this import.`, { field: `${field}.id` });
    seen.add(id);
    const name = requireText(input.name, `${field}.name`, 200);
    if (!REGION_CODE.test(input.regionCode))
      throw badInput(`${field}.regionCode '${input.regionCode}' is not a 6-digit GB/T 2260 region code.`, {
        field: `${field}.regionCode`,
      });
    if (!INDUSTRY_CODE.test(input.industryCode))
      throw badInput(`${field}.industryCode '${input.industryCode}' is not a GB/T 4754 code.`, {
        field: `${field}.industryCode`,
      });
    for (const key of ['penaltiesLast3Years', 'verifiedComplaints'] as const) {
      if (!Number.isInteger(input[key]) || input[key] < 0)
        throw badInput(`${field}.${key} must be a whole number, 0 or more.`, { field: `${field}.${key}` });
    }
    return {
      id,
      kind: input.kind,
      uscc,
      name,
      regionCode: input.regionCode,
      industryCode: input.industryCode,
      creditLevel: input.creditLevel,
      riskLevel: input.riskLevel,
      penaltiesLast3Years: input.penaltiesLast3Years,
      verifiedComplaints: input.verifiedComplaints,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Demo data, from the seed alone
// ---------------------------------------------------------------------------------------------

/** A deterministic number stream for one record: SHA-256 of `seed/what/index/n`. */
function rngFor(seed: string, ...parts: Array<string | number>): () => number {
  let n = 0;
  return () =>
    createHash('sha256')
      .update(`${seed}/${parts.join('/')}/${n++}`)
      .digest()
      .readUIntBE(0, 6) /
    2 ** 48;
}
const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

/** Shanghai districts (GB/T 2260) and the customs office that supervises each. */
const DISTRICTS: ReadonlyArray<{ code: string; name: string; office: string }> = [
  { code: '310101', name: '黄浦区', office: '浦江海关' },
  { code: '310104', name: '徐汇区', office: '浦江海关' },
  { code: '310105', name: '长宁区', office: '虹桥海关' },
  { code: '310106', name: '静安区', office: '浦江海关' },
  { code: '310107', name: '普陀区', office: '虹桥海关' },
  { code: '310110', name: '杨浦区', office: '浦江海关' },
  { code: '310112', name: '闵行区', office: '闵行海关' },
  { code: '310115', name: '浦东新区', office: '浦东海关' },
];

/** GB/T 4754-2017 divisions of importers and exporters, with a word for the name. */
const INDUSTRIES: ReadonlyArray<{ code: string; word: string }> = [
  { code: 'C13', word: '食品' },
  { code: 'C14', word: '食品制造' },
  { code: 'C17', word: '纺织' },
  { code: 'C18', word: '服饰' },
  { code: 'C26', word: '化工' },
  { code: 'C34', word: '机械' },
  { code: 'C39', word: '电子' },
  { code: 'F51', word: '国际贸易' },
  { code: 'F51', word: '供应链管理' },
  { code: 'G58', word: '国际货运代理' },
  { code: 'L72', word: '商务咨询' },
];

const BRANDS = [
  '华申',
  '东港',
  '浦远',
  '洋泰',
  '申沪',
  '海捷',
  '联贸',
  '瑞通',
  '恒源',
  '嘉禾',
  '新航',
  '金桥',
  '远东',
  '汇丰达',
  '宏远',
  '中外运',
];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '朱', '马', '胡', '郭'];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '磊',
  '洋',
  '勇',
  '艳',
  '杰',
  '军',
  '涛',
  '明',
  '超',
  '霞',
  '平',
  '刚',
  '桂英',
  '海燕',
  '建华',
];

/** Supervision domains of customs inspectors (R7); each checklist item names one. */
export const CUSTOMS_DOMAINS = ['企业管理', '海关稽查', '保税监管', '商品检验', '食品安全', '知识产权保护'] as const;

/** The demo checklist: customs' 随机抽查事项清单, citing the laws it rests on (R1). */
const CHECKLIST: ReadonlyArray<
  Omit<CustomsChecklistItem, 'version' | 'status' | 'validFrom' | 'validUntil' | 'changeReason' | 'closeReason'>
> = [
  {
    code: 'CUS-01',
    title: '报关单位备案信息情况检查',
    content: '核查报关单位（进出口货物收发货人、报关企业）备案信息是否真实、完整，变更事项是否按规定办理变更手续。',
    basis: '《中华人民共和国海关法》第十一条；《中华人民共和国海关报关单位备案管理规定》第十条、第十一条',
    inspectingBody: '上海海关及隶属海关',
    targetKinds: ['ENTERPRISE'],
    method: 'WRITTEN',
    category: 'GENERAL',
    ratioCapPercent: 5,
    frequency: '每年1次',
    domain: '企业管理',
    industries: [],
  },
  {
    code: 'CUS-02',
    title: '企业信用状况及信用管理要求执行情况检查',
    content:
      '核查企业是否持续符合所适用信用等级的管理要求，认证企业的内部控制、财务状况、守法规范和贸易安全标准执行情况。',
    basis:
      '《中华人民共和国海关注册登记和备案企业信用管理办法》（海关总署令第251号）第七条、第十四条、第十九条；《中华人民共和国海关法》第八十六条',
    inspectingBody: '上海海关企业管理和稽查处',
    targetKinds: ['ENTERPRISE'],
    method: 'ONLINE_MONITORING',
    category: 'GENERAL',
    ratioCapPercent: 10,
    frequency: '每年1次',
    domain: '企业管理',
    industries: [],
  },
  {
    code: 'CUS-03',
    title: '进出口货物申报真实性、准确性稽查',
    content:
      '稽查进出口货物的品名、数量、价格、原产地、商品归类等申报要素是否真实、准确，与合同、发票、装箱单等单证是否相符。',
    basis: '《中华人民共和国海关法》第二十四条、第二十五条、第四十五条；《中华人民共和国海关稽查条例》第二条、第三条',
    inspectingBody: '上海海关及隶属海关',
    targetKinds: ['ENTERPRISE'],
    method: 'ON_SITE',
    category: 'KEY',
    ratioCapPercent: null,
    frequency: '每年不少于1次',
    domain: '海关稽查',
    industries: [],
  },
  {
    code: 'CUS-04',
    title: '进出口账簿、单证等有关资料保管情况检查',
    content: '检查企业是否依照规定设置、编制和保管与进出口活动有关的账簿、单证等资料，并在规定期限内如实提供。',
    basis: '《中华人民共和国海关稽查条例》第五条、第六条、第七条、第二十六条；《中华人民共和国海关法》第四十五条',
    inspectingBody: '上海海关及隶属海关',
    targetKinds: ['ENTERPRISE'],
    method: 'ON_SITE',
    category: 'KEY',
    ratioCapPercent: null,
    frequency: '每年不少于1次',
    domain: '海关稽查',
    industries: [],
  },
  {
    code: 'CUS-05',
    title: '保税货物及加工贸易监管情况检查',
    content:
      '检查加工贸易料件、成品的进口、存储、加工、复出口和核销情况，保税货物是否擅自出售、转让、抵押或者移作他用。',
    basis:
      '《中华人民共和国海关法》第三十二条、第三十三条；《中华人民共和国海关加工贸易货物监管办法》第二十二条、第三十条；《中华人民共和国海关稽查条例》第三条',
    inspectingBody: '上海海关及隶属海关',
    targetKinds: ['ENTERPRISE'],
    method: 'ON_SITE',
    category: 'KEY',
    ratioCapPercent: null,
    frequency: '每年不少于1次',
    domain: '保税监管',
    industries: ['C'],
  },
  {
    code: 'CUS-06',
    title: '进出口商品检验监督管理情况检查',
    content:
      '检查法定检验的进出口商品是否经检验合格后销售、使用或者出口，是否存在擅自销售、使用未报检或者未经检验的商品的情形。',
    basis:
      '《中华人民共和国进出口商品检验法》第五条、第十一条、第十五条、第三十三条；《中华人民共和国进出口商品检验法实施条例》第十二条',
    inspectingBody: '上海海关及隶属海关',
    targetKinds: ['ENTERPRISE'],
    method: 'ON_SITE',
    category: 'GENERAL',
    ratioCapPercent: 10,
    frequency: '每年1次',
    domain: '商品检验',
    industries: ['C', 'F'],
  },
  {
    code: 'CUS-07',
    title: '进出口食品生产经营企业监督检查',
    content:
      '检查进口食品进口商、境外出口商审核制度及进口和销售记录，出口食品生产企业备案条件及质量安全管理体系运行情况。',
    basis:
      '《中华人民共和国食品安全法》第九十一条至第九十九条；《中华人民共和国进出口食品安全管理办法》（海关总署令第249号）第二十三条、第五十一条',
    inspectingBody: '上海海关及隶属海关',
    targetKinds: ['ENTERPRISE'],
    method: 'ON_SITE',
    category: 'KEY',
    ratioCapPercent: null,
    frequency: '每年不少于1次',
    domain: '食品安全',
    industries: ['C13', 'C14', 'F'],
  },
  {
    code: 'CUS-08',
    title: '知识产权海关保护情况检查',
    content:
      '检查进出口货物是否侵犯受法律、行政法规保护的知识产权，收发货人是否如实申报与进出口货物有关的知识产权状况并提交有关证明文件。',
    basis:
      '《中华人民共和国知识产权海关保护条例》第三条、第四条、第二十八条；《中华人民共和国海关法》第四十四条、第九十一条',
    inspectingBody: '上海海关及隶属海关',
    targetKinds: ['ENTERPRISE'],
    method: 'WRITTEN',
    category: 'GENERAL',
    ratioCapPercent: 3,
    frequency: '每年1次',
    domain: '知识产权保护',
    industries: [],
  },
];

/** The national publicity categories (国家企业信用信息公示系统): the same outcome codes the hub's departments use. */
const NATIONAL_OUTCOMES: ReadonlyArray<{ code: string; label: string; dishonesty: boolean }> = [
  { code: 'NO_PROBLEM', label: '未发现问题', dishonesty: false },
  { code: 'INFO_NOT_PUBLISHED', label: '未按规定公示应当公示的信息', dishonesty: false },
  { code: 'INFO_FALSE', label: '公示信息隐瞒真实情况、弄虚作假', dishonesty: false },
  { code: 'UNREACHABLE', label: '通过登记的住所（经营场所）无法联系', dishonesty: false },
  { code: 'NOT_OPERATING', label: '未发现开展本次抽查涉及的经营活动', dishonesty: false },
  { code: 'CORRECTED_ON_ORDER', label: '发现问题已责令改正', dishonesty: false },
  { code: 'FOLLOW_UP_PENDING', label: '发现问题待后续处理', dishonesty: false },
  { code: 'REFUSED_SERIOUS', label: '不配合检查情节严重', dishonesty: true },
  { code: 'CLOSED', label: '已关闭停业或正在组织清算', dishonesty: false },
];

/** When the demo checklist came into force. */
const DEMO_VALID_FROM = new Date('2025-01-01T00:00:00Z');

const CREDIT_LEVELS: readonly CreditLevel[] = ['A', 'B', 'C', 'D'];
const RISK_LEVELS: readonly RiskLevel[] = ['LOW', 'GENERAL', 'ELEVATED', 'HIGH'];

function weighted<T>(rng: () => number, items: readonly T[], weights: readonly number[]): T {
  let x = rng() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) {
    x -= weights[i]!;
    if (x < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

/**
 * The demo roster: `count` enterprises in Shanghai (region 3101xx), each derived from the seed and
 * its index alone. USCCs: authority 9, category 1 (enterprise), the district, an organisation code
 * unique per index (a bijection of the index) with its GB 11714 check, and the GB 32100 check.
 * The first four cover every credit class and risk level; the rest are spread by weight.
 */
export function demoTargets(seed: string, count: number): CustomsTarget[] {
  const offset = createHash('sha256').update(`${seed}/customs-org`).digest().readUInt32BE(0) % 100_000_000;
  return Array.from({ length: count }, (_, i) => {
    const rng = rngFor(seed, 'customs-target', i);
    const district = pick(rng, DISTRICTS);
    const industry = pick(rng, INDUSTRIES);
    const org8 = String((offset + i * 7919) % 100_000_000).padStart(8, '0');
    const first17 = `91${district.code}${org8}${organisationCodeCheck(org8)}`;
    const uscc = first17 + usccCheckCharacter(first17);
    const creditLevel = i < 4 ? CREDIT_LEVELS[i]! : weighted(rng, CREDIT_LEVELS, [30, 45, 15, 10]);
    const riskLevel = i < 4 ? RISK_LEVELS[(i + 1) % 4]! : weighted(rng, RISK_LEVELS, [35, 40, 15, 10]);
    const penaltiesLast3Years = rng() < 0.1 ? 1 + Math.floor(rng() * 2) : 0;
    const verifiedComplaints = rng() < 0.05 ? 1 : 0;
    return {
      id: uscc,
      kind: 'ENTERPRISE',
      uscc,
      name: `上海${pick(rng, BRANDS)}${industry.word}进出口有限公司`,
      regionCode: district.code,
      industryCode: industry.code,
      creditLevel,
      riskLevel,
      penaltiesLast3Years,
      verifiedComplaints,
    };
  });
}

function personName(rng: () => number): string {
  return pick(rng, SURNAMES) + pick(rng, GIVEN) + (rng() < 0.5 ? pick(rng, GIVEN).slice(0, 1) : '');
}
const phone = (rng: () => number) => `13${Math.floor(rng() * 10)}${String(Math.floor(rng() * 1e8)).padStart(8, '0')}`;

/**
 * Twelve inspectors: six city-wide (上海海关, jurisdiction `31`), each domain held by two of them,
 * so every target in Shanghai has at least two eligible inspectors for every item; six of the
 * district offices (one of them without a valid qualification).
 */
export function demoInspectors(seed: string): CustomsInspector[] {
  const n = CUSTOMS_DOMAINS.length;
  const positions = ['一级主办', '二级主办', '三级主办', '科长', '副科长', '一级主任科员'];
  return Array.from({ length: 12 }, (_, i) => {
    const rng = rngFor(seed, 'customs-inspector', i);
    const cityWide = i < n;
    const district = DISTRICTS[(i * 3) % DISTRICTS.length]!;
    const domains = cityWide
      ? [CUSTOMS_DOMAINS[i]!, CUSTOMS_DOMAINS[(i + 1) % n]!]
      : [CUSTOMS_DOMAINS[i % n]!, ...(rng() < 0.5 ? [pick(rng, CUSTOMS_DOMAINS)] : [])];
    const regionCode = cityWide ? '310000' : district.code;
    return {
      id: `${CODE}-i${String(i + 1).padStart(4, '0')}`,
      name: personName(rng),
      certificateNo: `${regionCode}HG${2012 + Math.floor(rng() * 12)}${String(i + 1).padStart(5, '0')}`,
      unit: cityWide ? '上海海关企业管理和稽查处' : district.office,
      position: pick(rng, positions),
      domains: [...new Set(domains)].sort(),
      permissions: rng() < 0.4 ? ['行政检查', '行政处罚', '行政强制'] : ['行政检查', '行政处罚'],
      jurisdiction: cityWide ? ['31'] : [district.code],
      qualified: i !== 11,
      phone: phone(rng),
    };
  });
}

export function demoExperts(seed: string): CustomsExpert[] {
  const organisations = ['上海海关学院', '中国检验认证集团上海有限公司', '上海对外经贸大学', '上海市报关协会'];
  const titles = ['教授', '高级工程师', '副教授', '高级经济师'];
  return organisations.map((organisation, i) => {
    const rng = rngFor(seed, 'customs-expert', i);
    return {
      id: `${CODE}-e${String(i + 1).padStart(3, '0')}`,
      name: personName(rng),
      organisation,
      title: titles[i]!,
      expertise: [
        CUSTOMS_DOMAINS[(2 * i) % CUSTOMS_DOMAINS.length]!,
        CUSTOMS_DOMAINS[(2 * i + 1) % CUSTOMS_DOMAINS.length]!,
      ].sort(),
      phone: phone(rng),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The in-memory system
// ---------------------------------------------------------------------------------------------

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Whether an item applies to a target: its kind and industry (section or division prefix). */
function itemAppliesTo(item: CustomsChecklistItem, target: CustomsTarget): boolean {
  if (!item.targetKinds.includes(target.kind)) return false;
  return item.industries.length === 0 || item.industries.some((code) => target.industryCode.startsWith(code));
}

function matches(target: CustomsTarget, filter: RosterFilter | null | undefined): boolean {
  if (!filter) return true;
  if (filter.kinds?.length && !filter.kinds.includes(target.kind)) return false;
  if (filter.regions?.length && !filter.regions.some((r) => target.regionCode.startsWith(r))) return false;
  if (filter.industries?.length && !filter.industries.some((c) => target.industryCode.startsWith(c))) return false;
  return true;
}

/** Keyset paging over rows in id order: the rows after `after`, `first` of them. */
function keysetPage<T extends { id: string }>(
  sorted: readonly T[],
  first: number,
  after: string | null | undefined,
): { rows: T[]; endCursor: string | null; hasMore: boolean } {
  let start = 0;
  if (after) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.id <= after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const rows = sorted.slice(start, start + first);
  return { rows, endCursor: rows.length ? rows[rows.length - 1]!.id : null, hasMore: start + first < sorted.length };
}

/** A page as the contract shapes it: nodes, pageInfo and totalCount, and the deprecated endCursor/hasMore. */
function pageOf<T>(nodes: T[], page: { endCursor: string | null; hasMore: boolean }, totalCount: number) {
  return {
    nodes,
    pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasMore },
    totalCount,
    endCursor: page.endCursor,
    hasMore: page.hasMore,
  };
}

/** A page of results (in id order) after the id `after`. */
function resultPageOf<T extends { id: string }, N>(
  all: readonly T[],
  first: number,
  after: string | null | undefined,
  map: (row: T) => N,
) {
  const page = keysetPage(
    [...all].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    first,
    after,
  );
  return {
    nodes: page.rows.map(map),
    pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasMore },
    totalCount: all.length,
  };
}

/**
 * A TSV cell: the contract's lines have tab-separated columns and end in a newline, so neither may occur in a value.
 */
function cell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  if (/[\t\r\n]/.test(text)) throw new Error(`a roster value holds a tab or line break: ${JSON.stringify(text)}`);
  return text;
}

/** The content a key stands for: a retry carries the same (as the hub's own departments compare). */
function sameContent(row: StoredResult, input: ResultInput): boolean {
  return (
    row.taskId === input.taskId &&
    row.targetKey === input.targetKey &&
    row.itemCode === input.itemCode &&
    row.itemVersion === input.itemVersion &&
    row.outcome === input.outcome &&
    row.method === input.method &&
    row.inspectedOn === input.inspectedOn
  );
}

class CustomsSystem {
  readonly checklist: CustomsChecklistItem[];
  targets: CustomsTarget[];
  readonly inspectors: CustomsInspector[];
  readonly experts: CustomsExpert[];
  readonly outcomes: CustomsOutcome[];
  readonly results: StoredResult[] = [];
  private readonly resultByKey = new Map<string, StoredResult>();
  private sequence = 0;

  constructor(
    seed: string,
    targetCount: number,
    readonly clock: () => Date,
  ) {
    this.checklist = CHECKLIST.map((item) => ({
      ...item,
      targetKinds: [...item.targetKinds],
      industries: [...item.industries],
      version: 1,
      status: 'CURRENT',
      validFrom: DEMO_VALID_FROM,
      validUntil: null,
      changeReason: null,
      closeReason: null,
    }));
    this.targets = demoTargets(seed, targetCount).sort(byId);
    this.inspectors = demoInspectors(seed).sort(byId);
    this.experts = demoExperts(seed).sort(byId);
    this.outcomes = NATIONAL_OUTCOMES.map((o) => ({ ...o, version: 1, status: 'CURRENT' as const }));
  }

  currentChecklist(): CustomsChecklistItem[] {
    return this.checklist
      .filter((i) => i.status === 'CURRENT')
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }

  allVersions(): CustomsChecklistItem[] {
    return [...this.checklist].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.version - b.version));
  }

  targetById(id: string): CustomsTarget | null {
    let lo = 0;
    let hi = this.targets.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = this.targets[mid]!;
      if (t.id === id) return t;
      if (t.id < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }

  filtered(filter: RosterFilter | null | undefined): CustomsTarget[] {
    return filter ? this.targets.filter((t) => matches(t, filter)) : this.targets;
  }

  upsertTargets(rows: CustomsTarget[]): number {
    const map = new Map(this.targets.map((t) => [t.id, t]));
    for (const row of rows) map.set(row.id, row);
    this.targets = [...map.values()].sort(byId);
    return rows.length;
  }

  private nextResultId(offset = 0): string {
    return `${CODE}-r${String(this.sequence + offset + 1).padStart(8, '0')}`;
  }

  /** R24: results written back, checked first, then stored all or none; a known key answers its record. */
  record(inputs: ResultInput[], actor: string): Array<{ idempotencyKey: string; resultId: string; created: boolean }> {
    if (inputs.length === 0 || inputs.length > RESULT_BATCH_MAX)
      throw badInput(`input: 1 to ${RESULT_BATCH_MAX} results per call.`, { field: 'input' });
    const current = this.outcomes.filter((o) => o.status === 'CURRENT');
    const normalised = inputs.map((input, i) => {
      const field = `input[${i}]`;
      requireText(input.idempotencyKey, `${field}.idempotencyKey`, 100);
      requireText(input.taskId, `${field}.taskId`, 36);
      requireText(input.targetKey, `${field}.targetKey`, 64);
      const uscc = input.uscc ? assertUscc(input.uscc, `${field}.uscc`) : null;
      const item = this.checklist.find((it) => it.code === input.itemCode && it.version === input.itemVersion);
      if (!item || item.status === 'REPEALED') {
        throw badInput(
          `${field}: ${input.itemCode} version ${input.itemVersion} is not an item of the ${CODE} checklist; ` +
            `each department records its own items (R24).`,
          { field: `${field}.itemCode`, rule: 'R24' },
        );
      }
      if (!current.some((o) => o.code === input.outcome)) {
        throw badInput(
          `${field}.outcome '${input.outcome}' is not in the ${CODE} outcome dictionary ` +
            `(${current.map((o) => o.code).join(', ')}).`,
          { field: `${field}.outcome` },
        );
      }
      if (!DAY.test(input.inspectedOn) || Number.isNaN(Date.parse(`${input.inspectedOn}T00:00:00Z`)))
        throw badInput(`${field}.inspectedOn '${input.inspectedOn}' is not a date (YYYY-MM-DD).`, {
          field: `${field}.inspectedOn`,
        });
      if (input.inspectors.length === 0)
        throw badInput(`${field}.inspectors: name the inspectors who checked (R18).`, { field: `${field}.inspectors` });
      if (input.notes) requireText(input.notes, `${field}.notes`, 10_000);
      if (input.confidentialNotes) requireText(input.confidentialNotes, `${field}.confidentialNotes`, 10_000);
      if (input.evidence.length > 50 || input.evidence.some((e) => e.length === 0 || e.length > 200))
        throw badInput(`${field}.evidence: at most 50 references of 1 to 200 characters each.`, {
          field: `${field}.evidence`,
        });
      return { ...input, uscc };
    });
    // Everything is decided before anything is stored: one refused result stores none of the batch.
    const now = this.clock();
    const fresh = new Map<string, StoredResult>();
    const receipts = normalised.map((input, i) => {
      const existing = this.resultByKey.get(input.idempotencyKey) ?? fresh.get(input.idempotencyKey);
      if (existing) {
        if (!sameContent(existing, input)) {
          throw fail(
            'CONFLICT',
            `input[${i}]: idempotency key ${input.idempotencyKey} was used for a different result ` +
              `(${existing.id}); nothing was written.`,
            { field: `input[${i}].idempotencyKey` },
          );
        }
        return { idempotencyKey: input.idempotencyKey, resultId: existing.id, created: false };
      }
      const outcome = current.find((o) => o.code === input.outcome)!;
      const row: StoredResult = {
        id: this.nextResultId(fresh.size),
        idempotencyKey: input.idempotencyKey,
        taskId: input.taskId,
        targetKey: input.targetKey,
        uscc: input.uscc,
        itemCode: input.itemCode,
        itemVersion: input.itemVersion,
        outcome: input.outcome,
        outcomeVersion: outcome.version,
        method: input.method,
        notes: input.notes ?? null,
        confidentialNotes: input.confidentialNotes ?? null,
        evidence: [...input.evidence],
        inspectors: [...input.inspectors],
        inspectedOn: input.inspectedOn,
        penaltyUnderGeneralProcedure: input.penaltyUnderGeneralProcedure === true,
        statutoryCheckFailed: input.statutoryCheckFailed === true,
        // R27: these become dishonesty records once published.
        dishonesty:
          outcome.dishonesty || input.penaltyUnderGeneralProcedure === true || input.statutoryCheckFailed === true,
        status: 'RECORDED',
        recordedAt: now,
        recordedBy: actor,
        approvedAt: null,
        approvedBy: null,
        publishedAt: null,
        correctsId: null,
        correctionReason: null,
      };
      fresh.set(row.idempotencyKey, row);
      return { idempotencyKey: input.idempotencyKey, resultId: row.id, created: true };
    });
    for (const row of fresh.values()) this.store(row);
    return receipts;
  }

  private store(row: StoredResult): void {
    this.results.push(row);
    this.resultByKey.set(row.idempotencyKey, row);
    this.sequence++;
  }

  /** R25: moves results from one status to the next, all or none. */
  advance(
    ids: string[],
    from: StoredResult['status'],
    apply: (row: StoredResult) => void,
    what: string,
  ): StoredResult[] {
    if (ids.length === 0) throw badInput('ids: name at least one result.', { field: 'ids' });
    const rows = ids.map((id) => {
      const row = this.results.find((r) => r.id === id);
      if (!row) throw fail('NOT_FOUND', `No ${CODE} result ${id}.`, { field: 'ids' });
      return row;
    });
    const wrong = rows.find((r) => r.status !== from);
    if (wrong)
      throw fail(
        'CONFLICT',
        `Result ${wrong.id} is ${wrong.status}: only ${from} results can be ${what}. Nothing was changed.`,
        { field: 'ids' },
      );
    rows.forEach(apply);
    return rows;
  }

  /** R28: a published result is corrected by a new, published record pointing at it. */
  correct(id: string, outcomeCode: string, notes: string | null, reason: string, actor: string): StoredResult {
    const original = this.results.find((r) => r.id === id);
    if (!original) throw fail('NOT_FOUND', `No ${CODE} result ${id}.`, { field: 'id' });
    if (original.status !== 'PUBLISHED')
      throw fail(
        'CONFLICT',
        `Result ${id} is ${original.status}: only a published result is corrected by a new record (R28).`,
        { rule: 'R28' },
      );
    const outcome = this.outcomes.find((o) => o.code === outcomeCode && o.status === 'CURRENT');
    if (!outcome)
      throw badInput(`outcome '${outcomeCode}' is not in the ${CODE} outcome dictionary.`, { field: 'outcome' });
    const now = this.clock();
    const row: StoredResult = {
      ...original,
      evidence: [...original.evidence],
      inspectors: [...original.inspectors],
      id: this.nextResultId(),
      idempotencyKey: `correction:${id}:${this.sequence + 1}`,
      outcome: outcome.code,
      outcomeVersion: outcome.version,
      notes,
      dishonesty: outcome.dishonesty,
      status: 'PUBLISHED',
      recordedAt: now,
      recordedBy: actor,
      approvedAt: now,
      approvedBy: actor,
      publishedAt: now,
      correctsId: id,
      correctionReason: reason,
    };
    this.store(row);
    return row;
  }

  defineOutcome(code: string, label: string, dishonesty: boolean): CustomsOutcome {
    if (!/^[A-Z][A-Z0-9_]{1,39}$/.test(code))
      throw badInput(`code '${code}': uppercase letters, digits and _, starting with a letter.`, { field: 'code' });
    const text = requireText(label, 'label', 100, 'the outcome as published');
    const current = this.outcomes.find((o) => o.code === code && o.status === 'CURRENT');
    if (current) current.status = 'SUPERSEDED';
    const row: CustomsOutcome = {
      code,
      version: (current?.version ?? 0) + 1,
      label: text,
      dishonesty,
      status: 'CURRENT',
    };
    this.outcomes.push(row);
    return row;
  }

  sortedOutcomes(): CustomsOutcome[] {
    return [...this.outcomes].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.version - b.version));
  }
}

// ---------------------------------------------------------------------------------------------
// GraphQL shapes
// ---------------------------------------------------------------------------------------------

const toItem = (item: CustomsChecklistItem) => ({ __typename: `${PREFIX}ChecklistItem`, department: CODE, ...item });
const toTarget = (t: CustomsTarget) => ({ __typename: `${PREFIX}Target`, department: CODE, ...t });
const toInspector = (i: CustomsInspector, showPrivate: boolean) => ({
  __typename: `${PREFIX}Inspector`,
  department: CODE,
  ...i,
  phone: showPrivate ? i.phone : null,
});
const toExpert = (e: CustomsExpert, showPrivate: boolean) => ({
  department: CODE,
  ...e,
  phone: showPrivate ? e.phone : null,
});
const toResult = (r: StoredResult, showPrivate: boolean) => ({
  department: CODE,
  ...r,
  confidentialNotes: showPrivate ? r.confidentialNotes : null,
});

function toView(uscc: string, row: CustomsTarget | null) {
  return {
    __typename: `${PREFIX}View`,
    department: CODE,
    uscc,
    onRoster: row !== null,
    creditLevel: row?.creditLevel ?? null,
    riskLevel: row?.riskLevel ?? null,
    penaltiesLast3Years: row?.penaltiesLast3Years ?? 0,
    verifiedComplaints: row?.verifiedComplaints ?? 0,
  };
}

/** ISO date-times, as the contract's DateTimeISO scalar says. */
const DateTimeISO = new GraphQLScalarType({
  name: 'DateTimeISO',
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError(`DateTimeISO cannot represent ${String(value)}`);
    return date.toISOString();
  },
  parseValue: (value) => {
    const date = new Date(String(value));
    if (typeof value !== 'string' || Number.isNaN(date.getTime()))
      throw new TypeError('DateTimeISO expects an ISO 8601 date-time string');
    return date;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || Number.isNaN(new Date(ast.value).getTime()))
      throw new TypeError('DateTimeISO expects an ISO 8601 date-time string');
    return new Date(ast.value);
  },
});

/**
 * A per-request batch: every key asked for before the event loop turns is looked up in one go
 * (so `_entities` with a thousand USCCs is one lookup, as the contract asks of `__resolveReference`).
 */
class Batcher<V> {
  private queue: Array<{ key: string; resolve: (value: V) => void; reject: (error: unknown) => void }> = [];
  /** Per request: a key looked up once serves every later field of the same request. */
  private readonly cache = new Map<string, Promise<V>>();
  constructor(private readonly lookup: (keys: string[]) => Map<string, V>) {}

  load(key: string): Promise<V> {
    let promise = this.cache.get(key);
    if (!promise) {
      promise = new Promise<V>((resolve, reject) => {
        if (this.queue.length === 0) setImmediate(() => this.dispatch());
        this.queue.push({ key, resolve, reject });
      });
      this.cache.set(key, promise);
    }
    return promise;
  }

  private dispatch(): void {
    const queue = this.queue;
    this.queue = [];
    try {
      const values = this.lookup([...new Set(queue.map((q) => q.key))]);
      for (const q of queue) q.resolve(values.get(q.key)!);
    } catch (error) {
      for (const q of queue) q.reject(error);
    }
  }
}

interface Context {
  identity: Identity;
  targetsByUscc: Batcher<CustomsTarget | null>;
}

interface PageArgs {
  first: number;
  after?: string | null;
}

function createResolvers(system: CustomsSystem, stats: CustomsStats): GraphQLResolverMap<Context> {
  const seesPrivate = (identity: Identity) => ownStaff(identity);
  const seesConfidential = (identity: Identity) => ownStaff(identity) || hubRole(identity);
  const targetPage = (filter: RosterFilter | null | undefined, first: number, after: string | null | undefined) => {
    const rows = system.filtered(filter);
    const page = keysetPage(rows, first, after);
    return pageOf(page.rows.map(toTarget), page, rows.length);
  };
  const resultList = (
    filter: { taskId?: string | null; uscc?: string | null; status?: string | null },
    first: number,
    after: string | null | undefined,
  ) =>
    system.results
      .filter(
        (r) =>
          (!filter.taskId || r.taskId === filter.taskId) &&
          (!filter.uscc || r.uscc === filter.uscc) &&
          (!filter.status || r.status === filter.status) &&
          (!after || r.id > after),
      )
      .slice(0, first);

  return {
    DateTimeISO,
    ChecklistItem: { __resolveType: () => `${PREFIX}ChecklistItem` },
    Inspector: { __resolveType: () => `${PREFIX}Inspector` },
    RosterTarget: { __resolveType: () => `${PREFIX}Target` },
    DepartmentView: { __resolveType: () => `${PREFIX}View` },

    Query: {
      [CODE]: () => ({ contractVersion: 1 }),
    },

    [`${PREFIX}Query`]: {
      checklist: (_: unknown, args: { includeHistory: boolean }) =>
        (args.includeHistory ? system.allVersions() : system.currentChecklist()).map(toItem),
      checklistItem: (_: unknown, args: { code: string; version?: number | null }) => {
        const versions = system.checklist.filter((i) => i.code === args.code);
        const item = args.version
          ? versions.find((i) => i.version === args.version)
          : versions.sort((a, b) => b.version - a.version)[0];
        return item ? toItem(item) : null;
      },
      targets: (_: unknown, args: PageArgs & { filter?: RosterFilter | null }, ctx: Context) => {
        assertCanReadRoster(ctx.identity);
        return targetPage(args.filter, pageSize(args.first, PAGE_MAX), args.after);
      },
      exportTargets: (_: unknown, args: PageArgs & { filter?: RosterFilter | null }, ctx: Context) => {
        assertCanReadRoster(ctx.identity);
        return targetPage(args.filter, pageSize(args.first, EXPORT_MAX), args.after);
      },
      exportTargetRows: (_: unknown, args: PageArgs & { filter?: RosterFilter | null }, ctx: Context) => {
        assertCanReadRoster(ctx.identity);
        const page = keysetPage(system.filtered(args.filter), pageSize(args.first, ROWS_MAX), args.after);
        let tsv = '';
        for (const t of page.rows) {
          tsv += `${[t.id, t.kind, t.uscc, t.regionCode, t.industryCode, t.creditLevel, t.riskLevel, t.penaltiesLast3Years, t.verifiedComplaints].map(cell).join('\t')}\n`;
        }
        return {
          columns: [...ROSTER_ROW_COLUMNS],
          tsv,
          count: page.rows.length,
          endCursor: page.endCursor,
          hasMore: page.hasMore,
        };
      },
      target: (_: unknown, args: { id: string }, ctx: Context) => {
        assertCanReadRoster(ctx.identity);
        const row = system.targetById(args.id);
        return row ? toTarget(row) : null;
      },
      inspectors: (_: unknown, args: PageArgs & { qualifiedOnly: boolean; domain?: string | null }, ctx: Context) => {
        assertCanReadRoster(ctx.identity);
        const rows = system.inspectors.filter(
          (i) => (!args.domain || i.domains.includes(args.domain)) && (!args.qualifiedOnly || i.qualified),
        );
        const page = keysetPage(rows, pageSize(args.first, PAGE_MAX), args.after);
        return pageOf(
          page.rows.map((i) => toInspector(i, seesPrivate(ctx.identity))),
          page,
          rows.length,
        );
      },
      experts: (_: unknown, args: PageArgs & { expertise?: string | null }, ctx: Context) => {
        assertCanReadRoster(ctx.identity);
        const rows = system.experts.filter((e) => !args.expertise || e.expertise.includes(args.expertise));
        const page = keysetPage(rows, pageSize(args.first, PAGE_MAX), args.after);
        return pageOf(
          page.rows.map((e) => toExpert(e, seesPrivate(ctx.identity))),
          page,
          rows.length,
        );
      },
      results: (
        _: unknown,
        args: PageArgs & { status?: string | null; uscc?: string | null; taskId?: string | null },
        ctx: Context,
      ) => {
        assertCanReadRoster(ctx.identity);
        if (args.first < 1 || args.first > 1000)
          throw badInput('first must be between 1 and 1000.', { field: 'first' });
        const uscc = args.uscc ? assertUscc(args.uscc, 'uscc') : null;
        return resultList({ taskId: args.taskId, uscc, status: args.status }, args.first, args.after).map((r) =>
          toResult(r, seesConfidential(ctx.identity)),
        );
      },
      resultPage: (
        _: unknown,
        args: PageArgs & { status?: string | null; uscc?: string | null; taskId?: string | null },
        ctx: Context,
      ) => {
        assertCanReadRoster(ctx.identity);
        const filter = {
          taskId: args.taskId,
          uscc: args.uscc ? assertUscc(args.uscc, 'uscc') : null,
          status: args.status,
        };
        return resultPageOf(
          resultList(filter, Number.MAX_SAFE_INTEGER, null),
          pageSize(args.first, 1000),
          args.after,
          (r) => toResult(r, seesConfidential(ctx.identity)),
        );
      },
      publishedResults: (_: unknown, args: { uscc: string }) =>
        resultList({ uscc: assertUscc(args.uscc, 'uscc'), status: 'PUBLISHED' }, 1000, null).map((r) =>
          toResult(r, false),
        ),
      publishedResultPage: (_: unknown, args: PageArgs & { uscc: string }) =>
        resultPageOf(
          resultList({ uscc: assertUscc(args.uscc, 'uscc'), status: 'PUBLISHED' }, Number.MAX_SAFE_INTEGER, null),
          pageSize(args.first, 1000),
          args.after,
          (r) => toResult(r, false),
        ),
      outcomes: () => system.sortedOutcomes(),
    },

    MarketEntity: {
      __resolveReference: (reference: { uscc: string }) => ({ uscc: reference.uscc }),
      [CODE]: async (entity: { uscc: string }, _: unknown, ctx: Context) => {
        assertCanReadViews(ctx.identity);
        return toView(entity.uscc, await ctx.targetsByUscc.load(entity.uscc));
      },
    },

    [`${PREFIX}View`]: {
      applicableItems: async (view: { uscc: string }, _: unknown, ctx: Context) => {
        const row = await ctx.targetsByUscc.load(view.uscc);
        return row
          ? system
              .currentChecklist()
              .filter((item) => itemAppliesTo(item, row))
              .map(toItem)
          : [];
      },
      dishonestyRecords: (view: { uscc: string }) =>
        system.results
          .filter((r) => r.uscc === view.uscc && r.dishonesty && r.status === 'PUBLISHED')
          .sort((a, b) => a.publishedAt!.getTime() - b.publishedAt!.getTime())
          .map((r) => toResult(r, false)),
    },

    Mutation: {
      [`${CODE}AddChecklistItem`]: (_: unknown, args: { code: string; input: ChecklistItemInput }, ctx: Context) => {
        assertWriter(ctx.identity);
        if (!ITEM_CODE.test(args.code))
          throw badInput(
            `code '${args.code}': use uppercase letters, digits and dashes, starting with a letter (e.g. CUS-21).`,
            { field: 'code' },
          );
        if (system.checklist.some((i) => i.code === args.code))
          throw fail('CONFLICT', `Checklist item ${args.code} exists already: revise it to make a new version (R5).`, {
            field: 'code',
            rule: 'R5',
          });
        const item: CustomsChecklistItem = {
          code: args.code,
          version: 1,
          ...validateItem(args.input),
          status: 'CURRENT',
          validFrom: system.clock(),
          validUntil: null,
          changeReason: null,
          closeReason: null,
        };
        system.checklist.push(item);
        return toItem(item);
      },
      [`${CODE}ReviseChecklistItem`]: (
        _: unknown,
        args: { code: string; input: ChecklistItemInput; reason: string },
        ctx: Context,
      ) => {
        assertWriter(ctx.identity);
        const reason = requireText(
          args.reason,
          'reason',
          10_000,
          'say which change of law (立改废释) makes the new version',
        );
        const content = validateItem(args.input);
        const current = system.checklist.find((i) => i.code === args.code && i.status === 'CURRENT');
        if (!current)
          throw fail('NOT_FOUND', `No item ${args.code} in force in the ${CODE} checklist.`, { field: 'code' });
        const now = system.clock();
        Object.assign(current, { status: 'SUPERSEDED', validUntil: now, closeReason: reason });
        const next: CustomsChecklistItem = {
          code: args.code,
          version: current.version + 1,
          ...content,
          status: 'CURRENT',
          validFrom: now,
          validUntil: null,
          changeReason: reason,
          closeReason: null,
        };
        system.checklist.push(next);
        return toItem(next);
      },
      [`${CODE}RepealChecklistItem`]: (_: unknown, args: { code: string; reason: string }, ctx: Context) => {
        assertWriter(ctx.identity);
        const reason = requireText(args.reason, 'reason', 10_000, 'say which change of law repeals the item');
        const current = system.checklist.find((i) => i.code === args.code && i.status === 'CURRENT');
        if (!current)
          throw fail('NOT_FOUND', `No item ${args.code} in force in the ${CODE} checklist.`, { field: 'code' });
        Object.assign(current, { status: 'REPEALED', validUntil: system.clock(), closeReason: reason });
        return toItem(current);
      },
      [`${CODE}ImportTargets`]: (_: unknown, args: { targets: RosterTargetInput[] }, ctx: Context) => {
        assertWriter(ctx.identity);
        if (args.targets.length > IMPORT_MAX)
          throw badInput(`targets: at most ${IMPORT_MAX} rows per call, got ${args.targets.length}.`, {
            field: 'targets',
          });
        return system.upsertTargets(validateTargets(args.targets));
      },
      [`${CODE}RecordResults`]: (_: unknown, args: { input: ResultInput[] }, ctx: Context) => {
        assertWriteBack(ctx.identity);
        stats.writeBacks++;
        return system.record(args.input, ctx.identity.subject);
      },
      [`${CODE}ApproveResults`]: (_: unknown, args: { ids: string[] }, ctx: Context) => {
        assertWriter(ctx.identity);
        const now = system.clock();
        return system
          .advance(
            args.ids,
            'RECORDED',
            (r) => Object.assign(r, { status: 'APPROVED', approvedAt: now, approvedBy: ctx.identity.subject }),
            'approved',
          )
          .map((r) => toResult(r, true));
      },
      [`${CODE}PublishResults`]: (_: unknown, args: { ids: string[] }, ctx: Context) => {
        assertWriter(ctx.identity);
        const now = system.clock();
        return system
          .advance(
            args.ids,
            'APPROVED',
            (r) => Object.assign(r, { status: 'PUBLISHED', publishedAt: now }),
            'published',
          )
          .map((r) => toResult(r, true));
      },
      [`${CODE}DefineOutcome`]: (
        _: unknown,
        args: { code: string; label: string; dishonesty: boolean },
        ctx: Context,
      ) => {
        assertWriter(ctx.identity);
        return system.defineOutcome(args.code, args.label, args.dishonesty);
      },
      [`${CODE}CorrectResult`]: (
        _: unknown,
        args: { id: string; outcome: string; notes?: string | null; reason: string },
        ctx: Context,
      ) => {
        assertWriter(ctx.identity, ['PRINCIPAL_HEAD']);
        const reason = requireText(args.reason, 'reason', 2000, 'say what error was proven');
        return toResult(system.correct(args.id, args.outcome, args.notes ?? null, reason, ctx.identity.subject), true);
      },
    },
  } as GraphQLResolverMap<Context>;
}

/**
 * Keeps only the resolvers whose type (and field) the schema has: a test may serve a broken
 * variant of the contract (a field removed), and the server must still start.
 */
function resolversFor(schema: GraphQLSchema, resolvers: GraphQLResolverMap<Context>): GraphQLResolverMap<Context> {
  const kept: GraphQLResolverMap<Context> = {};
  for (const [typeName, config] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!type) continue;
    if (isScalarType(type) || isEnumType(type)) {
      kept[typeName] = config;
      continue;
    }
    if (isInterfaceType(type) || isUnionType(type)) {
      kept[typeName] = Object.fromEntries(
        Object.entries(config).filter(([name]) => name === '__resolveType'),
      ) as GraphQLResolverMap<Context>[string];
      continue;
    }
    if (!isObjectType(type)) continue;
    const fields = type.getFields();
    kept[typeName] = Object.fromEntries(
      Object.entries(config).filter(([name]) => name.startsWith('__') || name in fields),
    ) as GraphQLResolverMap<Context>[string];
  }
  return kept;
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

export interface CustomsStats {
  /** GraphQL POSTs served. */
  requests: number;
  /** The size of each batched roster lookup behind `MarketEntity.customs` (one entry per batch). */
  entityBatches: number[];
  /** Calls of `customsRecordResults` by the hub's service. */
  writeBacks: number;
}

export interface CustomsSubgraphOptions {
  /** The hub's public key set (the hub's key and the gateway's). */
  jwks: { keys: object[] };
  /** The hub's issuer; tokens the gateway forwards come from `<issuer>:gateway`. */
  issuer: string;
  /** This subgraph's own audience: `<hub audience>:customs` (tokens made for another service are refused). */
  audience: string;
  port?: number;
  host?: string;
  /** Enterprises on the demo roster (default 60). */
  targets?: number;
  /** Seed of the demo data (default `customs-demo`). */
  seed?: string;
  /** Serves a changed contract (to check that the hub refuses a broken department). */
  sdlTransform?: (sdl: string) => string;
  /** The time results and checklist changes are stamped with (default: now). */
  clock?: () => Date;
}

export interface CustomsSubgraph {
  /** `http://127.0.0.1:PORT/graphql` */
  url: string;
  /** The SDL served (`_service { sdl }` is built from it). */
  sdl: string;
  stop(): Promise<void>;
  /** What was written back (and what became of it), in id order. */
  results(): StoredResult[];
  /** The roster as it is now, in id order. */
  targets: CustomsTarget[];
  inspectors: CustomsInspector[];
  checklist(): CustomsChecklistItem[];
  stats: CustomsStats;
}

export async function startCustomsSubgraph(options: CustomsSubgraphOptions): Promise<CustomsSubgraph> {
  const sdl = options.sdlTransform ? options.sdlTransform(customsSdl()) : customsSdl();
  const system = new CustomsSystem(
    options.seed ?? 'customs-demo',
    options.targets ?? 60,
    options.clock ?? (() => new Date()),
  );
  const stats: CustomsStats = { requests: 0, entityBatches: [], writeBacks: 0 };
  const typeDefs = parse(sdl);
  const bare = buildSubgraphSchema({ typeDefs });
  const schema = buildSubgraphSchema({
    typeDefs,
    resolvers: resolversFor(bare, createResolvers(system, stats)) as GraphQLResolverMap<unknown>,
  });
  const keys = createLocalJWKSet(options.jwks as JSONWebKeySet);
  const settings = { issuer: options.issuer, audience: options.audience };

  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: CODE });
  });
  const httpServer = http.createServer(app);
  const server = new ApolloServer<Context>({
    schema,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  app.use(
    '/graphql',
    (req, _res, next) => {
      if (req.method === 'POST') stats.requests++;
      next();
    },
    express.json({ limit: '5mb' }),
    expressMiddleware(server, {
      context: async ({ req }) => ({
        identity: await identify(keys, settings, req.headers.authorization),
        targetsByUscc: new Batcher<CustomsTarget | null>((usccs) => {
          stats.entityBatches.push(usccs.length);
          return new Map(usccs.map((u) => [u, system.targetById(u)]));
        }),
      }),
    }),
  );
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}/graphql`,
    sdl,
    stop: () => (stopped ??= server.stop()),
    results: () => system.results.map((r) => ({ ...r, evidence: [...r.evidence], inspectors: [...r.inspectors] })),
    get targets() {
      return system.targets.map((t) => ({ ...t }));
    },
    inspectors: system.inspectors.map((i) => ({ ...i })),
    checklist: () => system.allVersions().map((i) => ({ ...i })),
    stats,
  };
}
