import type { ClassType } from '../../kernel/class-type';
import type DataLoader from 'dataloader';
import { Arg, Ctx, Field, FieldResolver, ID, ObjectType, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { assertCanReadViews } from '../department-kernel/access';
import { TargetKind } from '../department-kernel/contract/enums';
import type { DepartmentView, RosterTarget } from '../department-kernel/contract/interfaces';
import { defineDepartment, type OwnContext } from '../department-kernel/define';
import { RosterTargetRow } from '../department-kernel/entities';
import type { DepartmentTypes } from '../department-kernel/types';
import { DEMO_EPOCH, insertChunked } from '../department-kernel/demo/department-demo';
import { demoFacts, pick, rngFor } from '../department-kernel/demo/generator';
import { REGIONS } from '../department-kernel/demo/names';
import { rowByColumn, rowsByColumn } from '../department-kernel/loaders';
import { HOUSING_CHECKLIST, HOUSING_DOMAINS } from './checklist.seed';
import { ProjectRow, QualificationRow } from './entities';
import { HousingProjects1763900004000 } from './migrations/1763900004000-HousingProjects';

@ObjectType('HousingQualification', { description: 'A construction enterprise qualification (建筑业企业资质).' })
class HousingQualification {
  @Field()
  certificateNo!: string;
  @Field({ description: 'e.g. 建筑工程施工总承包.' })
  category!: string;
  @Field({ description: '特级, 一级, 二级 or 三级.' })
  grade!: string;
  @Field()
  validUntil!: string;
}

@ObjectType('HousingProject', {
  description: "A construction project: a target of its own, keyed by its id, with its contractor's USCC.",
})
class HousingProject {
  @Field(() => ID)
  id!: string;
  @Field()
  name!: string;
  @Field()
  address!: string;
  @Field()
  regionCode!: string;
  @Field({ description: 'USCC of the responsible contractor.' })
  contractorUscc!: string;
  @Field({ description: 'Construction permit number (施工许可证号).' })
  permitNo!: string;
  @Field()
  startedOn!: string;
  @Field({ description: 'UNDER_CONSTRUCTION or COMPLETED.' })
  stage!: string;
}

interface HousingOwn {
  qualificationsByUscc: DataLoader<string, QualificationRow[]>;
  projectsByContractor: DataLoader<string, ProjectRow[]>;
  projectById: DataLoader<string, ProjectRow | null>;
}
type HousingContext = OwnContext<HousingOwn>;

function housingResolvers(types: DepartmentTypes): ClassType[] {
  @Resolver(() => types.View)
  class HousingViewResolver {
    @FieldResolver(() => [HousingQualification], { description: 'Construction qualifications held.' })
    qualifications(@Root() view: DepartmentView, @Ctx() ctx: HousingContext) {
      return ctx.own.qualificationsByUscc.load(view.uscc);
    }

    @FieldResolver(() => [HousingProject], {
      description: 'Projects this entity is the contractor of (each a target of its own).',
    })
    projects(@Root() view: DepartmentView, @Ctx() ctx: HousingContext) {
      return ctx.own.projectsByContractor.load(view.uscc);
    }
  }

  @Resolver(() => types.Target)
  class HousingTargetResolver {
    @FieldResolver(() => HousingProject, {
      nullable: true,
      description: 'Project details when the target is a project.',
    })
    async project(@Root() target: RosterTarget, @Ctx() ctx: HousingContext) {
      return target.kind === TargetKind.PROJECT ? ctx.own.projectById.load(target.id) : null;
    }
  }

  @Resolver(() => types.Query)
  class HousingQueryResolver {
    @FieldResolver(() => HousingProject, {
      nullable: true,
      description: 'A construction project by id (R30: as the housing view of its contractor).',
    })
    async project(@Arg('id', () => ID) id: string, @Ctx() ctx: HousingContext) {
      assertCanReadViews(ctx.identity, 'housing'); // R30
      return ctx.own.projectById.load(id);
    }
  }
  return [HousingViewResolver, HousingTargetResolver, HousingQueryResolver];
}

const QUALIFICATIONS = [
  '建筑工程施工总承包',
  '市政公用工程施工总承包',
  '地基基础工程专业承包',
  '建筑装修装饰工程专业承包',
  '钢结构工程专业承包',
];
const PROJECT_WORDS = ['住宅小区', '商业综合体', '办公楼', '学校教学楼', '市政道路改建工程', '厂房'];

/**
 * Housing and urban-rural construction (住建): contractors and projects, its inspectors, checklist and qualifications.
 */
export const housing = defineDepartment<HousingOwn>({
  code: 'housing',
  name: '住房和城乡建设管理委员会',
  entities: [QualificationRow, ProjectRow],
  migrations: [HousingProjects1763900004000],
  resolvers: housingResolvers,
  orphanedTypes: [HousingProject],
  createOwnScope: (dataSource: DataSource) => ({
    qualificationsByUscc: rowsByColumn(dataSource.manager, QualificationRow, 'uscc'),
    projectsByContractor: rowsByColumn(dataSource.manager, ProjectRow, 'contractorUscc'),
    projectById: rowByColumn(dataSource.manager, ProjectRow, 'id'),
  }),
  demo: {
    checklist: HOUSING_CHECKLIST,
    domains: HOUSING_DOMAINS,
    unit: (district) => (district === '上海市' ? '上海市住房和城乡建设管理委员会' : `${district}建设和管理委员会`),
    certificateCode: 'ZJ',
    inspectors: 40,
    experts: 12,
    // Contractors and developers (谁审批、谁监管: housing licenses them).
    onRoster: (e) => e.kind === TargetKind.ENTERPRISE && (e.industryCode.startsWith('E') || e.industryCode === 'K70'),
    seedOwn: async (manager, seed, rostered) => {
      const qualifications: QualificationRow[] = [];
      const projects: ProjectRow[] = [];
      const projectTargets: RosterTargetRow[] = [];
      for (const e of rostered.filter((x) => x.industryCode.startsWith('E'))) {
        const rng = rngFor(seed, 'housing', e.index);
        qualifications.push(
          Object.assign(new QualificationRow(), {
            certificateNo: `D2${e.regionCode.slice(0, 4)}${String(e.index).padStart(8, '0')}`,
            uscc: e.uscc,
            category: pick(rng, QUALIFICATIONS),
            grade: pick(rng, ['一级', '二级', '二级', '三级', '三级']),
            validUntil: `20${28 + Math.floor(rng() * 3)}-12-31`,
          }),
        );
        const count = Math.floor(rng() * 3);
        for (let k = 0; k < count; k++) {
          const region = pick(rng, REGIONS);
          const id = `P${region.code}${String(e.index).padStart(7, '0')}${k}`;
          const name = `${region.name}${pick(rng, region.roads)}${pick(rng, PROJECT_WORDS)}`;
          const year = 2023 + Math.floor(rng() * 3);
          projects.push(
            Object.assign(new ProjectRow(), {
              id,
              name,
              address: `上海市${region.name}${pick(rng, region.roads)}${1 + Math.floor(rng() * 900)}号`,
              regionCode: region.code,
              contractorUscc: e.uscc,
              permitNo: `${region.code}${year}${String(e.index % 10000).padStart(4, '0')}${k}0101`,
              startedOn: `${year}-0${1 + Math.floor(rng() * 9)}-01`,
              stage: rng() < 0.7 ? 'UNDER_CONSTRUCTION' : 'COMPLETED',
            }),
          );
          projectTargets.push(
            Object.assign(new RosterTargetRow(), {
              id,
              kind: TargetKind.PROJECT,
              uscc: e.uscc,
              name,
              regionCode: region.code,
              industryCode: e.industryCode,
              ...demoFacts(seed, 'housing-project', { index: e.index * 3 + k, latentRisk: e.latentRisk }),
              updatedAt: DEMO_EPOCH,
            }),
          );
        }
      }
      await insertChunked(manager, QualificationRow, qualifications);
      await insertChunked(manager, ProjectRow, projects);
      await insertChunked(manager, RosterTargetRow, projectTargets);
    },
  },
});
