// The pages' behaviour. Data comes from the JSON APIs of the same origin (the session cookie
// authenticates them); images are requested by URL paths that carry only the request id.
'use strict';

const $ = (sel) => document.querySelector(sel);
const text = (v) => document.createTextNode(v === null || v === undefined ? '' : String(v));
const fmt = (x, d = 4) => (typeof x === 'number' ? x.toFixed(d) : x);

function row(cells) {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement('td');
    if (c instanceof Node) td.appendChild(c); else td.appendChild(text(c));
    tr.appendChild(td);
  }
  return tr;
}

function link(href, label) {
  const a = document.createElement('a');
  a.href = href;
  a.appendChild(text(label));
  return a;
}

async function getJson(url) {
  const r = await fetch(url, { credentials: 'same-origin' });
  if (!r.ok) throw new Error(url + ': ' + r.status);
  return r.json();
}

// Who is logged in (GET /api/me): the pages leave out what the role may not use. The server refuses it anyway.
let me = null;
const whoAmI = async () => { me = me || await getJson('/api/me'); return me; };

function resultRow(r) {
  const decision = document.createElement('span');
  decision.className = r.decision;
  decision.appendChild(text(r.decision));
  const tr = row([link('/requests/' + encodeURIComponent(r.requestId), r.requestId), r.completedAt, r.model, fmt(r.score),
    fmt(r.threshold) + (r.thresholdSource === 'request' ? ' (request)' : ''), decision, r.explained ? 'yes' : 'no',
    r.latencyMs + ' ms', (r.submittedBy || '-') + (r.authenticated ? ' (authenticated)' : '')]);
  tr.dataset.requestId = r.requestId;
  return tr;
}

