import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { badInput } from '../../../kernel/errors';
import { requireText } from '../../../kernel/validation';
import type { JointContext } from '../context';
import { visitItems } from './checklist';
import { InspectionCodeService } from './issue-code';

@ObjectType('CodeCheckItem', { description: 'A checklist item the visit checks (R22), as a business sees it.' })
class CodeCheckItem {
  @Field()
  department!: string;
  @Field({ description: "The item's code in the department's checklist." })
  code!: string;
  @Field({ deprecationReason: 'Use code.', description: 'The same as code.' })
  itemCode!: string;
  @Field()
  title!: string;
  @Field({ description: 'Legal basis (抽查依据).' })
  basis!: string;
}

@ObjectType('CodeCheckInspector')
class CodeCheckInspector {
  @Field()
  department!: string;
  @Field()
  name!: string;
  @Field(() => String, { nullable: true, description: 'Enforcement certificate number (执法证号).' })
  certificateNo!: string | null;
}

@ObjectType('InspectionCodeCheck', {
  description:
    'What a business sees when it checks an inspection code (R32): is the visit genuine, who, what, on what ' +
    'basis. Nothing private.',
})
class InspectionCodeCheck {
  @Field({ description: 'True when the code belongs to a registered visit.' })
  genuine!: boolean;
  @Field(() => String, { nullable: true })
  taskName!: string | null;
  @Field({
    description: 'The visit belongs to a training task (培训/演练环境): a practice visit, not a real inspection.',
  })
  training!: boolean;
  @Field(() => Int, { nullable: true })
  year!: number | null;
  @Field(() => String, { nullable: true })
  leadDepartment!: string | null;
  @Field(() => [String])
  departments!: string[];
  @Field(() => [CodeCheckItem], { description: "The items the visit checks. Not paged: bounded by the plan's items." })
  items!: CodeCheckItem[];
  @Field(() => [CodeCheckInspector], { description: "The visit's active inspectors. Not paged: one team's." })
  inspectors!: CodeCheckInspector[];
}

const NOT_GENUINE = {
  genuine: false,
  taskName: null,
  training: false,
  year: null,
  leadDepartment: null,
  departments: [],
  items: [],
  inspectors: [],
};

@Resolver()
export class InspectionCodeResolver {
  @Mutation(() => String, {
    description:
      'Issues the inspection code of a registered visit (R32), or gives the one issued: a team member or a ' +
      'lead coordinator.',
  })
  async jointIssueInspectionCode(
    @Arg('taskId', () => ID) taskId: string,
    @Arg('targetKey', () => String) targetKey: string,
    @Ctx() ctx: JointContext,
  ): Promise<string> {
    return new InspectionCodeService(ctx.joint).issue(ctx.identity, taskId, targetKey);
  }

  @Query(() => InspectionCodeCheck, {
    description: 'Checks an inspection code (检查码, R32). Public: a business verifies that a visit is genuine.',
  })
  async jointCheckInspectionCode(@Arg('code', () => String) code: string, @Ctx() ctx: JointContext) {
    const checked = await new InspectionCodeService(ctx.joint).check(code);
    if (!checked) return NOT_GENUINE;
    const { task, content, visit, inspectors } = checked;
    return {
      genuine: true,
      taskName: task.name,
      training: task.training,
      year: task.year,
      leadDepartment: task.leadDepartment,
      departments: content.departments,
      items: visitItems(content, visit).map((i) => ({
        department: i.department,
        code: i.code,
        itemCode: i.code,
        title: i.title,
        basis: i.basis,
      })),
      // Names and certificate numbers only: no phone, no id (R30).
      inspectors: inspectors.map((t) => ({ department: t.department, name: t.name, certificateNo: t.certificateNo })),
    };
  }

  @Mutation(() => Boolean, {
    description: 'A business rates a visit (1 to 5) against its inspection code; the coordinators see it.',
  })
  async jointRateVisit(
    @Arg('code', () => String) code: string,
    @Arg('rating', () => Int) rating: number,
    @Arg('comment', () => String, { nullable: true }) comment: string | null,
    @Ctx() ctx: JointContext,
  ) {
    if (!Number.isInteger(rating) || rating < 1 || rating > 5)
      throw badInput('rating is a whole number from 1 to 5.', { field: 'rating' });
    return this.leave(ctx, code, 'RATING', rating, comment ? requireText(comment, 'comment', 2000) : '');
  }

  @Mutation(() => Boolean, {
    description: 'A business complains about a visit against its inspection code; the coordinators see it.',
  })
  async jointComplainAboutVisit(
    @Arg('code', () => String) code: string,
    @Arg('text', () => String) text: string,
    @Ctx() ctx: JointContext,
  ) {
    return this.leave(ctx, code, 'COMPLAINT', null, requireText(text, 'text', 5000, 'say what happened'));
  }

  private async leave(
    ctx: JointContext,
    code: string,
    kind: 'RATING' | 'COMPLAINT',
    rating: number | null,
    text: string,
  ): Promise<boolean> {
    await new InspectionCodeService(ctx.joint).leave(code, kind, rating, text);
    return true;
  }
}
