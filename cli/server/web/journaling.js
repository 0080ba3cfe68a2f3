// Manual journaling: the documents intake would not place, one at a time. The page image
// beside what intake found in it and the candidate cases with what speaks for each; one
// action places it (or hands it on) and the next document opens by itself. Keyboard
// shortcuts let an experienced journaler place a document in seconds.

import { api, apiList, state } from './api.js';
import { PAGE_SIZE, date, el, fail, fileName, pager, say, section, show, table } from './page.js';
import { EVIDENCE, STATUSES } from './words.js';
import { openViewer } from './viewer.js';

const queue = { page: 0 };
// Documents skipped in this sitting: the next one is the oldest not skipped.
const skipped = new Set();
// The open workbench's keyboard actions; null when another page shows.
let keys = null;
let units = null;

const queuePath = (offset, limit) => `/api/v1/documents?unlinked=true&offset=${offset}&limit=${limit}`;
const documentPath = (id) => `/api/v1/documents/${encodeURIComponent(id)}`;

export function leaveJournaling() {
  keys = null;
}

// ---- the queue ----

export async function showJournalingQueue() {
  keys = null;
  const title = 'Manuell journalføring';
  try {
    const { items, total } = await apiList(queuePath(queue.page * PAGE_SIZE, PAGE_SIZE));
    if (!total) {
      show(title, el('p', {}, `Ingen dokumenter venter på journalføring i køen til enhet ${state.session.unit}.`));
      return;
    }
    show(title,
      el('p', {}, `${total} dokument${total === 1 ? '' : 'er'} venter, eldste først.`),
      el('p', {}, el('a', { class: 'button primary', href: `#/journalforing/${encodeURIComponent(items[0].id)}` },
        'Begynn med det eldste')),
      table(['Dokument', 'Mottatt', 'Fil og sider', 'Handling'], items.map((d) => el('tr', {},
        el('td', {}, d.title || 'Ukjent type'),
        el('td', {}, date(d.received_at)),
        el('td', {}, `${fileName(d.source.file)} s. ${d.source.pages.join(', ')}`),
        el('td', {}, el('a', { href: `#/journalforing/${encodeURIComponent(d.id)}`,
          'aria-label': `Journalfør ${d.title || 'dokument'} fra ${fileName(d.source.file)}` }, 'Journalfør'))))),
      pager(queue, total, showJournalingQueue));
  } catch (error) {
    show(title);
    fail(error);
  }
}

// ---- one document ----

// Why intake left it, in words, from what it found.
function whyManual(found) {
  const named = found.candidates.filter((c) => c.evidence.some((e) => e !== 'person_typed'));
  if (found.person_ids.length > 1) return 'Teksten nevner flere personer.';
  if (!found.person_ids.length && !found.case_numbers.length && !found.cover_id)
    return 'Fant verken fødselsnummer, saksnummer eller forside. Slå opp personen eller skriv saksnummeret.';
  if (named.length > 1) return `${named.length} åpne saker passer. Velg den riktige.`;
  if (!named.length) return 'Ingen åpen sak passer det som står i dokumentet.';
  return 'Maskinen var ikke sikker nok til å journalføre selv.';
}

// Only a sole candidate is chosen in advance: where several fit, a person decides, since
// a document on the wrong case is a privacy breach and one in the queue only a delay.
function candidateOption(c, i, all) {
  const id = `candidate-${i}`;
  const describe = `${id}-facts`;
  return el('li', { class: 'candidate' },
    el('input', { type: 'radio', name: 'case', id, value: c.case_id, checked: all.length === 1, 'aria-describedby': describe }),
    el('label', { for: id },
      el('span', { class: 'key' }, String(i + 1)),
      ` Sak ${c.case_id}: ${c.area_name || c.area}`),
    el('div', { id: describe, class: 'candidate-facts' },
      el('div', {}, `${c.person_name || 'Uten navn'} (${c.person_id}), enhet ${c.unit}${c.unit_name ? ` ${c.unit_name}` : ''}, `,
        `${STATUSES[c.status] || c.status} siden ${date(c.created_at)}`),
      el('div', {}, c.awaits.length ? `Venter på: ${c.awaits.map((a) => a.title).join(', ')}` : 'Venter ikke på noe'),
      el('ul', { class: 'evidence', 'aria-label': 'Hva som taler for saken' },
        c.evidence.map((e) => el('li', { class: `evidence-${e}` }, EVIDENCE[e] || e)))));
}

