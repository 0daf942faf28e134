import { HubError, partError, run, runForDepartments } from './client';
import type { ChecklistVersion, Department, Outcome } from './types';

let departments: Promise<Department[]> | null = null;

/** The hub's departments (code and name), asked once per page load. */
export function loadDepartments(): Promise<Department[]> {
  departments ??= run('PublicDepartments').then(
    (answer) => answer.data!.registryDepartments,
    (error: unknown) => {
      departments = null; // asked again next time
      throw error;
    },
  );
  return departments;
}

/** A department's name by code, or the code when the hub does not name it. */
export function departmentName(list: readonly Department[], code: string): string {
  return list.find((d) => d.code === code)?.name ?? code;
}

/** What a department's results say, in words: its outcome dictionary and every checklist version. */
export interface Dictionary {
  outcome(code: string): Outcome | undefined;
  item(code: string, version: number): ChecklistVersion | undefined;
  /** The outcomes in force (an inspector chooses among them), national ones first as the department lists them. */
  current: Outcome[];
}

const dictionaries = new Map<string, Promise<Dictionary | HubError>>();

/** Dictionaries of several departments, each asked once per page load; a failed one is an error. */
export async function loadDictionaries(codes: readonly string[]): Promise<Map<string, Dictionary | HubError>> {
  const missing = codes.filter((c) => !dictionaries.has(c));
  if (missing.length) {
    const answers = runForDepartments('DepartmentDictionary', missing);
    for (const code of missing) {
      dictionaries.set(
        code,
        answers.then((all) => {
          const answer = all.get(code)!;
          if (answer instanceof HubError) {
            dictionaries.delete(code);
            return answer;
          }
          const data = answer.data![code];
          if (!data) return partError(answer, `${code} 的结果选项和抽查事项`);
          return {
            // The newest version of an outcome names it (a label may be reworded, the code stays).
            outcome: (c: string) => data.outcomes.filter((o) => o.code === c).sort((a, b) => b.version - a.version)[0],
            item: (c: string, v: number) => data.checklist.find((i) => i.code === c && i.version === v),
            current: data.outcomes.filter((o) => o.status === 'CURRENT'),
          };
        }),
      );
    }
  }
  return new Map(await Promise.all(codes.map(async (c) => [c, await dictionaries.get(c)!] as const)));
}
