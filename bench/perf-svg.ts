// The chart of bench/results/performance.svg, drawn by hand: plain SVG text, no library and no external service.
// Pure: figures in, markup out.

export interface Bar {
  label: string;
  value: number | null;
  /** Text after the bar (the figure, a ratio). */
  note: string;
  color: string;
}

export interface BarPanel {
  kind: 'bars';
  title: string;
  unit: string;
  scale: 'linear' | 'log';
  bars: Bar[];
  /** A dashed vertical line, e.g. the target. */
  marker?: { value: number; label: string };
}

export interface SeriesPanel {
  kind: 'series';
  title: string;
  unit: string;
  /** x in seconds, y in `unit`; log scale on y. */
  series: { label: string; color: string; points: { x: number; y: number }[] }[];
  marker?: { value: number; label: string };
  /** Shown when there are no points. */
  empty: string;
}

/** A load curve: one column per offered rate, y on a log scale, a caption under each column. */
export interface CurvePanel {
  kind: 'curve';
  title: string;
  unit: string;
  /** The x categories (e.g. "10/s"), left to right, each with lines of caption below it. */
  columns: { label: string; caption: string[] }[];
  /** y per column; null where a column has no value (not run, nothing answered). */
  series: { label: string; color: string; values: (number | null)[] }[];
  marker?: { value: number; label: string };
  empty: string;
}

export type Panel = BarPanel | SeriesPanel | CurvePanel;

const WIDTH = 960;
const PAD = 24;
const LABEL_W = 270;
const NOTE_W = 250;
const BAR_H = 22;
const BAR_GAP = 8;
const SERIES_H = 200;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

/** Position of `value` on [0, width] for a linear or log axis over [lo, hi]. */
export function scaleOf(
  kind: 'linear' | 'log',
  lo: number,
  hi: number,
  width: number,
): (value: number) => number {
  if (kind === 'log') {
    const a = Math.log10(Math.max(lo, 1e-9));
    const b = Math.log10(Math.max(hi, lo * 10));
    return (v) => ((Math.log10(Math.max(v, lo)) - a) / (b - a)) * width;
  }
  return (v) => (Math.max(0, v) / (hi || 1)) * width;
}

/** Round ticks: powers of ten on a log axis, 1-2-5 steps on a linear one. */
export function ticks(kind: 'linear' | 'log', lo: number, hi: number): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (kind === 'log') {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(Math.max(lo, 1e-9))); 10 ** e <= hi * 1.0001; e++)
      if (10 ** e >= lo) out.push(10 ** e);
    return out;
  }
  const rough = hi / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough || 1));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? magnitude * 10;
  const out: number[] = [];
  for (let v = 0; v <= hi * 1.0001; v += step) out.push(v);
  return out;
}

const tickText = (v: number) =>
  v >= 1_000_000 ? `${num(v / 1_000_000)}M` : v >= 1_000 ? `${num(v / 1_000)}k` : v < 1 ? String(v) : num(v);

function barPanel(panel: BarPanel, top: number): { svg: string; height: number } {
  const plotW = WIDTH - 2 * PAD - LABEL_W - NOTE_W;
  const values = panel.bars.flatMap((b) => (b.value !== null && b.value > 0 ? [b.value] : []));
  const all = [...values, ...(panel.marker ? [panel.marker.value] : [])];
  const hi = Math.max(1, ...all) * 1.05;
  const lo = panel.scale === 'log' ? 10 ** Math.floor(Math.log10(Math.min(...(all.length ? all : [1])))) : 0;
  const x = scaleOf(panel.scale, lo, hi, plotW);
  const x0 = PAD + LABEL_W;
  const y0 = top + 44;
  const plotH = panel.bars.length * (BAR_H + BAR_GAP);
  const parts: string[] = [
    `<text x="${PAD}" y="${top + 16}" font-size="15" font-weight="600" fill="#111">${escapeXml(panel.title)}</text>`,
  ];
  for (const t of ticks(panel.scale, lo || 1, hi)) {
    const tx = x0 + x(t);
    parts.push(
      `<line x1="${tx.toFixed(1)}" y1="${y0 - 4}" x2="${tx.toFixed(1)}" y2="${y0 + plotH}" stroke="#e5e7eb"/>`,
      `<text x="${tx.toFixed(1)}" y="${y0 + plotH + 14}" font-size="11" fill="#6b7280" text-anchor="middle">${tickText(t)}</text>`,
    );
  }
  panel.bars.forEach((bar, i) => {
    const y = y0 + i * (BAR_H + BAR_GAP);
    parts.push(
      `<text x="${x0 - 8}" y="${y + BAR_H / 2 + 4}" font-size="12" fill="#111" text-anchor="end">${escapeXml(bar.label)}</text>`,
    );
    if (bar.value !== null && bar.value > 0) {
      const w = Math.max(1, x(bar.value));
      parts.push(
        `<rect x="${x0}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" rx="3" fill="${bar.color}"/>`,
      );
    }
    parts.push(
      `<text x="${WIDTH - PAD - NOTE_W + 8}" y="${y + BAR_H / 2 + 4}" font-size="12" fill="#374151">${escapeXml(bar.note)}</text>`,
    );
  });
  if (panel.marker) {
    const mx = x0 + x(panel.marker.value);
    parts.push(
      `<line x1="${mx.toFixed(1)}" y1="${y0 - 6}" x2="${mx.toFixed(1)}" y2="${y0 + plotH}" stroke="#dc2626" stroke-dasharray="5 4" stroke-width="1.5"/>`,
      `<text x="${mx.toFixed(1)}" y="${y0 - 9}" font-size="11" fill="#dc2626" text-anchor="middle">${escapeXml(panel.marker.label)}</text>`,
    );
  }
  parts.push(
    `<text x="${x0 + plotW}" y="${y0 + plotH + 28}" font-size="11" fill="#6b7280" text-anchor="end">${escapeXml(panel.unit)}${panel.scale === 'log' ? ' (log scale)' : ''}</text>`,
  );
  return { svg: parts.join('\n'), height: 44 + plotH + 44 };
}