const pages = {
  async live() {
    const body = $('#results tbody');
    for (const r of await getJson('/api/results/recent')) body.appendChild(resultRow(r));
    const events = new EventSource('/api/stream/results');
    events.addEventListener('result', (e) => {
      const tr = resultRow(JSON.parse(e.data));
      tr.className = 'new';
      body.insertBefore(tr, body.firstChild);
    });
  },

  async request() {
    const id = decodeURIComponent(location.pathname.split('/').pop());
    const r = await getJson('/api/requests/' + encodeURIComponent(id));
    $('#title').textContent = 'Request ' + r.requestId;
    $('#summary').textContent = `${r.decision} · score ${fmt(r.score)} at threshold ${fmt(r.threshold)} (${r.thresholdSource})`
      + ` · model ${r.model} · ${r.completedAt} · submitted by ${r.submittedBy || '-'}${r.authenticated ? ' (authenticated)' : ''}`;
    const base = '/api/requests/' + encodeURIComponent(id);
    if (!r.explanation) {
      $('#summary').textContent += ' · not explained (no maps)';
      return;
    }
    if ((await whoAmI()).role === 'viewer') {
      // No <img> at all: a viewer's browser never asks for a face.
      const note = document.createElement('p');
      note.id = 'faces-note';
      note.appendChild(text(`faces and maps are not shown to role viewer (s+ probe ${fmt(r.explanation.probeSPlus)},`
        + ` reference ${fmt(r.explanation.referenceSPlus)})`));
      $('.controls').remove();
      $('.faces').replaceWith(note);
      return;
    }
    $('#probe-s').textContent = `s+ ${fmt(r.explanation.probeSPlus)}, s- ${fmt(r.explanation.probeSMinus)}`;
    $('#reference-s').textContent = `s+ ${fmt(r.explanation.referenceSPlus)}, s- ${fmt(r.explanation.referenceSMinus)}`;
    $('#probe-face').src = base + '/probe/face.png';
    $('#reference-face').src = base + '/reference/face.png';
    const show = () => {
      const kind = $('#map').value;
      $('#probe-map').src = base + '/probe/' + kind + '.png';
      $('#reference-map').src = base + '/reference/' + kind + '.png';
    };
    const opacity = () => document.querySelectorAll('.overlay').forEach((i) => { i.style.opacity = $('#opacity').value / 100; });
    $('#map').addEventListener('change', show);
    $('#opacity').addEventListener('input', opacity);
    show();
    opacity();
  },

  async rejections() {
    // topic:partition:offset -> the replay's requestId, so a re-read keeps each replay's link.
    const replayed = new Map();
    const mayReplay = (await whoAmI()).role === 'operator';
    let shown = null;
    const load = async () => {
      const reason = $('#reason').value;
      const list = await getJson('/api/rejections' + (reason ? '?reason=' + encodeURIComponent(reason) : ''));
      // Redraw only on a change, so a button being clicked is not swapped out from under the pointer.
      const seen = JSON.stringify([reason, list, [...replayed]]);
      if (seen === shown) {
        return list;
      }
      shown = seen;
      const body = $('#rejections tbody');
      body.replaceChildren();
      for (const x of list) {
        const cell = document.createElement('span');
        const key = `${x.topic}:${x.partition}:${x.offset}`;
        if (replayed.has(key)) {
          cell.appendChild(link('/requests/' + encodeURIComponent(replayed.get(key)), 'outcome of ' + replayed.get(key)));
        } else if (x.replayable && mayReplay) {
          const b = document.createElement('button');
          b.className = 'replay';
          b.appendChild(text('replay'));
          b.addEventListener('click', async () => {
            b.disabled = true;
            const r = await fetch(`/api/rejections/replay?topic=${encodeURIComponent(x.topic)}&partition=${x.partition}&offset=${x.offset}`, { method: 'POST' });
            const j = await r.json();
            replayed.set(key, j.requestId);
            shown = JSON.stringify([reason, list, [...replayed]]);
            cell.replaceChildren(link('/requests/' + encodeURIComponent(j.requestId), 'outcome of ' + j.requestId));
          });
          cell.appendChild(b);
        }
        body.appendChild(row([x.requestId || '(unreadable)', x.reason, x.stage, x.message, x.rejectedAt, cell]));
      }
      return list;
    };
    await load();
    for (const r of await getJson('/api/rejections/reasons')) {
      const o = document.createElement('option');
      o.value = r;
      o.appendChild(text(r));
      $('#reason').appendChild(o);
    }
    $('#reason').addEventListener('change', load);
    // Rejections keep arriving; re-read them unless a replay is in flight on this page.
    setInterval(() => { if (!document.querySelector('button.replay:disabled')) { load(); } }, 3000);
  },

  async evaluations() {
    const plots = {};
    const draw = async () => {
      const cells = await getJson('/api/evaluations');
      const runs = [...new Set(cells.map((c) => c.run))].sort();
      const select = $('#run');
      if (select.options.length !== runs.length) {
        const chosen = select.value;
        select.replaceChildren(...runs.map((r) => { const o = document.createElement('option'); o.value = r; o.text = r; return o; }));
        if (runs.includes(chosen)) select.value = chosen;
      }
      const run = select.value;
      const series = {};
      for (const c of cells.filter((x) => x.run === run && x.variant === 'replaced')) {
        const key = c.model + ' ' + c.strategy;
        (series[key] = series[key] || []).push(c);
      }
      const keys = Object.keys(series).sort();
      const xs = [...new Set(keys.flatMap((k) => series[k].map((c) => c.percentage)))].sort((a, b) => a - b);
      const colours = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
      const areas = $('#areas tbody');
      areas.replaceChildren();
      for (const metric of ['fmr', 'fnmr']) {
        const data = [xs, ...keys.map((k) => xs.map((x) => { const c = series[k].find((s) => s.percentage === x); return c ? c[metric] : null; }))];
        const opts = {
          title: metric.toUpperCase() + ' at the run\'s threshold', width: 520, height: 320,
          // Rates live in [0, 1]: fixed, so an all-zero curve (no impostor accepted) does not get uPlot's 0..100 fallback axis.
          scales: { x: { time: false }, y: { range: [0, 1] } },
          axes: [{ label: '% original pixels put back' }, { label: metric.toUpperCase() }],
          // One colour per model and strategy (random also dashed), and legend markers filled with it:
          // two strategies of one model used to share a colour, and the legend showed empty squares.
          series: [{ label: '%' }, ...keys.map((k, i) => ({
            label: k, stroke: colours[i % colours.length],
            dash: k.endsWith('random') ? [8, 5] : undefined, width: 2, spanGaps: true,
          }))],
          legend: { markers: { width: 2, fill: (u, i) => (i > 0 ? colours[(i - 1) % colours.length] : 'transparent') } },
        };
        if (plots[metric]) plots[metric].destroy();
        plots[metric] = new uPlot(opts, data, $('#' + metric));
      }
      for (const k of keys) {
        const s = series[k].sort((a, b) => a.percentage - b.percentage);
        const area = (m) => s.reduce((acc, c, i) => (i ? acc + (c.percentage - s[i - 1].percentage) * (c[m] + s[i - 1][m]) / 2 : 0), 0) / 100;
        areas.appendChild(row([k.split(' ')[0], k.split(' ')[1], fmt(area('fmr')), fmt(area('fnmr'))]));
      }
      document.body.dataset.curves = String(keys.length);
    };
    $('#run').addEventListener('change', draw);
    await draw();
    setInterval(draw, 2000);
  },

  async models() {
    const body = $('#models tbody');
    for (const m of await getJson('/api/models')) {
      const l = m.live || {};
      body.appendChild(row([m.id, m.input, m.embeddingSize, m.live ? fmt(l.threshold, 6) : '(none published)', l.setBy || '',
        l.mode || '', [l.source, l.dataset].filter((x) => x).join('; '), l.updatedAt || '',
        fmt(m.defaultThreshold, 6) + ' (' + m.defaultSource + ')']));
    }
  },

  async health() {
    const body = $('#health tbody');
    for (const s of await getJson('/api/health')) {
      const ready = document.createElement('span');
      ready.className = s.ready ? 'ok' : 'down';
      ready.appendChild(text(s.ready ? 'ready' : 'not ready'));
      const checks = s.error || Object.entries(s.checks || {}).map(([k, v]) => k + ': ' + v).join('; ');
      body.appendChild(row([s.service, ready, checks, s.consumerLag ?? '-', fmt(s.requestsPerSecond ?? 0, 2)]));
    }
  },
};

const page = pages[document.body.dataset.page];
if (page) page().catch((e) => { document.querySelector('main').appendChild(text(' (could not load: ' + e.message + ')')); });
