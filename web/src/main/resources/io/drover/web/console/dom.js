// DOM helpers for the console: every text goes in as a text node, never as HTML.
'use strict';

// ------------------------------------------------------------------ DOM helpers (text only)

export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === null || v === undefined) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = String(v);
      else if (k === 'data') Object.entries(v).forEach(([dk, dv]) => { node.dataset[dk] = String(dv); });
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, String(v));
    }
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// Writes only on a change: an unchanged write still costs the page a style pass.
export function setText(node, text) {
  const t = String(text);
  if (node.textContent !== t) node.textContent = t;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  let s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400); s -= d * 86400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  if (d) return d + 'd ' + h + 'h';
  if (h) return h + 'h ' + m + 'm';
  if (m) return m + 'm ' + s + 's';
  return s + 's';
}

export function when(iso) {
  if (!iso) return '—';
  const t = new Date(iso);
  return isNaN(t) ? String(iso) : t.toLocaleString();
}

export function stateCell(s) {
  return el('span', { class: 'state state-' + String(s).replace(/[^A-Z_]/g, ''), text: s });
}

export function progressBar(job, id) {
  const pct = Math.round((job.progress || 0) * 1000) / 10;
  const bar = el('div', { class: 'bar' });
  bar.style.width = pct + '%';
  const box = el('div', { class: 'progress' + (job.failed > 0 ? ' failed' : ''), id, data: { progress: pct } }, bar);
  return el('span', null, box, el('span', { class: 'pct', text: pct + '%' }));
}
