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
    el('td', {}, task.case_id ? el('a', { href: `#/sak/${encodeURIComponent(task.case_id)}` }, task.case_id) : '–'),
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
    show(`Kontorbenk for enhet ${state.session.unit}`);
    fail(error);
  }
}

// ---- the case page ----

const STEPS = {
  registered: 'Registrert', cover_sheet_issued: 'Forside laget', cover_sheet_received: 'Forside mottatt',
  document_journaled: 'Dokument journalført', document_linked: 'Dokument knyttet til saken',
  document_linked_also: 'Dokument knyttet også til saken', notice_raised: 'Melding om endring',
  letter_written: 'Brev skrevet', escalated: 'Frist ute', status: 'Status sett',
  task_opened: 'Oppgave opprettet', task_moved: 'Oppgave flyttet', task_taken: 'Oppgave tatt',
  task_released: 'Oppgave lagt tilbake', task_finished: 'Oppgave fullført', task_closed: 'Oppgave lukket',
  transferred: 'Overført', returned: 'Sendt tilbake', access_granted: 'Tilgang gitt',
  access_revoked: 'Tilgang trukket', closed: 'Avsluttet',
};
const STATUSES = {
  awaiting_documentation: 'Venter på dokumentasjon', ready_for_decision: 'Klar til avgjørelse',
  closed: 'Avsluttet', open: 'Åpen',
};

function date(iso) {
  return iso ? iso.slice(0, 10) : '';
}

function section(title, ...content) {
  return el('section', { 'aria-labelledby': `h-${title}` }, el('h2', { id: `h-${title}` }, title), ...content);
}

function table(headers, rows) {
  return el('table', {},
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows));
}

// A document's pages: the image, page by page, zoomable and rotatable, and its text.
async function openViewer(doc, into) {
  const pages = Math.max(1, doc.source?.pages?.length || 1);
  const view = { page: 1, zoom: 1, turn: 0 };
  const image = el('img', { class: 'page-image', alt: '' });
  const label = el('span', { 'aria-live': 'polite' });
  // Scrollable regions take the keyboard focus, so that they scroll without a mouse.
  const text = el('pre', { class: 'ocr-text', tabindex: 0, role: 'region', 'aria-label': 'Tekst lest med OCR' });
  const draw = () => {
    image.src = `/api/v1/documents/${encodeURIComponent(doc.id)}/pages/${view.page}?width=1400`;
    image.alt = `Side ${view.page} av ${pages} av dokument ${doc.id}`;
    image.style.width = `${Math.round(100 * view.zoom)}%`;
    image.style.transform = `rotate(${view.turn}deg)`;
    label.textContent = `Side ${view.page} av ${pages}`;
  };
  const button = (name, act) => el('button', { class: 'action', type: 'button', onclick: () => { act(); draw(); } }, name);
  const viewer = el('div', { class: 'viewer', role: 'region', 'aria-label': `Dokument ${doc.id}` },
    el('div', { class: 'viewer-tools' },
      button('Forrige side', () => { view.page = Math.max(1, view.page - 1); }),
      label,
      button('Neste side', () => { view.page = Math.min(pages, view.page + 1); }),
      button('Zoom inn', () => { view.zoom = Math.min(3, view.zoom + 0.25); }),
      button('Zoom ut', () => { view.zoom = Math.max(0.5, view.zoom - 0.25); }),
      button('Roter', () => { view.turn = (view.turn + 90) % 360; }),
      el('a', { href: `/api/v1/documents/${encodeURIComponent(doc.id)}/pdf`, target: '_blank', rel: 'noopener' }, 'Søkbar PDF')),
    el('div', { class: 'viewer-body' },
      el('div', { class: 'page-frame', tabindex: 0, role: 'region', 'aria-label': 'Sidebilde' }, image),
      el('div', {}, el('h3', {}, 'Tekst (OCR)'), text)));
  draw();
  into.replaceChildren(viewer);
  try {
    const full = await api(`/api/v1/documents/${encodeURIComponent(doc.id)}`);
    text.textContent = full.text || '(ingen tekst lest)';
  } catch (error) {
    fail(error);
  }
}

