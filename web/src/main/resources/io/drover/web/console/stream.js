// The task stream on one <canvas>: small jobs one bar per attempt, large ones the leader's time buckets.
import { duration } from './dom.js';

export const OUTCOMES = ['SUCCEEDED', 'RUNNING', 'FAILED', 'RETRIED', 'CANCELLED', 'LOST'];
export const COLORS = {
  SUCCEEDED: '#2f9e44', RUNNING: '#3b82f6', FAILED: '#e03131', RETRIED: '#f08c00', CANCELLED: '#868e96', LOST: '#9c36b5'
};


export function streamText(s) {
  if (!s.available) return 'The leader runs a release without the task stream.';
  if (!s.totalAttempts) return 'No attempts seen yet by this leader (the stream is kept in the leader\'s memory; it starts empty after a failover).';
  const lanes = new Set(s.lanes.map((l) => l.agent)).size;
  const slots = s.slots === undefined ? s.lanes.length : s.slots;
  const span = (s.buckets * s.bucketMillis) / 1000;
  return s.totalAttempts + ' attempts on ' + slots + ' slots of ' + lanes + ' agents over ' + duration(span)
    + (s.grouped || s.lanes.length > MAX_SLOT_ROWS ? ', one row per agent' : '')
    + (s.attempts ? '' : ' (aggregated into ' + s.buckets + ' buckets of ' + s.bucketMillis + ' ms)')
    + (s.truncated ? '; the leader stopped recording this job at its bound' : '');
}

// The task stream on one canvas: a row per agent slot; small jobs draw each attempt, large ones the buckets.
export const MAX_SLOT_ROWS = 48;

// More slots than fit as rows: one row per agent, its slots' counts summed (the API does it when asked with
// maxLanes, so this is for a gateway that did not).
export function byAgent(s) {
  const rows = new Map();
  for (const l of s.lanes) {
    let row = rows.get(l.agent);
    if (!row) { row = { agent: l.agent, slot: null, counts: {} }; rows.set(l.agent, row); }
    for (const [o, counts] of Object.entries(l.counts)) {
      const sum = row.counts[o] || (row.counts[o] = new Array(s.buckets).fill(0));
      counts.forEach((n, b) => { sum[b] += n; });
    }
  }
  return [...rows.values()];
}

export function draw(canvas, s) {
  const grouped = !!s.grouped || s.lanes.length > MAX_SLOT_ROWS;
  if (grouped && !s.grouped) s = Object.assign({}, s, { lanes: byAgent(s) });
  const laneKey = (agent, slot) => grouped ? agent : agent + '\u0000' + slot;
  const ratio = window.devicePixelRatio || 1;
  const cssWidth = canvas.clientWidth || 1200;
  const lanes = s.lanes.length;
  const rowH = lanes > 0 ? Math.max(3, Math.min(22, Math.floor(420 / lanes))) : 22;
  const labelW = 150;
  const axisH = 18;
  const cssHeight = Math.max(60, lanes * rowH + axisH + 4);
  // Setting a canvas's size reallocates it even when unchanged: only on a change.
  if (canvas.style.height !== cssHeight + 'px') canvas.style.height = cssHeight + 'px';
  if (canvas.width !== Math.floor(cssWidth * ratio)) canvas.width = Math.floor(cssWidth * ratio);
  if (canvas.height !== Math.floor(cssHeight * ratio)) canvas.height = Math.floor(cssHeight * ratio);
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, cssWidth, cssHeight);
  g.font = '11px system-ui, sans-serif';
  g.textBaseline = 'middle';
  const plotW = Math.max(10, cssWidth - labelW - 8);
  const span = Math.max(1, s.buckets * s.bucketMillis);
  const x = (ms) => labelW + ((ms - s.fromMs) / span) * plotW;
  const laneIndex = new Map();
  s.lanes.forEach((l, i) => {
    laneIndex.set(laneKey(l.agent, l.slot), i);
    if (i % 2) { g.fillStyle = '#f8fafc'; g.fillRect(labelW, i * rowH, plotW, rowH); }
    if (rowH >= 9) {
      g.fillStyle = '#475569';
      const label = l.agent + (grouped ? '' : l.slot >= 0 ? ' #' + l.slot : ' #?');
      g.fillText(label.length > 22 ? label.slice(0, 21) + '…' : label, 4, i * rowH + rowH / 2);
    }
  });
  let shapes = 0;
  if (s.attempts) {
    const end = s.generatedAtMs;
    for (const a of s.attempts) {
      const i = laneIndex.get(laneKey(a.agent, a.slot));
      if (i === undefined) continue;
      const x0 = x(a.startMs);
      const x1 = Math.max(x0 + 1.5, x(a.endMs === null || a.endMs === undefined ? end : a.endMs));
      g.fillStyle = COLORS[a.outcome] || '#999';
      g.fillRect(x0, i * rowH + 1, x1 - x0 - 0.5, rowH - 2);
      shapes++;
    }
  } else {
    // Buckets of one outcome in a row are drawn as one rectangle; mixed buckets stack their outcomes' shares.
    const bw = plotW / Math.max(1, s.buckets);
    const h = Math.max(1, rowH - 2);
    s.lanes.forEach((l, i) => {
      const rows = OUTCOMES.filter((o) => l.counts[o]).map((o) => [o, l.counts[o]]);
      const y0 = i * rowH + (rowH > 3 ? 1 : 0);
      let run = null;
      let runStart = 0;
      const flush = (b) => {
        if (run) { g.fillStyle = COLORS[run]; g.fillRect(labelW + runStart * bw, y0, (b - runStart) * bw - 0.3, h); shapes++; }
        run = null;
      };
      for (let b = 0; b < s.buckets; b++) {
        let total = 0;
        let only = null;
        for (const [o, row] of rows) {
          const n = row[b] || 0;
          if (n) { total += n; only = only === null ? o : '*'; }
        }
        if (only !== '*' && only === run) continue;
        flush(b);
        if (!total) continue;
        if (only !== '*') { run = only; runStart = b; continue; }
        let y = y0;
        for (const [o, row] of rows) {
          const n = row[b] || 0;
          if (!n) continue;
          const part = (n / total) * h;
          g.fillStyle = COLORS[o];
          g.fillRect(labelW + b * bw, y, Math.max(1, bw - 0.3), part);
          y += part;
        }
        shapes++;
      }
      flush(s.buckets);
    });
  }
  // time axis: seconds from the first attempt
  g.fillStyle = '#64748b';
  const axisY = lanes * rowH + axisH / 2 + 2;
  for (let k = 0; k <= 4; k++) {
    const ms = (span * k) / 4;
    const px = labelW + (plotW * k) / 4;
    const label = span < 10000 ? (ms / 1000).toFixed(1) + 's' : duration(ms / 1000);
    g.fillText('+' + label, Math.min(px, cssWidth - 40), axisY);
  }
  // What was drawn, for tests; set only when changed (each set attribute costs the page a style pass).
  const shown = { drawn: 'true', lanes: String(lanes), attempts: String(s.totalAttempts), shapes: String(shapes),
    mode: s.attempts ? 'attempts' : 'buckets', rows: grouped ? 'agents' : 'slots' };
  for (const [k, v] of Object.entries(shown)) if (canvas.dataset[k] !== v) canvas.dataset[k] = v;
}
