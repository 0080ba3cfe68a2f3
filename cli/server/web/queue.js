// Kontorbenk: the unit's open tasks, oldest first, read from the server fifty at a time
// with the filters applied there, so that a queue of thousands stays quick.

import { apiList, api, state } from './api.js';
import { PAGE_SIZE, el, fail, pager, say, show } from './page.js';
import { KIND_LABELS, ageInDays, taskText } from './words.js';

const view = { kind: '', who: 'all', page: 0 };

export function resetQueue() {
  view.page = 0;
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
  if (task.kind === 'manual_journaling' && task.document_id)
    actions.push(el('a', { class: 'action', href: `#/journalforing/${encodeURIComponent(task.document_id)}` }, 'Journalfør'));
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

function filters() {
  const refilter = (key) => (event) => { view[key] = event.target.value; view.page = 0; showQueue(); };
  const kindSelect = el('select', { id: 'filter-kind', onchange: refilter('kind') },
    el('option', { value: '' }, 'Alle typer'),
    Object.entries(KIND_LABELS).map(([k, label]) => el('option', { value: k, selected: k === view.kind }, label)));
  const whoSelect = el('select', { id: 'filter-who', onchange: refilter('who') },
    [['all', 'Alle'], ['free', 'Ledige'], ['mine', 'Mine oppgaver']].map(([value, label]) =>
      el('option', { value, selected: value === view.who }, label)));
  return el('div', { class: 'filters' },
    el('div', {}, el('label', { for: 'filter-kind' }, 'Type'), kindSelect),
    el('div', {}, el('label', { for: 'filter-who' }, 'Vis'), whoSelect));
}

export async function showQueue() {
  const title = `Kontorbenk for enhet ${state.session.unit}`;
  const query = new URLSearchParams({ unit: state.session.unit, offset: view.page * PAGE_SIZE, limit: PAGE_SIZE });
  if (view.kind) query.set('kind', view.kind);
  if (view.who === 'mine') query.set('mine', 'true');
  if (view.who === 'free') query.set('free', 'true');
  try {
    const { items, total } = await apiList(`/api/v1/tasks?${query}`);
    if (!items.length && view.page > 0) {  // the last page emptied: show the one before
      view.page -= 1;
      await showQueue();
      return;
    }
    const body = total
      ? [el('table', {},
        el('caption', { class: 'hint' }, 'Eldste først'),
        el('thead', {}, el('tr', {}, ['Type', 'Sak', 'Alder', 'Hva', 'Holdes av', 'Handling'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, items.map(taskRow))), pager(view, total, showQueue, 'oppgaver')]
      : [el('p', {}, 'Ingen åpne oppgaver her.')];
    show(title, filters(), ...body);
  } catch (error) {
    show(title);
    fail(error);
  }
}
