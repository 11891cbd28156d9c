// The analysts' studio: versions and their gate, diff, validation, coverage, a one-customer preview,
// simulations, activation and rollback. No framework and no build step; every text from the API
// goes in through textContent, never as HTML.
'use strict';

(function () {
  const KEY_STORE = 'nextbest.studio.apiKey';
  const $ = (id) => document.getElementById(id);
  let apiKey = sessionStorage.getItem(KEY_STORE);
  let active = null; // the active version's sequence
  let current = null; // the version worked on
  let versions = [];
  let coverage = null; // the current version's coverage (tables with their rows)
  let highlighted = new Set(); // row ids the last preview's candidate selected
  const gates = new Map(); // version -> gate summary text

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
  }

  function showProblem(p, what) {
    const list = p.errors.length ? el('ul', {}, ...p.errors.map((e) => el('li', {}, (e.field ? e.field + ': ' : '') + e.message))) : null;
    $('problem').replaceChildren(el('strong', {}, what + ': ' + p.title), ' ', p.detail ? el('span', {}, p.detail) : null, list);
    $('problem').hidden = false;
    if (p.status === 401 || p.status === 403) {
      sessionStorage.removeItem(KEY_STORE);
      apiKey = null;
      askForKey();
    }
  }

  function status(text) {
    $('status').textContent = text;
  }

  /** Runs one action of the page: a problem is shown, never thrown. */
  async function attempt(what, work) {
    if (!apiKey) {
      askForKey();
      status('Enter your analyst key first.');
      return;
    }
    clearProblem();
    status(what + '…');
    try {
      await work();
      status(what + ': done.');
    } catch (p) {
      status('');
      showProblem(p instanceof Problem ? p : new Problem(0, 'The page failed', String(p), []), what);
    }
  }

  // ---- the key ----

  function askForKey() {
    $('key-panel').hidden = false;
    $('key-status').hidden = true;
    $('api-key').value = '';
    $('api-key').focus();
  }

  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('api-key').value.trim();
    if (!value) return;
    apiKey = value;
    sessionStorage.setItem(KEY_STORE, value);
    $('key-panel').hidden = true;
    $('key-status').hidden = false;
    attempt('Loading versions', loadVersions);
  });
  $('change-key').addEventListener('click', askForKey);

  // ---- versions ----

  async function loadVersions() {
    const answer = await call('GET', '../v1/rulesets');
    active = answer.active;
    versions = answer.versions;
    if (current === null || !versions.some((v) => v.sequence === current)) current = active;
    renderVersions();
    await Promise.all([loadAudit(), loadCoverage()]);
  }

  function renderVersions() {
    $('versions').tBodies[0].replaceChildren(
      ...versions.map((v) =>
        el(
          'tr',
          { 'data-version': v.sequence, class: (v.sequence === current ? 'current ' : '') + (v.active ? 'active' : '') },
          el('td', {}, 'v' + v.sequence, v.active ? el('span', { class: 'badge' }, 'active') : null),
          el('td', { class: 'mono' }, v.label),
          el('td', {}, v.author),
          el('td', {}, (v.createdAt || '').replace('T', ' ').slice(0, 19)),
          el('td', {}, v.comment || ''),
          el('td', { class: 'gate' }, gates.get(v.sequence) || '—'),
          el('td', {}, el('button', { type: 'button', class: 'quiet pick', 'data-version': v.sequence, 'aria-pressed': String(v.sequence === current) }, v.sequence === current ? 'Working on it' : 'Work on v' + v.sequence))
        )
      )
    );
    $('current').textContent = current === null ? 'no version' : 'v' + current + (current === active ? ' (active)' : '');
    const from = $('diff-from');
    const chosen = from.value;
    from.replaceChildren(...versions.map((v) => el('option', { value: v.sequence }, 'v' + v.sequence + (v.active ? ' (active)' : ''))));
    from.value = chosen && versions.some((v) => String(v.sequence) === chosen) ? chosen : String(active);
  }

  $('versions').addEventListener('click', (event) => {
    const button = event.target.closest('button.pick');
    if (!button) return;
    current = Number(button.dataset.version);
    highlighted = new Set();
    renderVersions();
    $('gate').hidden = true;
    $('diff-panel').hidden = true;
    $('preview').hidden = true;
    attempt('Loading coverage of v' + current, loadCoverage);
  });

  // ---- validate and test ----

  function where(m) {
    return m.file + (m.line ? ':' + m.line : '') + (m.element ? ' [' + m.element + ']' : '');
  }

  $('validate').addEventListener('click', () =>
    attempt('Validating v' + current, async () => {
      const v = current;
      const validation = await call('POST', '../v1/rulesets/' + v + '/validate' + ($('strict').checked ? '?strict=true' : ''));
      const tests = await call('POST', '../v1/rulesets/' + v + '/test');
      const passes = validation.valid && tests.passed;
      const summary = passes
        ? 'passes: compiles, valid, ' + tests.total + ' scenarios pass'
        : !validation.compiles
          ? 'fails: does not compile'
          : !validation.valid
            ? 'fails: validation ' + (validation.strict ? '(strict) ' : '') + 'has findings'
            : 'fails: ' + tests.failed + ' of ' + tests.total + ' scenarios fail';
      gates.set(v, summary);
      renderVersions();
      $('gate-summary').textContent = 'v' + v + ' ' + summary + ' (compiled in ' + validation.compileMillis + ' ms).';
      $('messages').replaceChildren(
        ...validation.messages.map((m) => el('li', { class: m.level === 'ERROR' ? 'error' : 'warning' }, el('span', { class: 'level' }, m.level), ' ', el('code', {}, where(m)), ' ', m.text))
      );
      $('scenarios').replaceChildren(
        ...tests.scenarios.filter((s) => !s.passed).map((s) => el('li', { class: 'error' }, el('span', { class: 'level' }, 'SCENARIO'), ' ', el('code', {}, 'scenarios/' + s.scenario), ' ', s.failures.join('; ')))
      );
      if (validation.coverage) {
        coverage = validation.coverage;
        renderTables();
      }
      $('gate').hidden = false;
    })
  );

  // ---- diff ----

  $('diff').addEventListener('click', () =>
    attempt('Comparing', async () => {
      const from = Number($('diff-from').value);
      const diff = await call('GET', '../v1/rulesets/diff?from=' + from + '&to=' + current);
      $('changes').replaceChildren(
        ...(diff.changes.length ? diff.changes.map((c) => el('li', { 'data-kind': c.kind }, el('span', { class: 'level' }, c.kind.replace(/_/g, ' ').toLowerCase()), ' ', c.description)) : [el('li', {}, 'v' + from + ' and v' + current + ' decide with the same tables and data.')])
      );
      $('diff-panel').querySelector('h3').textContent = 'What changed from v' + from + ' to v' + current;
      $('diff-panel').hidden = false;
    })
  );

  // ---- coverage and the tables ----

  async function loadCoverage() {
    if (current === null) return;
    coverage = await call('GET', '../v1/rulesets/' + current + '/coverage');
    renderTables();
  }

  $('coverage-button').addEventListener('click', () => attempt('Loading coverage of v' + current, loadCoverage));

  function renderTables() {
    if (!coverage) return;
    $('coverage-summary').textContent =
      'v' + current + ': ' + coverage.covered + ' of ' + coverage.rows + ' rows are selected by a scenario; ' + coverage.uncovered.length + ' by none.';
    $('tables').replaceChildren(
      ...coverage.tables.map((t) =>
        el(
          'figure',
          { class: 'table' },
          el('figcaption', {}, el('strong', {}, t.model + ' · ' + t.decision), ' ', el('span', { class: 'hint' }, t.hitPolicy + ' · ' + t.table)),
          el(
            'table',
            { class: 'grid dmn', 'data-table': t.table },
            el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, '#'), ...t.inputs.map((i) => el('th', { scope: 'col', class: 'in' }, i)), ...t.outputs.map((o) => el('th', { scope: 'col', class: 'out' }, o)), el('th', { scope: 'col' }, 'Annotation'), el('th', { scope: 'col' }, 'Covered by'))),
            el(
              'tbody',
              {},
              ...t.rows.map((r) =>
                el(
                  'tr',
                  { 'data-row-id': r.id, class: (highlighted.has(r.id) ? 'hit ' : '') + (r.scenarios.length ? '' : 'uncovered') },
                  el('th', { scope: 'row' }, String(r.row), highlighted.has(r.id) ? el('span', { class: 'sr' }, ' (matched in the preview)') : null),
                  ...r.inputs.map((c) => el('td', { class: 'mono in' }, c)),
                  ...r.outputs.map((c) => el('td', { class: 'mono out' }, c)),
                  el('td', { class: 'note' }, r.annotation || ''),
                  el('td', { class: 'who' }, r.scenarios.length ? r.scenarios.join(', ') : 'no scenario')
                )
              )
            )
          )
        )
      )
    );
  }

  // ---- preview ----

  function sideView(title, side) {
    const d = side.decision;
    const top = d.actions.length ? d.actions[0].title : 'nothing recommended';
    return [
      el('h3', {}, title + ' · v' + side.version),
      el('p', { class: 'mono hint' }, side.label),
      el('p', {}, el('span', { class: 'badge' }, d.segment.quadrant + ' ' + d.segment.label), ' experience ' + d.indices.experience.value.toFixed(1) + ', engagement ' + d.indices.engagement.value.toFixed(1)),
      el('p', {}, 'Top action: ', el('strong', {}, top)),
      el('ol', { class: 'ranking' }, ...d.actions.map((a) => el('li', {}, a.title))),
      el('p', { class: 'hint' }, 'Held back: ' + (d.suppressed.length ? d.suppressed.map((s) => s.actionId).join(', ') : 'none') + ' · outreach ' + d.contact.max7Days + '/7 days, ' + d.contact.max30Days + '/30 days'),
    ];
  }

  $('preview-form').addEventListener('submit', (event) => {
    event.preventDefault();
    attempt('Previewing', async () => {
      const customerId = $('preview-customer').value.trim();
      const p = await call('POST', '../v1/rulesets/' + current + '/preview', { customerId });
      $('preview-active').replaceChildren(...sideView('Active', p.active));
      $('preview-candidate').replaceChildren(...sideView('This version', p.candidate));
      $('differences').replaceChildren(...(p.differences.length ? p.differences.map((d) => el('li', { 'data-aspect': d.aspect }, el('strong', {}, d.aspect), ': ' + d.description)) : [el('li', {}, 'Both versions decide alike for ' + customerId + '.')]));
      $('causes').replaceChildren(
        ...(p.causes.length ? p.causes.map((c) => el('li', {}, c.description, c.changed.length ? el('ul', {}, ...c.changed.map((x) => el('li', {}, x))) : null)) : [el('li', {}, 'No row is selected differently.')])
      );
      highlighted = new Set();
      for (const t of p.candidate.rows) for (const r of t.matched) if (r.selected && r.id) highlighted.add(r.id);
      if (!coverage) await loadCoverage();
      else renderTables();
      $('preview').hidden = false;
    });
  });

  // ---- simulation ----

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  $('sim-form').addEventListener('submit', (event) => {
    event.preventDefault();
    attempt('Simulating', async () => {
      const size = Number($('sim-size').value);
      const started = await call('POST', '../v1/simulations', { population: { synthetic: size }, baseline: 'active', candidate: current });
      $('sim').hidden = false;
      $('sim-summary').textContent = '';
      $('sim-moves').replaceChildren();
      let progress;
      for (;;) {
        progress = await call('GET', '../v1/simulations/' + started.id);
        $('sim-progress').textContent = progress.state + ' · ' + progress.customers + ' customers, ' + progress.decisions + ' decisions';
        if (['DONE', 'FAILED', 'CANCELLED'].includes(progress.state)) break;
        await sleep(400);
      }
      if (progress.state !== 'DONE') throw new Problem(0, 'The simulation ' + progress.state.toLowerCase(), progress.error || '', []);
      const report = await call('GET', '../v1/simulations/' + started.id + '/report');
      const c = report.comparison;
      $('sim-summary').textContent =
        report.inputs.baselineVersion + ' against ' + report.inputs.candidateVersion + ': top action changed for ' + c.topActionChanged + ' of ' + c.compared + ' customers, quadrant for ' + c.quadrantChanged + '.';
      $('sim-moves').replaceChildren(
        ...report.changedSample.slice(0, 10).map((s) =>
          el('li', {}, el('strong', {}, s.customerId), ': ' + (s.baseline.actions[0] ? s.baseline.actions[0].actionId : 'none') + ' → ' + (s.candidate.actions[0] ? s.candidate.actions[0].actionId : 'none'), s.rows && s.rows.length ? el('span', { class: 'hint' }, ' · ' + s.rows.map((r) => r.description).join('; ')) : null)
        )
      );
    });
  });

  // ---- activate and roll back ----

  function confirmSwitch(action) {
    return new Promise((resolve) => {
      const dialog = $('confirm');
      $('confirm-title').textContent = (action === 'activate' ? 'Activate v' : 'Roll back to v') + current + '?';
      $('confirm-text').textContent =
        'Every customer decision from now on uses v' + current + ' instead of v' + active + '. It goes live only if it compiles, validates and passes every scenario.';
      $('cover-label').hidden = action !== 'activate';
      $('require-covered').checked = false;
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'), { once: true });
      dialog.returnValue = 'no';
      dialog.showModal();
      $('confirm-no').focus();
    });
  }

  async function switchTo(action) {
    if (current === null) return;
    if (!(await confirmSwitch(action))) {
      status('Nothing changed.');
      return;
    }
    const query = action === 'activate' && $('require-covered').checked ? '?requireChangedRowsCovered=true' : '';
    await attempt(action === 'activate' ? 'Activating v' + current : 'Rolling back to v' + current, async () => {
      try {
        await call('POST', '../v1/rulesets/' + current + '/' + action + query);
      } finally {
        await loadAudit();
      }
      await loadVersions();
    });
  }

  $('activate').addEventListener('click', () => switchTo('activate'));
  $('rollback').addEventListener('click', () => switchTo('rollback'));

  // ---- audit ----

  async function loadAudit() {
    const entries = await call('GET', '../v1/audit?limit=8');
    $('audit').replaceChildren(
      ...entries.map((a) => el('li', { 'data-action': a.action }, el('span', { class: 'mono' }, (a.at || '').replace('T', ' ').slice(0, 19)), ' ', el('strong', {}, a.actor), ' ' + a.action + (a.version ? ' v' + a.version : '') + (a.detail ? ' — ' + a.detail : '')))
    );
  }

  // ---- start ----

  if (apiKey) {
    $('key-status').hidden = false;
    attempt('Loading versions', loadVersions);
  } else {
    askForKey();
  }
})();
