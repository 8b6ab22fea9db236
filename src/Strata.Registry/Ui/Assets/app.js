// Strata registry UI: vanilla JS, hash routes, data from /ui/api/ (same access rules as the API).
'use strict';
(() => {
  const $ = (sel) => document.querySelector(sel);
  const main = $('#main');
  let session = { user: null, isAdmin: false, anonymousAllowed: false, csrf: null };

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'onclick' || k === 'oninput' || k === 'onsubmit') e[k] = v;
      else if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    return e;
  }
  const human = (n) => {
    if (n === null || n === undefined) return '';
    const u = ['B', 'kB', 'MB', 'GB', 'TB']; let i = 0; let v = n;
    while (v >= 1000 && i < u.length - 1) { v /= 1000; i++; }
    return (i === 0 ? v : v.toFixed(v < 10 ? 2 : 1)) + ' ' + u[i];
  };
  const when = (t) => (t ? new Date(t).toISOString().replace('T', ' ').slice(0, 19) : '');
  const shortDigest = (d) => (d || '').replace(/^sha(256|512):/, '').slice(0, 12);
  const host = location.host;

  async function api(path, opts) {
    const r = await fetch('/ui/api/' + path, Object.assign({ credentials: 'same-origin' }, opts || {}));
    if (r.status === 401) { location.hash = '#/login'; throw new Error('sign in first'); }
    if (!r.ok) {
      let msg = r.status + ' ' + r.statusText;
      try { msg = (await r.json()).message || msg; } catch (e) { /* not json */ }
      throw new Error(msg);
    }
    return r;
  }
  const json = async (path) => (await api(path)).json();
  const q = (o) => Object.entries(o).map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(v)).join('&');

  // replaceChildren would show a null child as the text "null": drop absent children as el() does.
  const fill = (node, ...kids) => node.replaceChildren(...kids.flat().filter((k) => k !== null && k !== undefined));
  function render(...nodes) { fill(main, ...nodes); }
  function fail(e) { render(el('p', { class: 'error', id: 'error' }, e.message)); }

  function header() {
    const nav = $('#nav');
    fill(nav, el('a', { href: '#/repos', id: 'nav-repos' }, 'Repositories'),
      session.isAdmin ? el('a', { href: '#/admin', id: 'nav-admin' }, 'Admin') : null);
    const who = $('#who');
    if (session.user) {
      who.replaceChildren(el('span', { id: 'user' }, session.user),
        el('button', { id: 'logout', onclick: async () => { await fetch('/ui/api/logout', { method: 'POST' }); session.user = null; location.hash = '#/login'; route(); } }, 'Sign out'));
    } else {
      who.replaceChildren(el('a', { href: '#/login', id: 'signin' }, 'Sign in'));
    }
  }

  function loginPage() {
    const err = el('p', { class: 'error', id: 'login-error' });
    const form = el('form', { class: 'card login', id: 'login-form', onsubmit: async (ev) => {
      ev.preventDefault();
      const r = await fetch('/ui/api/login', { method: 'POST', body: new URLSearchParams(new FormData(form)) });
      if (!r.ok) { err.textContent = 'Wrong user name or password.'; return; }
      session = await r.json();
      location.hash = '#/repos';
    } },
    el('h1', {}, 'Sign in'),
    el('input', { type: 'text', name: 'username', id: 'username', placeholder: 'user', autocomplete: 'username', required: true }),
    el('input', { type: 'password', name: 'password', id: 'password', placeholder: 'password', autocomplete: 'current-password', required: true }),
    el('button', { type: 'submit', id: 'login-submit' }, 'Sign in'), err);
    render(form);
  }

  async function reposPage(params) {
    const page = Number(params.get('page') || 1);
    const filter = params.get('q') || '';
    const data = await json('repositories?' + q({ q: filter, page, size: 50 }));
    const search = el('input', { type: 'search', id: 'repo-filter', placeholder: 'Filter repositories', value: filter });
    search.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') location.hash = '#/repos?' + q({ q: search.value }); });
    const pages = Math.max(1, Math.ceil(data.total / 50));
    const rows = data.items.map((r) => el('tr', { 'data-repo': r.name },
      el('td', {}, el('a', { href: '#/repo/' + encodeURIComponent(r.name) }, r.name)),
      el('td', { class: 'num' }, r.tagCount), el('td', { class: 'num' }, human(r.totalSize)), el('td', {}, when(r.lastPush))));
    render(el('h1', {}, 'Repositories'),
      el('div', { class: 'bar' }, search, el('span', { class: 'muted', id: 'repo-total' }, data.total + ' repositories')),
      el('table', { id: 'repos' }, el('thead', {}, el('tr', {}, el('th', {}, 'Name'), el('th', { class: 'num' }, 'Tags'), el('th', { class: 'num' }, 'Size'), el('th', {}, 'Last push'))), el('tbody', {}, rows)),
      el('div', { class: 'bar' },
        page > 1 ? el('a', { href: '#/repos?' + q({ q: filter, page: page - 1 }), id: 'prev' }, '‹ Previous') : null,
        el('span', { class: 'muted' }, 'Page ' + page + ' of ' + pages),
        page < pages ? el('a', { href: '#/repos?' + q({ q: filter, page: page + 1 }), id: 'next' }, 'Next ›') : null));
  }

  function copyLine(text) {
    return el('span', { class: 'pull' }, el('code', {}, text), el('button', { type: 'button', onclick: () => navigator.clipboard && navigator.clipboard.writeText(text) }, 'Copy'));
  }

  async function repoPage(name, params) {
    const data = await json('tags?' + q({ repo: name }));
    let sort = params.get('sort') || 'name';
    const filter = el('input', { type: 'search', id: 'tag-filter', placeholder: 'Filter tags' });
    const body = el('tbody');
    const draw = () => {
      const f = filter.value;
      const tags = data.tags.filter((t) => t.name.includes(f)).sort((a, b) =>
        sort === 'pushed' ? String(b.pushed || '').localeCompare(String(a.pushed || '')) : sort === 'size' ? b.size - a.size : a.name.localeCompare(b.name));
      body.replaceChildren(...tags.map((t) => el('tr', { 'data-tag': t.name },
        el('td', {}, el('a', { href: '#/image/' + encodeURIComponent(name) + '/' + encodeURIComponent(t.digest) + '?tag=' + encodeURIComponent(t.name) }, t.name)),
        el('td', {}, el('code', { title: t.digest }, shortDigest(t.digest))),
        el('td', { class: 'num' }, human(t.size)),
        el('td', { class: 'platforms' }, t.platforms && t.platforms.length ? t.platforms.join(', ') : (t.mediaType.includes('index') || t.mediaType.includes('list') ? 'multi-platform' : '')),
        el('td', {}, when(t.pushed)),
        el('td', {}, copyLine('strata pull ' + host + '/' + name + ':' + t.name)),
        el('td', {}, data.canDelete ? el('button', { class: 'danger delete-tag', 'data-tag': t.name, onclick: () => deleteTag(name, t.name) }, 'Delete') : null))));
    };
    filter.oninput = draw;
    const th = (label, key) => el('th', { class: 'sortable', onclick: () => { sort = key; draw(); } }, label);
    render(el('h1', {}, name),
      el('p', {}, copyLine('docker pull ' + host + '/' + name)),
      await usageLine(name),
      el('div', { class: 'bar' }, filter, el('span', { class: 'muted' }, data.tags.length + ' tags')),
      el('table', { id: 'tags' }, el('thead', {}, el('tr', {}, th('Tag', 'name'), el('th', {}, 'Digest'), th('Size', 'size'), el('th', {}, 'Platforms'), th('Pushed', 'pushed'), el('th', {}, 'Pull'), el('th', {}, ''))), body));
    draw();
  }

  async function send(path, method, form) {
    const opts = { method, headers: { 'X-CSRF-Token': session.csrf || '' } };
    if (form) opts.body = new URLSearchParams(form);
    return api(path, opts);
  }

  async function usageLine(name) {
    const line = el('p', { class: 'muted', id: 'usage' });
    try {
      const u = await json('usage?' + q({ repo: name }));
      line.textContent = 'Storage: ' + human(u.used) + (u.quota ? ' of ' + human(u.quota) + ' quota (' + Math.round(100 * u.used / u.quota) + '%)' : ' (no quota)');
    } catch (e) { /* usage is optional */ }
    return line;
  }

  async function adminPage() {
    const users = await json('admin/users');
    const rules = await json('admin/rules');
    const usage = await json('admin/usage');
    const msg = el('p', { id: 'admin-msg', class: 'muted' });
    const act = (fn) => async (ev) => { if (ev) ev.preventDefault(); try { await fn(); msg.className = 'muted'; route(); } catch (e) { msg.className = 'error'; msg.textContent = e.message; } };

    const userForm = el('form', { id: 'add-user', class: 'bar', onsubmit: act(() => send('admin/users', 'POST', new FormData(userForm))) },
      el('input', { type: 'text', name: 'name', placeholder: 'user name', required: true }),
      el('input', { type: 'password', name: 'password', placeholder: 'password', required: true }),
      el('input', { type: 'text', name: 'groups', placeholder: 'groups (comma separated)' }),
      el('label', {}, el('input', { type: 'checkbox', name: 'admin' }), ' admin'),
      el('button', { type: 'submit' }, 'Add user'));
    const userRows = users.map((u) => el('tr', { 'data-user': u.name }, el('td', {}, u.name), el('td', {}, u.admin ? 'admin' : ''), el('td', {}, (u.groups || []).join(', ')), el('td', {}, when(u.created)),
      el('td', {},
        el('button', { class: 'passwd', onclick: act(() => { const p = prompt('New password for ' + u.name); if (!p) throw new Error('cancelled'); return send('admin/users/password', 'POST', { name: u.name, password: p }); }) }, 'Change password'), ' ',
        u.name === session.user ? null : el('button', { class: 'danger remove-user', onclick: act(() => { if (!confirm('Remove ' + u.name + '?')) throw new Error('cancelled'); return send('admin/users?' + q({ name: u.name }), 'DELETE'); }) }, 'Remove'))));

    const ruleForm = el('form', { id: 'grant', class: 'bar', onsubmit: act(() => send('admin/rules', 'POST', new FormData(ruleForm))) },
      el('input', { type: 'text', name: 'subject', placeholder: 'user:NAME, group:NAME, authenticated, anonymous', required: true }),
      el('input', { type: 'text', name: 'pattern', placeholder: 'team-a/** (repository pattern)', required: true }),
      el('input', { type: 'text', name: 'actions', placeholder: 'pull,push,delete', required: true }),
      el('button', { type: 'submit' }, 'Grant'));
    const ruleRows = rules.map((r) => el('tr', {}, el('td', {}, r.subject), el('td', {}, el('code', {}, r.pattern)), el('td', {}, r.actions.join(', ')),
      el('td', {}, el('button', { class: 'danger revoke', onclick: act(() => send('admin/rules?' + q({ subject: r.subject, pattern: r.pattern }), 'DELETE')) }, 'Revoke'))));

    const gcOut = el('div', { id: 'gc-result' });
    const gc = (dryRun) => async () => {
      try {
        const r = await (await send('admin/gc?' + q({ dryRun }), 'POST')).json();
        gcOut.replaceChildren(el('p', {}, (r.dryRun ? 'Would free ' : 'Freed ') + human(r.bytes) + ' (' + r.blobs + ' blobs, ' + r.manifests + ' manifests, ' + r.tags + ' tags) in ' + Math.round(r.elapsedMs) + ' ms.'),
          r.removed.length ? el('pre', {}, r.removed.join('\n')) : null);
      } catch (e) { gcOut.replaceChildren(el('p', { class: 'error' }, e.message)); }
    };
    const usageRows = usage.map((u) => el('tr', {}, el('td', {}, el('a', { href: '#/repo/' + encodeURIComponent(u.repository) }, u.repository)), el('td', { class: 'num' }, human(u.used)), el('td', { class: 'num' }, u.quota ? human(u.quota) : 'unlimited'),
      el('td', { class: 'num' }, u.quota ? Math.round(100 * u.used / u.quota) + '%' : '')));

    render(el('h1', {}, 'Administration'), msg,
      el('h2', {}, 'Users'), el('table', { id: 'users' }, el('thead', {}, el('tr', {}, el('th', {}, 'Name'), el('th', {}, 'Role'), el('th', {}, 'Groups'), el('th', {}, 'Created'), el('th', {}, ''))), el('tbody', {}, userRows)), userForm,
      el('h2', {}, 'Access rules'), el('p', { class: 'muted' }, 'Admins may do everything. Without any rule, every signed-in user may pull, push and delete everywhere.'),
      el('table', { id: 'rules' }, el('thead', {}, el('tr', {}, el('th', {}, 'Subject'), el('th', {}, 'Repositories'), el('th', {}, 'Actions'), el('th', {}, ''))), el('tbody', {}, ruleRows)), ruleForm,
      el('h2', {}, 'Garbage collection'), el('div', { class: 'bar' }, el('button', { id: 'gc-dry-run', onclick: gc(true) }, 'Dry run'), el('button', { class: 'danger', id: 'gc-run', onclick: gc(false) }, 'Run garbage collection')), gcOut,
      el('h2', {}, 'Storage per repository'), el('table', { id: 'usage-table' }, el('thead', {}, el('tr', {}, el('th', {}, 'Repository'), el('th', { class: 'num' }, 'Used'), el('th', { class: 'num' }, 'Quota'), el('th', { class: 'num' }, ''))), el('tbody', {}, usageRows)));
  }

  async function deleteTag(repo, tag) {
    if (!confirm('Delete tag ' + repo + ':' + tag + '?')) return;
    try {
      await api('tag?' + q({ repo, tag }), { method: 'DELETE', headers: { 'X-CSRF-Token': session.csrf || '' } });
      route();
    } catch (e) { fail(e); }
  }

  function kvTable(id, pairs) {
    return el('table', { class: 'kv', id }, el('tbody', {}, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', {}, v)))));
  }

  async function imagePage(repo, digest, params) {
    const r = await api('manifest?' + q({ repo, ref: digest }));
    const raw = await r.text();
    const m = JSON.parse(raw);
    const tag = params.get('tag');
    const parts = [el('h1', {}, repo + (tag ? ':' + tag : '') + ' ', el('span', { class: 'muted' }, '@' + shortDigest(digest)))];
    if (m.manifests) {
      parts.push(el('h2', {}, 'Platforms'), el('table', { id: 'children' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Platform'), el('th', {}, 'Digest'), el('th', { class: 'num' }, 'Size'))),
        el('tbody', {}, m.manifests.map((c) => el('tr', {},
          el('td', {}, c.platform ? [c.platform.os, c.platform.architecture, c.platform.variant].filter(Boolean).join('/') : (c.artifactType || c.mediaType)),
          el('td', {}, el('a', { href: '#/image/' + encodeURIComponent(repo) + '/' + encodeURIComponent(c.digest) }, shortDigest(c.digest))),
          el('td', { class: 'num' }, human(c.size)))))));
    } else if (m.config) {
      const cfg = await json('config?' + q({ repo, digest }));
      const c = cfg.config || {};
      parts.push(el('h2', {}, 'Configuration'), kvTable('config', [
        ['Platform', [cfg.os, cfg.architecture, cfg.variant].filter(Boolean).join('/')],
        ['Created', when(cfg.created)],
        ['Entrypoint', c.Entrypoint ? JSON.stringify(c.Entrypoint) : ''],
        ['Cmd', c.Cmd ? JSON.stringify(c.Cmd) : ''],
        ['Working dir', c.WorkingDir], ['User', c.User],
        ['Env', c.Env ? el('pre', {}, c.Env.join('\n')) : ''],
        ['Exposed ports', c.ExposedPorts ? Object.keys(c.ExposedPorts).join(', ') : ''],
        ['Labels', c.Labels ? el('pre', {}, Object.entries(c.Labels).map(([k, v]) => k + '=' + v).join('\n')) : ''],
      ]));
      const layers = m.layers || [];
      const total = layers.reduce((s, l) => s + l.size, 0);
      parts.push(el('h2', {}, 'Layers (' + layers.length + ', ' + human(total) + ')'), el('table', { id: 'layers' },
        el('thead', {}, el('tr', {}, el('th', {}, '#'), el('th', {}, 'Digest'), el('th', {}, 'Media type'), el('th', { class: 'num' }, 'Size'))),
        el('tbody', {}, layers.map((l, i) => el('tr', {}, el('td', {}, i + 1), el('td', {}, el('code', { title: l.digest }, shortDigest(l.digest))), el('td', {}, l.mediaType), el('td', { class: 'num' }, human(l.size)))))));
      const history = cfg.history || [];
      parts.push(el('h2', {}, 'History'), el('table', { id: 'history' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Created'), el('th', {}, 'Created by'), el('th', {}, 'Comment'))),
        el('tbody', {}, history.map((h) => el('tr', { class: h.empty_layer ? 'muted' : '' }, el('td', {}, when(h.created)), el('td', {}, el('code', {}, h.created_by || '')), el('td', {}, h.comment || ''))))));
      const waste = el('div', { id: 'waste' }, el('p', { class: 'muted' }, 'Analysing layers…'));
      parts.push(el('h2', {}, 'Wasted bytes'), waste);
      json('analysis?' + q({ repo, digest })).then((a) => {
        fill(waste, el('p', { id: 'waste-summary' }, human(a.wastedBytes) + ' wasted of ' + human(a.totalBytes) + ' in files'),
          a.files.length ? el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Path'), el('th', { class: 'num' }, 'Hidden copies'), el('th', { class: 'num' }, 'Wasted'))),
            el('tbody', {}, a.files.map((f) => el('tr', {}, el('td', {}, el('code', {}, f.path)), el('td', { class: 'num' }, f.copies), el('td', { class: 'num' }, human(f.wastedBytes)))))) : null);
      }).catch((e) => waste.replaceChildren(el('p', { class: 'error' }, e.message)));
    }
    const refs = el('div', { id: 'referrers' });
    parts.push(el('h2', {}, 'Referrers'), refs);
    json('referrers?' + q({ repo, digest })).then((list) => {
      refs.replaceChildren(list.length ? el('table', {}, el('tbody', {}, list.map((x) => el('tr', {}, el('td', {}, x.artifactType || x.mediaType), el('td', {}, el('a', { href: '#/image/' + encodeURIComponent(repo) + '/' + encodeURIComponent(x.digest) }, shortDigest(x.digest))), el('td', { class: 'num' }, human(x.size)))))) : el('p', { class: 'muted' }, 'None.'));
    }).catch((e) => refs.replaceChildren(el('p', { class: 'error' }, e.message)));
    parts.push(el('h2', {}, 'Manifest'), el('pre', { id: 'raw-manifest' }, JSON.stringify(m, null, 2)));
    render(...parts);
  }

  async function route() {
    const hash = location.hash.replace(/^#/, '') || '/repos';
    const [path, query] = hash.split('?');
    const params = new URLSearchParams(query || '');
    const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
    header();
    if (!session.user && !session.anonymousAllowed && seg[0] !== 'login') { location.hash = '#/login'; return; }
    try {
      if (seg[0] === 'login') loginPage();
      else if (seg[0] === 'repo') await repoPage(seg.slice(1).join('/'), params);
      else if (seg[0] === 'admin') await adminPage();
      else if (seg[0] === 'image') await imagePage(seg.slice(1, -1).join('/'), seg[seg.length - 1], params);
      else await reposPage(params);
      document.body.dataset.page = seg[0] || 'repos';
    } catch (e) { fail(e); }
  }

  window.addEventListener('hashchange', route);
  fetch('/ui/api/session', { credentials: 'same-origin' }).then((r) => r.json()).then((s) => { session = s; route(); });
})();
