import { JointStore } from './store';
import type { GraphQLSchema } from 'graphql';
import type { HubConfig } from '../../kernel/config';
import { openServiceDatabase } from '../../kernel/datasource';
import { buildFederatedSchema } from '../../kernel/federation';
import type { TokenIssuer, TokenVerifier } from '../../kernel/identity';
import type { Logger } from '../../kernel/log';
import { serveGraphQL, serveOnDatabase, type ServiceWithDatabase } from '../../kernel/server';
import { tracingOf } from '../../kernel/tracing';
import { ServiceMetrics } from '../../kernel/metrics';
import type { OperationsSettings } from '../../kernel/operations';
import { jointMetrics } from './metrics';
import { calendarStatus } from './calendar/status';
import { hubCalendar, type WorkingDayCalendar } from './calendar/working-days';
import type { JointContext, JointDeps } from './context';
import { DepartmentClient, type DepartmentEndpoint } from './department-client';
import { AuditResolver } from './audit/audit-resolvers';
import { JOINT_ENTITIES } from './entities';
import { JointService1763910000000 } from './migrations/1763910000000-JointService';
import { WriteBack1763930000000 } from './migrations/1763930000000-WriteBack';
import { InspectionCodes1763940000000 } from './migrations/1763940000000-InspectionCodes';
import { InspectionCodeResolver } from './visits/code-resolvers';
import { StatisticsResolver } from './visits/statistics-resolvers';
import { PublicationDeadlineResolver } from './visits/deadline-resolvers';
import { LeadResolver } from './visits/lead-resolvers';
import { Leads1763960000000 } from './migrations/1763960000000-Leads';
import { OutboxLeaseId1764000000000 } from './migrations/1764000000000-OutboxLeaseId';
import { TrainingRecords1764100000000 } from './migrations/1764100000000-TrainingRecords';
import { OnSite1764400000000 } from './migrations/1764400000000-OnSite';
import { OutboxTraceParent1765000000000 } from './migrations/1765000000000-OutboxTraceParent';
import { PaperResolver } from './papers/resolvers';
import { EvidenceService } from './evidence/evidence-service';
import { evidenceRoutes } from './evidence/evidence-routes';
import { OutboxDeliverer } from './visits/outbox-deliverer';
import { PlanResolver } from './plans/plan-resolvers';
import { TaskResolver } from './tasks/task-resolvers';
import { TeamResolver } from './teams/team-resolvers';
import { VisitResolver } from './visits/visit-resolvers';
import { MarketEntityRef } from './tasks/types';
import { TrainingResolver } from './training';
import type { SettableClock } from '../../kernel/settable-clock';

/** The joint service's name in the hub (a reserved code: no department may take it). */
export const JOINT_SERVICE = 'joint';

export const JOINT_MIGRATIONS = [
  JointService1763910000000,
  WriteBack1763930000000,
  InspectionCodes1763940000000,
  Leads1763960000000,
  OutboxLeaseId1764000000000,
  TrainingRecords1764100000000,
  OnSite1764400000000,
  OutboxTraceParent1765000000000,
];

/** The joint subgraph's schema: plans, tasks and draws (and, referenced, `MarketEntity`). */
export function buildJointSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [
      PlanResolver,
      TaskResolver,
      TeamResolver,
      VisitResolver,
      InspectionCodeResolver,
      StatisticsResolver,
      PublicationDeadlineResolver,
      LeadResolver,
      AuditResolver,
      TrainingResolver,
      PaperResolver,
    ],
    orphanedTypes: [MarketEntityRef],
  });
}

export interface RunningJoint extends ServiceWithDatabase {
  deps: JointDeps;
  /** Delivers results to the departments (R24); runs on an interval and after each submission. */
  deliverer: OutboxDeliverer;
}

export interface JointOptions {
  verifier: TokenVerifier;
  /** Signs the joint service's own SERVICE tokens for calling departments. */
  issuer: TokenIssuer;
  logger: Logger;
  port: number;
  /** The departments it reads through their contract (changes when the registry accepts a subgraph). */
  departments: () => readonly DepartmentEndpoint[];
  calendar?: WorkingDayCalendar;
  clock?: () => Date;
  /**
   * A training hub's clock (JOINTCHECK_MODE=training): the service runs on it and lets it be moved; records are marked
   * training.
   */
  trainingClock?: SettableClock;
  /** How often the outbox is looked at, in ms. */
  deliveryIntervalMs?: number;
}

/**
 * Starts the joint service on its own database. Its working-day calendar is read from the
 * holiday notices' folder (`calendarDir`, the shipped one by default) once, at start; a year the
 * work of today needs and whose notice is missing is logged as a warning and shown by `/health`
 * (counts there are provisional, R11, R25).
 */
export async function startJoint(
  config: Pick<HubConfig, 'db' | 'host' | 'limits'> &
    Partial<Pick<HubConfig, 'calendarDir' | 'onSite' | 'outbox'>> &
    OperationsSettings,
  options: JointOptions,
): Promise<RunningJoint> {
  const calendar = options.calendar ?? hubCalendar(config);
  const trainingClock = options.trainingClock ?? null;
  const clock = options.clock ?? (trainingClock ? () => trainingClock.now() : () => new Date());
  const database = await openServiceDatabase(config.db, JOINT_SERVICE, {
    entities: JOINT_ENTITIES,
    migrations: JOINT_MIGRATIONS,
  });
  const deps: JointDeps = {
    store: new JointStore(database.dataSource),
    departments: new DepartmentClient(options.departments, options.issuer),
    calendar,
    clock,
    trainingClock,
    // Issue J; a configuration without it (a test's) gets the defaults of kernel/config.ts.
    onSite: { ...(config.onSite ?? { maxEvidenceBytes: 10 * 1024 * 1024, publicUrl: 'http://localhost:4000' }) },
  };
  const metrics = new ServiceMetrics(JOINT_SERVICE);
  deps.metrics = jointMetrics(metrics, deps);
  deps.tracing = tracingOf(config, JOINT_SERVICE);
  const atStart = calendarStatus(calendar, clock());
  if (atStart.provisionalYears.length)
    options.logger.warn({ provisionalYears: atStart.provisionalYears }, atStart.note);
  const deliverer = new OutboxDeliverer(
    deps,
    options.logger,
    options.deliveryIntervalMs ?? 1000,
    config.outbox?.leaseMs,
  );
  deps.afterSubmit = () => deliverer.soon();
  const running = await serveOnDatabase(database, async () =>
    serveGraphQL<JointContext>({
      name: JOINT_SERVICE,
      schema: await buildJointSchema(),
      verifier: options.verifier,
      host: config.host,
      port: options.port,
      logger: options.logger,
      context: (base) => ({ ...base, joint: deps }),
      limits: config.limits,
      metrics,
      tracing: deps.tracing,
      operations: config,
      // Issue J: photos, documents, signatures and the hub's papers, over plain HTTP (binary files).
      routes: evidenceRoutes(new EvidenceService(deps), options.logger),
      // A missing holiday notice makes deadlines provisional, not the service unhealthy: reported, still ok.
      health: async () => ({ ok: true, detail: { calendar: calendarStatus(deps.calendar, deps.clock()) } }),
    }),
  );
  deliverer.start();
  return {
    ...running,
    deps,
    deliverer,
    stop: async () => {
      await deliverer.stop();
      await running.stop();
    },
  };
}