async function showCase(id) {
  try {
    const [c, timeline] = await Promise.all([
      api(`/api/v1/cases/${encodeURIComponent(id)}`),
      api(`/api/v1/cases/${encodeURIComponent(id)}/timeline`),
    ]);
    const k = c.case;
    const summary = el('dl', { class: 'facts' },
      el('dt', {}, 'Status'), el('dd', {}, STATUSES[k.status] || k.status, k.overdue ? ' (over fristen)' : ''),
      el('dt', {}, 'Område'), el('dd', {}, k.area),
      el('dt', {}, 'Enhet'), el('dd', {}, k.unit),
      el('dt', {}, 'Person'), el('dd', {}, `${k.person_name || ''} ${k.person_id}`.trim()),
      el('dt', {}, 'Frist'), el('dd', {}, k.due || '–'));
    const letterFor = (type) => c.letters.find((l) => l.documents.includes(type));
    const checklist = table(['Dokument', 'Mottatt', 'Mangler fra', 'Svarfrist'], c.checklist.map((item) => {
      const letter = item.received ? null : letterFor(item.type);
      return el('tr', {},
        el('td', {}, item.title),
        el('td', {}, item.received ? `Ja (${item.documents.length})` : 'Nei'),
        el('td', {}, letter ? (PARTIES[letter.recipient] || letter.recipient) : '–'),
        el('td', {}, letter ? `${letter.answer_by} (bedt om ${date(letter.written_at)})` : '–'));
    }));
    const viewerSpot = el('div', { id: 'viewer' });
    const documents = c.documents.length
      ? el('ul', { class: 'thumbs' }, c.documents.map((d) => el('li', {},
        el('button', { class: 'thumb', type: 'button', onclick: () => openViewer(d, viewerSpot) },
          el('img', { src: `/api/v1/documents/${encodeURIComponent(d.id)}/pages/1?width=160`,
            alt: `Første side av ${d.title || 'dokument'} ${d.id}`, loading: 'lazy' }),
          el('span', {}, `${d.title || 'ukjent type'}, mottatt ${date(d.received_at)}`)))))
      : el('p', {}, 'Ingen dokumenter ennå.');
    const tasks = c.tasks.filter((t) => t.status === 'open');
    const letters = c.letters.length
      ? el('ul', {}, c.letters.map((l) => el('li', {},
        el('a', { href: `/api/v1/letters/${encodeURIComponent(l.id)}/pdf`, target: '_blank', rel: 'noopener' },
          `${l.kind === 'reminder' ? 'Påminnelse' : 'Brev'} til ${PARTIES[l.recipient] || l.recipient}, ${date(l.written_at)}`),
        ' – ',
        el('a', { href: `/api/v1/cover-sheets/${encodeURIComponent(l.cover_id)}/pdf`, target: '_blank', rel: 'noopener' }, 'forside'))))
      : el('p', {}, 'Ingen brev.');
    show(`Sak ${k.id}`, summary,
      section('Sjekkliste', checklist),
      section('Dokumenter', documents, viewerSpot),
      section('Åpne oppgaver', tasks.length
        ? table(['Type', 'Hva', 'Holdes av'], tasks.map((t) => el('tr', {},
          el('td', {}, KIND_LABELS[t.kind] || t.kind), el('td', {}, taskText(t)), el('td', {}, t.holder || 'ledig'))))
        : el('p', {}, 'Ingen.')),
      section('Brev og forsider', letters),
      section('Historikk', el('ol', { class: 'timeline' }, timeline.map((e) => el('li', {},
        el('time', { datetime: e.at }, e.at.replace('T', ' ').slice(0, 16)), ' ',
        STEPS[e.what] || e.what, e.unit ? ` (enhet ${e.unit}` : '', e.by ? `, ${e.by})` : e.unit ? ')' : '')))));
  } catch (error) {
    show('Sak');
    fail(error);
  }
}

// ---- status for the local office: where is the case, without its content ----

