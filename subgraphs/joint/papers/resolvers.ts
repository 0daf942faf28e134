import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { JointContext } from '../context';
import type { BusinessAcknowledgementEnum } from '../enums';
import type { NoticeRow, RecordFormRow } from './entities';
import { NoticeService } from './notice-service';
import { RecordFormService } from './record-form-service';
import { NoticeInput, RecordFormInput, RecordFormType, VisitNoticeType } from './graphql-types';

/** Where the gateway (and the joint service) serve a stored file. */
export const documentPath = (sha256: string): string => `/evidence/${sha256}`;

export function toRecordForm(row: RecordFormRow, latestVersion: number): RecordFormType {
  return {
    ...row,
    acknowledgement: row.acknowledgement as BusinessAcknowledgementEnum,
    current: row.version === latestVersion,
    documentPath: documentPath(row.pdfSha256),
  };
}

export function toNotice(row: NoticeRow): VisitNoticeType {
  return { ...row, documentPath: documentPath(row.pdfSha256) };
}

/**
 * The papers of a visit (issue J): the joint record form and the notice. Read through Visit.recordForms and
 * Visit.notices.
 */
@Resolver()
export class PaperResolver {
  @Mutation(() => RecordFormType, {
    description:
      "A team member has the joint record form made once the visit's results are submitted and the business " +
      '(or, on its refusal, the inspectors) and the whole team have signed on the phone; archived with its ' +
      'SHA-256 in the audit trail (R29). Sent again, the same form is answered.',
  })
  async jointSignRecordForm(
    @Arg('input', () => RecordFormInput) input: RecordFormInput,
    @Ctx() ctx: JointContext,
  ): Promise<RecordFormType> {
    const service = new RecordFormService(ctx.joint);
    const row = await service.sign(ctx.identity, input);
    const versions = await service.formsOf(row.taskId, [row.targetKey]);
    return toRecordForm(row, Math.max(...versions.map((v) => v.version)));
  }

  @Mutation(() => VisitNoticeType, {
    description:
      "The lead department's coordinator makes the notice of a visit (部门联合检查通知书), unless its task is not to " +
      'be announced.',
  })
  async jointMakeNotice(
    @Arg('input', () => NoticeInput) input: NoticeInput,
    @Ctx() ctx: JointContext,
  ): Promise<VisitNoticeType> {
    return toNotice(await new NoticeService(ctx.joint).issue(ctx.identity, input));
  }
}