function seriesPanel(panel: SeriesPanel, top: number): { svg: string; height: number } {
  const x0 = PAD + 60;
  const plotW = WIDTH - x0 - PAD - 150;
  const y0 = top + 30;
  const parts: string[] = [
    `<text x="${PAD}" y="${top + 16}" font-size="15" font-weight="600" fill="#111">${escapeXml(panel.title)}</text>`,
  ];
  const points = panel.series.flatMap((s) => s.points);
  if (points.length === 0) {
    parts.push(
      `<text x="${x0}" y="${y0 + 40}" font-size="13" fill="#6b7280">${escapeXml(panel.empty)}</text>`,
    );
    return { svg: parts.join('\n'), height: 80 };
  }
  const ys = [...points.map((p) => p.y), ...(panel.marker ? [panel.marker.value] : [])].filter((v) => v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...ys)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...ys) * 1.05));
  const xMax = Math.max(1, ...points.map((p) => p.x));
  const sy = scaleOf('log', lo, hi, SERIES_H);
  const px = (v: number) => x0 + (v / xMax) * plotW;
  const py = (v: number) => y0 + SERIES_H - sy(v);
  for (const t of ticks('log', lo, hi)) {
    parts.push(
      `<line x1="${x0}" y1="${py(t).toFixed(1)}" x2="${x0 + plotW}" y2="${py(t).toFixed(1)}" stroke="#e5e7eb"/>`,
      `<text x="${x0 - 6}" y="${(py(t) + 4).toFixed(1)}" font-size="11" fill="#6b7280" text-anchor="end">${tickText(t)}</text>`,
    );
  }
  for (const t of ticks('linear', 0, xMax)) {
    parts.push(
      `<text x="${px(t).toFixed(1)}" y="${y0 + SERIES_H + 16}" font-size="11" fill="#6b7280" text-anchor="middle">${tickText(t)}</text>`,
    );
  }
  parts.push(
    `<line x1="${x0}" y1="${y0 + SERIES_H}" x2="${x0 + plotW}" y2="${y0 + SERIES_H}" stroke="#9ca3af"/>`,
    `<text x="${x0 + plotW}" y="${y0 + SERIES_H + 32}" font-size="11" fill="#6b7280" text-anchor="end">seconds into the run (when the need was posted); ${escapeXml(panel.unit)}, log scale</text>`,
  );
  if (panel.marker) {
    const my = py(panel.marker.value);
    parts.push(
      `<line x1="${x0}" y1="${my.toFixed(1)}" x2="${x0 + plotW}" y2="${my.toFixed(1)}" stroke="#dc2626" stroke-dasharray="5 4" stroke-width="1.5"/>`,
      `<text x="${x0 + plotW + 6}" y="${(my + 4).toFixed(1)}" font-size="11" fill="#dc2626">${escapeXml(panel.marker.label)}</text>`,
    );
  }
  panel.series.forEach((s, i) => {
    const d = s.points
      .map((p, k) => `${k === 0 ? 'M' : 'L'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`)
      .join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    const ly = y0 + 14 + i * 18;
    parts.push(
      `<rect x="${x0 + plotW + 6}" y="${ly + 20}" width="12" height="3" fill="${s.color}"/>`,
      `<text x="${x0 + plotW + 22}" y="${ly + 25}" font-size="11" fill="#374151">${escapeXml(s.label)}</text>`,
    );
  });
  return { svg: parts.join('\n'), height: 30 + SERIES_H + 50 };
}