function showStatusSearch() {
  // The person id is typed in full, sent in a POST body (never in a URL), and shown masked.
  const input = el('input', { id: 'person', name: 'person', inputmode: 'numeric', autocomplete: 'off',
    'aria-describedby': 'person-hint', required: true, pattern: '[0-9]{11}|[A-Za-z0-9._-]{1,128}' });
  const results = el('div', { id: 'status-results', 'aria-live': 'polite' });
  const form = el('form', { class: 'sign-in', onsubmit: async (event) => {
    event.preventDefault();
    const typed = input.value.trim();
    input.value = '';
    const shownAs = /^[0-9]{11}$/.test(typed) ? `${typed.slice(0, 6)}*****` : typed;
    try {
      const cases = await api('/api/v1/status', { method: 'POST', body: { person_or_case: typed } });
      say('');
      results.replaceChildren(
        el('h2', {}, `Saker for ${shownAs}`),
        cases.length
          ? table(['Sak', 'Område', 'Hos enhet', 'Status', 'Siden', 'Venter på', 'Frist', 'Hvem har den'],
            cases.map((c) => el('tr', {},
              el('td', {}, c.case_id), el('td', {}, c.area),
              el('td', {}, `${c.unit}${c.unit_name ? ` ${c.unit_name}` : ''}`),
              el('td', {}, STATUSES[c.status] || c.status),
              el('td', {}, date(c.since)),
              el('td', {}, c.awaiting_from?.length
                ? `${c.awaiting_from.map((p) => PARTIES[p] || p).join(', ')} (siden ${date(c.awaiting_since)})` : '–'),
              el('td', {}, `${c.due || '–'}${c.overdue ? ' (over fristen)' : ''}`),
              el('td', {}, c.holders?.length ? c.holders.join(', ') : 'ingen ennå'))))
          : el('p', {}, 'Ingen saker funnet.'));
    } catch (error) {
      results.replaceChildren();
      fail(error);
    }
  } },
  el('label', { for: 'person' }, 'Fødselsnummer eller saksnummer'),
  el('p', { id: 'person-hint', class: 'hint' },
    'Viser hvor sakene er og hva de venter på, uten innholdet. Nummeret vises maskert etter søket, og oppslaget logges.'),
  input,
  el('button', { class: 'primary', type: 'submit' }, 'Søk'));
  show('Status for innbygger', form, results);
  input.focus();
}

// ---- the mail room: intake now, batches, the quarantine, each unit's desk ----

function fileName(path) {
  return (path || '').split('/').pop();
}

async function quarantineAction(entry, verb, body) {
  try {
    const done = await api(`/api/v1/quarantine/${encodeURIComponent(entry.id)}/${verb}`, { method: 'POST', body });
    await showMailRoom();
    say(verb === 'retry'
      ? (done.status === 'retried' ? `Tatt inn på nytt: ${done.resolution}` : `Avvist igjen: ${done.reason}`)
      : 'Frigitt til manuell journalføring.', 'info');
  } catch (error) {
    fail(error);
  }
}

function quarantineRow(entry, preview) {
  const reason = el('input', { id: `why-${entry.id}`, 'aria-label': `Begrunnelse for å frigi ${fileName(entry.file)}` });
  return el('tr', {},
    el('td', {}, fileName(entry.file), entry.page ? `, side ${entry.page}` : ' (hele filen)'),
    el('td', {}, entry.batch),
    el('td', {}, entry.reason),
    el('td', {}, date(entry.time)),
    el('td', { class: 'actions' },
      el('button', { class: 'action', type: 'button', onclick: () => {
        const content = `/api/v1/quarantine/${encodeURIComponent(entry.id)}/content`;
        const image = el('img', { class: 'quarantine-image', src: `/api/v1/quarantine/${encodeURIComponent(entry.id)}/image`,
          alt: `Avvist side fra ${fileName(entry.file)}` });
        // A file that is no image (a PDF, a damaged file) is offered for download instead.
        image.addEventListener('error', () => image.replaceWith(el('p', {},
          'Kan ikke vises som bilde her. ', el('a', { href: content, download: fileName(entry.file) }, 'Last ned filen'))));
        preview.replaceChildren(el('h3', {}, `${fileName(entry.file)}: ${entry.reason}`), image);
      } }, 'Vis'),
      el('button', { class: 'action', type: 'button', onclick: () => quarantineAction(entry, 'retry') }, 'Prøv igjen'),
      reason,
      el('button', { class: 'action', type: 'button', onclick: () => {
        if (!reason.value.trim()) {
          say('Skriv en begrunnelse før du frigir.');
          reason.focus();
          return;
        }
        quarantineAction(entry, 'release', { reason: reason.value.trim() });
      } }, 'Frigi')));
}

