import { useEffect, useRef } from 'preact/hooks';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface Series {
  label: string;
  values: number[];
  color: string;
}

/**
 * A bar chart (Chart.js) of figures that the page also shows in a table beside it: the chart is
 * for looking, the table for reading and for screen readers (the canvas is labelled as an image).
 */
export function BarChart({
  title,
  labels,
  series,
  stacked = false,
  horizontal = false,
  testId,
}: {
  title: string;
  labels: string[];
  series: Series[];
  stacked?: boolean;
  horizontal?: boolean;
  testId?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const key = JSON.stringify({ labels, series, stacked, horizontal });
  useEffect(() => {
    const chart = new Chart(canvas.current!, {
      type: 'bar',
      data: {
        labels,
        datasets: series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.color, borderWidth: 0 })),
      },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked, ticks: { precision: 0 } }, y: { stacked, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom' }, tooltip: { enabled: true } },
      },
    });
    return () => chart.destroy();
  }, [key]);
  return (
    <figure class="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div class="chart-box" style={{ height: `${Math.max(180, (horizontal ? labels.length * 34 : 0) + 120)}px` }}>
        <canvas ref={canvas} role="img" aria-label={`${title}（数据见下表）`} />
      </div>
    </figure>
  );
}
