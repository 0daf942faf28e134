/**
 * The two papers the rules require, as PDF (A4, printable, readable on a phone):
 * 《部门联合检查通知书》 before the visit and 《部门联合抽查情况记录表（汇总表）》 after it
 * (seed 004 art. 17; R22, R24, R26, R27, R29, R32). Chinese is set in Noto Sans SC from npm,
 * embedded as subsets; no other font is used.
 */
export type { FormItem, FormPerson, FormTarget, NoticeData, RecordFormData } from './paper-data';
export { renderNotice } from './notice';
export { renderRecordForm } from './record-form';