function curvePanel(panel: CurvePanel, top: number): { svg: string; height: number } {
  const x0 = PAD + 60;
  const plotW = WIDTH - x0 - PAD - 150;
  const y0 = top + 30;
  const captionLines = Math.max(0, ...panel.columns.map((c) => c.caption.length));
  const parts: string[] = [
    `<text x="${PAD}" y="${top + 16}" font-size="15" font-weight="600" fill="#111">${escapeXml(panel.title)}</text>`,
  ];
  const ys = [
    ...panel.series.flatMap((s) =>
      s.values.filter((v): v is number => v !== null && Number.isFinite(v) && v > 0),
    ),
    ...(panel.marker ? [panel.marker.value] : []),
  ];
  if (panel.columns.length === 0 || ys.length === 0) {
    parts.push(
      `<text x="${x0}" y="${y0 + 40}" font-size="13" fill="#6b7280">${escapeXml(panel.empty)}</text>`,
    );
    return { svg: parts.join('\n'), height: 80 };
  }
  const lo = 10 ** Math.floor(Math.log10(Math.min(...ys)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...ys) * 1.05));
  const sy = scaleOf('log', lo, hi, SERIES_H);
  const step = plotW / panel.columns.length;
  const px = (i: number) => x0 + step * (i + 0.5);
  const py = (v: number) => y0 + SERIES_H - sy(v);
  for (const t of ticks('log', lo, hi))
    parts.push(
      `<line x1="${x0}" y1="${py(t).toFixed(1)}" x2="${x0 + plotW}" y2="${py(t).toFixed(1)}" stroke="#e5e7eb"/>`,
      `<text x="${x0 - 6}" y="${(py(t) + 4).toFixed(1)}" font-size="11" fill="#6b7280" text-anchor="end">${tickText(t)}</text>`,
    );
  parts.push(
    `<line x1="${x0}" y1="${y0 + SERIES_H}" x2="${x0 + plotW}" y2="${y0 + SERIES_H}" stroke="#9ca3af"/>`,
  );
  panel.columns.forEach((column, i) => {
    parts.push(
      `<text x="${px(i).toFixed(1)}" y="${y0 + SERIES_H + 16}" font-size="12" font-weight="600" fill="#111" text-anchor="middle">${escapeXml(column.label)}</text>`,
    );
    for (const [k, text] of column.caption.entries())
      parts.push(
        `<text x="${px(i).toFixed(1)}" y="${y0 + SERIES_H + 31 + k * 14}" font-size="11" fill="#374151" text-anchor="middle">${escapeXml(text)}</text>`,
      );
  });
  const bottom = y0 + SERIES_H + 31 + captionLines * 14;
  parts.push(
    `<text x="${x0 + plotW}" y="${bottom + 4}" font-size="11" fill="#6b7280" text-anchor="end">${escapeXml(panel.unit)}, log scale</text>`,
  );
  if (panel.marker) {
    const my = py(panel.marker.value);
    parts.push(
      `<line x1="${x0}" y1="${my.toFixed(1)}" x2="${x0 + plotW}" y2="${my.toFixed(1)}" stroke="#dc2626" stroke-dasharray="5 4" stroke-width="1.5"/>`,
      `<text x="${x0 + plotW + 6}" y="${(my + 4).toFixed(1)}" font-size="11" fill="#dc2626">${escapeXml(panel.marker.label)}</text>`,
    );
  }
  panel.series.forEach((s, i) => {
    const points = s.values.flatMap((v, k) =>
      v !== null && Number.isFinite(v) && v > 0 ? [{ x: px(k), y: py(v) }] : [],
    );
    if (points.length > 1)
      parts.push(
        `<path d="${points.map((p, k) => `${k === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"/>`,
      );
    for (const p of points)
      parts.push(`<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="4" fill="${s.color}"/>`);
    const ly = y0 + 14 + i * 18;
    parts.push(
      `<rect x="${x0 + plotW + 6}" y="${ly + 20}" width="12" height="3" fill="${s.color}"/>`,
      `<text x="${x0 + plotW + 22}" y="${ly + 25}" font-size="11" fill="#374151">${escapeXml(s.label)}</text>`,
    );
  });
  return { svg: parts.join('\n'), height: bottom - top + 16 };
}

/** The whole chart: a title, a subtitle (run facts), the panels stacked. */
export function renderSvg(title: string, subtitle: string, panels: readonly Panel[]): string {
  let top = 64;
  const bodies: string[] = [];
  for (const panel of panels) {
    const drawn =
      panel.kind === 'bars'
        ? barPanel(panel, top)
        : panel.kind === 'curve'
          ? curvePanel(panel, top)
          : seriesPanel(panel, top);
    bodies.push(`<g>\n${drawn.svg}\n</g>`);
    top += drawn.height + 16;
  }
  const height = top + 8;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" ${FONT}>`,
    `<title>${escapeXml(`${title}: ${subtitle}`)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${PAD}" y="30" font-size="19" font-weight="700" fill="#111">${escapeXml(title)}</text>`,
    `<text x="${PAD}" y="50" font-size="12" fill="#6b7280">${escapeXml(subtitle)}</text>`,
    ...bodies,
    '</svg>',
    '',
  ].join('\n');
}
