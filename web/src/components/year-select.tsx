import { chinaYear } from '../format';

/** The years a person may pick: this year and the four before it. */
export function YearSelect({
  year,
  onChange,
  id = 'year',
}: {
  year: number;
  onChange: (year: number) => void;
  id?: string;
}) {
  const now = chinaYear();
  const years = [now, now - 1, now - 2, now - 3, now - 4];
  if (!years.includes(year)) years.push(year);
  return (
    <label class="inline" for={id}>
      年度
      <select id={id} value={String(year)} onChange={(e) => onChange(Number(e.currentTarget.value))}>
        {years.map((y) => (
          <option key={y} value={String(y)}>
            {y} 年
          </option>
        ))}
      </select>
    </label>
  );
}