// Opens the next document of the queue (the oldest not skipped), or the empty queue.
async function openNext(after, message) {
  try {
    const { items } = await apiList(queuePath(0, PAGE_SIZE));
    const next = items.find((d) => d.id !== after && !skipped.has(d.id));
    if (next) {
      history.pushState(null, '', `#/journalforing/${encodeURIComponent(next.id)}`);
      await showJournaling(next.id);
    } else {
      history.pushState(null, '', '#/journalforing');
      await showJournalingQueue();
    }
    say(message + (next ? '' : ' Ingen flere dokumenter venter.'), 'info');
  } catch (error) {
    fail(error);
  }
}

async function link(documentId, caseId) {
  if (!caseId) {
    say('Velg en sak først.');
    return;
  }
  try {
    await api(`${documentPath(documentId)}/links`, { method: 'POST', body: { case_id: caseId } });
    await openNext(documentId, `Journalført på sak ${caseId}.`);
  } catch (error) {
    fail(error);
  }
}

async function handOn(documentId, unit, reason) {
  try {
    await api(`${documentPath(documentId)}/hand-on`, { method: 'POST', body: { unit, reason } });
    await openNext(documentId, `Sendt videre til enhet ${unit}.`);
  } catch (error) {
    fail(error);
  }
}

function candidatesForm(doc, found) {
  const list = found.candidates.length
    ? el('ol', { class: 'candidates' }, found.candidates.slice(0, 9).map(candidateOption))
    : el('p', {}, 'Ingen kandidatsaker ennå.');
  return el('form', { id: 'candidates', onsubmit: (event) => {
    event.preventDefault();
    link(doc.id, new FormData(event.target).get('case'));
  } },
  el('fieldset', {}, el('legend', {}, 'Velg sak (tast 1–9)'), list),
  el('button', { class: 'primary', type: 'submit', 'aria-keyshortcuts': 'J', disabled: !found.candidates.length },
    'Journalfør på valgt sak (J)'));
}

function lookUpForm(doc, redraw) {
  // The id is typed in full and sent in a POST body, never in a URL; shown masked after.
  const input = el('input', { id: 'look-up', name: 'person', inputmode: 'numeric', autocomplete: 'off',
    pattern: '[0-9]{11}', required: true, 'aria-describedby': 'look-up-hint', 'aria-keyshortcuts': 'P' });
  return el('form', { class: 'inline', onsubmit: async (event) => {
    event.preventDefault();
    const person = input.value.trim();
    input.value = '';
    try {
      await redraw(await api(`${documentPath(doc.id)}/candidates`, { method: 'POST', body: { person_id: person } }));
      say(`Slo opp ${person.slice(0, 6)}*****.`, 'info');
    } catch (error) {
      fail(error);
    }
  } },
  el('label', { for: 'look-up' }, 'Slå opp person (P)'),
  el('p', { id: 'look-up-hint', class: 'hint' }, 'Fødselsnummeret fra dokumentet, 11 siffer. Oppslaget logges.'),
  input, el('button', { class: 'action', type: 'submit' }, 'Slå opp'));
}

function caseNumberForm(doc) {
  const input = el('input', { id: 'case-number', name: 'case', autocomplete: 'off', required: true,
    pattern: '[A-Za-z0-9._\\-]{1,128}' });
  return el('form', { class: 'inline', onsubmit: (event) => {
    event.preventDefault();
    link(doc.id, input.value.trim());
  } },
  el('label', { for: 'case-number' }, 'Journalfør på saksnummer'),
  input, el('button', { class: 'action', type: 'submit' }, 'Journalfør'));
}

function handOnForm(doc) {
  const select = el('select', { id: 'hand-on-unit', required: true },
    el('option', { value: '' }, 'Velg enhet'),
    (units || []).filter((u) => u.id !== state.session.unit).map((u) => el('option', { value: u.id }, `${u.id} ${u.name}`)));
  const reason = el('input', { id: 'hand-on-reason', required: true, maxlength: 500, autocomplete: 'off' });
  return el('form', { class: 'inline', onsubmit: (event) => {
    event.preventDefault();
    handOn(doc.id, select.value, reason.value.trim());
  } },
  el('label', { for: 'hand-on-unit' }, 'Send videre til enhet'), select,
  el('label', { for: 'hand-on-reason' }, 'Begrunnelse'), reason,
  el('button', { class: 'action', type: 'submit' }, 'Send videre'));
}

const SHORTCUTS = [
  ['1–9', 'velg sak'], ['J', 'journalfør på valgt sak'], ['N', 'hopp over: neste dokument'],
  ['P', 'slå opp person'], [', og .', 'forrige og neste side'], ['+ og −', 'zoom'], ['R', 'roter'],
];

