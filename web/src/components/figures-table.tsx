import type { ComponentChildren } from 'preact';

/** A column: its heading, the API field it shows (for tests and for reading the page), and the cell. */
export interface Column<R> {
  label: string;
  field?: string;
  value: (row: R) => ComponentChildren;
}

/**
 * A table of figures, one row per department (or result), each cell labelled by its column so
 * that on a phone a row reads as a card (styles.css), and marked with the field it shows.
 */
export function FiguresTable<R>({
  rows,
  columns,
  rowKey,
  testId,
  alert,
  attributes,
  className = 'figures-table',
}: {
  rows: readonly R[];
  columns: ReadonlyArray<Column<R>>;
  rowKey: (row: R) => string;
  testId: string;
  alert?: (row: R) => boolean;
  attributes?: (row: R) => Record<string, string>;
  className?: string;
}) {
  return (
    <table class={className}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.label}>{c.label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} data-testid={testId} class={alert?.(row) ? 'alert' : undefined} {...attributes?.(row)}>
            {columns.map((c) => (
              <td key={c.label} data-label={c.label} data-field={c.field}>
                {c.value(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A table of one row per department: its name first, then the columns; rows marked with the department's code. */
export function DepartmentTable<R>({
  rows,
  department,
  name,
  columns,
  testId,
  alert,
}: {
  rows: readonly R[];
  department: (row: R) => string;
  name: (code: string) => string;
  columns: ReadonlyArray<Column<R>>;
  testId: string;
  alert?: (row: R) => boolean;
}) {
  return (
    <FiguresTable
      rows={rows}
      rowKey={department}
      testId={testId}
      alert={alert}
      attributes={(row) => ({ 'data-department': department(row) })}
      columns={[{ label: '部门', value: (row) => name(department(row)) }, ...columns]}
    />
  );
}
