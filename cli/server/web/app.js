// The workbench: pages for caseworkers, the intake unit and the mail room, in bokmål. A
// client of /api/v1 like any case system, in plain modern JavaScript modules (no
// library, nothing from a CDN). This module signs in and out and routes between pages.

import { api, state, whenSignedOut, SignedOut } from './api.js';
import { el, fail, say, show } from './page.js';
import { showQueue, resetQueue } from './queue.js';
import { showCase } from './case_page.js';
import { showStatusSearch } from './status.js';
import { showMailRoom, showReconciliation } from './mail_room.js';
import { leaveJournaling, showJournaling, showJournalingQueue } from './journaling.js';

function showWho() {
  const signedIn = Boolean(state.session);
  document.getElementById('who').hidden = !signedIn;
  document.getElementById('nav').hidden = !signedIn;
  if (!signedIn) return;
  document.getElementById('who-name').textContent = state.session.principal;
  document.getElementById('who-unit').textContent = `Enhet ${state.session.unit}`;
  for (const link of document.querySelectorAll('#nav a')) {
    const here = location.hash.split('/').slice(0, 2).join('/') || '#/kontorbenk';
    if (link.getAttribute('href') === here) link.setAttribute('aria-current', 'page');
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

whenSignedOut(showSignIn);

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
  leaveJournaling();
  const [, view, id] = location.hash.split('/');
  switch (view) {
    case 'sak':
      await showCase(decodeURIComponent(id || ''));
      break;
    case 'journalforing':
      if (id) await showJournaling(decodeURIComponent(id));
      else await showJournalingQueue();
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
      resetQueue();
      await showQueue();
  }
}

window.addEventListener('hashchange', () => { say(''); route(); });
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('sign-out').addEventListener('click', signOut);
  route();
});
