// The mail room: intake now, the batches and their reconciliation, the quarantine with
// each refused page's image, and each unit's desk.

import { api } from './api.js';
import { date, el, fail, fileName, say, section, show, table } from './page.js';

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

export async function showMailRoom() {
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

export async function showReconciliation(batch) {
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
