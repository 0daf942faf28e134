import type { ClassType } from '../../kernel/class-type';
import type DataLoader from 'dataloader';
import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root, registerEnumType } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { DepartmentView } from '../department-kernel/contract/interfaces';
import { defineDepartment, type OwnContext } from '../department-kernel/define';
import type { DepartmentTypes } from '../department-kernel/types';
import { insertChunked } from '../department-kernel/demo/department-demo';
import { entityFraction, pick, rngFor } from '../department-kernel/demo/generator';
import { rowsByColumn } from '../department-kernel/loaders';
import { ENVIRONMENT_CHECKLIST, ENVIRONMENT_DOMAINS } from './checklist.seed';
import { DischargePermitRow } from './entities';
import { DischargePermits1763900003000 } from './migrations/1763900003000-DischargePermits';

export enum PermitClass {
  KEY = 'KEY',
  SIMPLIFIED = 'SIMPLIFIED',
  REGISTRATION = 'REGISTRATION',
}
registerEnumType(PermitClass, {
  name: 'PermitClass',
  description: 'Permit management class: 重点管理 (KEY), 简化管理 (SIMPLIFIED), 登记管理 (REGISTRATION).',
});

@ObjectType('DischargePermit', { description: 'A pollutant-discharge permit (排污许可证, 《排污许可管理条例》).' })
class DischargePermit {
  @Field()
  permitNo!: string;
  @Field(() => PermitClass)
  managementClass!: PermitClass;
  @Field(() => [String])
  pollutants!: string[];
  @Field({ description: 'Valid until (YYYY-MM-DD).' })
  validUntil!: string;
}

interface EnvironmentOwn {
  permitsByUscc: DataLoader<string, DischargePermitRow[]>;
}

function environmentResolvers(types: DepartmentTypes): ClassType[] {
  @Resolver(() => types.View)
  class EnvironmentViewResolver {
    @FieldResolver(() => [DischargePermit], {
      description: 'Pollutant-discharge permits held (one per site or outlet group); empty when none.',
    })
    dischargePermits(@Root() view: DepartmentView, @Ctx() ctx: OwnContext<EnvironmentOwn>) {
      return ctx.own.permitsByUscc.load(view.uscc);
    }
  }
  return [EnvironmentViewResolver];
}

const POLLUTANTS = ['化学需氧量', '氨氮', '颗粒物', '二氧化硫', '氮氧化物', '挥发性有机物', '总磷', '油烟'];

/** Ecology and environment (生态环境): dischargers, environmental inspectors, its checklist and permits. */
export const environment = defineDepartment<EnvironmentOwn>({
  code: 'environment',
  name: '生态环境局',
  entities: [DischargePermitRow],
  migrations: [DischargePermits1763900003000],
  resolvers: environmentResolvers,
  createOwnScope: (dataSource: DataSource) => ({
    permitsByUscc: rowsByColumn(dataSource.manager, DischargePermitRow, 'uscc'),
  }),
  demo: {
    checklist: ENVIRONMENT_CHECKLIST,
    domains: ENVIRONMENT_DOMAINS,
    unit: (district) => (district === '上海市' ? '上海市生态环境局' : `${district}生态环境局`),
    certificateCode: 'HJ',
    inspectors: 48,
    experts: 14,
    // Manufacturing and utilities discharge; some restaurants are registered for cooking fumes.
    onRoster: (e, seed) =>
      e.industryCode.startsWith('C') ||
      e.industryCode.startsWith('D') ||
      (e.industryCode === 'H62' && entityFraction(seed, e, 'env-roster') < 0.3),
    seedOwn: async (manager, seed, rostered) => {
      const rows = rostered
        .filter((e) => e.kind === 'ENTERPRISE' && !e.industryCode.startsWith('H'))
        .map((e) => {
          const rng = rngFor(seed, 'env-permit', e.index);
          const heavy = e.industryCode === 'C26' || e.industryCode.startsWith('D');
          const managementClass =
            heavy && rng() < 0.6 ? PermitClass.KEY : rng() < 0.5 ? PermitClass.SIMPLIFIED : PermitClass.REGISTRATION;
          return Object.assign(new DischargePermitRow(), {
            permitNo: `${e.uscc}001${managementClass === PermitClass.KEY ? 'P' : managementClass === PermitClass.SIMPLIFIED ? 'V' : 'W'}`,
            uscc: e.uscc,
            managementClass,
            pollutants: [...new Set([pick(rng, POLLUTANTS), pick(rng, POLLUTANTS)])],
            validUntil:
              `20${27 + Math.floor(rng() * 4)}-${String(1 + Math.floor(rng() * 12)).padStart(2, '0')}-30`.replace(
                '-02-30',
                '-02-28',
              ),
          });
        });
      await insertChunked(manager, DischargePermitRow, rows);
    },
  },
});