// The vendor's metadata as a journaler reads them: channel, the day the paper came,
// the number printed on it, the post box, the vendor's file name.
function vendorFacts(v) {
  return [v.channel, v.date_received && `papiret kom ${date(v.date_received)}`,
    v.endorser && `påtegning ${v.endorser}`, v.post_box && `postboks ${v.post_box}`,
    `fil ${v.external_ref}`].filter(Boolean).join(', ');
}

export async function showJournaling(id) {
  keys = null;
  try {
    const [doc, found] = await Promise.all([
      api(documentPath(id)),
      api(`${documentPath(id)}/candidates`, { method: 'POST', body: {} }),
      units ? Promise.resolve() : api('/api/v1/units').then((u) => { units = u; }),
    ]);
    const viewerSpot = el('div', { class: 'journal-viewer' });
    const candidatesSpot = el('div', { 'aria-live': 'polite' });
    const why = el('p', { class: 'why' });
    const redraw = async (suggestion) => {
      candidatesSpot.replaceChildren(candidatesForm(doc, suggestion));
      why.textContent = whyManual(suggestion);
    };
    await redraw(found);
    const facts = el('dl', { class: 'facts' },
      el('dt', {}, 'Dokumenttype'), el('dd', {}, found.document_title || 'Ukjent'),
      el('dt', {}, 'Fødselsnummer'), el('dd', {}, found.person_ids.join(', ') || 'ingen funnet'),
      el('dt', {}, 'Saksnummer'), el('dd', {}, found.case_numbers.join(', ') || 'ingen funnet'),
      el('dt', {}, 'Forside'), el('dd', {}, found.cover_id || 'ingen'),
      el('dt', {}, 'Mottatt'), el('dd', {}, `${date(doc.received_at)}, ${fileName(doc.source.file)} s. ${doc.source.pages.join(', ')}`),
      doc.vendor ? [el('dt', {}, 'Fra skanningsleverandøren'), el('dd', {}, vendorFacts(doc.vendor))] : []);
    const panel = el('div', { class: 'journal-panel' },
      section('Funnet i dokumentet', facts, why,
        el('details', {}, el('summary', {}, 'Maskinens begrunnelse'), el('p', {}, found.reason))),
      section('Kandidatsaker', candidatesSpot),
      section('Finn saken selv', lookUpForm(doc, redraw), caseNumberForm(doc)),
      section('Kan ikke journalføres her', handOnForm(doc),
        el('button', { class: 'action', type: 'button', 'aria-keyshortcuts': 'N',
          onclick: () => { skipped.add(doc.id); openNext(doc.id, 'Hoppet over.'); } }, 'Hopp over (N)')),
      el('details', { class: 'shortcuts' }, el('summary', {}, 'Hurtigtaster'),
        el('dl', {}, SHORTCUTS.map(([k, what]) => [el('dt', {}, el('kbd', {}, k)), el('dd', {}, what)]))));
    show(`Journalfør ${found.document_title || 'dokument'}`,
      el('p', {}, el('a', { href: '#/journalforing' }, 'Tilbake til køen')),
      el('div', { class: 'journal' }, section('Dokumentet', viewerSpot), panel));
    const viewer = openViewer(doc, viewerSpot, { keys: true });
    keys = {
      pick: (n) => {
        const radio = document.getElementById(`candidate-${n}`);
        if (radio) { radio.checked = true; radio.focus(); }
      },
      link: () => document.getElementById('candidates')?.requestSubmit(),
      skip: () => { skipped.add(doc.id); openNext(doc.id, 'Hoppet over.'); },
      lookUp: () => document.getElementById('look-up')?.focus(),
      viewer,
    };
  } catch (error) {
    show('Manuell journalføring', el('p', {}, el('a', { href: '#/journalforing' }, 'Tilbake til køen')));
    fail(error);
  }
}

// The workbench's shortcuts: never while typing in a field, never with a modifier.
document.addEventListener('keydown', (event) => {
  if (!keys || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest?.('input:not([type=radio]), textarea, select')) return;
  const k = event.key;
  const act = {
    j: keys.link, J: keys.link, n: keys.skip, N: keys.skip, p: keys.lookUp, P: keys.lookUp,
    ',': keys.viewer.previous, '.': keys.viewer.next, '+': keys.viewer.zoomIn, '-': keys.viewer.zoomOut,
    r: keys.viewer.rotate, R: keys.viewer.rotate,
  }[k];
  if (/^[1-9]$/.test(k)) keys.pick(Number(k) - 1);
  else if (act) act();
  else return;
  event.preventDefault();
});
