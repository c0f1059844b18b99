/* OpenCX team inbox: a dependency-free page over the inbox's JSON API.
 * Every text that comes from a customer, the AI, an agent or the knowledge base is put into the page
 * with text nodes (never innerHTML), so markup in it stays inert. */
(function () {
  'use strict';

  var base = meta('opencx-base');
  var csrf = meta('opencx-csrf');
  var PLACEHOLDER = /\[[A-Z][A-Z0-9_]*_\d+\]/g;
  var state = null;
  var current = '';
  var conv = null;
  var showing = 'none';
  var openTraces = {};
  var skew = 0;
  var refreshTimer = null;

  function meta(name) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.getAttribute('content') : '';
  }

  function $(id) { return document.getElementById(id); }

  /* el('div', {className: 'x', text: 'y', dataset: {...}}, child, ...) */
  function el(tag, props) {
    var e = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        if (k === 'text') e.textContent = props[k];
        else if (k === 'dataset') Object.keys(props.dataset).forEach(function (d) { e.dataset[d] = props.dataset[d]; });
        else if (k === 'attrs') Object.keys(props.attrs).forEach(function (a) { e.setAttribute(a, props.attrs[a]); });
        else e[k] = props[k];
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }

  /* Text with the PII placeholders that were not revealed marked as such: they are not values. */
  function richText(text) {
    var f = document.createDocumentFragment();
    var s = String(text || '');
    var last = 0;
    s.replace(PLACEHOLDER, function (match, offset) {
      if (offset > last) f.appendChild(document.createTextNode(s.slice(last, offset)));
      f.appendChild(el('span', {className: 'pii', text: match,
        title: 'Redacted personal data: not revealed to agents by the PII policy'}));
      last = offset + match.length;
      return match;
    });
    if (last < s.length) f.appendChild(document.createTextNode(s.slice(last)));
    return f;
  }

  function request(method, path, body) {
    var headers = {'Accept': 'application/json'};
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      headers['X-CSRF-Token'] = csrf;
    }
    return fetch(base + path, {
      method: method, headers: headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      if (r.status === 401) {
        window.location.assign(base + '/login');
        throw new Error('signed out');
      }
      return r.json().then(function (j) {
        if (!r.ok) throw new Error((j.error && j.error.message) || ('HTTP ' + r.status));
        return j;
      });
    });
  }

  function flash(message, isError) {
    var s = $('live-status');
    s.textContent = message;
    s.className = 'status' + (isError ? ' error' : '');
  }

  function duration(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    if (seconds < 60) return seconds + 's';
    if (seconds < 3600) return Math.floor(seconds / 60) + 'm ' + (seconds % 60) + 's';
    return Math.floor(seconds / 3600) + 'h ' + Math.floor((seconds % 3600) / 60) + 'm';
  }

  function time(iso) {
    var d = new Date(iso);
    return isNaN(d) ? '' : d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit'});
  }

  function num(x, digits) { return typeof x === 'number' ? x.toFixed(digits === undefined ? 2 : digits) : ''; }

  function human(s) { return String(s || '').toLowerCase().replace(/_/g, ' '); }

  // ---- lists ----

  function loadState() {
    return request('GET', '/api/state').then(function (s) {
      state = s;
      skew = Date.now() - new Date(s.now).getTime();
      renderLists();
      if (showing === 'autopilot') renderAutopilot();
    }).catch(function (e) { flash(e.message, true); });
  }

  function scheduleState() {
    if (refreshTimer) return;
    refreshTimer = setTimeout(function () { refreshTimer = null; loadState(); }, 150);
  }

  function renderLists() {
    fill('queue', state.queue, ticketRow);
    fill('claimed', state.claimed, ticketRow);
    fill('live', state.live, liveRow);
  }

  function fill(id, rows, render) {
    var ul = $(id);
    ul.textContent = '';
    $(id + '-count').textContent = String(rows.length);
    if (!rows.length) ul.appendChild(el('li', {className: 'none', text: id === 'live' ? 'No AI session right now' : 'Nothing here'}));
    rows.forEach(function (r) { ul.appendChild(render(r)); });
  }

  function rowButton(r, lines) {
    var b = el('button', {type: 'button', className: 'row' + (r.sessionId === current ? ' selected' : ''),
      dataset: {session: r.sessionId}});
    lines.forEach(function (l) { b.appendChild(l); });
    b.addEventListener('click', function () { select(r.sessionId); });
    return el('li', null, b);
  }

  function ticketRow(t) {
    var waiting = el('span', {className: 'waiting', dataset: {since: t.openedAt}, text: duration(t.waitingSeconds)});
    return rowButton(t, [
      el('span', {className: 'line1'}, el('strong', {className: 'ticket', text: t.ticket}), ' ',
        el('span', {className: 'who', text: t.contactName || ('visitor on ' + t.channel)}), waiting),
      el('span', {className: 'line2'}, el('span', {className: 'badge reason', text: human(t.reason)}),
        t.topic ? el('span', {className: 'badge topic', text: t.topic}) : null,
        t.assignee ? el('span', {className: 'badge', text: t.assignee}) : null),
      el('span', {className: 'preview'}, richText(t.preview))
    ]);
  }

  function liveRow(s) {
    return rowButton(s, [
      el('span', {className: 'line1'}, el('strong', {className: 'ticket', text: s.ticket}), ' ',
        el('span', {className: 'who', text: s.contactName || ('visitor on ' + s.channel)}),
        el('span', {className: 'waiting', text: time(s.updatedAt)})),
      el('span', {className: 'line2'}, el('span', {className: 'badge ai', text: 'AI'}),
        s.topic ? el('span', {className: 'badge topic', text: s.topic}) : null),
      el('span', {className: 'preview'}, richText(s.preview))
    ]);
  }

  function tick() {
    var now = Date.now() - skew;
    document.querySelectorAll('.waiting[data-since]').forEach(function (w) {
      w.textContent = duration((now - new Date(w.dataset.since).getTime()) / 1000);
    });
  }

  // ---- one conversation ----

  function select(sessionId) {
    if (current !== sessionId) {
      current = sessionId;
      conv = null;
      openTraces = {};
      rendered = {head: '', items: '', fresh: true};
      showing = 'conversation';
      buildConversationFrame();
    }
    if (window.location.hash !== '#/s/' + sessionId) history.replaceState(null, '', '#/s/' + sessionId);
    document.querySelectorAll('.row').forEach(function (b) { b.classList.toggle('selected', b.dataset.session === sessionId); });
    return loadConversation();
  }

  function buildConversationFrame() {
    var main = $('main');
    main.textContent = '';
    main.appendChild(el('div', {id: 'conv-head', className: 'conv-head'}));
    main.appendChild(el('ol', {id: 'conv-items', className: 'items', attrs: {'aria-live': 'polite'}}));
    var box = el('textarea', {id: 'composer', rows: 3, attrs: {'aria-label': 'Message'}});
    var reply = el('button', {type: 'button', id: 'send-reply', className: 'primary', text: 'Reply to customer'});
    var note = el('button', {type: 'button', id: 'send-note', text: 'Add internal note'});
    reply.addEventListener('click', function () { send('reply'); });
    note.addEventListener('click', function () { send('note'); });
    box.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); send('reply'); }
    });
    main.appendChild(el('div', {className: 'composer'}, el('p', {id: 'composer-hint', className: 'hint'}), box,
      el('div', {className: 'buttons'}, reply, note)));
  }

  /* The latest page of the conversation. Items shown above it (older pages the agent loaded, or items
   * that moved off the latest page) stay as long as what is shown reaches the new page; otherwise there
   * could be a gap, and the view starts again from the latest page. */
  function loadConversation() {
    var id = current;
    return request('GET', '/api/sessions/' + encodeURIComponent(id)).then(function (c) {
      if (id !== current) return;
      var first = c.items.length ? Number(c.items[0].id) : Infinity;
      var shown = conv && conv.session.id === c.session.id ? conv.items : [];
      var reaches = shown.length && Number(shown[shown.length - 1].id) >= first;
      if (c.page.older !== null && reaches) {
        var above = shown.filter(function (i) { return Number(i.id) < first; });
        if (above.length) {
          c.items = above.concat(c.items);
          c.page.older = conv.page.older;
        }
      }
      conv = c;
      renderConversation();
    }).catch(function (e) { flash(e.message, true); });
  }

  /* One page older than what is shown, put above it without moving what the agent is reading. */
  function loadEarlier() {
    var id = current;
    if (!conv || !conv.page.older || loadingEarlier) return Promise.resolve();
    loadingEarlier = true;
    return request('GET', '/api/sessions/' + encodeURIComponent(id) + '?before=' + encodeURIComponent(conv.page.older))
      .then(function (c) {
        loadingEarlier = false;
        if (id !== current || !conv) return;
        var shownFirst = conv.items.length ? Number(conv.items[0].id) : Infinity;
        conv.items = c.items.filter(function (i) { return Number(i.id) < shownFirst; }).concat(conv.items);
        conv.page.older = c.page.older;
        var ol = $('conv-items');
        var fromBottom = ol.scrollHeight - ol.scrollTop;
        renderConversation(true);
        ol.scrollTop = ol.scrollHeight - fromBottom;
      }).catch(function (e) { loadingEarlier = false; flash(e.message, true); });
  }

  var rendered = {head: '', items: ''};
  var loadingEarlier = false;

  function renderConversation(keepScroll) {
    if (showing !== 'conversation' || !conv) return;
    var s = conv.session;
    var t = conv.inbox;
    var headKey = JSON.stringify([s, t && [t.status, t.assignee, t.reason, t.detail]]);
    var itemsKey = JSON.stringify([conv.page.older, conv.items]);
    if (headKey !== rendered.head) {
      rendered.head = headKey;
      renderHead(s, t);
    }
    if (itemsKey !== rendered.items) {
      rendered.items = itemsKey;
      var ol = $('conv-items');
      var atBottom = ol.scrollHeight - ol.scrollTop - ol.clientHeight < 40;
      var top = ol.scrollTop;
      ol.textContent = '';
      if (conv.page.older) {
        var more = el('button', {type: 'button', id: 'load-earlier', className: 'link', text: 'Load earlier messages'});
        more.addEventListener('click', function () { loadEarlier(); });
        ol.appendChild(el('li', {className: 'item older'}, more));
      }
      conv.items.forEach(function (item) { ol.appendChild(renderItem(item)); });
      if (!keepScroll) ol.scrollTop = atBottom || rendered.fresh ? ol.scrollHeight : top;
      rendered.fresh = false;
    }
    renderComposer(s, t);
  }

  function renderHead(s, t) {
    var head = $('conv-head');
    head.textContent = '';
    var actions = el('div', {className: 'actions'});
    if (t && t.status === 'WAITING') actions.appendChild(button('claim', 'Claim', function () { act('claim'); }));
    if (s.state === 'AI_ACTIVE') actions.appendChild(button('takeover', 'Take over', function () { takeOver(''); }));
    if (t && t.status !== 'RESOLVED' && s.state !== 'RESOLVED' && s.state !== 'CLOSED') {
      actions.appendChild(button('resolve', 'Resolve', function () { act('resolve'); }));
    }
    head.appendChild(el('div', null,
      el('h2', null, el('span', {id: 'conv-ticket', text: s.ticket}), ' ',
        el('span', {className: 'who', text: s.contactName || ('visitor on ' + s.channel)})),
      el('p', {className: 'meta'},
        el('span', {id: 'conv-state', className: 'badge state-' + s.state.toLowerCase(), text: human(s.state)}),
        el('span', {className: 'badge', text: s.channel}),
        s.topic ? el('span', {className: 'badge topic', text: 'topic: ' + s.topic}) : null,
        s.assignee ? el('span', {className: 'badge', text: 'agent: ' + s.assignee}) : null,
        t ? el('span', {className: 'badge reason', text: human(t.reason)}) : null,
        t && t.detail ? el('span', {className: 'detail'}, richText(t.detail)) : null)));
    head.appendChild(actions);
  }

  function renderComposer(s, t) {
    var hint = $('composer-hint');
    var reply = $('send-reply');
    var note = $('send-note');
    var open = s.state !== 'RESOLVED' && s.state !== 'CLOSED';
    var mine = !t || !t.assignee || t.assignee === state.me.id || t.status === 'WAITING';
    reply.disabled = !open || !mine;
    note.disabled = !t;
    if (!open) {
      hint.textContent = 'This session is ' + human(s.state) + '.';
    } else if (s.state === 'AI_ACTIVE') {
      hint.textContent = 'Inspect mode: the AI is answering. Type a reply to take over: the AI pauses for this session.';
      reply.textContent = 'Take over and reply';
    } else if (!mine) {
      hint.textContent = t.assignee + ' has this ticket.';
      reply.textContent = 'Reply to customer';
    } else {
      hint.textContent = t && t.status === 'WAITING' ? 'Replying claims the ticket.' : '';
      reply.textContent = 'Reply to customer';
    }
  }

  function button(id, label, onClick) {
    var b = el('button', {type: 'button', id: 'btn-' + id, text: label});
    b.addEventListener('click', onClick);
    return b;
  }

  var LABELS = {customer: 'Customer', ai: 'AI', agent: 'Agent', note: 'Internal note', handoff: 'Handoff',
    joined: '', forwarded: '', resolved: '', closed: '', event: '', undelivered: ''};

  function renderItem(item) {
    var li = el('li', {className: 'item ' + item.kind, dataset: {id: item.id}});
    var who = item.kind === 'agent' || item.kind === 'note' ? LABELS[item.kind] + ' · ' + item.author : LABELS[item.kind];
    if (item.kind === 'joined') {
      li.appendChild(el('p', {className: 'event', text: item.agent + ' joined · ' + time(item.at)}));
      return li;
    }
    if (item.kind === 'forwarded') {
      li.appendChild(el('p', {className: 'event', text: 'the session belongs to the team: the AI stayed silent · ' + time(item.at)}));
      return li;
    }
    if (item.kind === 'event') {
      // a module's event: its type and stored fields, as text
      li.appendChild(el('p', {className: 'event', text: item.type + (item.known ? '' : ' (unknown type)') + ' · ' + time(item.at)}));
      li.appendChild(el('pre', {className: 'fields', text: JSON.stringify(item.fields, null, 2)}));
      return li;
    }
    if (item.kind === 'undelivered') {
      li.appendChild(el('p', {className: 'event warning', text: 'a message did not reach the customer' +
        (item.attempts ? ' after ' + item.attempts + ' attempts' : '') + (item.error ? ': ' + item.error : '') + ' · ' + time(item.at)}));
      return li;
    }
    if (item.kind === 'resolved' || item.kind === 'closed') {
      li.appendChild(el('p', {className: 'event', text: item.kind + (item.by ? ' by ' + item.by : '') + ' · ' + time(item.at)}));
      return li;
    }
    li.appendChild(el('p', {className: 'who'}, el('span', {text: who}), el('time', {text: time(item.at)})));
    if (item.kind === 'handoff') {
      li.appendChild(el('p', {className: 'text'}, 'Handed off: ', el('strong', {text: human(item.reason)}),
        item.detail ? ' · ' : '', richText(item.detail)));
    } else {
      li.appendChild(el('p', {className: 'text'}, richText(item.text)));
    }
    if (item.trace) li.appendChild(renderTrace(item));
    return li;
  }

  // ---- inspect mode: what the AI saw ----

  function renderTrace(item) {
    var t = item.trace;
    var d = el('details', {className: 'trace'});
    d.open = !!openTraces[item.id];
    d.addEventListener('toggle', function () { openTraces[item.id] = d.open; });
    d.appendChild(el('summary', {text: 'What the AI saw'}));
    var body = el('div', {className: 'trace-body'});
    d.appendChild(body);

    if (t.autopilot) {
      body.appendChild(section('Autopilot', 'trace-autopilot',
        el('p', null, el('strong', {text: t.autopilot.outcome === 'AI_REPLIES' ? 'AI replies' : 'hand off'}),
          t.autopilot.reason ? ' (' + human(t.autopilot.reason) + ')' : '', ' · ', t.autopilot.explanation || '')));
    }
    if (t.topic) {
      var rows = t.topic.scores.slice(0, 5).map(function (s) { return [s.topic, num(s.score)]; });
      body.appendChild(section('Topic', 'trace-topic',
        el('p', null, el('strong', {text: t.topic.topic || 'none'}), ' · ' + (t.topic.method || '') +
          ', threshold ' + num(t.topic.threshold)),
        table(['topic', 'score'], rows)));
    }
    if (t.reply) {
      var pct = Math.max(0, Math.min(100, t.reply.confidence * 100));
      var thr = Math.max(0, Math.min(100, t.reply.threshold * 100));
      var bar = el('div', {className: 'bar', attrs: {role: 'img',
        'aria-label': 'confidence ' + num(t.reply.confidence) + ', threshold ' + num(t.reply.threshold)}},
        el('span', {className: 'fill' + (t.reply.confidence >= t.reply.threshold ? ' ok' : ' low')}),
        el('span', {className: 'threshold'}));
      bar.firstChild.style.width = pct + '%';
      bar.lastChild.style.left = thr + '%';
      body.appendChild(section('Confidence', 'trace-confidence',
        el('p', null, el('strong', {text: num(t.reply.confidence)}), ' vs threshold ' + num(t.reply.threshold) +
          (t.reply.explanation ? ' · ' + t.reply.explanation : '')), bar,
        t.reply.citations.length ? el('p', null, 'Cited: ', t.reply.citations.map(function (c) { return c.title; }).join(', ')) : null));
    }
    if (t.passages.length) {
      body.appendChild(section('Retrieved passages', 'trace-passages',
        t.query ? el('p', {className: 'muted'}, 'query: ', richText(t.query)) : null,
        table(['passage', 'score', 'signals'], t.passages.map(function (p) {
          return [p.title + ' (' + p.passageId + ')', num(p.score, 3), Object.keys(p.signals).map(function (k) {
            return k + ' ' + num(p.signals[k], 3);
          }).join(', ')];
        }))));
    }
    if (t.scenarios.length) {
      body.appendChild(section('Scenarios matched', 'trace-scenarios', table(['scenario', 'similarity', 'threshold'],
        t.scenarios.map(function (s) { return [s.title || s.scenarioId, num(s.similarity), num(s.threshold)]; }))));
    }
    if (t.actions.length) {
      body.appendChild(section('Action calls', 'trace-actions', table(['action', 'outcome', 'HTTP', 'latency', 'request'],
        t.actions.map(function (a) {
          return [a.action + (a.trigger ? ' (' + a.trigger + ')' : ''), a.outcome + (a.explanation ? ': ' + a.explanation : ''),
            a.status ? String(a.status) : '', a.latencyMs + ' ms' + (a.attempts > 1 ? ', ' + a.attempts + ' attempts' : ''),
            a.request];
        }))));
    }
    if (t.answers.length) {
      body.appendChild(section('Pending action answers', 'trace-answers', table(['action', 'answer', 'detail'],
        t.answers.map(function (a) { return [a.action, a.answer, a.detail]; }))));
    }
    if (t.reply && t.reply.pending) {
      var p = t.reply.pending;
      body.appendChild(section('Waiting for the customer', 'trace-pending', el('p', null,
        p.action + ': ' + (p.awaitsConfirmation ? 'a yes or no' : 'missing ' + p.missing.join(', ')) + ' · ',
        richText(p.summary))));
    }
    if (t.tools.length) {
      body.appendChild(section('Tool calls', 'trace-tools', table(['tool', 'outcome', 'latency', 'arguments'],
        t.tools.map(function (x) { return [x.name + ' (round ' + x.round + ')', x.outcome, x.latencyMs + ' ms', x.arguments]; }))));
    }
    if (t.models.length) {
      body.appendChild(section('Model calls', 'trace-models', table(['model', 'outcome', 'latency', 'tokens in/out'],
        t.models.map(function (m) {
          return [m.model + ' (round ' + m.round + ')', m.outcome + (m.error ? ': ' + m.error : ''), m.latencyMs + ' ms',
            (m.inputTokens === undefined ? '?' : m.inputTokens) + '/' + (m.outputTokens === undefined ? '?' : m.outputTokens)];
        }))));
    }
    if (t.handoff) {
      body.appendChild(section('Handoff', 'trace-handoff', el('p', null, el('strong', {text: human(t.handoff.reason)}),
        t.handoff.detail ? ' · ' : '', richText(t.handoff.detail))));
    }
    if (t.pii) {
      body.appendChild(section('PII', 'trace-pii', el('p', null, 'redacted before storing: ' +
        Object.keys(t.pii.counts).map(function (k) { return k + ' ' + t.pii.counts[k]; }).join(', ') +
        (t.pii.reversible ? ' (sealed in the vault)' : ' (one-way)'))));
    }
    return d;
  }

  function section(title, cls) {
    var s = el('section', {className: 'trace-section ' + cls}, el('h3', {text: title}));
    for (var i = 2; i < arguments.length; i++) if (arguments[i]) s.appendChild(arguments[i]);
    return s;
  }

  function table(headers, rows) {
    var thead = el('tr');
    headers.forEach(function (h) { thead.appendChild(el('th', {text: h})); });
    var tbody = el('tbody');
    rows.forEach(function (r) {
      var tr = el('tr');
      r.forEach(function (c) { tr.appendChild(el('td', null, richText(c))); });
      tbody.appendChild(tr);
    });
    return el('table', null, el('thead', null, thead), tbody);
  }

  // ---- actions ----

  function ticketPath(action) {
    return '/api/tickets/' + conv.session.number + '/' + action;
  }

  function act(action, text) {
    return request('POST', ticketPath(action), text === undefined ? {} : {text: text})
      .then(function () { flash(''); return Promise.all([loadConversation(), loadState()]); })
      .catch(function (e) { flash(e.message, true); throw e; });
  }

  function takeOver(text) {
    return request('POST', '/api/sessions/' + encodeURIComponent(conv.session.id) + '/takeover', {text: text})
      .then(function () { flash(''); return Promise.all([loadConversation(), loadState()]); })
      .catch(function (e) { flash(e.message, true); throw e; });
  }

  function send(kind) {
    var box = $('composer');
    var text = box.value;
    if (!conv || !text.trim()) return;
    var done = kind === 'note' ? act('note', text)
      : conv.session.state === 'AI_ACTIVE' || !conv.inbox ? takeOver(text) : act('reply', text);
    done.then(function () { box.value = ''; }, function () {});
  }

  // ---- autopilot ----

  function showAutopilot() {
    showing = 'autopilot';
    current = '';
    conv = null;
    history.replaceState(null, '', '#/autopilot');
    document.querySelectorAll('.row.selected').forEach(function (b) { b.classList.remove('selected'); });
    renderAutopilot(true);
  }

  var renderedAutopilot = '';

  function renderAutopilot(force) {
    var a = state && state.autopilot;
    if (!a) return;
    var key = JSON.stringify(a);
    if (!force && key === renderedAutopilot) return; // keep what the agent is typing
    renderedAutopilot = key;
    var main = $('main');
    main.textContent = '';
    var channels = el('tbody');
    a.channels.forEach(function (c) {
      var toggle = el('button', {type: 'button', className: 'toggle' + (c.on ? ' on' : ''),
        text: c.on ? 'on' : 'off', dataset: {channel: c.channel}, attrs: {'aria-pressed': String(c.on)}});
      toggle.addEventListener('click', function () { changeAutopilot({channel: c.channel, on: !c.on}); });
      channels.appendChild(el('tr', null, el('td', {text: c.channel}), el('td', null, toggle)));
    });
    var topics = el('tbody');
    a.topics.forEach(function (t) {
      var sel = gateSelect(t.gate, t.topic);
      sel.addEventListener('change', function () { changeAutopilot({topic: t.topic, gate: sel.value}); });
      topics.appendChild(el('tr', null, el('td', {text: t.topic}), el('td', null, sel)));
    });
    var audit = el('ul', {id: 'autopilot-audit', className: 'audit'});
    (a.changes || []).slice().reverse().forEach(function (c) {
      audit.appendChild(el('li', {text: time(c.at) + ' · ' + c.agentId + ' set ' + c.setting + ': ' + c.before + ' → ' + c.after}));
    });
    if (!(a.changes || []).length) audit.appendChild(el('li', {className: 'muted', text: 'No change since the server started.'}));
    main.appendChild(el('div', {className: 'autopilot', id: 'autopilot'},
      el('h2', {text: 'Autopilot'}),
      el('p', {className: 'muted', text: 'Preset ' + human(a.preset) + ', confidence threshold ' + num(a.threshold) +
        '. Changes apply to the next customer messages and are logged with your name.'}),
      el('h3', {text: 'Channels'}),
      el('table', null, el('thead', null, el('tr', null, el('th', {text: 'channel'}), el('th', {text: 'AI answers'}))), channels),
      el('h3', {text: 'Topic gates'}),
      el('table', null, el('thead', null, el('tr', null, el('th', {text: 'topic'}), el('th', {text: 'gate'}))), topics),
      a.topics.length ? null : el('p', {className: 'muted', text: 'No topic is configured: the application lists them with InboxWeb.Builder.topics.'}),
      el('h3', {text: 'Changes'}), audit));
  }

  function gateSelect(value, key) {
    var sel = el('select', {attrs: {'aria-label': 'gate of ' + key}, dataset: {topic: key}});
    if (value === 'NONE') sel.appendChild(el('option', {value: 'NONE', text: 'no gate (AI replies)', disabled: true}));
    ['REPLY', 'HANDOFF'].forEach(function (g) {
      sel.appendChild(el('option', {value: g, text: g === 'REPLY' ? 'AI replies' : 'hand off to the team'}));
    });
    sel.value = value;
    return sel;
  }

  function changeAutopilot(change) {
    return request('POST', '/api/autopilot', change).then(function (a) {
      state.autopilot = a;
      flash('');
      renderAutopilot();
    }).catch(function (e) { flash(e.message, true); });
  }

  // ---- live updates ----

  function connect() {
    var es = new EventSource(base + '/api/events');
    es.addEventListener('hello', function () { flash(''); loadState(); if (current) loadConversation(); });
    es.addEventListener('changed', function (e) {
      var d = JSON.parse(e.data);
      scheduleState();
      if (d.sessionId === current) loadConversation();
    });
    es.addEventListener('autopilot', function () { scheduleState(); });
    es.addEventListener('signed-out', function () { es.close(); window.location.assign(base + '/login'); });
    es.onerror = function () { flash('reconnecting…', true); };
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('nav-autopilot').addEventListener('click', function () { showAutopilot(); });
    loadState().then(function () {
      var h = window.location.hash;
      if (h.indexOf('#/s/') === 0) select(decodeURIComponent(h.slice(4)));
      else if (h === '#/autopilot') showAutopilot();
    });
    connect();
    setInterval(tick, 1000);
  });
})();
