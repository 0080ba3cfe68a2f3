// A document's pages: the image, page by page, zoomable and rotatable, beside its text.

import { api } from './api.js';
import { el, fail } from './page.js';

// Shows `doc` in `into`; returns the viewer's moves, for keyboard shortcuts.
export function openViewer(doc, into, { keys = false } = {}) {
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
  const moves = {
    previous: () => { view.page = Math.max(1, view.page - 1); },
    next: () => { view.page = Math.min(pages, view.page + 1); },
    zoomIn: () => { view.zoom = Math.min(3, view.zoom + 0.25); },
    zoomOut: () => { view.zoom = Math.max(0.5, view.zoom - 0.25); },
    rotate: () => { view.turn = (view.turn + 90) % 360; },
  };
  const controller = Object.fromEntries(Object.entries(moves).map(([name, move]) => [name, () => { move(); draw(); }]));
  const button = (name, move, key) => el('button', { class: 'action', type: 'button',
    'aria-keyshortcuts': keys ? key : undefined, onclick: controller[move] }, keys ? `${name} (${key})` : name);
  const viewer = el('div', { class: 'viewer', role: 'region', 'aria-label': `Dokument ${doc.id}` },
    el('div', { class: 'viewer-tools' },
      button('Forrige side', 'previous', ','),
      label,
      button('Neste side', 'next', '.'),
      button('Zoom inn', 'zoomIn', '+'),
      button('Zoom ut', 'zoomOut', '-'),
      button('Roter', 'rotate', 'R'),
      el('a', { href: `/api/v1/documents/${encodeURIComponent(doc.id)}/pdf`, target: '_blank', rel: 'noopener' }, 'Søkbar PDF')),
    el('div', { class: 'viewer-body' },
      el('div', { class: 'page-frame', tabindex: 0, role: 'region', 'aria-label': 'Sidebilde' }, image),
      el('div', {}, el('h3', {}, 'Tekst (OCR)'), text)));
  draw();
  into.replaceChildren(viewer);
  (async () => {
    try {
      const full = doc.text !== undefined ? doc : await api(`/api/v1/documents/${encodeURIComponent(doc.id)}`);
      text.textContent = full.text || '(ingen tekst lest)';
    } catch (error) {
      fail(error);
    }
  })();
  return controller;
}
