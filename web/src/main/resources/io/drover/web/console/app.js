// Drover web console: plain JS, no framework, no CDN, no inline code (the page's CSP is default-src 'self').
// Every text from the server is set with textContent, never parsed as HTML. The token lives in this tab's
// sessionStorage and is sent as Authorization: Bearer on each call; live updates are the API's server-sent
// events read with fetch (EventSource cannot send that header), with polling every 2 s when the stream fails.
import { el, clear, duration, stateCell } from './dom.js';
import { jobSummary, isTerminal } from './summary.js';
import { draw, streamText, MAX_SLOT_ROWS } from './stream.js';
import { schedulesView, clusterView } from './views.js';
import { jobsView } from './jobs.js';

(() => {
  const API = '/api/v1';
  const TOKEN_KEY = 'drover.token';
  const POLL_MS = 2000;
  const TASK_PAGE = 50;
  const GATHER_MS = 100; // a push's job and stream events, drawn in one frame
  const FINAL_TASK_STATES = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
  const state = { me: null, view: null, stop: [] };
  const $ = (id) => document.getElementById(id);

  function can(permission) {
    return !!state.me && state.me.permissions.includes(permission);
  }

  function showError(message) {
    const box = $('error');
    box.textContent = message || '';
    box.hidden = !message;
  }

  // ------------------------------------------------------------------ API

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }

  function headers() {
    const h = { Accept: 'application/json' };
    const t = token();
    if (t) h.Authorization = 'Bearer ' + t;
    return h;
  }

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(path, method) {
    const res = await fetch(API + path, { method: method || 'GET', headers: headers(), cache: 'no-store' });
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (res.status === 401) {
      logout(body && body.error ? body.error : 'your token was refused; log in again');
      throw new ApiError(401, 'not logged in');
    }
    if (!res.ok) {
      throw new ApiError(res.status, (body && body.error) || ('HTTP ' + res.status + ' from ' + path));
    }
    return body;
  }

  // Reads text/event-stream with fetch; onEvent(name, data). Resolves when the stream ends, rejects when it fails.
  async function sse(path, onEvent, signal) {
    const res = await fetch(API + path, { headers: Object.assign(headers(), { Accept: 'text/event-stream' }), signal, cache: 'no-store' });
    if (!res.ok || !res.body) throw new ApiError(res.status, 'event stream refused: HTTP ' + res.status);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let name = 'message';
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) name = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
        }
        if (data.length) {
          let parsed = null;
          try { parsed = JSON.parse(data.join('\n')); } catch (e) { parsed = null; }
          onEvent(name, parsed);
        }
      }
    }
  }

  function liveBadge(mode) {
    const b = $('live');
    const cls = 'live ' + (mode === 'stream' ? 'on' : mode === 'poll' ? 'poll' : mode === 'paused' ? 'paused' : '');
    const text = mode === 'stream' ? 'live' : mode === 'poll' ? 'polling every 2 s' : mode === 'paused' ? 'paused while hidden' : '';
    if (b.className !== cls) b.className = cls;
    if (b.textContent !== text) b.textContent = text;
  }

  // Keeps a view fresh: the event stream when it works, else polling. Stopped when the view changes. While the tab
  // is hidden the stream is closed and nothing is polled (a hidden page draws nothing, so each update would be read
  // for nothing); when it shows again the stream is opened again and its first event brings the state of now.
  function live(ssePath, onEvent, poll) {
    let ctl = null;
    let timer = null;
    let stopped = false;
    const startPolling = () => {
      if (stopped || timer) return;
      liveBadge('poll');
      const tick = async () => {
        if (stopped) return;
        if (!document.hidden) {
          try { await poll(); } catch (e) { if (e.status !== 401) showError(e.message); }
        }
        if (!stopped) timer = setTimeout(tick, POLL_MS);
      };
      timer = setTimeout(tick, POLL_MS);
    };
    const run = async () => {
      const mine = ctl = new AbortController();
      let ended = false;
      try {
        liveBadge('stream');
        await sse(ssePath, (name, data) => {
          if (name === 'end') ended = true;
          else if (name === 'error') { showError(data && data.error); }
          else onEvent(name, data);
        }, mine.signal);
        if (stopped || mine !== ctl) return;
        if (!ended) run(); // the server ends streams after a while: reconnect
        else { ctl = null; liveBadge(''); }
      } catch (e) {
        if (!stopped && mine === ctl) startPolling();
      }
    };
    const onVisibility = () => {
      if (stopped || timer) return; // polling skips its ticks while hidden
      if (document.hidden && ctl) {
        const c = ctl;
        ctl = null;
        c.abort();
        liveBadge('paused');
      } else if (!document.hidden && !ctl) {
        run();
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    if (document.hidden) liveBadge('paused'); // opened in a background tab (or hidden while the view loaded)
    else run();
    state.stop.push(() => {
      stopped = true;
      document.removeEventListener('visibilitychange', onVisibility);
      if (ctl) ctl.abort();
      if (timer) clearTimeout(timer);
      liveBadge('');
    });
  }

  // Runs fn at most once per animation frame however often it is asked for (and not while the tab is hidden,
  // when browsers hold frames back), so bursts of updates cost one redraw. With gatherMs, waits that long first:
  // the events the server wrote together may reach the page in more than one read.
  function coalesced(fn, gatherMs) {
    let queued = false;
    const frame = () => requestAnimationFrame(() => { queued = false; fn(); });
    return () => {
      if (queued) return;
      queued = true;
      if (gatherMs) setTimeout(frame, gatherMs); else frame();
    };
  }

  // Whether a node is on screen now (an IntersectionObserver keeps the answer); what is not is not refreshed.
  function visibility(node) {
    const seen = { now: true };
    if ('IntersectionObserver' in window) {
      const io = new IntersectionObserver((entries) => { seen.now = entries[entries.length - 1].isIntersecting; });
      io.observe(node);
      state.stop.push(() => io.disconnect());
    }
    return () => seen.now && !document.hidden;
  }

  function every(ms, fn) {
    let stopped = false;
    let timer = null;
    const tick = async () => {
      if (stopped) return;
      if (!document.hidden) { // a hidden tab shows nothing: asking would be for nothing
        try { await fn(); } catch (e) { if (e.status !== 401) showError(e.message); }
      }
      if (!stopped) timer = setTimeout(tick, ms);
    };
    timer = setTimeout(tick, ms);
    state.stop.push(() => { stopped = true; clearTimeout(timer); });
  }

  // ------------------------------------------------------------------ login

  async function login(t) {
    if (t !== undefined) sessionStorage.setItem(TOKEN_KEY, t);
    const res = await fetch(API + '/whoami', { headers: headers(), cache: 'no-store' });
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) {
      sessionStorage.removeItem(TOKEN_KEY);
      throw new ApiError(res.status, (body && body.error) || 'HTTP ' + res.status);
    }
    state.me = body;
    $('whoami').textContent = body.secure ? body.subject + ' (' + body.role + ')' : 'insecure cluster';
    $('whoami').dataset.role = body.role;
    $('login').hidden = true;
    $('nav').hidden = false;
    $('logout').hidden = !body.secure;
    route();
  }

  function logout(message) {
    stopView();
    sessionStorage.removeItem(TOKEN_KEY);
    state.me = null;
    $('nav').hidden = true;
    $('logout').hidden = true;
    $('whoami').textContent = '';
    delete $('whoami').dataset.role;
    clear($('view'));
    showError('');
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    $('token').value = '';
    $('token').focus();
  }

  // ------------------------------------------------------------------ routing

  function stopView() {
    state.stop.splice(0).forEach((f) => f());
  }

  const helpers = { api, every, can, live }; // what the views in views.js and jobs.js need of the page

  function route() {
    if (!state.me) return;
    stopView();
    showError('');
    const parts = (location.hash || '#/jobs').slice(2).split('/').map(decodeURIComponent);
    document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', a.dataset.view === parts[0]));
    const view = clear($('view'));
    Object.keys(view.dataset).forEach((k) => { delete view.dataset[k]; });
    const fail = (e) => { if (e.status !== 401) showError(e.message); };
    if (parts[0] === 'jobs' && parts[1] && parts[2] === 'tasks' && parts[4] === 'log') {
      taskLogView(view, parts[1], parts[3]).catch(fail);
    } else if (parts[0] === 'jobs' && parts[1]) {
      jobView(view, parts[1]).catch(fail);
    } else if (parts[0] === 'agents') {
      agentsView(view).catch(fail);
    } else if (parts[0] === 'schedules') {
      schedulesView(view, helpers).catch(fail);
    } else if (parts[0] === 'cluster') {
      clusterView(view, helpers).catch(fail);
    } else {
      jobsView(view, helpers).catch(fail);
    }
  }

  async function jobView(view, id) {
    const started = performance.now();
    const enc = encodeURIComponent(id);
    const title = el('h1', { text: 'Job ' + id });
    const summary = el('div', { id: 'job-summary' });
    const canvas = el('canvas', { id: 'stream-canvas', width: 1200, height: 260, data: { drawn: 'false' } });
    const streamNote = el('p', { id: 'stream-summary', class: 'muted' });
    const tasksBox = el('div', { id: 'tasks' });
    const resultBox = el('div', { class: 'panel', id: 'job-result-panel', hidden: 'hidden' });
    const cancelBox = el('span');
    view.append(
      el('div', { class: 'toolbar' }, el('a', { href: '#/jobs', text: '← jobs' }), cancelBox),
      el('div', { class: 'panel' }, title, summary),
      el('div', { class: 'panel' }, el('h2', { text: 'Task stream' }),
        el('div', { class: 'legend' }, el('span', { class: 'sw-ok', text: 'succeeded' }), el('span', { class: 'sw-run', text: 'running' }),
          el('span', { class: 'sw-fail', text: 'failed' }), el('span', { class: 'sw-retry', text: 'retried' }),
          el('span', { class: 'sw-cancel', text: 'cancelled' }), el('span', { class: 'sw-lost', text: 'lost' })),
        canvas, streamNote),
      resultBox,
      el('div', { class: 'panel' }, el('h2', { text: 'Tasks' }), tasksBox));

    let job = await api('/jobs/' + enc);
    let page = 0;
    const mayCancel = (j) => can('jobs.cancel.others') || (can('jobs.cancel.own') && state.me.subject === j.owner);
    const update = jobSummary(id, summary, resultBox, cancelBox, mayCancel, async () => {
      if (confirm('Cancel job ' + id + '?')) { job = await api('/jobs/' + enc + '/cancel', 'POST'); renderJob(); }
    });
    const renderJob = () => update(job);
    // More slots than fit as rows come one row per agent, summed by the API (maxLanes): a small answer to parse.
    // An answer the server shared with another page, or one already drawn, is not drawn again.
    const STREAM_ASK = 'attempts=2000&maxLanes=' + MAX_SLOT_ROWS;
    let drawnAt = null;
    const drawStreamData = (stream) => {
      const key = stream.generatedAtMs + ' ' + stream.totalAttempts + ' ' + stream.available;
      if (key === drawnAt) return;
      drawnAt = key;
      const t0 = performance.now();
      draw(canvas, stream);
      canvas.dataset.drawMs = (performance.now() - t0).toFixed(1);
      streamNote.textContent = streamText(stream);
    };
    const drawStream = async () => drawStreamData(await api('/jobs/' + enc + '/stream?buckets=200&' + STREAM_ASK));
    // A task page the same as the one shown (the usual case: the first page's tasks ended long ago) is not redrawn.
    // A page whose every task ended (the usual case while a large job runs: its first tasks ended long ago) cannot
    // change, so the live refresh does not ask for it again.
    let tasksShownKey = null;
    let tasksSettled = false;
    const renderTasks = async () => {
      const p = await api('/jobs/' + enc + '/tasks?offset=' + page * TASK_PAGE + '&limit=' + TASK_PAGE);
      tasksSettled = p.tasks.length > 0 && p.tasks.every((t) => FINAL_TASK_STATES.includes(t.state));
      const key = page + ' ' + p.matched + '\n' + p.tasks.map((t) => [t.task, t.state, t.attempts, t.agent, t.error].join(' ')).join('\n');
      if (key === tasksShownKey) return;
      tasksShownKey = key;
      const body = el('tbody');
      for (const t of p.tasks) {
        body.append(el('tr', { data: { task: t.task } },
          el('td', { text: t.task }),
          el('td', null, stateCell(t.state)),
          el('td', { text: t.attempts }),
          el('td', { class: 'mono', text: t.agent || '—' }),
          el('td', { class: 'error', text: t.error || '' }),
          el('td', null, el('a', { href: '#/jobs/' + enc + '/tasks/' + t.task + '/log', text: 'output' }))));
      }
      const pages = Math.max(1, Math.ceil(p.matched / TASK_PAGE));
      clear(tasksBox).append(
        el('table', { id: 'tasks-table' },
          el('thead', null, el('tr', null, ['Task', 'State', 'Attempts', 'Agent', 'Error', ''].map((h) => el('th', { text: h })))), body),
        el('div', { class: 'pager' },
          el('button', { type: 'button', text: '‹ prev', disabled: page === 0 ? 'disabled' : null, onclick: () => { page--; renderTasks().catch(fail); } }),
          el('span', { class: 'muted', text: 'page ' + (page + 1) + ' of ' + pages + ' · ' + p.matched + ' tasks' }),
          el('button', { type: 'button', text: 'next ›', disabled: page + 1 >= pages ? 'disabled' : null, onclick: () => { page++; renderTasks().catch(fail); } })));
    };
    const fail = (e) => { if (e.status !== 401) showError(e.message); };
    renderJob();
    await Promise.all([drawStream(), renderTasks()]);
    // The time from opening the job to its counts, task stream and first task page drawn (the bench figure).
    view.dataset.loadMs = (performance.now() - started).toFixed(1);
    const terminal = () => isTerminal(job);
    if (!terminal()) {
      // The event stream brings the counts and the task stream together, at most every 2 s, in the same read: both
      // are kept and drawn in one frame (one layout, paint and composite), the stream only while on screen.
      const streamShown = visibility(canvas);
      const tasksShown = visibility(tasksBox);
      let jobChanged = false;
      let nextStream = null;
      let pushedAt = performance.now(); // the server pushes the stream; fetched at the end only if it stopped
      const pushed = () => performance.now() - pushedAt < 3 * POLL_MS;
      // The stream first: drawing reads the canvas's width, which after a DOM change would force a second layout.
      const paint = coalesced(() => {
        if (nextStream && (streamShown() || terminal())) { const s = nextStream; nextStream = null; drawStreamData(s); }
        if (jobChanged) { jobChanged = false; renderJob(); }
      }, GATHER_MS);
      live('/events?job=' + enc + '&stream=200&' + STREAM_ASK, (name, data) => {
        if (name === 'job' && data) {
          const was = job.state;
          job = Object.assign({}, job, data);
          jobChanged = true;
          paint();
          if (terminal() && was !== job.state) {
            if (!pushed()) drawStream().catch(fail);
            renderTasks().catch(fail);
            api('/jobs/' + enc).then((j) => { job = j; renderJob(); }).catch(fail);
          }
        } else if (name === 'stream' && data) {
          pushedAt = performance.now();
          nextStream = data;
          paint();
        }
      }, async () => {
        // Polling, as the event stream failed: the counts, and the task stream while it is on screen.
        job = await api('/jobs/' + enc);
        jobChanged = true;
        if (streamShown()) nextStream = await api('/jobs/' + enc + '/stream?buckets=200&' + STREAM_ASK);
        paint();
      });
      // While the job runs: the task page every 10 s, only while on screen (a page scrolled away or a hidden tab
      // asks nothing) and not once all its tasks ended. No other timer: the pushes wake the page.
      every(5 * POLL_MS, async () => {
        if (!terminal() && tasksShown() && !tasksSettled) await renderTasks();
      });
    }
  }

  async function taskLogView(view, id, task) {
    const enc = encodeURIComponent(id);
    const pre = el('pre', { class: 'log', id: 'task-log' });
    const which = el('select', null, el('option', { value: 'STDOUT', text: 'stdout' }), el('option', { value: 'STDERR', text: 'stderr' }));
    const note = el('span', { class: 'muted' });
    view.append(el('div', { class: 'toolbar' }, el('a', { href: '#/jobs/' + enc, text: '← job ' + id })),
      el('div', { class: 'panel' }, el('h1', { text: 'Task ' + task + ' output' }), el('div', { class: 'toolbar' }, which, note), pre));
    const load = async () => {
      const log = await api('/jobs/' + enc + '/tasks/' + encodeURIComponent(task) + '/log?stream=' + which.value + '&max=262144');
      pre.textContent = log.data || '';
      note.textContent = 'attempt ' + log.attempt + ' · ' + log.nextOffset + ' bytes' + (log.truncated ? ' (cut by the agent\'s --log-cap)' : '')
        + (log.complete ? '' : ' · still running');
    };
    which.addEventListener('change', () => load().catch((e) => showError(e.message)));
    await load();
  }

  // ------------------------------------------------------------------ agents

  async function agentsView(view) {
    const body = el('tbody', { id: 'agents-body' });
    const manage = can('agents.manage');
    view.append(el('div', { class: 'panel' }, el('h1', { text: 'Agents' }),
      el('table', { id: 'agents-table' },
        el('thead', null, el('tr', null, ['Agent', 'Host', 'State', 'Pool', 'Labels', 'Slots used', 'Last heartbeat', 'Release', 'Done', manage ? '' : null]
          .filter((h) => h !== null).map((h) => el('th', { text: h })))), body)));
    const render = (agents) => {
      clear(body);
      for (const a of agents) {
        const row = el('tr', { data: { agentId: a.id, state: a.state } },
          el('td', { class: 'mono', text: a.id }),
          el('td', { text: a.host }),
          el('td', { class: 'agent-state' }, stateCell(a.state), a.pendingAction ? el('div', { class: 'muted', text: a.pendingAction }) : null),
          el('td', { text: a.pool || '—' }),
          el('td', { class: 'labels' }, Object.entries(a.labels || {}).map(([k, v]) => el('span', { text: k + '=' + v }))),
          el('td', { text: a.running + ' / ' + a.slots }),
          el('td', { text: duration(a.heartbeatAgeSeconds) + ' ago' }),
          el('td', { text: a.version || '—' }),
          el('td', { text: a.completedTasks }));
        if (manage) {
          const draining = a.state === 'DRAINING';
          row.append(el('td', null, el('button', {
            type: 'button', class: draining ? 'undrain' : 'drain', data: { agentId: a.id }, text: draining ? 'Undrain' : 'Drain',
            onclick: async () => {
              await api('/agents/' + encodeURIComponent(a.id) + (draining ? '/undrain' : '/drain'), 'POST');
              render(await api('/agents'));
            }
          })));
        }
        body.append(row);
      }
      if (!agents.length) body.append(el('tr', null, el('td', { colspan: 10, class: 'muted', text: 'no agents have registered with the leader' })));
    };
    render(await api('/agents'));
    every(POLL_MS, async () => render(await api('/agents')));
  }

  // ------------------------------------------------------------------ start

  document.addEventListener('DOMContentLoaded', () => {
    $('login-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      $('login-error').textContent = '';
      login($('token').value.trim()).catch((e) => { $('login-error').textContent = 'Log-in refused: ' + e.message; });
    });
    $('logout').addEventListener('click', () => logout(''));
    window.addEventListener('hashchange', route);
    // A token from earlier in this tab, or an insecure cluster that needs none.
    login().catch(() => logout(''));
  });
})();
