import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ResultStatus } from '../../department-kernel/contract/enums';

@ObjectType('ResultDeadline', {
  description: 'A result of a locked task not published yet, and when it must be (R25, R31).',
})
export class ResultDeadlineType {
  @Field({ description: 'The department that recorded the result and publishes it (R24).' })
  department!: string;
  @Field(() => ID, { description: "The result's id in its department." })
  resultId!: string;
  @Field(() => ID)
  taskId!: string;
  @Field({ description: "The task's name, as its lead department gave it." })
  taskName!: string;
  @Field({ description: "The visit's target, by its key in the task's drawn list." })
  targetKey!: string;
  @Field(() => String, { nullable: true, description: 'Its unified social credit code, when it has one.' })
  uscc!: string | null;
  @Field({ description: "The item checked, by its code in the department's checklist." })
  itemCode!: string;
  @Field({ description: 'The day the check ended: the result is formed (R25).' })
  inspectedOn!: string;
  @Field(() => ResultStatus, {
    description: 'RECORDED or APPROVED: what the department still has to do before publishing.',
  })
  status!: ResultStatus;
  @Field({
    description: 'The last day to publish it (China date, YYYY-MM-DD): the 20th working day after inspectedOn (R25).',
  })
  deadline!: string;
  @Field(() => Int, {
    description:
      'Working days from today (China) to the deadline: 0 on the deadline day, negative once it has passed; ' +
      'a day off counts as the next working day.',
  })
  workingDaysLeft!: number;
  @Field({ description: 'Today is after the deadline (R31).' })
  overdue!: boolean;
  @Field({
    description:
      'The deadline or the working days left were counted through a year whose State Council holiday notice ' +
      'is not loaded yet: on weekends and the statutory holidays alone, without its swapped and make-up ' +
      'days. Final once the year is loaded (jointStatistics.provisionalCalendarYears names the year).',
  })
  provisional!: boolean;
}
