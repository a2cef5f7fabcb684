// The console's job list: a row per recent job, filtered and searched in the page, kept live by the API's
// server-sent events (the page's `live` helper: a stream, or polling when it fails).
import { el, clear, setText, duration, stateCell, progressBar } from './dom.js';

export async function jobsView(view, { api, live }) {
  const search = el('input', { id: 'job-search', type: 'search', placeholder: 'name contains…' });
  const filter = el('select', { id: 'job-state' },
    ['', 'RUNNING', 'PENDING', 'SUCCEEDED', 'FAILED', 'CANCELLED'].map((s) => el('option', { value: s, text: s || 'any state' })));
  const body = el('tbody', { id: 'jobs-body' });
  const count = el('span', { class: 'muted', id: 'jobs-count' });
  view.append(el('div', { class: 'panel' },
    el('h1', { text: 'Jobs' }),
    el('div', { class: 'toolbar' }, search, filter, count),
    el('table', { id: 'jobs-table' },
      el('thead', null, el('tr', null, ['Job', 'Name', 'State', 'Progress', 'Tasks', 'ETA', 'Owner', 'Age']
        .map((h) => el('th', { text: h })))),
      body)));
  let last = null;
  // A row per job, kept across updates: an update rewrites the cells that changed and moves rows only when the
  // order changed, so a push that changed one job's counts touches that row, not a hundred rebuilt ones.
  const rows = new Map();
  const none = el('tr', null, el('td', { colspan: 8, class: 'muted', text: 'no jobs match' }));
  const rowOf = (j) => {
    let r = rows.get(j.id);
    if (!r) {
      r = { state: el('td'), progress: el('td'), tasks: el('td'), eta: el('td'), age: el('td'), key: null };
      r.tr = el('tr', { class: 'clickable', data: { jobId: j.id } },
        el('td', { class: 'mono' }, el('a', { href: '#/jobs/' + encodeURIComponent(j.id), text: j.id })),
        el('td', { text: j.name }), r.state, r.progress, r.tasks, r.eta, el('td', { text: j.owner }), r.age);
      r.tr.addEventListener('click', (ev) => { if (ev.target.tagName !== 'A') location.hash = '#/jobs/' + encodeURIComponent(j.id); });
      rows.set(j.id, r);
    }
    const key = [j.state, j.progress, j.failed].join(' ');
    if (r.key !== key) {
      r.key = key;
      r.tr.dataset.state = j.state;
      clear(r.state).append(stateCell(j.state));
      clear(r.progress).append(progressBar(j));
    }
    setText(r.tasks, (j.succeeded + j.failed) + ' / ' + j.total);
    setText(r.eta, j.etaSeconds === null || j.etaSeconds === undefined ? '—' : duration(j.etaSeconds));
    setText(r.age, duration(j.ageSeconds));
    return r.tr;
  };
  const render = () => {
    if (!last) return;
    const q = search.value.trim().toLowerCase();
    const st = filter.value;
    const jobs = last.jobs.filter((j) => (!q || j.name.toLowerCase().includes(q) || j.id.toLowerCase().includes(q))
      && (!st || j.state === st));
    const listed = new Set(last.jobs.map((j) => j.id));
    for (const id of [...rows.keys()]) if (!listed.has(id)) rows.delete(id);
    const want = jobs.length ? jobs.map(rowOf) : [none];
    const have = body.children;
    if (want.length !== have.length || want.some((tr, i) => have[i] !== tr)) body.replaceChildren(...want);
    setText(count, jobs.length + ' of ' + last.jobs.length + ' recent jobs');
  };
  search.addEventListener('input', render);
  filter.addEventListener('change', render);
  last = await api('/jobs?limit=100');
  render();
  live('/events?limit=100', (name, data) => { if (name === 'jobs' && data) { last = data; render(); } },
    async () => { last = await api('/jobs?limit=100'); render(); });
}
