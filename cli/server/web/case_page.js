// The case page: checklist (what has come, what is missing and from whom, by when),
// documents as thumbnails with a page viewer, open tasks, letters and cover sheets to
// print, and the case's history.

import { api } from './api.js';
import { date, el, fail, section, show, table } from './page.js';
import { KIND_LABELS, PARTIES, STATUSES, STEPS, taskText } from './words.js';
import { openViewer } from './viewer.js';

export async function showCase(id) {
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
