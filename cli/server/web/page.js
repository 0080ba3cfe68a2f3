// Page furniture: building elements, the message line, headings, tables.

import { explain } from './api.js';

export function el(tag, attrs = {}, ...children) {
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

export function say(text, kind = 'error') {
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

export function fail(error) {
  const text = explain(error);
  if (text) say(text);
}

export function show(title, ...content) {
  const main = document.getElementById('main');
  main.replaceChildren(el('h1', {}, title), ...content);
  document.title = `${title} – Postmottak`;
}

export function date(iso) {
  return iso ? iso.slice(0, 10) : '';
}

export function section(title, ...content) {
  return el('section', { 'aria-labelledby': `h-${title}` }, el('h2', { id: `h-${title}` }, title), ...content);
}

export function table(headers, rows) {
  return el('table', {},
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows));
}

export function fileName(path) {
  return (path || '').split('/').pop();
}

// Lists are read from the server a page at a time, whatever the store holds.
export const PAGE_SIZE = 50;

// The pager under such a list: `view.page` is the page shown (from 0), `reload` shows
// another; `counted` names what the total counts ("oppgaver"), if it is to be shown.
export function pager(view, total, reload, counted = '') {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const go = (delta) => { view.page += delta; reload(); };
  return el('div', { class: 'pager' },
    el('button', { class: 'action', type: 'button', disabled: view.page === 0, onclick: () => go(-1) }, 'Forrige'),
    el('span', {}, `Side ${view.page + 1} av ${pages}${counted ? ` (${total} ${counted})` : ''}`),
    el('button', { class: 'action', type: 'button', disabled: view.page + 1 >= pages, onclick: () => go(1) }, 'Neste'));
}
