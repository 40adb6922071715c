// A tiny element builder: text goes in as text (never as HTML), so names from the data are safe;
// and the few pieces every form of the page is made of.
import { ApiError } from './api.js';
import { enumValues, label, labelled, say, t } from './i18n.js';

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'value') el.value = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A <select> over [value, text] pairs. */
export function select(attrs, options, selected) {
  return h('select', attrs, options.map(([value, text]) => h('option', { value, selected: value === selected }, text)));
}

/** Show the userErrors of a mutation next to the inputs they name (data-field="input.name"),
 * in place of those shown before; with ``only`` (a field's path) in place of that field's
 * alone, the others left as they are (a check made as the user types). */
export function showUserErrors(form, errors, only = null) {
  const at = only ? `[data-for="${CSS.escape(only)}"]` : '';
  form.querySelectorAll(`.field-error${at}`).forEach((e) => e.remove());
  form.querySelectorAll(only ? `[data-field="${CSS.escape(only)}"][aria-invalid]` : '[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  for (const error of errors) {
    const path = error.field.join('.');
    let anchor = null;
    for (let n = error.field.length; n > 0 && !anchor; n -= 1) {
      anchor = form.querySelector(`[data-field="${CSS.escape(error.field.slice(0, n).join('.'))}"]`);
    }
    const note = h('p', { class: 'field-error', role: 'alert', dataset: { for: path, code: error.code } }, error.message);
    if (anchor) {
      anchor.setAttribute('aria-invalid', 'true');
      anchor.after(note);
      // Edited, the field no longer shows the refusal of what it held; a check the field runs
      // on its own input has put a note of its own there by then (this one is gone).
      anchor.addEventListener('input', () => {
        if (!note.isConnected) return;
        note.remove();
        anchor.removeAttribute('aria-invalid');
      }, { once: true });
    } else form.prepend(note);
  }
}

/** A text as a search compares it: letter case, full-width letters and digits (what a Chinese
 * input method types in its full-width mode) and runs of spaces do not matter. */
export const searchKey = (text) => (text ?? '').normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/** A day as the API writes it (2026-12-02), kept on one line: a narrow card or a phone would
 * otherwise break it at a hyphen. */
export const day = (text) => h('span', { class: 'day' }, text);

/** A text of the API's (a violation's message) with each day in it kept on one line. */
export const withDays = (text) => (text ?? '').split(/(\d{4}-\d{2}-\d{2})/).map((piece, i) => (i % 2 ? day(piece) : piece)).filter((piece) => piece !== '');

/** Offer a file for download. */
export function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** An input with its label; ``name`` is the input path its userErrors name (input.summary). */
export function field(name, text, input) {
  input.dataset.field = name;
  input.id ||= `f-${name.replaceAll('.', '-')}-${Math.random().toString(36).slice(2, 7)}`;
  return h('div', { class: 'field' }, h('label', { for: input.id }, text), input);
}

/** An enum's values with their labels in the page's language, for a select. */
export const enumOptions = (name) => enumValues(name).map((v) => [v, label(name, v)]);

const SLOW_MS = 5000;
/** A "Loading…" line that says, once the server has kept it waiting a while, that it is still
 * waiting and why that may be (a store that hangs is answered only at the request's deadline). */
export function loading() {
  const line = h('p', { class: 'loading', role: 'status' }, t('loading'));
  setTimeout(() => { if (line.isConnected) line.textContent = t('stillLoading'); }, SLOW_MS);
  return line;
}

/** Run a form's submission with its button disabled; a refusal of the whole request shows on
 * the form. A save the server keeps waiting says so beside the button after a while, as a page
 * does (``loading``): a disabled button alone reads as a page that froze. */
export async function submitting(form, run) {
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  const waiting = h('p', { class: 'loading saving', role: 'status' }, t('stillSaving'));
  // below the button's row (a Cancel beside it stays there)
  const slow = setTimeout(() => { if (button.isConnected) (button.closest('.row') ?? button).after(waiting); }, SLOW_MS);
  try { await run(); } catch (error) {
    if (error instanceof ApiError) showUserErrors(form, [{ field: [], message: error.message, code: error.code }]); else throw error;
  } finally { clearTimeout(slow); waiting.remove(); button.disabled = false; }
}

