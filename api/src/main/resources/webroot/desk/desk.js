// The agent desk: asks the API for a decision and shows it. No framework and no build step; every
// text from the API goes in through textContent, never as HTML.
'use strict';

(function () {
  const KEY_STORE = 'nextbest.desk.apiKey';
  const QUADRANTS = {
    Q1: { label: 'Transactional', experience: 'LOW', engagement: 'LOW' },
    Q2: { label: 'One-Hit Wonder', experience: 'HIGH', engagement: 'LOW' },
    Q3: { label: 'Pushy Brand', experience: 'LOW', engagement: 'HIGH' },
    Q4: { label: 'Relationship Champion', experience: 'HIGH', engagement: 'HIGH' },
  };
  // Problem fields that name an input of the context form.
  const FIELD_INPUTS = {
    customerId: 'customer',
    'interaction.channel': 'channel',
    'interaction.reason': 'reason',
    'interaction.sentiment': 'sentiment',
    'interaction.rating': 'rating',
    'interaction.justResolved': 'resolved',
  };

  const $ = (id) => document.getElementById(id);
  let apiKey = sessionStorage.getItem(KEY_STORE);
  let lastRequest = null; // the body the ranking on screen was decided from
  let lastDecision = null;
  let busy = false;

  /** A problem+json answer (or a failure to get one), as the agent is shown it. */
  class Problem extends Error {
    constructor(status, title, detail, errors) {
      super(detail || title);
      this.status = status;
      this.title = title;
      this.detail = detail;
      this.errors = Array.isArray(errors) ? errors : [];
    }
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.className = value;
      else node.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function call(method, path, body) {
    const headers = { 'X-API-Key': apiKey || '', Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new Problem(0, 'The service cannot be reached', 'Check the connection and try again (' + e.message + ').', []);
    }
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (e) {
      json = null;
    }
    if (!response.ok) {
      const p = json && typeof json === 'object' ? json : {};
      throw new Problem(response.status, p.title || 'HTTP ' + response.status, p.detail || text.slice(0, 300), p.errors);
    }
    return json;
  }

  // ---- problems and status ----

  function clearProblem() {
    $('problem').hidden = true;
    $('problem').replaceChildren();
    document.querySelectorAll('#context-form [aria-invalid]').forEach((n) => n.removeAttribute('aria-invalid'));
  }

  function showProblem(p, what) {
    const box = $('problem');
    const list = p.errors.length ? el('ul', {}, ...p.errors.map((e) => el('li', {}, (e.field ? e.field + ': ' : '') + e.message))) : null;
    box.replaceChildren(el('strong', {}, what + ': ' + p.title), p.detail ? el('span', {}, p.detail) : null, list);
    box.hidden = false;
    let first = null;
    for (const e of p.errors) {
      const input = FIELD_INPUTS[e.field] && $(FIELD_INPUTS[e.field]);
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        first = first || input;
      }
    }
    if (p.status === 401 || p.status === 403) {
      // The key is wrong or is not an agent's: ask again, keeping everything else as typed.
      sessionStorage.removeItem(KEY_STORE);
      apiKey = null;
      askForKey();
    } else if (first) {
      first.focus();
    }
  }

  function status(text, done) {
    $('status').textContent = text;
    $('status').classList.toggle('done', !!done);
  }

  // ---- the key ----

  function askForKey() {
    $('key-panel').hidden = false;
    $('key-status').hidden = true;
    $('api-key').value = '';
    $('api-key').focus();
  }

  function keyReady() {
    $('key-panel').hidden = true;
    $('key-status').hidden = false;
    loadCustomerIds('');
  }

  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('api-key').value.trim();
    if (!value) return;
    apiKey = value;
    sessionStorage.setItem(KEY_STORE, value);
    clearProblem();
    keyReady();
    $('customer').focus();
  });
  $('change-key').addEventListener('click', askForKey);

  // ---- customer typeahead ----

  let typeaheadTimer = null;
  let typeaheadSeq = 0;

  async function loadCustomerIds(prefix) {
    if (!apiKey) return;
    const seq = ++typeaheadSeq;
    try {
      const answer = await call('GET', '../v1/customers?limit=20&prefix=' + encodeURIComponent(prefix));
      if (seq !== typeaheadSeq) return; // a later keystroke has asked again
      $('customer-ids').replaceChildren(...answer.customerIds.map((id) => el('option', { value: id })));
    } catch (p) {
      if (p.status === 401 || p.status === 403) showProblem(p, 'Customer list');
      else status('Customer list unavailable: ' + (p.detail || p.title));
    }
  }

  $('customer').addEventListener('input', () => {
    clearTimeout(typeaheadTimer);
    const prefix = $('customer').value.slice(0, 128);
    typeaheadTimer = setTimeout(() => loadCustomerIds(prefix), 150);
  });

  // ---- deciding ----

  function requestFromForm() {
    const interaction = { channel: $('channel').value, sentiment: $('sentiment').value, justResolved: $('resolved').checked };
    const reason = $('reason').value.trim();
    if (reason) interaction.reason = reason;
    if ($('rating').value) interaction.rating = Number($('rating').value);
    return { customerId: $('customer').value.trim(), interaction };
  }

  async function decide(request, note) {
    if (busy) return;
    if (!apiKey) {
      // Whatever the agent typed stays in the form; the problem that took the key away stays shown.
      askForKey();
      status('Enter your agent key first.');
      return;
    }
    clearProblem();
    busy = true;
    $('context-form').setAttribute('aria-busy', 'true');
    status(note ? note + ' Refreshing the ranking…' : 'Deciding…');
    const started = performance.now();
    try {
      const decision = await call('POST', '../v1/decisions', request);
      const ms = Math.round(performance.now() - started);
      const previous = lastDecision && lastDecision.customerId === decision.customerId ? lastDecision : null;
      lastRequest = request;
      lastDecision = decision;
      render(decision, previous, ms);
      status((note ? note + ' Ranking refreshed' : 'Ranking ready') + ' for ' + decision.customerId + ' (' + ms + ' ms).', true);
      $('actions-title').focus();
    } catch (p) {
      if (!(p instanceof Problem)) throw p;
      status('');
      showProblem(p, note ? note + ' The ranking could not be refreshed' : 'No decision');
      if (lastDecision) {
        $('result').classList.add('stale');
        $('stale').textContent = 'Not updated: still showing the last answer, for ' + lastDecision.customerId + '.';
        $('stale').hidden = false;
      }
    } finally {
      busy = false;
      $('context-form').removeAttribute('aria-busy');
    }
  }

  $('context-form').addEventListener('submit', (event) => {
    event.preventDefault();
    decide(requestFromForm(), null);
  });

  // ---- rendering a decision ----

  function render(d, previous, ms) {
    $('result').hidden = false;
    $('result').classList.remove('stale');
    $('stale').hidden = true;
    renderGaps(d);
    const before = new Map((previous ? previous.actions : []).map((a) => [a.actionId, a.rank]));
    $('actions').replaceChildren(...d.actions.map((a) => actionItem(a, d, previous ? before : null)));
    $('no-actions').hidden = d.actions.length > 0;
    const held = heldActions(d);
    $('suppressed-count').textContent = String(held.length);
    $('suppressed').replaceChildren(...held.map(suppressedItem));
    renderMatrix(d);
    renderIndices(d);
    const c = d.contact;
    $('contact').textContent = c ? 'Outreach sent: ' + c.sent7Days + ' of ' + c.max7Days + ' this week, ' + c.sent30Days + ' of ' + c.max30Days + ' this month.' : '';
    const source = d.profileSource;
    $('meta').textContent =
      'Decision ' + d.decisionId + ' · rule set ' + d.ruleSetVersion +
      (source ? ' · ' + source.storedEventsUsed + ' stored events' : '') +
      ' · answered in ' + ms + ' ms (engine ' + (d.evaluationMicros / 1000).toFixed(1) + ' ms)';
    $('result').dataset.decisionId = d.decisionId;
  }

  function renderGaps(d) {
    const parts = [];
    if (d.criticalGaps.length) {
      parts.push(el('div', { class: 'gap', role: 'note' },
        el('h2', {}, 'Fix this first'),
        el('ul', {}, ...d.criticalGaps.map((g) =>
          el('li', { 'data-gap': g.kind }, el('strong', {}, capital(g.description) + '.'), g.liftWhen ? el('span', { class: 'lift' }, ' Clears ' + g.liftWhen + '.') : null))),
        el('p', { class: 'hint' }, 'Offers that deepen the relationship are held back until then.')));
    }
    if (d.degraded) {
      const why = d.profileSource && d.profileSource.degradedReason;
      parts.push(el('div', { class: 'degraded', role: 'note' }, 'The customer\u2019s history could not be read' + (why ? ' (' + why + ')' : '') + ': this ranking rests on the live interaction alone.'));
    }
    $('gaps').replaceChildren(...parts);
  }

  function actionItem(a, d, before) {
    const why = a.explanation.summary.startsWith(a.title + ': ') ? a.explanation.summary.slice(a.title.length + 2) : a.explanation.summary;
    const reasonsId = 'reasons-' + a.rank;
    let moved = null;
    if (before) {
      const was = before.get(a.actionId);
      if (was === undefined) moved = 'new';
      else if (was > a.rank) moved = '\u25B2 from ' + was;
      else if (was < a.rank) moved = '\u25BC from ' + was;
    }
    const more = el('button', { type: 'button', class: 'more quiet', 'aria-expanded': 'false', 'aria-controls': reasonsId }, 'Full reasons');
    const accept = el('button', { type: 'button', class: 'accept', 'aria-label': 'Accepted: ' + a.title }, 'Accepted');
    const decline = el('button', { type: 'button', class: 'decline', 'aria-label': 'Declined: ' + a.title }, 'Declined');
    const reasons = reasonsPanel(a, d, reasonsId);
    const item = el('li', { class: 'action', 'data-action-id': a.actionId },
      el('div', { class: 'rank', 'aria-hidden': 'true' }, a.rank),
      el('div', { class: 'body' },
        el('h3', {}, a.title, moved ? el('span', { class: 'moved' }, moved) : null),
        el('p', { class: 'why', title: capital(why) }, capital(why)),
        el('p', { class: 'facts' },
          el('span', { class: 'chip', title: 'channel' }, a.channel),
          el('span', {}, routingText(a.routing)),
          a.tone ? el('span', {}, lower(a.tone) + ' tone') : null,
          a.outbound ? el('span', {}, 'sent after the call') : null),
        a.scriptHint ? el('p', { class: 'script' }, el('b', {}, 'Say'), a.scriptHint) : null,
        el('div', { class: 'buttons' }, accept, decline, more),
        reasons));
    more.addEventListener('click', () => {
      const open = more.getAttribute('aria-expanded') !== 'true';
      more.setAttribute('aria-expanded', String(open));
      more.textContent = open ? 'Hide reasons' : 'Full reasons';
      reasons.hidden = !open;
    });
    accept.addEventListener('click', () => openFeedback(item, a, d, true, accept));
    decline.addEventListener('click', () => openFeedback(item, a, d, false, decline));
    return item;
  }

  // An action's reasons are positions in the decision's reasons, where each is said once.
  function reasonsPanel(a, d, id) {
    const p = a.explanation.priority;
    const own = a.explanation.reasons.map((r) => (typeof r === 'number' ? d.reasons[r] : r));
    const list = el('ul', {}, ...own.map((r) =>
      el('li', {}, capital(r.text || r.effect || ''), ' ',
        el('span', { class: 'rule' }, '(' + [r.rule, (r.guidance || []).join(' '), r.effect].filter(Boolean).join(' · ') + ')'))));
    const formula = p
      ? el('p', { class: 'formula' },
        'Priority ' + fmt(p.priority) + ' = chance taken ' + fmt(p.propensity.value, 2) + ' (' + p.propensity.source +
        (p.propensity.outcomes ? ', ' + p.propensity.outcomes + ' outcomes' : '') + ') \u00D7 value ' + fmt(p.value) +
        ' \u00D7 fit now ' + fmt(p.contextWeight, 2) + ' \u00D7 lever ' + fmt(p.lever, 2))
      : null;
    return el('div', { class: 'reasons', id, hidden: true, 'data-propensity-source': p ? p.propensity.source : null }, list, formula);
  }

  // A suppression on behalf of an open gap names the gap (KIND:ref); the gap itself is already
  // spelt out once in "Fix this first", so the list says so in four words instead of repeating
  // its description for every held-back offer (the full text stays on hover).
  const byGap = (b) => b.gap;

  // The answer says each reason once, with the actions it held; the list shows each action with
  // every reason that held it.
  function heldActions(d) {
    const byAction = new Map();
    for (const h of d.held || []) {
      for (const id of h.actions) {
        if (!byAction.has(id)) byAction.set(id, []);
        byAction.get(id).push(h);
      }
    }
    return [...byAction].map(([actionId, by]) => ({ actionId, by }));
  }

  function suppressedItem(s) {
    const gaps = s.by.filter(byGap);
    const others = s.by.filter((b) => !byGap(b));
    const why = (gaps.length ? ['Waits for the gaps above to clear'] : []).concat(others.map((b) => capital(b.reason)));
    const lifts = others.filter((b) => b.liftWhen).map((b) => b.liftWhen);
    return el('li', { 'data-action-id': s.actionId, 'data-gap-held': gaps.length ? 'true' : null, title: s.by.map((b) => capital(b.reason)).join('\n') },
      el('strong', {}, s.title || s.actionId), ': ',
      why.join('; ') + '. ',
      lifts.length ? el('span', { class: 'until' }, 'Lifts: ' + lifts.join('; ') + '.') : null);
  }

  // ---- feedback ----

  function openFeedback(item, a, d, accepted, opener) {
    const existing = item.querySelector('form.feedback');
    if (existing) existing.remove();
    const verb = accepted ? 'Accepted' : 'Declined';
    const reasonId = 'fb-reason-' + a.rank;
    const name = 'fb-by-' + a.rank;
    const reason = el('input', { id: reasonId, maxlength: '500', autocomplete: 'off' });
    const form = el('form', { class: 'feedback', 'aria-label': verb + ': ' + a.title },
      el('fieldset', {},
        el('legend', {}, verb + ' by'),
        el('label', {}, el('input', { type: 'radio', name, value: 'CUSTOMER', checked: true }), ' the customer'),
        el('label', {}, el('input', { type: 'radio', name, value: 'AGENT' }), ' me (not offered)')),
      el('div', { class: 'field' }, el('label', { for: reasonId }, 'Reason (optional)'), reason),
      el('button', { type: 'submit', class: 'primary' }, 'Send'),
      el('button', { type: 'button', class: 'cancel' }, 'Cancel'));
    const close = () => {
      form.remove();
      opener.focus();
    };
    form.querySelector('.cancel').addEventListener('click', close);
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') close();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (busy) return;
      const by = form.querySelector('input[name="' + name + '"]:checked').value;
      const body = { decisionId: d.decisionId, actionId: a.actionId, outcome: (accepted ? 'ACCEPTED' : 'DECLINED') + '_BY_' + by };
      if (reason.value.trim()) body.reason = reason.value.trim();
      try {
        const r = await call('POST', '../v1/feedback', body);
        clearProblem();
        let note = '\u201C' + a.title + '\u201D ' + verb.toLowerCase() + (by === 'AGENT' ? ' by you' : ' by the customer') + (r.recorded ? ' \u2014 recorded.' : ' \u2014 already recorded before.');
        if (r.learned && r.propensity) note += ' Its chance of being taken is now ' + fmt(r.propensity.value, 2) + '.';
        decide(lastRequest, note);
      } catch (p) {
        if (!(p instanceof Problem)) throw p;
        showProblem(p, 'Feedback not recorded');
        if (p.status !== 401 && p.status !== 403) reason.focus();
      }
    });
    item.querySelector('.body').append(form);
    reason.focus();
  }

  // ---- the matrix and the indices ----

  function renderMatrix(d) {
    const x0 = 46, y0 = 8, w = 132, h = 92;
    const m = $('matrix');
    const parts = [];
    const cells = [['Q2', 0, 0], ['Q4', 1, 0], ['Q1', 0, 1], ['Q3', 1, 1]];
    for (const [q, col, row] of cells) {
      const here = d.segment && d.segment.quadrant === q;
      parts.push(svg('rect', { class: 'cell' + (here ? ' here' : ''), x: x0 + col * w, y: y0 + row * h, width: w, height: h }));
      // Long names take two lines so they stay inside their cell.
      const words = QUADRANTS[q].label.length > 16 ? QUADRANTS[q].label.split(' ') : [QUADRANTS[q].label];
      words.forEach((line, i) =>
        parts.push(svg('text', { class: 'cell-label' + (here ? ' here' : ''), x: x0 + col * w + 6, y: y0 + row * h + 16 + i * 14 }, line)));
    }
    parts.push(svg('text', { class: 'axis', x: 12, y: y0 + h, transform: 'rotate(-90 12 ' + (y0 + h) + ')', 'text-anchor': 'middle' }, 'Experience \u2192'));
    parts.push(svg('text', { class: 'axis', x: x0 + w, y: y0 + 2 * h + 34, 'text-anchor': 'middle' }, 'Engagement \u2192'));
    const exp = d.indices.experience.value;
    const eng = d.indices.engagement.value;
    const q = d.segment ? QUADRANTS[d.segment.quadrant] : null;
    if (q) {
      // The quadrant is the one the rule set's thresholds chose; within it the point follows the 0–100 values.
      const col = q.engagement === 'HIGH' ? 1 : 0;
      const row = q.experience === 'HIGH' ? 0 : 1;
      const px = x0 + col * w + 10 + (w - 20) * clamp(eng / 100);
      const py = y0 + row * h + 36 + (h - 44) * (1 - clamp(exp / 100));
      parts.push(svg('line', { x1: x0, y1: py, x2: px, y2: py, stroke: '#9db4ec', 'stroke-dasharray': '3 3' }));
      parts.push(svg('line', { x1: px, y1: py, x2: px, y2: y0 + 2 * h, stroke: '#9db4ec', 'stroke-dasharray': '3 3' }));
      parts.push(svg('text', { class: 'point-label', x: x0 - 4, y: py + 4, 'text-anchor': 'end' }, fmt(exp)));
      parts.push(svg('text', { class: 'point-label', x: px, y: y0 + 2 * h + 16, 'text-anchor': 'middle' }, fmt(eng)));
      parts.push(svg('circle', { class: 'point', cx: px, cy: py, r: 7 }));
    }
    m.replaceChildren(...parts);
    $('matrix-label').textContent = d.segment
      ? d.segment.quadrant + ' ' + d.segment.label + ': experience ' + lower(d.segment.experienceLevel) + ' (' + fmt(exp) + '), engagement ' + lower(d.segment.engagementLevel) + ' (' + fmt(eng) + ')'
      : 'Experience ' + fmt(exp) + ', engagement ' + fmt(eng);
    m.dataset.quadrant = d.segment ? d.segment.quadrant : '';
  }

  function renderIndices(d) {
    const block = (title, index) => {
      const top = index.components.filter((c) => c.score !== null && c.score !== undefined)
        .sort((a, b) => b.contribution - a.contribution).slice(0, 2);
      return el('div', { class: 'index' },
        el('h3', {}, title, el('span', {}, fmt(index.value))),
        el('ul', {}, ...top.map((c) => el('li', {}, c.name + ' ' + fmt(c.score) + (c.evidence ? ': ' + c.evidence : '')))));
    };
    $('indices').replaceChildren(
      block('Experience', d.indices.experience),
      block('Engagement', d.indices.engagement),
      el('p', { class: 'hint' }, 'Relationship health ' + fmt(d.indices.relationshipHealth)));
    $('flags').replaceChildren(...d.indices.riskFlags.concat(d.indices.trendFlags).map((f) => el('li', {}, capital(f.description))));
  }

  // ---- small helpers ----

  function fmt(n, digits) {
    return typeof n === 'number' ? n.toFixed(digits === undefined ? 1 : digits) : '–';
  }
  function clamp(v) {
    return Math.max(0, Math.min(1, v));
  }
  function capital(s) {
    return s ? s.charAt(0).toUpperCase() + s.slice(1) : '';
  }
  function lower(s) {
    return s ? String(s).toLowerCase() : '';
  }
  function routingText(r) {
    return { AGENT: 'you handle it', SPECIALIST: 'hand to a specialist', AUTOMATED: 'automated' }[r] || lower(r);
  }

  if (apiKey) keyReady();
  else askForKey();
})();
