// The SlackMQ console's page: one EventSource (/api/events) brings a snapshot, then an update per
// refresh with only the messages that changed. Everything shown from Slack goes in as text
// (textContent), never as HTML. Every collection the page keeps is capped (CAPS), so a page left
// open for hours does not grow.
(() => {
  'use strict';

  const CAPS = { messages: 200, timeline: 40, points: 60, workers: 64, rows: 100 };
  const SERIES = [
    ['completed', 'completed', '#2e9e5b'], ['inFlight', 'in flight', '#3b7dd8'],
    ['retries', 'retries', '#d89b3b'], ['dead', 'dead letters', '#c0392b'],
  ];
  const CALLS = [['calls', 'API calls', '#7d5fc2'], ['ratelimited', '429s', '#c0392b']];
  const FAULTS = {
    race: 'race window', errors: 'errors (20 %)', latency: 'latency', readLag: 'read lag',
  };

  const $ = (id) => document.getElementById(id);
  const state = { messages: new Map(), view: null, offset: 0, rows: new Map() };

  /** An element with attributes and children (strings become text nodes). */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'style') e.style.cssText = v; // CSSOM: the CSP forbids style attributes
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return e;
  }

  function svg(tag, attrs) {
    const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  }

  const tsNum = (ts) => Number(ts);
  const serverNow = () => Date.now() + state.offset;
  const emoji = (name) => ':' + name + ':'; // as Slack writes them: no emoji font needed

  function clock(ts) {
    const d = new Date(tsNum(ts) * 1000);
    return d.toLocaleTimeString([], { hour12: false });
  }

  function seconds(ms) {
    return (ms / 1000).toFixed(ms < 10000 ? 1 : 0) + ' s';
  }

  /** Takes a snapshot or an update, as the server sends them. */
  function apply(ev) {
    if (ev.type === 'snapshot') state.messages.clear();
    for (const ts of ev.removed || []) state.messages.delete(ts);
    for (const m of ev.messages || []) state.messages.set(m.ts, m);
    if (state.messages.size > CAPS.messages) {
      const keep = [...state.messages.keys()].sort((a, b) => tsNum(b) - tsNum(a)).slice(0, CAPS.messages);
      const kept = new Set(keep);
      for (const ts of [...state.messages.keys()]) if (!kept.has(ts)) state.messages.delete(ts);
    }
    state.view = Object.assign({}, ev, {
      messages: undefined,
      series: (ev.series || []).slice(-CAPS.points),
      workers: (ev.workers || []).slice(0, CAPS.workers),
      api: (ev.api || []).slice(0, CAPS.rows),
      console: (ev.console || []).slice(0, CAPS.rows),
    });
    if (typeof ev.now === 'number') state.offset = ev.now - Date.now();
    render(ev.type === 'snapshot' ? null : new Set((ev.messages || []).map((m) => m.ts)));
  }

  function render(changed) {
    const v = state.view;
    $('channel').textContent = v.channel ? 'channel ' + v.channel : '';
    const mode = $('mode');
    mode.textContent = !v.local ? 'real workspace \u00B7 read-only' : v.controls ? 'local Slack' : 'local Slack \u00B7 read-only';
    mode.className = 'badge ' + (v.controls ? 'mode-drive' : 'mode-read');
    $('refresh').textContent = 'refresh every ' + v.tickMillis + ' ms' + (v.timeScale !== 1 ? ' \u00B7 time \u00D7' + v.timeScale : '');
    const err = $('error');
    err.hidden = !v.error;
    err.textContent = v.error || '';
    renderCounts(v.counts || {});
    renderChart(v);
    renderMessages(changed);
    renderWorkers(v);
    renderApi(v);
    renderControls(v);
  }

  function renderCounts(counts) {
    const box = $('counts');
    box.replaceChildren(...Object.entries(counts).map(([k, n]) =>
      el('div', { class: 'count state-' + k, 'data-count': k }, el('b', {}, String(n)), el('span', {}, k))));
  }

  /** Lines over the buckets, each scaled to the largest value of its chart. */
  function drawChart(box, legend, points, series, w, h) {
    box.replaceChildren();
    const max = Math.max(1, ...points.flatMap((p) => series.map(([k]) => p[k] || 0)));
    const step = points.length > 1 ? w / (CAPS.points - 1) : 0;
    const x0 = w - step * (points.length - 1);
    for (let i = 0; i <= 2; i++) {
      const y = 5 + (h - 10) * i / 2;
      box.appendChild(svg('line', { x1: 0, x2: w, y1: y, y2: y, class: 'grid' }));
    }
    const label = svg('text', { x: 4, y: 14, class: 'axis' });
    label.textContent = String(max);
    box.appendChild(label);
    for (const [key, , color] of series) {
      const pts = points.map((p, i) => (x0 + i * step).toFixed(1) + ',' + (h - 5 - (h - 10) * (p[key] || 0) / max).toFixed(1));
      box.appendChild(svg('polyline', { points: pts.join(' '), fill: 'none', stroke: color, 'stroke-width': 2, 'data-series': key }));
    }
    // Counts add up over the chart; messages in flight is how many there are now.
    const last = points[points.length - 1] || {};
    const shown = (key) => key === 'inFlight' ? last[key] || 0 : points.reduce((n, p) => n + (p[key] || 0), 0);
    legend.replaceChildren(...series.map(([key, name, color]) =>
      el('span', { class: 'key', 'data-series': key, 'data-value': shown(key) }, el('i', { style: 'background:' + color }), name + ' ' + shown(key))));
  }

  function renderChart(v) {
    const points = v.series || [];
    const perMinute = Math.round(v.bucketMillis * v.timeScale) === 60000;
    $('bucket').textContent = perMinute ? 'per ' + (v.timeScale !== 1 ? 'emulated ' : '') + 'minute, the last hour (totals in the legend)'
      : 'per ' + seconds(v.bucketMillis) + ' bucket';
    $('chart').dataset.points = String(points.length);
    drawChart($('chart'), $('legend'), points, SERIES, 640, 150);
    $('callchart').hidden = !v.local;
    $('calllegend').hidden = !v.local;
    if (v.local) drawChart($('callchart'), $('calllegend'), points, CALLS, 640, 80);
  }

  function renderMessages(changed) {
    const list = $('messages');
    for (const [ts, li] of state.rows) {
      if (!state.messages.has(ts)) {
        li.remove();
        state.rows.delete(ts);
      }
    }
    const order = [...state.messages.keys()].sort((a, b) => tsNum(b) - tsNum(a));
    order.forEach((ts, i) => {
      let li = state.rows.get(ts);
      if (!li || !changed || changed.has(ts)) {
        const fresh = messageRow(state.messages.get(ts));
        if (li) li.replaceWith(fresh);
        li = fresh;
        state.rows.set(ts, li);
      }
      const at = list.children[i];
      if (at !== li) list.insertBefore(li, at || null);
    });
    tickLeases();
  }

  function describe(m) {
    switch (m.state) {
      case 'held':
        return m.holder ? ['held by ', el('b', { class: 'holder' }, m.holder), ' \u00B7 ',
          el('span', { class: 'lease', 'data-expires': m.expires || '' }), ' \u00B7 attempt ' + m.attempts]
          : ['held \u00B7 claim on its way'];
      case 'expired':
        return ['lease of ', el('b', { class: 'holder' }, m.holder || '?'), ' expired \u00B7 attempt ' + m.attempts];
      case 'done':
        return ['done by ', el('b', { class: 'holder' }, m.holder || (m.read ? 'a person' : '\u2026')),
          m.attempts ? ' \u00B7 ' + m.attempts + ' attempt(s)' : ''];
      case 'dead':
        return ['dead-lettered' + (m.reason ? ': ' + m.reason : '') + ' \u00B7 ' + m.attempts + ' attempt(s)'];
      default:
        return [m.attempts ? 'waiting \u00B7 ' + m.attempts + ' earlier attempt(s)' : 'waiting'];
    }
  }

  function messageRow(m) {
    const base = tsNum(m.ts);
    const timeline = (m.timeline || []).slice(-CAPS.timeline);
    const li = el('li', { class: 'msg state-' + m.state, 'data-ts': m.ts, 'data-state': m.state, 'data-holder': m.holder || '' },
      el('div', { class: 'head' },
        el('span', { class: 'badge state-' + m.state }, m.state),
        el('span', { class: 'text' }, m.text),
        el('span', { class: 'muted who' }, (m.user || '') + ' \u00B7 ' + clock(m.ts))),
      el('div', { class: 'what' }, describe(m),
        m.pinned ? el('span', { class: 'chip pin' }, 'pinned') : null,
        (m.reactions || []).map((r) => el('span', { class: 'chip reaction', 'data-reaction': r.name }, emoji(r.name) + ' ' + r.count)),
        m.replies ? el('span', { class: 'muted' }, ' \u00B7 ' + m.replies + ' repl' + (m.replies === 1 ? 'y' : 'ies')) : null,
        m.error ? el('span', { class: 'readerror' }, ' \u00B7 ' + m.error) : null),
      timeline.length ? el('ol', { class: 'timeline', 'data-entries': timeline.length },
        m.omitted ? el('li', { class: 'entry more' }, '+' + m.omitted + ' earlier') : null,
        timeline.map((e) => el('li', { class: 'entry op-' + e.op, 'data-op': e.op, 'data-worker': e.worker || '', title: e.text || e.app || '' },
          el('b', {}, e.op), ' ' + (e.worker || ''),
          e.ts ? el('small', {}, ' +' + (tsNum(e.ts) - base).toFixed(1) + 's') : null))) : null);
    if (state.view && state.view.controls && state.view.person && m.state !== 'done') {
      const pick = el('select', { class: 'emoji', 'aria-label': 'reaction' },
        ['+1', 'white_check_mark', 'x', 'eyes', 'rocket'].map((n) => el('option', { value: n }, emoji(n))));
      li.appendChild(el('div', { class: 'actions' }, pick,
        el('button', { class: 'react', type: 'button', onclick: () => send('/api/react', { ts: m.ts, name: pick.value }) },
          'react as ' + state.view.person)));
    }
    return li;
  }

  function tickLeases() {
    for (const span of document.querySelectorAll('.lease')) {
      const expires = Number(span.dataset.expires);
      if (!expires) continue;
      const left = expires - serverNow();
      span.textContent = left > 0 ? seconds(left) + ' left' : 'lease ran out';
    }
  }

  function renderWorkers(v) {
    const rows = (v.workers || []).map((w) => el('tr', { 'data-worker': w.id },
      el('td', {}, el('b', {}, w.id)), el('td', { class: 'muted' }, w.app || ''),
      el('td', {}, w.holding ? 'holds ' + w.holding : 'idle'),
      el('td', {}, w.completed + ' done'),
      el('td', { class: 'muted recent' }, (w.recent || []).join(', '))));
    $('workers').replaceChildren(el('tr', {}, ['worker', 'app', 'now', 'window', 'recent completions'].map((h) => el('th', {}, h))), ...rows);
    const sockets = Object.entries(v.sockets || {});
    $('socketcounts').textContent = sockets.length
      ? 'Socket Mode connections: ' + sockets.map(([app, n]) => app + ' ' + n).join(' \u00B7 ') : '';
  }

  function share(r) {
    return r.ceiling ? r.perMinute / r.ceiling : 0; // both per (emulated) minute
  }

  function apiRow(r, own) {
    const s = share(r);
    return el('tr', { 'data-method': r.method, 'data-caller': r.caller },
      own ? null : el('td', {}, r.caller),
      el('td', {}, r.method),
      el('td', { class: 'num' }, String(r.perMinute)),
      el('td', { class: 'bar' }, el('span', { class: s > 0.9 ? 'hot' : '', style: 'width:' + Math.min(100, Math.round(s * 100)) + '%' }),
        el('small', {}, r.ceiling ? Math.round(s * 100) + ' % of ' + r.ceiling : '')),
      el('td', { class: 'num' }, String(r.calls)),
      own ? el('td', { class: 'num errors' }, String(r.errors)) : null,
      el('td', { class: 'num limited' + (r.ratelimited ? ' hot' : '') }, String(r.ratelimited)));
  }

  function renderApi(v) {
    const perMin = v.timeScale !== 1 ? '/emulated min' : '/min';
    $('apipanel').hidden = !v.local;
    const rows = (v.api || []).slice().sort((a, b) => share(b) - share(a));
    $('api').replaceChildren(el('tr', {}, ['caller', 'method', perMin, 'of the tier', 'calls', '429s'].map((h) => el('th', {}, h))),
      ...rows.map((r) => apiRow(r, false)));
    $('api').dataset.ratelimited = String(rows.reduce((n, r) => n + r.ratelimited, 0));
    const own = v.console || [];
    $('own').replaceChildren(el('tr', {}, ['method', perMin, 'of the tier', 'calls', 'errors', '429s'].map((h) => el('th', {}, h))),
      ...own.map((r) => apiRow(r, true)));
    $('own').dataset.errors = String(own.reduce((n, r) => n + r.errors, 0));
  }

  let controlsShown = '';

  function renderControls(v) {
    $('drive').hidden = !v.controls;
    // Rebuilt only when they change: a button replaced under the pointer would lose its click.
    const key = JSON.stringify([v.controls, v.person, v.faults, v.apps, v.sockets]);
    if (!v.controls || key === controlsShown) return;
    controlsShown = key;
    $('person').textContent = v.person || 'nobody (no SLACK_USER_TOKEN)';
    $('post').disabled = !v.person;
    const faults = $('faults');
    faults.replaceChildren(...Object.entries(v.faults || {}).map(([name, on]) =>
      el('button', { type: 'button', class: 'fault' + (on ? ' on' : ''), 'data-fault': name, 'aria-pressed': on ? 'true' : 'false',
        onclick: () => send('/api/fault', { name, on: !on }) }, (on ? '\u25CF ' : '\u25CB ') + (FAULTS[name] || name))));
    $('sockets').replaceChildren(...(v.apps || []).map((app) => el('div', { class: 'socket', 'data-app': app },
      el('span', {}, app + ' (' + ((v.sockets || {})[app] || 0) + ')'),
      el('button', { type: 'button', class: 'drop', onclick: () => send('/api/socket', { app, action: 'drop' }) }, 'kill socket'),
      el('button', { type: 'button', class: 'disconnect', onclick: () => send('/api/socket', { app, action: 'disconnect' }) }, 'disconnect'))));
  }

  async function send(path, body) {
    const result = $('result');
    try {
      const r = await fetch(path, {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      });
      const answer = await r.json().catch(() => ({}));
      result.textContent = r.ok ? 'ok' + (answer.ts ? ': posted ' + answer.ts : '')
        + (answer.connections !== undefined ? ': ' + answer.connections + ' connection(s)' : '')
        : (answer.error || r.status) + ': ' + (answer.message || '');
      result.className = 'result ' + (r.ok ? 'ok' : 'failed');
      return r.ok;
    } catch (e) {
      result.textContent = 'the console did not answer: ' + e;
      result.className = 'result failed';
      return false;
    }
  }

  function connect() {
    const conn = $('conn');
    const events = new EventSource('/api/events');
    events.addEventListener('open', () => { conn.textContent = 'live'; conn.className = 'badge conn-live'; });
    events.addEventListener('error', () => { conn.textContent = 'reconnecting\u2026'; conn.className = 'badge conn-wait'; });
    events.addEventListener('busy', () => { conn.textContent = 'too many pages open'; events.close(); });
    for (const type of ['snapshot', 'update']) {
      events.addEventListener(type, (e) => apply(JSON.parse(e.data)));
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('compose').addEventListener('submit', async (e) => {
      e.preventDefault();
      const text = $('text').value.trim();
      if (text && await send('/api/post', { text })) $('text').value = '';
    });
    setInterval(tickLeases, 250);
    connect();
  });

  // For the browser tests: what the page holds, and the function the feed calls.
  window.slackmqConsole = {
    apply,
    caps: CAPS,
    sizes: () => ({
      messages: state.messages.size, rows: document.querySelectorAll('#messages > li').length,
      points: (state.view && state.view.series.length) || 0,
      polyline: Math.max(0, ...[...document.querySelectorAll('#chart polyline')].map((p) => p.points.numberOfItems)),
    }),
  };
})();
