// The workbench: pages for caseworkers and the mail room, in bokmål. A client of
// /api/v1 like any case system, in plain modern JavaScript (no library, nothing from a
// CDN). The session is an HttpOnly cookie the script never sees; the CSRF token it
// sends with every change comes from GET /auth/session.

const state = { session: null, tasks: [], page: 0 };
const PAGE_SIZE = 50;

const KIND_LABELS = {
  missing_documentation: 'Mangler dokumentasjon',
  manual_journaling: 'Manuell journalføring',
  handover: 'Overføring',
  notice: 'Melding om endring',
  decide_as_it_stands: 'Avgjør saken slik den står',
  ready_for_decision: 'Klar til avgjørelse',
};

const PARTIES = { citizen: 'innbygger', employer: 'arbeidsgiver', doctor: 'lege' };

// What a task is about, in words: the library's reasons are for logs, not for the desk.
function taskText(task) {
  const title = task.document_title || task.document_type;
  switch (task.kind) {
    case 'missing_documentation':
      return `Venter på ${title}${task.awaited_from ? ` fra ${PARTIES[task.awaited_from] || task.awaited_from}` : ''}`;
    case 'manual_journaling':
      return 'Dokumentet må knyttes til riktig sak';
    case 'notice':
      return `Nytt dokument som kan angå saken: ${title}`;
    case 'ready_for_decision':
      return 'Alle dokumentene er kommet: saken kan avgjøres';
    case 'decide_as_it_stands':
      return 'Svarfristen er ute: avgjør saken slik den står';
    case 'handover':
      return `Overført (${task.category}): ${task.reason}`;
    default:
      return task.reason;
  }
}

// ---- talking to the server ----

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code || '';
  }
}

// A 401 already sent the user to the sign-in page: nothing more to say.
class SignedOut extends Error {}

