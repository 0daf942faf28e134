import { connectedDepartment } from '../../connectors/department';

/**
 * Health (卫生健康委员会), a department whose rosters, inspectors and checklist stay in its own
 * existing REST system (issue E): the kernel's contract types and resolvers, served from the
 * REST connector (connectors/rest, mapping in connectors/health/mapping.yaml; `connect.ts`). Its demo data is the
 * existing system's (connectors/upstream/health-system), so none is generated here; results
 * written back are kept in its subgraph's own database.
 */
export const health = connectedDepartment('health', '卫生健康委员会', '卫健监督执法系统 (REST/JSON)');
