/*! OpenCX chat widget | Apache-2.0 | one <script> tag, no dependencies */
(function () {
  'use strict';
  if (window.OpenCX && window.OpenCX.version) return;

  var script = document.currentScript || (function () {
    var all = document.getElementsByTagName('script');
    for (var i = all.length - 1; i >= 0; i--) if (/widget\.js(\?|$)/.test(all[i].src)) return all[i];
    return null;
  })();
  if (!script) return;
  var ds = script.dataset || {};
  var base = new URL('.', script.src).href;
  var apiBase = base + 'widget/v1/';
  // the widget's texts: English written in by the server, other languages fetched (GET widget/v1/texts)
  var EN = /*@opencx-texts*/{};
  var T = EN;
  function t(key, values) {
    var s = T[key] || EN[key] || key;
    return values ? s.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; }) : s;
  }
  function tag(v) { v = String(v || '').replace(/^\s+|\s+$/g, ''); return /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8}){0,3}$/.test(v) ? v : ''; }
  // the visitor's language: the script tag's data-lang, the page's <html lang>, the browser's, English
  var lang = tag(ds.lang) || tag(document.documentElement.getAttribute('lang')) || tag(navigator.language) || 'en';
  var cfg = {
    title: ds.title || '',
    greeting: ds.greeting || '',
    userId: ds.userId || '',
    userHash: ds.userHash || '',
    userName: ds.userName || '',
    locale: tag(ds.locale) || lang,
    color: /^#[0-9a-fA-F]{3,8}$/.test(ds.color || '') ? ds.color : '#1f5fbf',
    open: ds.open === 'true'
  };
  var STORE_KEY = 'opencx.visitor:' + base;

  // ---- safe markdown: escape everything first, then a tiny subset ----
  var ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return ESC[c]; }); }
  function safeUrl(u) { return /^(https?:\/\/|mailto:)[^\s]+$/i.test(u) ? u : null; }
  function link(href, label) {
    return '<a href="' + href + '" target="_blank" rel="noopener noreferrer nofollow">' + label + '</a>';
  }

  function inline(text) {
    var keep = [];
    function hold(html) { keep.push(html); return '\u0001' + (keep.length - 1) + '\u0002'; }
    var s = text.replace(/`([^`\n]+)`/g, function (m, code) { return hold('<code>' + code + '</code>'); });
    s = s.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, function (m, label, url) {
      var ok = safeUrl(url);
      return ok ? hold(link(ok, label)) : label;
    });
    s = s.replace(/(^|[\s(])((?:https?:\/\/)[^\s<()]+[^\s<().,:;!?'"&])/g, function (m, pre, url) {
      return pre + hold(link(url, url));
    });
    s = s.replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>');
    s = s.replace(/(^|[^*\w])\*([^*\s][^*\n]*)\*(?!\w)/g, '$1<em>$2</em>');
    s = s.replace(/(^|[^\w])_([^_\s][^_\n]*)_(?!\w)/g, '$1<em>$2</em>');
    return s.replace(/\u0001(\d+)\u0002/g, function (m, i) { return keep[+i]; });
  }

  function markdown(src) {
    var lines = esc(String(src).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')).split(/\r?\n/);
    var out = [], para = [], list = null, code = null;
    function flushPara() { if (para.length) { out.push('<p>' + para.map(inline).join('<br>') + '</p>'); para = []; } }
    function flushList() { if (list) { out.push('<' + list.tag + '>' + list.items.map(function (i) { return '<li>' + inline(i) + '</li>'; }).join('') + '</' + list.tag + '>'); list = null; } }
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i], m;
      if (code) {
        if (/^\s*```/.test(line)) { out.push('<pre><code>' + code.join('\n') + '</code></pre>'); code = null; } else code.push(line);
        continue;
      }
      if (/^\s*```/.test(line)) { flushPara(); flushList(); code = []; continue; }
      if ((m = /^\s*[-*+]\s+(.*)$/.exec(line)) || (m = /^\s*\d{1,3}[.)]\s+(.*)$/.exec(line))) {
        flushPara();
        var tag = /^\s*\d/.test(line) ? 'ol' : 'ul';
        if (list && list.tag !== tag) flushList();
        if (!list) list = { tag: tag, items: [] };
        list.items.push(m[1]);
        continue;
      }
      if (/^\s*$/.test(line)) { flushPara(); flushList(); continue; }
      flushList();
      if ((m = /^\s*#{1,6}\s+(.*)$/.exec(line))) { flushPara(); out.push('<p><strong>' + inline(m[1]) + '</strong></p>'); continue; }
      para.push(line);
    }
    if (code) out.push('<pre><code>' + code.join('\n') + '</code></pre>');
    flushPara(); flushList();
    return out.join('');
  }

  // ---- DOM ----
  var css = '' +
    '#ocx-root{--ocx-c:' + cfg.color + ';position:fixed;right:20px;bottom:20px;z-index:2147483000;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a}' +
    '#ocx-root *{box-sizing:border-box}' +
    '#ocx-root .ocx-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}' +
    '#ocx-root button{font:inherit;cursor:pointer}' +
    '#ocx-root :focus-visible{outline:3px solid #ffbf47;outline-offset:2px}' +
    '.ocx-launcher{width:58px;height:58px;border-radius:50%;border:0;background:var(--ocx-c);color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;position:relative}' +
    '.ocx-badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;border-radius:11px;background:#c62828;color:#fff;font-size:12px;line-height:22px;text-align:center;padding:0 6px}' +
    '.ocx-panel{position:absolute;right:0;bottom:72px;width:380px;height:min(600px,calc(100vh - 110px));background:#fff;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden}' +
    '.ocx-panel[hidden]{display:none}' +
    '.ocx-head{background:var(--ocx-c);color:#fff;padding:12px 14px;display:flex;align-items:center;justify-content:space-between}' +
    '.ocx-head h2{font-size:16px;margin:0;font-weight:600}' +
    '.ocx-close{background:transparent;border:0;color:#fff;font-size:24px;line-height:1;padding:2px 8px;border-radius:6px}' +
    '.ocx-status{font-size:13px;background:#fff4d6;color:#5c4300;padding:4px 12px}.ocx-status:empty{display:none}' +
    '.ocx-log{list-style:none;margin:0;padding:12px;flex:1;overflow-y:auto;background:#f6f7f9}' +
    '.ocx-msg{margin:0 0 10px;max-width:85%;padding:8px 12px;border-radius:12px;background:#fff;border:1px solid #e1e4e8;overflow-wrap:anywhere;clear:both}' +
    '.ocx-msg p{margin:0 0 6px}.ocx-msg p:last-child{margin:0}.ocx-msg ul,.ocx-msg ol{margin:4px 0;padding-left:20px}' +
    '.ocx-msg pre{white-space:pre-wrap;background:#f0f2f5;padding:6px;border-radius:6px;margin:4px 0}.ocx-msg code{font:13px ui-monospace,Menlo,Consolas,monospace;background:#f0f2f5;padding:0 3px;border-radius:4px}' +
    '.ocx-msg a{color:#0b57d0}' +
    '.ocx-customer{margin-left:auto;background:var(--ocx-c);border-color:var(--ocx-c);color:#fff}.ocx-customer a,.ocx-customer code{color:#fff;background:transparent}' +
    '.ocx-system{max-width:100%;background:transparent;border:0;color:#4a4f57;font-size:13px;text-align:center;margin-left:auto;margin-right:auto}' +
    '.ocx-who{display:block;font-size:12px;color:#5f6368;margin-bottom:2px}.ocx-customer .ocx-who{display:none}' +
    '.ocx-pending{opacity:.7}.ocx-failed{outline:2px solid #c62828}.ocx-note{display:block;font-size:12px}' +
    '.ocx-msg .ocx-sources{margin:6px 0 0;padding:6px 0 0;border-top:1px solid #e1e4e8;font-size:13px;list-style:none}' +
    '.ocx-draft{opacity:.8}' +
    '.ocx-typing{padding:2px 14px;font-size:13px;color:#4a4f57;background:#f6f7f9}.ocx-typing[hidden]{display:none}' +
    '.ocx-form{display:flex;gap:8px;padding:10px;border-top:1px solid #e1e4e8;background:#fff}' +
    '.ocx-form textarea{flex:1;resize:none;border:1px solid #9aa0a6;border-radius:10px;padding:8px 10px;font:inherit;max-height:120px;min-height:40px}' +
    '.ocx-send{border:0;border-radius:10px;background:var(--ocx-c);color:#fff;padding:0 14px;font-weight:600}' +
    '.ocx-send:disabled,.ocx-form textarea:disabled{opacity:.5;cursor:not-allowed}' +
    '@media (max-width:480px){#ocx-root{right:12px;bottom:12px}#ocx-root.ocx-is-open{inset:0}' +
    '#ocx-root.ocx-is-open .ocx-launcher{display:none}' +
    '.ocx-panel{position:fixed;inset:0;width:100%;height:100%;border-radius:0}}';

  function el(tag, cls, attrs) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }

  var root = el('div', '', { id: 'ocx-root' });
  var style = el('style');
  style.textContent = css;
  var launcher = el('button', 'ocx-launcher', { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'ocx-panel' });
  launcher.innerHTML = '<svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>';
  var badge = el('span', 'ocx-badge', { 'aria-hidden': 'true' });
  badge.hidden = true;
  launcher.appendChild(badge);
  var panel = el('div', 'ocx-panel', { id: 'ocx-panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'ocx-title' });
  panel.hidden = true;
  var head = el('div', 'ocx-head');
  var title = el('h2', '', { id: 'ocx-title' });
  var closeBtn = el('button', 'ocx-close', { type: 'button' });
  closeBtn.textContent = '\u00d7';
  head.appendChild(title);
  head.appendChild(closeBtn);
  var status = el('div', 'ocx-status', { role: 'status', 'aria-live': 'polite' });
  var log = el('ol', 'ocx-log', { role: 'log', 'aria-live': 'polite', tabindex: '0' });
  var typing = el('div', 'ocx-typing', { role: 'status', 'aria-live': 'polite' });
  typing.hidden = true;
  var form = el('form', 'ocx-form');
  var label = el('label', 'ocx-sr', { 'for': 'ocx-input' });
  var input = el('textarea', '', { id: 'ocx-input', rows: '1', maxlength: '4000', autocomplete: 'off' });
  var sendBtn = el('button', 'ocx-send', { type: 'submit' });
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(sendBtn);
  panel.appendChild(head);
  panel.appendChild(status);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(launcher);

  function applyTexts() {
    root.setAttribute('lang', T === EN ? 'en' : textsLang);
    launcher.setAttribute('aria-label', t('widget.launcher.open'));
    title.textContent = cfg.title || t('widget.title');
    closeBtn.setAttribute('aria-label', t('widget.close'));
    log.setAttribute('aria-label', t('widget.log'));
    form.setAttribute('aria-label', t('widget.form'));
    label.textContent = t('widget.input.label');
    input.setAttribute('placeholder', t('widget.input.placeholder'));
    sendBtn.setAttribute('aria-label', t('widget.send.label'));
    sendBtn.textContent = t('widget.send');
  }

  var textsLang = 'en';
  /** The texts of the visitor's language; English ones (already here) when that fails or takes long. */
  function loadTexts() {
    if (/^en([-_]|$)/i.test(lang) || !window.fetch) return Promise.resolve();
    var fetched = fetch(apiBase + 'texts?lang=' + encodeURIComponent(lang), { credentials: 'omit' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) { if (j && j.texts) { T = j.texts; textsLang = j.lang || lang; } }, function () { /* English */ });
    return Promise.race([fetched, new Promise(function (done) { setTimeout(done, 5000); })]);
  }

  function mount() {
    applyTexts();
    document.head.appendChild(style);
    document.body.appendChild(root);
    addSystem(cfg.greeting || t('widget.greeting'), 'greeting');
    if (cfg.open) openPanel();
    else if (cfg.userId || storedToken()) start().catch(function () { /* shown in the status line */ });
  }

  // ---- state ----
  var token = null, session = null, lastId = 0, es = null, reconnectTimer = null, backoff = 1000;
  var starting = null, unread = 0, typingTimer = null, draftEl = null, blocked = false;
  var pending = {};

  function storedToken() { try { return localStorage.getItem(STORE_KEY); } catch (e) { return null; } }
  function storeToken(t) { try { localStorage.setItem(STORE_KEY, t); } catch (e) { /* private mode */ } }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
  }

  function request(method, path, body) {
    var headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    return fetch(apiBase + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined, credentials: 'omit' })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) { return { status: r.status, body: j }; });
      });
  }

  function reason(r) { return r.body && r.body.error ? r.body.error.message : 'HTTP ' + r.status; }

  /** Authenticates (verified user, returning or new visitor) and joins the open session, once. */
  function start() {
    if (token) return Promise.resolve();
    if (blocked) return Promise.reject(new Error('identity refused'));
    if (!starting) {
      var body = cfg.userId ? { userId: cfg.userId, userHash: cfg.userHash, name: cfg.userName } : { visitorToken: storedToken() };
      starting = request('POST', 'auth', body).then(function (r) {
        if (r.status === 401) {
          blocked = true;
          setStatus(t('widget.identity_refused', { reason: reason(r) }));
          input.disabled = true;
          sendBtn.disabled = true;
          throw new Error('identity refused');
        }
        if (r.status !== 200) throw new Error(reason(r));
        token = r.body.token;
        if (r.body.anonymous) storeToken(token);
        if (r.body.session) useSession(r.body.session);
      }).then(function () { starting = null; }, function (e) { starting = null; throw e; });
    }
    return starting;
  }

  function ensureSession() {
    return start().then(function () {
      if (session && session.open !== false) return;
      return request('POST', 'sessions', { locale: cfg.locale }).then(function (r) {
        if (r.status === 401) { token = null; throw new Error('token expired'); }
        if (r.status !== 200 && r.status !== 201) throw new Error(reason(r));
        useSession(r.body);
      });
    });
  }

  function useSession(s) {
    if (session && session.id === s.id) { session.open = s.open !== false; return; }
    session = { id: s.id, open: s.open !== false };
    lastId = 0;
    connect();
  }

  // ---- live events ----
  function connect() {
    clearTimeout(reconnectTimer);
    if (es) es.close();
    if (!session || !token) return;
    var url = apiBase + 'sessions/' + encodeURIComponent(session.id) + '/events?access_token=' + encodeURIComponent(token) + '&after=' + lastId;
    var source = es = new EventSource(url);
    var sid = session.id;
    function on(type, fn) {
      source.addEventListener(type, function (ev) {
        if (source !== es || !session || session.id !== sid) return;
        var data;
        try { data = JSON.parse(ev.data); } catch (e) { return; }
        fn(data, ev);
      });
    }
    on('message', item);
    on('handoff', item);
    on('agent_joined', item);
    on('resolved', item);
    on('closed', item);
    on('typing', showTyping);
    on('draft', showDraft);
    on('draft_discard', removeDraft);
    source.onopen = function () { backoff = 1000; setStatus(''); };
    source.onerror = function () {
      if (source !== es) return;
      if (source.readyState === 2) {
        setStatus(t('widget.reconnecting'));
        reconnectTimer = setTimeout(function () {
          // the stream was refused (expired token, server restarting): authenticate again and resume
          token = null;
          start().then(connect, function () { reconnectTimer = setTimeout(connect, backoff); });
        }, backoff);
        backoff = Math.min(backoff * 2, 30000);
      } else {
        setStatus(t('widget.reconnecting'));
      }
    };
  }

  function item(d) {
    var id = +d.id;
    if (!(id > lastId)) return; // resumed streams never repeat an item
    lastId = id;
    if (d.type === 'message') {
      if (d.author === 'customer') return customerEcho(d);
      hideTyping();
      removeDraft();
      addMessage(d.author, d.text, d.sources, id);
      if (panel.hidden) bump();
    } else if (d.type === 'handoff') {
      hideTyping();
      removeDraft();
      addSystem(d.text || t('widget.handoff'), 'handoff', id);
    } else if (d.type === 'agent_joined') {
      addSystem(t('widget.agent_joined'), 'agent-joined', id);
    } else if (d.type === 'resolved' || d.type === 'closed') {
      hideTyping();
      if (session) session.open = false;
      addSystem(t('widget.closed'), d.type, id);
    }
  }

  function customerEcho(d) {
    var li = d.clientMessageId ? log.querySelector('li[data-client-id="' + cssEsc(d.clientMessageId) + '"]') : null;
    if (li) {
      li.setAttribute('data-id', d.id);
      li.classList.remove('ocx-pending');
      li.classList.remove('ocx-failed');
      var note = li.querySelector('.ocx-note');
      if (note) li.removeChild(note);
      delete pending[d.clientMessageId];
      return;
    }
    var m = addMessage('customer', d.text, null, +d.id);
    if (d.clientMessageId) m.setAttribute('data-client-id', d.clientMessageId);
  }

  function cssEsc(s) { return String(s).replace(/[^A-Za-z0-9_-]/g, ''); }

  // ---- rendering ----
  var WHO = { customer: 'widget.author.customer', ai: 'widget.author.ai', agent: 'widget.author.agent' };

  function addMessage(author, text, sources, id) {
    var li = el('li', 'ocx-msg ocx-' + (WHO[author] ? author : 'agent'));
    if (id) li.setAttribute('data-id', String(id));
    var who = el('span', 'ocx-who');
    who.textContent = t(WHO[author] || WHO.agent) + ':';
    var body = el('div', 'ocx-body');
    body.innerHTML = markdown(text || '');
    li.appendChild(who);
    li.appendChild(body);
    if (sources && sources.length) {
      var ul = el('ul', 'ocx-sources', { 'aria-label': t('widget.sources') });
      sources.forEach(function (s) {
        if (!s || !/^https?:\/\//i.test(s.url || '')) return;
        var a = el('a', '', { href: s.url, target: '_blank', rel: 'noopener noreferrer nofollow' });
        a.textContent = s.title || s.url;
        var entry = el('li');
        entry.appendChild(a);
        ul.appendChild(entry);
      });
      if (ul.firstChild) li.appendChild(ul);
    }
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
    return li;
  }

  function addSystem(text, kind, id) {
    var li = el('li', 'ocx-msg ocx-system ocx-' + kind);
    if (id) li.setAttribute('data-id', String(id));
    li.textContent = text;
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
  }

  function showTyping(d) {
    var after = +d.after || 0;
    var later = log.querySelectorAll('li.ocx-ai[data-id],li.ocx-agent[data-id],li.ocx-handoff[data-id]');
    for (var i = 0; i < later.length; i++) if (+later[i].getAttribute('data-id') > after) return;
    typing.textContent = t('widget.typing');
    typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, 30000);
  }

  function hideTyping() { clearTimeout(typingTimer); typing.hidden = true; typing.textContent = ''; }

  function showDraft(d) {
    if (!draftEl) {
      draftEl = addMessage('ai', '', null, 0);
      draftEl.classList.add('ocx-draft');
      draftEl.setAttribute('aria-busy', 'true');
      draftEl.text = '';
    }
    draftEl.text += d.text || '';
    draftEl.querySelector('.ocx-body').innerHTML = markdown(draftEl.text);
    hideTyping();
  }

  function removeDraft() { if (draftEl && draftEl.parentNode) draftEl.parentNode.removeChild(draftEl); draftEl = null; }

  function setStatus(t) { status.textContent = t; }

  function bump() {
    unread++;
    badge.textContent = String(unread);
    badge.hidden = false;
    launcher.setAttribute('aria-label', t('widget.launcher.unread', { count: unread }));
  }

  // ---- sending ----
  function send(text) {
    var cid = uuid();
    var li = addMessage('customer', text, null, 0);
    li.setAttribute('data-client-id', cid);
    li.classList.add('ocx-pending');
    pending[cid] = { text: text, el: li, tries: 0 };
    deliver(cid);
  }

  function deliver(cid) {
    var p = pending[cid];
    if (!p) return;
    p.tries++;
    ensureSession().then(function () {
      return request('POST', 'sessions/' + encodeURIComponent(session.id) + '/messages', { text: p.text, clientMessageId: cid });
    }).then(function (r) {
      if (r.status === 202) {
        p.el.classList.remove('ocx-pending');
        if (r.body.sessionId && r.body.sessionId !== session.id) useSession({ id: r.body.sessionId });
        return;
      }
      if (r.status === 409 && p.tries < 4) { session.open = false; return deliver(cid); }
      if (r.status === 401 && p.tries < 4) { token = null; return deliver(cid); }
      if (r.status >= 500 || r.status === 429) throw new Error(reason(r));
      fail(p, t('widget.not_sent', { reason: reason(r) }));
      delete pending[cid];
    }).catch(function (e) {
      if (blocked) { fail(p, t('widget.not_sent.blocked')); delete pending[cid]; return; }
      note(p, t('widget.not_sent.retrying'));
      setTimeout(function () { deliver(cid); }, Math.min(1000 * Math.pow(2, p.tries), 30000));
    });
  }

  function note(p, text) {
    var n = p.el.querySelector('.ocx-note');
    if (!n) { n = el('span', 'ocx-note'); p.el.appendChild(n); }
    n.textContent = text;
  }

  function fail(p, text) {
    p.el.classList.remove('ocx-pending');
    p.el.classList.add('ocx-failed');
    note(p, text);
  }

  // ---- open / close / keys ----
  function openPanel() {
    panel.hidden = false;
    root.classList.add('ocx-is-open');
    launcher.setAttribute('aria-expanded', 'true');
    unread = 0;
    badge.hidden = true;
    launcher.setAttribute('aria-label', t('widget.launcher.close'));
    if (!input.disabled) input.focus();
    log.scrollTop = log.scrollHeight;
    start().catch(function () { /* shown in the status line */ });
  }

  function closePanel() {
    panel.hidden = true;
    root.classList.remove('ocx-is-open');
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-label', t('widget.launcher.open'));
    launcher.focus();
  }

  launcher.addEventListener('click', function () { if (panel.hidden) openPanel(); else closePanel(); });
  closeBtn.addEventListener('click', closePanel);
  panel.addEventListener('keydown', function (e) { if (e.key === 'Escape') { e.preventDefault(); closePanel(); } });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : submit(e); }
  });
  function submit(e) {
    if (e) e.preventDefault();
    var text = input.value.replace(/^\s+|\s+$/g, '');
    if (!text || input.disabled) return;
    input.value = '';
    send(text);
  }
  form.addEventListener('submit', submit);

  window.OpenCX = { version: '1', open: openPanel, close: closePanel, markdown: markdown };
  var texts = loadTexts();
  function whenReady() { texts.then(mount); }
  if (document.body) whenReady(); else document.addEventListener('DOMContentLoaded', whenReady);
})();