async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.session) headers['X-CSRF-Token'] = state.session.csrf;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (res.status === 401 && path !== '/auth/session') {
    state.session = null;
    showSignIn('Økten din er utløpt eller ugyldig. Logg inn på nytt.');
    throw new SignedOut();
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

// What an error means to the person at the desk; never a stack trace.
function explain(error) {
  if (error instanceof SignedOut) return null;
  if (!(error instanceof ApiError)) return 'Fikk ikke kontakt med serveren. Prøv igjen om litt.';
  switch (error.code) {
    case 'permission_denied':
      return 'Du har ikke tjenstlig behov for dette, eller mangler rollen som trengs.';
    case 'not_found':
      return 'Det du ba om, finnes ikke (lenger).';
    case 'failed_precondition':
    case 'already_exists':
      return `Kan ikke gjøres nå: ${error.message}`;
    case 'invalid_argument':
      return `Ugyldig: ${error.message}`;
    case 'unauthenticated':
      return 'Tokenet ble ikke godtatt: det er ugyldig, utløpt eller for en annen tjeneste.';
    default:
      return 'Noe gikk galt på serveren. Prøv igjen, eller kontakt driften.';
  }
}

// ---- page furniture ----

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else if (value !== false && value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined)
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function say(text, kind = 'error') {
  const box = document.getElementById('message');
  if (!text) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  box.className = kind === 'info' ? 'message info' : 'message';
  box.textContent = text;
  box.hidden = false;
}

function fail(error) {
  const text = explain(error);
  if (text) say(text);
}

function show(title, ...content) {
  const main = document.getElementById('main');
  main.replaceChildren(el('h1', {}, title), ...content);
  document.title = `${title} – Postmottak`;
}

function showWho() {
  const signedIn = Boolean(state.session);
  document.getElementById('who').hidden = !signedIn;
  document.getElementById('nav').hidden = !signedIn;
  if (!signedIn) return;
  document.getElementById('who-name').textContent = state.session.principal;
  document.getElementById('who-unit').textContent = `Enhet ${state.session.unit}`;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.getAttribute('href') === location.hash) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

// ---- sign-in ----

function showSignIn(reason) {
  state.session = null;
  showWho();
  say(reason || '', 'info');
  const token = el('textarea', { id: 'token', name: 'token', rows: 5, required: true,
    'aria-describedby': 'token-hint', autocomplete: 'off', spellcheck: 'false' });
  const form = el('form', { class: 'sign-in', onsubmit: async (event) => {
    event.preventDefault();
    try {
      state.session = await api('/auth/session', { method: 'POST', body: { token: token.value.trim() } });
      say('');
      if (!location.hash || location.hash === '#/logg-inn') location.hash = '#/kontorbenk';
      else route();
    } catch (error) {
      fail(error);
    }
  } },
  el('label', { for: 'token' }, 'Token'),
  el('p', { id: 'token-hint', class: 'hint' },
    'Lim inn tokenet fra identitetstjenesten. Til utvikling og test: ',
    el('code', {}, 'postmottak token issue --principal user:kari')),
  token,
  el('button', { class: 'primary', type: 'submit' }, 'Logg inn'));
  show('Logg inn', form);
  token.focus();
}

async function signOut() {
  try {
    await api('/auth/session', { method: 'DELETE' });
  } catch (error) {
    if (!(error instanceof SignedOut)) fail(error);
  }
  showSignIn('Du er logget ut.');
}

// ---- kontorbenk: the unit's queue ----

function ageInDays(iso) {
  const days = Math.floor((Date.now() - Date.parse(iso)) / 86400000);
  return days <= 0 ? 'i dag' : days === 1 ? '1 dag' : `${days} dager`;
}

async function taskAction(task, verb) {
  try {
    await api(`/api/v1/tasks/${encodeURIComponent(task.id)}/${verb}`, { method: 'POST' });
    await showQueue();  // the view shows the change before the message says it
    const done = { take: 'tatt', release: 'lagt tilbake i køen', finish: 'fullført' }[verb];
    say(`Oppgaven er ${done}.`, 'info');
  } catch (error) {
    fail(error);
  }
}

function taskRow(task) {
  const mine = task.holder === state.session.principal;
  const actions = [];
  const closesItself = task.kind === 'missing_documentation' || task.kind === 'manual_journaling';
  if (!task.holder) actions.push(el('button', { class: 'action', type: 'button', onclick: () => taskAction(task, 'take') }, 'Ta'));
  if (mine) actions.push(el('button', { class: 'action', type: 'button', onclick: () => taskAction(task, 'release') }, 'Legg tilbake'));
  if (mine && !closesItself) actions.push(el('button', { class: 'action', type: 'button', onclick: () => taskAction(task, 'finish') }, 'Fullfør'));
  return el('tr', {},
    el('td', {}, KIND_LABELS[task.kind] || task.kind),
    el('td', {}, task.case_id || '–'),
    el('td', { class: 'age' }, ageInDays(task.created_at)),
    el('td', {}, taskText(task)),
    el('td', {}, task.holder || 'ledig'),
    el('td', {}, actions));
}

function queueTable(tasks) {
  const start = state.page * PAGE_SIZE;
  const shown = tasks.slice(start, start + PAGE_SIZE);
  const pages = Math.max(1, Math.ceil(tasks.length / PAGE_SIZE));
  const pager = el('div', { class: 'pager' },
    el('button', { class: 'action', type: 'button', disabled: state.page === 0,
      onclick: () => { state.page -= 1; renderQueue(); } }, 'Forrige'),
    el('span', {}, `Side ${state.page + 1} av ${pages} (${tasks.length} oppgaver)`),
    el('button', { class: 'action', type: 'button', disabled: state.page + 1 >= pages,
      onclick: () => { state.page += 1; renderQueue(); } }, 'Neste'));
  return [
    el('table', {},
      el('caption', { class: 'hint' }, 'Eldste først'),
      el('thead', {}, el('tr', {}, ['Type', 'Sak', 'Alder', 'Hva', 'Holdes av', 'Handling'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, shown.map(taskRow))),
    pager,
  ];
}

function renderQueue() {
  const kind = document.getElementById('filter-kind')?.value || '';
  const who = document.getElementById('filter-who')?.value || 'all';
  const kinds = [...new Set(state.tasks.map((t) => t.kind))].sort();
  const tasks = state.tasks.filter((t) => (!kind || t.kind === kind) &&
    (who === 'all' || (who === 'free' && !t.holder) || (who === 'mine' && t.holder === state.session.principal)));
  const kindSelect = el('select', { id: 'filter-kind', onchange: () => { state.page = 0; renderQueue(); } },
    el('option', { value: '' }, 'Alle typer'),
    kinds.map((k) => el('option', { value: k, selected: k === kind }, KIND_LABELS[k] || k)));
  const whoSelect = el('select', { id: 'filter-who', onchange: () => { state.page = 0; renderQueue(); } },
    el('option', { value: 'all', selected: who === 'all' }, 'Alle'),
    el('option', { value: 'free', selected: who === 'free' }, 'Ledige'),
    el('option', { value: 'mine', selected: who === 'mine' }, 'Mine oppgaver'));
  const filters = el('div', { class: 'filters' },
    el('div', {}, el('label', { for: 'filter-kind' }, 'Type'), kindSelect),
    el('div', {}, el('label', { for: 'filter-who' }, 'Vis'), whoSelect));
  const body = tasks.length
    ? queueTable(tasks)
    : [el('p', {}, 'Ingen åpne oppgaver her.')];
  show(`Kontorbenk for enhet ${state.session.unit}`, filters, ...body);
}

async function showQueue() {
  try {
    state.tasks = await api(`/api/v1/tasks?unit=${encodeURIComponent(state.session.unit)}`);
    renderQueue();
  } catch (error) {
    fail(error);
  }
}

// ---- routing ----

async function route() {
  if (!state.session) {
    try {
      state.session = await api('/auth/session');
    } catch {
      showSignIn();
      return;
    }
  }
  showWho();
  switch (location.hash) {
    case '#/kontorbenk':
    default:
      state.page = 0;
      await showQueue();
  }
}

window.addEventListener('hashchange', () => { say(''); route(); });
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('sign-out').addEventListener('click', signOut);
  route();
});
