// A small line chart of a container's memory usage over the last minute, against its limit,
// drawn as inline SVG (no canvas, no library). The page keeps the samples: the server sends
// only the current reading, so watching costs it nothing extra.
import { ui } from './i18n/i18n.ts';

const SVG = 'http://www.w3.org/2000/svg';
/** One reading a second: a minute. */
export const CHART_SAMPLES = 60;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string>,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

/** Usage samples (bytes, oldest first) as an area under the limit (the top), or the peak. */
export function memoryChart(samples: readonly number[], limit: number | null): SVGSVGElement {
  const width = 240;
  const height = 48;
  const top = Math.max(limit ?? 0, ...samples, 1);
  const step = width / (CHART_SAMPLES - 1);
  const offset = CHART_SAMPLES - samples.length;
  const xy = samples.map((v, i) => {
    // At least a pixel high: a few MiB under a large limit must still show.
    const y = Math.min(height - 1, height - (v / top) * height);
    return `${((offset + i) * step).toFixed(1)},${y.toFixed(1)}`;
  });
  const first = `${(offset * step).toFixed(1)},${height}`;
  const last = `${((CHART_SAMPLES - 1) * step).toFixed(1)},${height}`;
  const chart = svg('svg', {
    class: 'memory-chart',
    viewBox: `0 0 ${width} ${height}`,
    preserveAspectRatio: 'none',
    role: 'img',
    'aria-label': ui().memoryChartLabel(samples.length),
  });
  const thin = { 'vector-effect': 'non-scaling-stroke' };
  chart.append(
    svg('rect', { x: '0', y: '0', width: String(width), height: String(height), class: 'frame' }),
    svg('polygon', { points: [first, ...xy, last].join(' '), class: 'area' }),
    svg('polyline', { points: xy.join(' '), class: 'usage', ...thin }),
  );
  if (limit !== null)
    chart.append(
      svg('line', { x1: '0', y1: '1', x2: String(width), y2: '1', class: 'limit', ...thin }),
    );
  return chart;
}
