import { departmentName } from '../api/departments';
import { useDepartments } from '../components/department-name';
import { label, ROLE } from '../labels';
import { RuleNote, SignedIn } from './common';

/** What each role does in the workspace (R30): where its screens are. The servers still decide each step. */
const WORK: Record<string, Array<{ href: string; title: string; what: string; testId: string }>> = {
  COORDINATOR: [
    {
      href: '/work/plans',
      title: '抽查计划与任务',
      what: '牵头部门：制定、修订和公布年度联合抽查计划，创建任务，确认名录库、摇号、锁定；参与部门：为锁定的任务抽取本部门检查人员，查看检查组。',
      testId: 'work-plans',
    },
  ],
  DEPUTY_HEAD: [
    {
      href: '/work/plans',
      title: '检查组调整',
      what: '在任务的检查组中补足空缺、更换已抽取的检查人员（须说明理由），登记回避和委托。',
      testId: 'work-plans',
    },
  ],
  DEPT_ADMIN: [
    {
      href: '/work/results',
      title: '结果审核与公示',
      what: '本部门待审核的检查结果：审核、公示（显示公示期限），定义检查结果选项。',
      testId: 'work-results',
    },
    {
      href: '/work/import',
      title: '数据导入',
      what: '批量导入检查对象名录、执法检查人员名录和抽查事项清单（CSV），逐行显示导入结果。',
      testId: 'work-import',
    },
    {
      href: '/work/plans',
      title: '抽查计划与任务',
      what: '查看本部门参与的计划、任务和检查组。',
      testId: 'work-plans',
    },
  ],
  PRINCIPAL_HEAD: [
    {
      href: '/work/results',
      title: '更正已公示结果',
      what: '本部门已公示的检查结果有误时，由主要负责人更正并说明理由；原结果保留。',
      testId: 'work-results',
    },
  ],
  INSPECTOR: [
    {
      href: '/work/visits',
      title: '我的检查',
      what: '分配给我的检查对象、检查组和合并检查清单；填报检查结果。',
      testId: 'work-visits',
    },
  ],
  AUDITOR: [
    { href: '/work/plans', title: '抽查计划与任务', what: '查阅计划、任务、摇号记录及其核验。', testId: 'work-plans' },
  ],
  HUB_ADMIN: [
    { href: '/work/plans', title: '抽查计划与任务', what: '查阅计划、任务、摇号记录及其核验。', testId: 'work-plans' },
  ],
};

/** The workspace's first screen: the official's own work, by role and department. */
export function WorkHome() {
  const departments = useDepartments();
  return (
    <SignedIn>
      {(session) => (
        <section class="work-home">
          <h1>业务办理</h1>
          <p data-testid="work-who">
            {label(ROLE, session.role)}
            {session.department ? ` · ${departmentName(departments, session.department)}` : ''}
          </p>
          <RuleNote rule="R30">每个角色只能办理其职责范围内的事项；页面只提供入口，是否允许由平台服务决定。</RuleNote>
          <ul class="tasks">
            {(WORK[session.role] ?? []).map((w) => (
              <li key={w.href}>
                <a href={w.href} data-testid={w.testId}>
                  {w.title}
                </a>
                <p class="meta">{w.what}</p>
              </li>
            ))}
          </ul>
          <p>
            <a href="/dashboard">年度统计（工作台）</a>
          </p>
        </section>
      )}
    </SignedIn>
  );
}
