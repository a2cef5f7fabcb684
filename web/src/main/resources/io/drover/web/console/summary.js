// A job's summary (state, progress, ETA, counts, result) built once and then updated in place: a live update
// rewrites only the texts and widths that changed, so a second's redraw restyles a few nodes, not the panel.
import { el, clear, setText, duration, when } from './dom.js';

const COUNTS = ['total', 'succeeded', 'failed', 'running', 'pending'];
const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

function setHidden(node, hidden) {
  if (node.hidden !== hidden) node.hidden = hidden;
}

export function isTerminal(job) {
  return TERMINAL.includes(job.state);
}

export function resultText(r) {
  return r.format === 'hex' ? '0x' + r.value + (r.truncated ? '… (' + r.bytes + ' bytes)' : '')
    : r.value + (r.truncated ? '… (' + r.bytes + ' bytes)' : '');
}

// Builds the summary in `summary`, the result panel in `resultBox` and the cancel button in `cancelBox`;
// returns update(job). `mayCancel(job)` says whether this user may cancel it, `onCancel()` does.
export function jobSummary(id, summary, resultBox, cancelBox, mayCancel, onCancel) {
  const stateSpan = el('span', { class: 'state' });
  const bar = el('div', { class: 'bar' });
  const box = el('div', { class: 'progress', id: 'job-progress' }, bar);
  const pct = el('span', { class: 'pct' });
  const meta = el('span', { class: 'muted' });
  const eta = el('span', { hidden: 'hidden' });
  const counts = new Map(COUNTS.map((k) => [k, el('div', { class: 'n' })]));
  const line = (pid) => el('p', { class: pid === 'job-error' ? 'error' : 'muted', id: pid, hidden: 'hidden' });
  const error = line('job-error');
  const waiting = line('job-waiting');
  const queued = line('job-queued');
  clear(summary).append(
    el('div', { class: 'toolbar' }, stateSpan, el('span', null, box, pct), meta, eta),
    el('div', { class: 'counts', id: 'job-counts' },
      COUNTS.map((k) => el('div', { data: { count: k } }, counts.get(k), el('div', { class: 'k', text: k })))),
    error, waiting, queued);
  let resultKey = null;
  let cancelShown = null;

  const optional = (node, text) => {
    setHidden(node, !text);
    setText(node, text || '');
  };

  const showResult = (job) => {
    let key = '';
    let title = null;
    let text = null;
    if (job.result) {
      title = 'Result';
      text = resultText(job.result);
    } else if (job.shardResults && job.shardResults.length) {
      const more = job.shardResultCount > job.shardResults.length
        ? '\n… ' + (job.shardResultCount - job.shardResults.length) + ' more (drover status ' + id + ' --raw --shard N)' : '';
      title = 'Shard results (' + job.shardResultCount + ')';
      text = job.shardResults.map((r, i) => i + ': ' + resultText(r)).join('\n') + more;
    }
    if (title) key = title + '\n' + text;
    if (key === resultKey) return;
    resultKey = key;
    clear(resultBox);
    if (title) resultBox.append(el('h2', { text: title }), el('pre', { class: 'log result', id: 'job-result', text }));
    setHidden(resultBox, !title);
  };

  const showCancel = (job) => {
    const shown = !isTerminal(job) && mayCancel(job);
    if (shown === cancelShown) return;
    cancelShown = shown;
    clear(cancelBox);
    if (shown) cancelBox.append(el('button', { class: 'danger', id: 'cancel-job', type: 'button', text: 'Cancel job', onclick: onCancel }));
  };

  return (job) => {
    const state = String(job.state);
    const stateClass = 'state state-' + state.replace(/[^A-Z_]/g, '');
    if (stateSpan.className !== stateClass) stateSpan.className = stateClass;
    setText(stateSpan, state);
    const p = Math.round((job.progress || 0) * 1000) / 10;
    if (bar.style.width !== p + '%') bar.style.width = p + '%';
    if (box.dataset.progress !== String(p)) box.dataset.progress = String(p);
    const boxClass = 'progress' + (job.failed > 0 ? ' failed' : '');
    if (box.className !== boxClass) box.className = boxClass;
    setText(pct, p + '%');
    setText(meta, job.name + ' · owner ' + job.owner + ' · submitted ' + when(job.submittedAt));
    optional(eta, job.etaSeconds === null || job.etaSeconds === undefined ? ''
      : 'ETA ' + duration(job.etaSeconds) + (job.ratePerSecond ? ' at ' + job.ratePerSecond.toFixed(1) + ' tasks/s' : ''));
    const n = { total: job.total, succeeded: job.succeeded, failed: job.failed, running: job.running, pending: job.pending };
    for (const k of COUNTS) setText(counts.get(k), n[k] ?? '');
    optional(error, job.error);
    optional(waiting, job.waiting ? 'waiting: ' + job.waiting : '');
    optional(queued, job.queueWait ? 'queued (' + job.queueWait.reason + '): ' + job.queueWait.summary : '');
    showResult(job);
    showCancel(job);
  };
}