let mailRoomTimer = null;

async function showMailRoom() {
  clearTimeout(mailRoomTimer);
  try {
    const [intake, batches, held, stats] = await Promise.all([
      api('/api/v1/intake'), api('/api/v1/batches'), api('/api/v1/quarantine'), api('/api/v1/statistics'),
    ]);
    const now = intake.batch_in_hand
      ? el('p', {}, `Tar inn ${intake.batch_in_hand}: ${intake.pages_in_hand} sider så langt, ${intake.pages_per_second.toFixed(1)} sider/s. `,
        `${intake.batches_waiting - 1} parti(er) venter i innkurven.`)
      : el('p', {}, intake.inbox ? `Ingenting under inntak nå. ${intake.batches_waiting} parti(er) i innkurven.` : 'Serveren har ingen innkurv.');
    const preview = el('div', { class: 'preview', 'aria-live': 'polite' });
    const units = Object.entries(stats.units || {});
    show('Postrom',
      section('Inntak nå', now),
      section('Partier', batches.length
        ? table(['Parti', 'Opprettet', 'Filer', 'Sider', 'Kjøringer', 'Status', 'Avstemming'], batches.slice().reverse().map((b) =>
          el('tr', {}, el('td', {}, b.id), el('td', {}, b.created_at.replace('T', ' ').slice(0, 16)), el('td', {}, b.files),
            el('td', {}, b.pages), el('td', {}, b.runs), el('td', {}, b.complete ? 'ferdig' : 'under inntak'),
            el('td', {}, el('a', { href: `#/avstemming/${encodeURIComponent(b.id)}` }, 'Vis')))))
        : el('p', {}, 'Ingen partier ennå.')),
      section('Karantene', held.length
        ? table(['Fil', 'Parti', 'Årsak', 'Dato', 'Handling'], held.map((q) => quarantineRow(q, preview)))
        : el('p', {}, 'Ingenting i karantene.'), preview),
      section('Enhetenes benk', units.length
        ? table(['Enhet', 'Klar til avgjørelse', 'Venter på dokumentasjon', 'Over fristen'], units.map(([unit, u]) =>
          el('tr', {}, el('td', {}, unit), el('td', {}, u.decision_backlog), el('td', {}, u.cases_awaiting_documentation), el('td', {}, u.cases_overdue))))
        : el('p', {}, 'Ingen saker.')));
    if (intake.batch_in_hand && location.hash === '#/postrom') mailRoomTimer = setTimeout(showMailRoom, 5000);
  } catch (error) {
    show('Postrom');
    fail(error);
  }
}

async function showReconciliation(batch) {
  try {
    const r = await api(`/api/v1/batches/${encodeURIComponent(batch)}/reconciliation`);
    const STATES = { journaled: 'journalført', blank: 'blank', cover_sheet: 'forside', separator: 'skilleark',
      duplicate: 'duplikat', quarantined: 'i karantene', released: 'frigitt', retried: 'tatt inn på nytt', missing: 'mangler' };
    show(`Avstemming av ${r.batch}`,
      el('p', {}, r.balanced ? 'Hver side er gjort rede for.' : 'Ikke i balanse: se det som mangler.'),
      table(['Utfall', 'Sider'], Object.entries(r.counts).map(([k, n]) => el('tr', {}, el('td', {}, STATES[k] || k), el('td', {}, n)))),
      r.missing.length ? section('Mangler', table(['Fil', 'Side'], r.missing.map((a) => el('tr', {}, el('td', {}, fileName(a.file)), el('td', {}, a.page))))) : null,
      r.manifest_problems.length ? section('Avvik fra manifestet', el('ul', {}, r.manifest_problems.map((p) => el('li', {}, p)))) : null,
      el('p', {}, el('a', { href: '#/postrom' }, 'Tilbake til postrommet')));
  } catch (error) {
    show('Avstemming');
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
  const [, view, id] = location.hash.split('/');
  switch (view) {
    case 'sak':
      await showCase(decodeURIComponent(id || ''));
      break;
    case 'status':
      showStatusSearch();
      break;
    case 'postrom':
      await showMailRoom();
      break;
    case 'avstemming':
      await showReconciliation(decodeURIComponent(id || ''));
      break;
    case 'kontorbenk':
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
