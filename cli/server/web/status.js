// Status for the local office: where a person's cases are and what they wait for,
// without their content.

import { api } from './api.js';
import { date, el, fail, say, show, table } from './page.js';
import { PARTIES, STATUSES } from './words.js';

export function showStatusSearch() {
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
