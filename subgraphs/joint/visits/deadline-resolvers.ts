import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { AFTER_DESCRIPTION, firstDescription, pageOfList, pageType, type PageOf } from '../../../kernel/paging';
import { pageSize } from '../../../kernel/validation';
import type { JointContext } from '../context';
import { PublicationDeadlineService } from './deadline-service';
import { ResultDeadlineType } from './deadline-types';

/** A page of publication deadlines (H1 point 5). */
const ResultDeadlinePage = pageType(
  'ResultDeadlinePage',
  ResultDeadlineType,
  'A page of unpublished results with their deadlines (R25, R31), by deadline, department and result id.',
);

/** The most deadlines one call lists (the largest page), and the default page. */
const DEADLINES_MAX = 1000;
const DEADLINES_DEFAULT = 200;

const DESCRIPTION =
  "The results of a year's locked tasks not published yet, each with its deadline (R25) and whether it is " +
  'overdue (R31), by deadline, department and result id. Signed in: hub admins, auditors and hub services ' +
  "every department's; a department's staff its own; a coordinator also those of the tasks its department " +
  'leads (R30).';

@Resolver()
export class PublicationDeadlineResolver {
  @Query(() => [ResultDeadlineType], {
    deprecationReason: 'Use jointPublicationDeadlinePage.',
    description: DESCRIPTION,
  })
  async jointPublicationDeadlines(
    @Arg('year', () => Int) year: number,
    @Arg('department', () => String, {
      nullable: true,
      description: "Only this department's results; leave it out for every department the caller sees.",
    })
    department: string | null,
    @Arg('overdueOnly', { defaultValue: false, description: 'Only the results past their deadline.' })
    overdueOnly: boolean,
    @Arg('first', () => Int, {
      defaultValue: DEADLINES_DEFAULT,
      description: 'At most this many (1 to 1,000), the earliest deadlines first.',
    })
    first: number,
    @Ctx() ctx: JointContext,
  ): Promise<ResultDeadlineType[]> {
    return (
      await new PublicationDeadlineService(ctx.joint).deadlines(ctx.identity, year, department, overdueOnly, () =>
        pageSize(first, DEADLINES_MAX),
      )
    ).slice(0, first);
  }

  @Query(() => ResultDeadlinePage, {
    nullable: true,
    description: `${DESCRIPTION} A page of them; null, with an error, for a caller refused.`,
  })
  async jointPublicationDeadlinePage(
    @Arg('year', () => Int) year: number,
    @Arg('department', () => String, {
      nullable: true,
      description: "Only this department's results; leave it out for every department the caller sees.",
    })
    department: string | null,
    @Arg('overdueOnly', { defaultValue: false, description: 'Only the results past their deadline.' })
    overdueOnly: boolean,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
    @Arg('first', () => Int, {
      defaultValue: DEADLINES_DEFAULT,
      description: firstDescription(DEADLINES_MAX, DEADLINES_DEFAULT, 'results'),
    })
    first: number,
    @Ctx() ctx: JointContext,
  ): Promise<PageOf<ResultDeadlineType>> {
    // Read from every department asked and sorted by deadline, so paged in memory (a year's unpublished results).
    return pageOfList(
      await new PublicationDeadlineService(ctx.joint).deadlines(ctx.identity, year, department, overdueOnly, () =>
        pageSize(first, DEADLINES_MAX),
      ),
      first,
      after,
      DEADLINES_MAX,
    );
  }
}
