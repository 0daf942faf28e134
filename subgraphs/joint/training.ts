import { Arg, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { badInput, forbidden } from '../../kernel/errors';
import { Role, type Identity } from '../../kernel/identity';
import { isCalendarDay } from '../../kernel/validation';
import { assertRoleAmong } from './access';
import { chinaDate } from './calendar/working-days';
import type { JointContext, JointDeps } from './context';

/*
 * The training hub (培训/演练环境, JOINTCHECK_MODE=training). A new user cannot try a draw on the
 * day they install: the witness must be published after the task commits (R16), so a real draw
 * waits for a real lottery. In a training hub the clock can be moved forward to the witness date
 * (and to any later step: the lock, the visits, the publication deadlines), and every plan and
 * task it makes is marked as training for good: in the API (`Plan.training`, `Task.training`),
 * in the draw records and on the public page. Production (JOINTCHECK_MODE=production) and the
 * ordinary development hub refuse to move the clock.
 */

@ObjectType('TrainingClock', {
  description: "The hub's clock, and whether this is a training hub (培训/演练环境) whose clock can be moved.",
})
export class TrainingClockType {
  @Field({
    description:
      'A training hub: its clock can be moved and every plan and task it makes is marked as training (not a ' +
      'real inspection).',
  })
  training!: boolean;
  @Field({ description: "The hub's time now." })
  now!: Date;
  @Field({ description: 'Today in China (YYYY-MM-DD) by that clock.' })
  today!: string;
  @Field({ description: 'The clock has been moved away from real time.' })
  moved!: boolean;
}

const MOVERS = [Role.COORDINATOR, Role.HUB_ADMIN];

/** What the training resolver stores: the clock's moves, on the audit trail (R29). */
export class TrainingService {
  constructor(private readonly deps: JointDeps) {}

  /** Records on the audit trail (R29) that `who` moves the training clock from `from` to `to`. */
  async recordClockMove(who: Identity, from: Date, to: Date): Promise<void> {
    await this.deps.store.transaction(async (tx) => {
      await tx.audit.append(
        who,
        {
          action: 'training.clock-moved',
          entityId: 'clock',
          details: { from: from.toISOString(), to: to.toISOString() },
        },
        from,
      );
    });
  }
}

@Resolver()
export class TrainingResolver {
  @Query(() => TrainingClockType, {
    description:
      'Whether this hub is a training hub (培训/演练环境), and its clock (public: the public page marks a training hub).',
  })
  jointTrainingClock(@Ctx() ctx: JointContext): TrainingClockType {
    return clockOf(ctx);
  }

  @Mutation(() => TrainingClockType, {
    description:
      'Training hub only (JOINTCHECK_MODE=training): moves the hub clock forward to `to` (YYYY-MM-DD, 10:00 ' +
      "China time, or an ISO instant), e.g. to a task's witness date to try a draw. Coordinators and hub " +
      'admins; refused in production and development hubs. On the audit trail (R29).',
  })
  async jointMoveTrainingClock(
    @Arg('to', () => String) to: string,
    @Ctx() ctx: JointContext,
  ): Promise<TrainingClockType> {
    assertRoleAmong(ctx.identity, MOVERS, 'move the training clock');
    const clock = ctx.joint.trainingClock;
    if (!clock) {
      throw forbidden(
        'The clock can be moved only in a training hub (培训/演练环境: start it with JOINTCHECK_MODE=training); ' +
          'this hub keeps real time, as a production hub must.',
        { field: 'to' },
      );
    }
    // A day is taken at 10:00 China time, when offices are open; anything else must be an ISO instant.
    const day = /^\d{4}-\d{2}-\d{2}$/.test(to);
    const target = day ? new Date(`${to}T10:00:00+08:00`) : new Date(to);
    if ((day && !isCalendarDay(to)) || !Number.isFinite(target.getTime())) {
      throw badInput(`to '${to}' is neither a date (YYYY-MM-DD) nor an ISO instant (2027-01-04T10:00:00+08:00).`, {
        field: 'to',
      });
    }
    const now = clock.now();
    // Records are stamped in order (the audit trail, R29): time is never moved back.
    if (target.getTime() <= now.getTime())
      throw badInput(
        `The training clock only moves forward: it reads ${now.toISOString()}, and ${target.toISOString()} is ` +
          `not later.`,
        { field: 'to' },
      );
    await new TrainingService(ctx.joint).recordClockMove(ctx.identity, now, target);
    clock.set(target);
    return clockOf(ctx);
  }
}

function clockOf(ctx: JointContext): TrainingClockType {
  const now = ctx.joint.clock();
  return {
    training: ctx.joint.trainingClock !== null,
    now,
    today: chinaDate(now),
    moved: ctx.joint.trainingClock?.isSet ?? false,
  };
}
