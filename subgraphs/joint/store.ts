import type { DataSource, EntityManager } from 'typeorm';
import { retryingDeadlocks } from '../../kernel/datasource';
import { AuditRepository } from './audit/audit-repository';
import { EvidenceRepository } from './evidence/evidence-repository';
import { PaperRepository } from './papers/paper-repository';
import { PlanRepository } from './plans/plan-repository';
import { TaskRepository } from './tasks/task-repository';
import { TeamRepository } from './teams/team-repository';
import { InspectionCodeRepository } from './visits/code-repository';
import { LeadRepository } from './visits/lead-repository';
import { OutboxRepository } from './visits/outbox-repository';
import { ReportRepository } from './visits/report-repository';
import { SubmissionRepository } from './visits/submission-repository';

/**
 * The joint service's repositories, the only code that touches its tables (STYLE.md habit 4):
 * resolvers call services, services call these. A store is built on the service's data source;
 * `transaction(work)` hands `work` a store whose every repository is rebuilt on the transaction's
 * manager, so what it reads and writes is one unit (and, on SQLite, waits its turn: see
 * kernel/datasource.ts). Repositories are made when first used.
 */
export class JointStore {
  /** The repositories made so far, by class. */
  private readonly made = new Map<abstract new (manager: EntityManager) => unknown, unknown>();

  constructor(
    private readonly dataSource: DataSource,
    readonly manager: EntityManager = dataSource.manager,
  ) {}

  get plans(): PlanRepository {
    return this.repository(PlanRepository);
  }
  get tasks(): TaskRepository {
    return this.repository(TaskRepository);
  }
  get teams(): TeamRepository {
    return this.repository(TeamRepository);
  }
  get submissions(): SubmissionRepository {
    return this.repository(SubmissionRepository);
  }
  get outbox(): OutboxRepository {
    return this.repository(OutboxRepository);
  }
  get leads(): LeadRepository {
    return this.repository(LeadRepository);
  }
  get codes(): InspectionCodeRepository {
    return this.repository(InspectionCodeRepository);
  }
  get reports(): ReportRepository {
    return this.repository(ReportRepository);
  }
  get evidence(): EvidenceRepository {
    return this.repository(EvidenceRepository);
  }
  get papers(): PaperRepository {
    return this.repository(PaperRepository);
  }
  get audit(): AuditRepository {
    return this.repository(AuditRepository);
  }

  /** Whether this store is a transaction's. */
  get inTransaction(): boolean {
    return this.manager !== this.dataSource.manager;
  }

  /**
   * Runs `work` in one transaction with every repository on its manager; a store that is a
   * transaction's already runs `work` in it (one unit, not a nested one). With `retryDeadlocks`,
   * a transaction the database aborted to break a deadlock runs again (up to 4 times): `work` must
   * then do nothing outside the database that a second run would repeat.
   */
  transaction<T>(work: (store: JointStore) => Promise<T>, options: { retryDeadlocks?: boolean } = {}): Promise<T> {
    if (this.inTransaction) return work(this);
    const run = () => this.dataSource.transaction((tx) => work(new JointStore(this.dataSource, tx)));
    return options.retryDeadlocks ? retryingDeadlocks(run) : run();
  }

  private repository<R>(make: new (manager: EntityManager) => R): R {
    let repository = this.made.get(make) as R | undefined;
    if (!repository) this.made.set(make, (repository = new make(this.manager)));
    return repository;
  }
}
