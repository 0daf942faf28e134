import { defineDepartment } from '../kernel/department/define';

/**
 * Health (卫生健康委员会), a department whose rosters, inspectors and checklist stay in its own
 * existing REST system (issue E): the kernel's contract types and resolvers, served from the
 * REST connector (connectors/rest, mapping in connectors/health/mapping.yaml) started with
 * `startDepartment(health, config, { store: connectorStore(connector) })`. Its demo data is the
 * existing system's (connectors/upstream/health-system), so none is generated here; results
 * written back are kept in its subgraph's own database.
 */
export const health = defineDepartment({
  code: 'health',
  name: '卫生健康委员会',
  existingSystem: '卫健监督执法系统 (REST/JSON)',
  demo: { checklist: [], domains: [], unit: (district) => district, certificateCode: 'WJ', inspectors: 0, experts: 0, onRoster: () => false },
});
