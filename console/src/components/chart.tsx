import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
}

export interface ChartProps {
  /** What the chart shows, for screen readers (the numbers are also in a table beside it). */
  title: string;
  /** X values: UTC days as ISO dates (`2026-05-17`) for a time chart, or category names for bars. */
  x: string[];
  series: ChartSeries[];
  kind?: 'line' | 'bars';
  /** Horizontal lines drawn across, e.g. the "very responsive" threshold. */
  thresholds?: { value: number; label: string; color: string }[];
  height?: number;
}

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

const DAY_S = 86_400;
const NO_THRESHOLDS: NonNullable<ChartProps['thresholds']> = [];

/** The y range covering the data, 0 and every threshold, with a little room above. */
const withThresholds = (min: number, max: number, thresholds: readonly { value: number }[]): [number, number] => {
  const values = [0, min, max, ...thresholds.map((t) => t.value)].filter(Number.isFinite);
  const low = Math.min(...values);
  const high = Math.max(...values);
  return [low, high + (high - low) * 0.1 || 1];
};

/**
 * uPlot (about 20 KB gzipped): lines per day, or bars per category. It sizes to its box, so the
 * chart follows the window from phone to laptop width.
 */
export const Chart = ({ title, x, series, kind = 'line', thresholds = NO_THRESHOLDS, height = 240 }: ChartProps) => {
  const box = useRef<HTMLDivElement>(null);
  // Pages poll and build new arrays each time: the chart is drawn again only when the numbers differ,
  // not torn down and rebuilt (a flicker) on every answer.
  const drawn = JSON.stringify([x, series, thresholds]);
  const data = useMemo(() => ({ x, series, thresholds }), [drawn]);
  useEffect(() => {
    const { x, series, thresholds } = data;
    const element = box.current;
    if (!element || x.length === 0) return;
    const days = x.every(isDay);
    const xs = x.map((value, i) => (days ? Date.parse(`${value}T00:00:00Z`) / 1000 : i));
    const bars = kind === 'bars' ? uPlot.paths.bars?.({ size: [0.6, 64] }) : undefined;
    const options: uPlot.Options = {
      width: Math.max(280, element.clientWidth),
      height,
      title,
      // A threshold outside the data's range would be drawn off the plot, and a bar not starting at 0 misleads: the y axis reaches both.
      scales: { x: { time: days }, ...(thresholds.length > 0 || kind === 'bars' ? { y: { range: (_u: uPlot, min: number, max: number): uPlot.Range.MinMax => withThresholds(min, max, thresholds) } } : {}) },
      // Days tick by whole days (a week, a month when crowded) and read as dates, never as hours.
      axes: [
        days ? { incrs: [DAY_S, 7 * DAY_S, 30 * DAY_S], values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toISOString().slice(5, 10)) } : { values: (_u, ticks) => ticks.map((t) => x[t] ?? '') },
        {},
      ],
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, fill: kind === 'bars' ? s.color : undefined, width: 2, ...(bars ? { paths: bars, points: { show: false } } : {}) }))],
      hooks: {
        draw: [
          (u) => {
            for (const line of thresholds) {
              const y = u.valToPos(line.value, 'y', true);
              u.ctx.save();
              u.ctx.strokeStyle = line.color;
              u.ctx.setLineDash([6, 4]);
              u.ctx.beginPath();
              u.ctx.moveTo(u.bbox.left, y);
              u.ctx.lineTo(u.bbox.left + u.bbox.width, y);
              u.ctx.stroke();
              u.ctx.fillStyle = line.color;
              u.ctx.textAlign = 'left';
              u.ctx.textBaseline = 'bottom';
              u.ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
              u.ctx.fillText(line.label, u.bbox.left + 4, y - 4);
              u.ctx.restore();
            }
          },
        ],
      },
    };
    const plot = new uPlot(options, [xs, ...series.map((s) => s.values)] as uPlot.AlignedData, element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [title, data, kind, height]);
  if (x.length === 0) return <p className="empty">No data for {title.toLowerCase()} yet.</p>;
  return <div ref={box} className="chart" role="img" aria-label={title} />;
};