/** Cells that name their column, so that a phone can show a row as a card of "column: value"
 * lines (app.css, ``table.stacked``) rather than a table wider than the screen. */
export function stacked(cells, heads) {
  cells.forEach((cell, i) => { if (i > 0 && heads[i]) cell.dataset.label = labelled(heads[i], ''); });
  return cells;
}

/** Say what happened in the page's notice box (``#notice``): a confirmation ('ok') goes after a
 * few seconds; a refusal ('error') or an instruction ('help') stays until closed or replaced.
 * ``opening``: said as the page opens, of what brought the user there (a deal just created): it
 * takes its place in the page's flow above the content rather than floating over a panel the
 * user is about to read, and stays until closed or replaced (the page does not jump later). */
export function notice(text, kind = 'ok', { opening = false } = {}) {
  const box = document.getElementById('notice');
  if (!box) return;
  const close = () => { banner.remove(); box.classList.remove('opening'); moved(); };
  // a day in it stays whole on a narrow screen
  const banner = h('p', { class: `banner ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...withDays(say(text)),
    kind === 'ok' && !opening ? null : h('button', { type: 'button', class: 'dismiss', 'aria-label': t('close'), onclick: close }, '×'));
  keep(banner, text, { kind, opening });
  const was = box.classList.contains('opening');
  box.classList.toggle('opening', opening);
  box.replaceChildren(banner);
  if (was || opening) moved();
  if (kind === 'ok' && !opening) setTimeout(() => banner.remove(), 6000);
}
/** Take down whatever the notice box says: the page changed since, so it no longer holds. */
export function clearNotice() {
  const box = document.getElementById('notice');
  if (!box?.firstChild) return;
  const was = box.classList.contains('opening');
  box.classList.remove('opening');
  box.replaceChildren();
  if (was) moved();
}
/** Keep a banner's text by its source (``said``, ``saidBoth``), and how it was shown, for
 * ``bannersUp``; one said as a plain string is not kept. */
export function keep(banner, text, how) {
  if (typeof text === 'function') Object.assign(banner, { said: text, shown: how });
}

/** The banners up now whose text is kept by its source, each with how it was shown: a language
 * switch draws the page anew and shows them again, said in the new language. */
export const bannersUp = () => [...document.querySelectorAll('.banner')].filter((b) => b.said).map((b) => ({ said: b.said, ...b.shown }));

/** The page's content moved up or down (a notice in its flow came or went): a canvas below it
 * (the map) measures where it is again, or a click would land beside what it points at. */
const moved = () => window.dispatchEvent(new Event('resize'));

/** What the person typed or picked in the page's forms (each control named by its form's id
 * and its field), and which cards were open: a language switch draws the page anew, and must
 * not throw that away. */
export function typedIn(root = document) {
  const changed = (el) => (el.type === 'checkbox' || el.type === 'radio' ? el.checked !== el.defaultChecked
    : el.tagName === 'SELECT' ? [...el.options].some((o) => o.selected !== o.defaultSelected) : el.value !== el.defaultValue);
  const fields = [...root.querySelectorAll('form[id] [data-field], form[id] input[type=checkbox], form[id] input[type=radio]')].filter((el) => 'value' in el && changed(el))
    .map((el) => ({ form: el.form?.id ?? el.closest('form').id, field: el.dataset.field ?? null, value: el.value, checked: el.checked, type: el.type }));
  return { fields, open: [...root.querySelectorAll('details[id][open]')].map((d) => d.id) };
}

/** Put back what ``typedIn`` kept, as far as the new page has the same cards and fields: a
 * card opened again fills its form when its data arrive, so this tries for a few seconds. */
export async function putBack(kept) {
  kept.open.forEach((id) => { const card = document.getElementById(id); if (card && !card.open) card.open = true; });
  let left = kept.fields;
  for (let tries = 0; left.length && tries < 30; tries += 1) {
    left = left.filter((k) => {
      const form = document.getElementById(k.form);
      const el = form && (k.field ? form.querySelector(`[data-field="${CSS.escape(k.field)}"]`) : form.querySelector(`input[value="${CSS.escape(k.value)}"]`));
      if (!el) return true;
      if (k.type === 'checkbox' || k.type === 'radio') el.checked = k.checked; else el.value = k.value;
      el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
      return false;
    });
    if (left.length) await new Promise((resolve) => { setTimeout(resolve, 100); });
  }
}

let nextNotice = null;
/** A notice for the page the app goes to next: shown once that page is drawn (``route``), as
 * the page's opening word. */
export function noticeNext(text, kind = 'ok') {
  nextNotice = [text, kind];
}
/** The notice left for this page, if any (the router calls it once a page is drawn). */
export function noticeLeft() {
  if (!nextNotice) return;
  const [text, kind] = nextNotice;
  nextNotice = null;
  notice(text, kind, { opening: true });
}

/** A small "Remove" button named for what it removes (screen readers hear the name); it stays
 * disabled while ``run`` works, so one click removes once. */
export function removeButton(name, run) {
  const button = h('button', { type: 'button', class: 'remove', 'aria-label': t('removeNamed', { name }) }, t('remove'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try { await run(); } catch (error) {
      if (error instanceof ApiError) notice(error.said, 'error'); else throw error;
    } finally { button.disabled = false; }
  });
  return button;
}

/** Where the boxes of ``ids`` (those on the page) are scrolled now: how long they are, and the
 * first landmark (an element with an id of its own) that starts in view, with where it stands:
 * what ``scrollBack`` needs to put a box drawn anew back where it was read. */
export function scrolled(ids) {
  const kept = {};
  for (const box of ids.map((id) => document.getElementById(id)).filter(Boolean)) {
    const view = box.getBoundingClientRect().top;
    const mark = [...box.querySelectorAll('[id]')].find((el) => !el.id.startsWith('f-') && el.getBoundingClientRect().top >= view);
    kept[box.id] = { top: box.scrollTop, height: box.scrollHeight, mark: mark && { id: mark.id, at: mark.getBoundingClientRect().top - view } };
  }
  return kept;
}
/** Put the columns back as ``kept`` says: its landmark where it stood (what is above it may
 * have grown or shrunk), else the same scroll. What fills in a moment later (the process, the
 * contacts, a card reopened) is followed frame by frame for a few seconds, or until the person
 * scrolls: a spacer at the foot holds the length still missing, so the column neither flashes
 * to its foot nor drifts; left only as long as the view needs it. */
export function scrollBack(kept) {
  for (const [id, { top, height, mark }] of Object.entries(kept ?? {})) {
    const box = document.getElementById(id);
    if (!box || !top) continue;
    const spacer = h('div', { class: 'scroll-keep', 'aria-hidden': 'true' });
    const place = () => {
      spacer.style.height = `${Math.max(0, height - (box.scrollHeight - spacer.offsetHeight))}px`;
      const el = mark && document.getElementById(mark.id);
      box.scrollTop = el && box.contains(el) ? box.scrollTop + (el.getBoundingClientRect().top - box.getBoundingClientRect().top) - mark.at : top;
    };
    box.append(spacer);
    box.style.overflowAnchor = 'none'; // the browser's own anchoring would add what arrives above
    box.scrollTop = top;
    place();
    const until = performance.now() + 4000;
    const events = ['wheel', 'touchstart', 'keydown', 'pointerdown'];
    let going = true;
    const stop = () => {
      going = false;
      for (const kind of events) box.removeEventListener(kind, stop);
      // the spacer only as long as the view needs (a form closed by the change made it shorter)
      spacer.style.height = `${Math.max(0, box.scrollTop + box.clientHeight - (box.scrollHeight - spacer.offsetHeight))}px`;
      if (!spacer.offsetHeight) spacer.remove();
      box.style.overflowAnchor = '';
    };
    const follow = () => {
      if (!going || !box.isConnected) return;
      place();
      if (performance.now() < until) requestAnimationFrame(follow); else stop();
    };
    for (const kind of events) box.addEventListener(kind, stop, { passive: true });
    requestAnimationFrame(follow);
  }
}
