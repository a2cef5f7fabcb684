// The schedules and cluster views of the console: each draws into `view` and refreshes itself with the page's
// helpers (api: a call to the JSON API; every: a refresh stopped when the view changes; can: a permission check).
import { el, clear, when } from './dom.js';

const POLL_MS = 2000;

// ------------------------------------------------------------------ schedules

export async function schedulesView(view, { api, every, can }) {
  const box = el('div', { id: 'schedules' });
  view.append(el('div', { class: 'panel' }, el('h1', { text: 'Schedules' }), box));
  const manage = can('schedules.manage');
  const render = (schedules) => {
    clear(box);
    if (!schedules.length) { box.append(el('p', { class: 'muted', text: 'no schedules (drover schedule add …)' })); return; }
    for (const s of schedules) {
      const act = (path) => async () => { await api('/schedules/' + encodeURIComponent(s.name) + path, 'POST'); render(await api('/schedules')); };
      box.append(el('div', { class: 'panel', data: { schedule: s.name } },
        el('div', { class: 'toolbar' }, el('h2', { text: s.name }), el('code', { text: s.cron + ' ' + s.zone }),
          s.paused ? el('span', { class: 'state state-DRAINING', text: 'PAUSED' }) : null,
          manage ? el('button', { type: 'button', text: s.paused ? 'Resume' : 'Pause', onclick: act(s.paused ? '/resume' : '/pause') }) : null,
          manage ? el('button', { type: 'button', text: 'Run now', onclick: act('/run') }) : null),
        el('div', { class: 'muted', text: s.jobKind + ': ' + s.job + ' · ' + s.shards + ' shards · misfire ' + s.misfire + ' · overlap ' + s.overlap }),
        el('div', null, 'Next: ', s.nextFireTimes.length ? s.nextFireTimes.map(when).join(' · ') : '—'),
        el('div', { class: 'muted', text: 'History: ' + s.ok + ' ok, ' + s.failed + ' failed, ' + s.late + ' late, ' + s.skipped + ' skipped' }),
        el('table', null, el('thead', null, el('tr', null, ['Scheduled', 'Fired', 'Status', 'Job', 'Outcome', 'Lag'].map((h) => el('th', { text: h })))),
          el('tbody', null, s.history.slice(0, 10).map((r) => el('tr', null,
            el('td', { text: when(r.scheduledAt) }), el('td', { text: when(r.firedAt) }), el('td', { text: r.status }),
            el('td', null, r.jobId ? el('a', { href: '#/jobs/' + encodeURIComponent(r.jobId), text: r.jobId }) : '—'),
            el('td', { class: r.outcome === 'failed' ? 'error' : '', text: r.outcome + (r.late ? ' (late)' : '') }),
            el('td', { text: r.lagMillis + ' ms' })))))));
    }
  };
  render(await api('/schedules'));
  every(5000, async () => render(await api('/schedules')));
}

// ------------------------------------------------------------------ cluster

export async function clusterView(view, { api, every }) {
  const box = el('div', { id: 'cluster' });
  view.append(el('div', { class: 'panel' }, el('h1', { text: 'Cluster' }), box));
  const render = (c) => {
    const standbys = c.standbys === null || c.standbys === undefined ? 'unknown (ZooKeeper could not be asked)'
      : (c.standbys.length ? c.standbys.join(', ') : 'none');
    const changes = (c.recentChanges || []).slice().reverse();
    clear(box).append(el('table', null, el('tbody', null,
      [['Answered by', c.servedBy + (c.leader ? ' (leader)' : ' (standby)')],
        ['Leader', c.leaderEndpoint || 'unknown'],
        ['Epoch', c.epoch === null || c.epoch === undefined ? '—' : c.epoch],
        ['Standbys', standbys],
        ['ZooKeeper', c.zooKeeper]]
        .map(([k, v]) => el('tr', null, el('th', { text: k }), el('td', { text: v }))))),
    el('h2', { text: 'Leadership changes seen by ' + c.servedBy }),
    changes.length
      ? el('table', { id: 'leadership-changes' },
        el('thead', null, el('tr', null, ['When', 'Epoch', 'Change', 'Why'].map((h) => el('th', { text: h })))),
        el('tbody', null, changes.map((x) => el('tr', null,
          el('td', { text: new Date(x.at).toLocaleString() }), el('td', { text: x.epoch }),
          el('td', { text: x.gained ? 'took over' : 'stepped down' }), el('td', { text: x.reason || '' })))))
      : el('p', { class: 'muted', text: 'None since this coordinator started.' }),
    el('p', { class: 'muted', text: 'Each epoch is one leadership term: a rising epoch means a failover happened.' }));
  };
  render(await api('/cluster'));
  every(POLL_MS, async () => render(await api('/cluster')));
}
