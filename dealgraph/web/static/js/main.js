// The application shell: sign-in, language switch, routing between the pipeline, one map, My work,
// the team's activity and our people.
import { ApiError, SignInNeeded, canWrite, gql, isAdmin, lastUser, me, setToken, signedInAs, teamMembers, token } from './api.js';
import { bannersUp, h, keep, loading, notice, noticeLeft, putBack, select, typedIn } from './dom.js';
import { lang, languages, said, say, setLang, setVocabulary, t } from './i18n.js';
import { newDeal } from './newdeal.js';
import { leaveMap, showOpportunity } from './opportunity.js';
import { showActivity } from './activity.js';
import { ownerOutside, pipelineView } from './pipeline.js';
import { here, navigated } from './nav.js';
import { showPeople } from './people.js';
import { showWork } from './work.js';

const main = document.getElementById('main');
const header = document.getElementById('top');

// the deals a page at a time; with the first, the overview of them all (``$more`` on the others)
const PIPELINE = `query Pipeline($after: String, $more: Boolean = false) {
  opportunities(first: 100, after: $after, orderBy: STAGE) { pageInfo { hasNextPage endCursor } nodes {
    id name stage grade amount currency expectedCloseDate stageEnteredAt createdAt customer { id name } team { member { id name title email } role }
    assessment { winLikelihood { value } } analysis { redFlags { code severity } } health { status reasons { text } } } }
  pipeline @skip(if: $more) { total gateCompliant gateComplianceRate violationsByRule { rule label count responded opportunityIds } } }`;

/** Every deal the person may see, and the API's summary of them (read with the first page). */
async function pipelineDeals() {
  const first = await gql(PIPELINE);
  const deals = [...first.opportunities.nodes];
  let { hasNextPage, endCursor } = first.opportunities.pageInfo;
  while (hasNextPage) {
    const next = (await gql(PIPELINE, { after: endCursor, more: true })).opportunities;
    deals.push(...next.nodes);
    ({ hasNextPage, endCursor } = next.pageInfo);
  }
  return { deals, summary: first.pipeline };
}

function renderHeader() {
  document.documentElement.lang = lang();
  document.title = t('title');
  const languageSelect = select({ id: 'language', 'aria-label': t('language'), onchange: async (e) => {
    const kept = typedIn(); // what was typed stays: only the words around it change
    const banners = bannersUp(); // and what the page was saying, said again in the new language
    setLang(e.target.value);
    await route();
    await putBack(kept);
    sayAgain(banners);
  } }, languages(), lang());
  header.replaceChildren(...[
    h('a', { href: '/app', class: 'brand', 'data-link': true }, 'dealgraph'),
    // before anyone signed in there is nowhere to go but the sign-in form
    token() ? h('nav', {}, h('a', { href: '/app', 'data-link': true }, t('pipeline')), h('a', { href: '/app/work', 'data-link': true, id: 'nav-work' }, t('myWork')),
      h('a', { href: '/app/activity', 'data-link': true, id: 'nav-activity' }, t('teamActivity')),
      // everyone may read who is on our team; the link is where an administrator manages them
      isAdmin() ? h('a', { href: '/app/people', 'data-link': true, id: 'nav-people' }, t('ourPeople')) : null) : null,
    h('label', { class: 'lang' }, `${t('language')} `, languageSelect),
    // who is signed in: on a shared screen, whose work the page is showing
    token() && signedInAs() ? h('span', { id: 'signed-in-as', class: 'who', title: t('signedInAs', { name: signedInAs() }) }, signedInAs()) : null,
    token() ? h('button', { type: 'button', id: 'sign-out', onclick: () => { endedSession = false; setToken(null); history.pushState(null, '', '/app'); route(); } }, t('signOut')) : null,
  ].filter(Boolean));
}

function signIn(message) {
  renderHeader();
  const input = h('input', { type: 'password', id: 'token', name: 'token', autocomplete: 'current-password', required: true, 'aria-describedby': 'token-help' });
  const error = h('p', { class: 'field-error', role: 'alert', hidden: !message }, message ?? '');
  const form = h('form', { id: 'sign-in', class: 'card sign-in', onsubmit: async (event) => {
    event.preventDefault();
    setToken(input.value.trim());
    const button = form.querySelector('button[type=submit]');
    const waiting = loading();
    button.disabled = true; error.hidden = true; form.append(waiting);
    try { const who = await me(); endedSession = false; if (!resumed(who)) route(); } catch (e) {
      if (e instanceof SignInNeeded) { error.hidden = false; error.textContent = t('tokenWrong'); input.focus(); } else fail(e);
    } finally { button.disabled = false; waiting.remove(); }
  } },
  h('h1', {}, t('signIn')),
  h('label', { for: 'token' }, t('tokenLabel')), input,
  h('p', { id: 'token-help', class: 'help' }, t('tokenHelp')), error,
  h('button', { type: 'submit' }, t('signIn')));
  main.replaceChildren(form);
  input.focus();
}

/** Why the user was signed out, said on the sign-in form until they sign in again (a second
 * request refused with the same token must not blank it). */
let endedSession = false;

/** The page a session ended on while the user was filling in a form, with who they were:
 * signing in again as the same user brings it back as it was, what they typed included. */
let interrupted = null;

/** Bring back the interrupted page if the same user signed in again on it; tell them to send
 * the form again (it was refused). */
function resumed(who) {
  const page = interrupted;
  interrupted = null;
  if (!page || page.userId !== who.userId || page.path !== location.pathname) return false;
  renderHeader();
  main.replaceChildren(...page.nodes);
  window.dispatchEvent(new Event('resize')); // a map redraws in its container again
  notice(said('signedInAgain'), 'help');
  return true;
}

export function fail(error) {
  if (error instanceof SignInNeeded) {
    const typing = [...main.querySelectorAll('form:not(#sign-in) textarea, form:not(#sign-in) input:not([type=hidden])')].some((e) => e.value && e.value !== e.defaultValue);
    if (typing && lastUser() && !interrupted) interrupted = { userId: lastUser(), path: location.pathname, nodes: [...main.childNodes] };
    endedSession = true; signIn(t('sessionEnded')); return;
  }
  // kept by its source (the API's message in both languages, or a text of ours)
  const text = error instanceof ApiError ? error.said : error instanceof TypeError ? said('networkError') : String(error);
  failure(said('errorGeneric', { m: text }));
  console.error(error);
}

/** The page's error banner, saying ``text`` (a source: said again after a language switch). */
function failure(text) {
  // one message at a time, where the user looks, and one they can dismiss
  main.querySelectorAll(':scope > .banner.error, :scope > .loading').forEach((old) => old.remove());
  const banner = h('p', { class: 'banner error', role: 'alert' }, say(text), ' ',
    h('button', { type: 'button', class: 'dismiss', 'aria-label': t('close'), onclick: () => banner.remove() }, '×'));
  main.prepend(banner);
  // a page that never came (the server or the store did not answer): offer to ask again (a
  // language switch asks again anyway: its own answer says whether it came this time)
  const never = main.childElementCount === 1;
  if (!never) keep(banner, text, { failure: true });
  if (never) banner.insertBefore(h('button', { type: 'button', class: 'retry', onclick: () => { main.replaceChildren(loading()); route(); } }, t('tryAgain')), banner.lastChild);
  banner.scrollIntoView({ block: 'nearest' });
}

/** Show again, in the language now, the banners a language switch found up (``bannersUp``):
 * the error banner unless drawing the page anew raised one of its own, the notice where the new
 * page has its box. */
function sayAgain(banners) {
  for (const b of banners) {
    if (!b.failure) notice(b.said, b.kind, { opening: b.opening });
    else if (!main.querySelector(':scope > .banner.error')) failure(b.said);
  }
}

async function showPipeline() {
  const current = here();
  main.replaceChildren(loading());
  const { deals, summary } = await pipelineDeals();
  const who = await me();
  const people = ownerOutside(deals) ? await teamMembers() : [];
  if (!current()) return; // the person went elsewhere meanwhile
  const none = !who.seesEverything && !who.teamMember ? t('notLinked') : t('noDeals');
  // a deal is made for someone's team: a login linked to nobody could never see it again
  const starts = canWrite() && (who.seesEverything || who.teamMember) ? newDeal(openNew) : [];
  main.replaceChildren(h('div', { class: 'page-head' }, h('h1', {}, t('pipeline')), starts[0]),
    h('div', { id: 'notice', class: 'notice inline', role: 'status', 'aria-live': 'polite' }), ...starts.slice(1),
    deals.length ? pipelineView(deals, people, summary) : h('p', { id: 'no-deals' }, none));
}

/** Go to a deal just created, and say what to do first there. */
async function openNew(deal) {
  history.pushState(null, '', `/app/opportunities/${encodeURIComponent(deal.id)}`);
  await route();
  notice(said('dealCreated', { name: deal.name }), 'ok', { opening: true });
}

let vocabularyLang = null;
export async function route() {
  navigated();
  const current = here();
  if (!token()) { leaveMap(); signIn(endedSession ? t('sessionEnded') : undefined); return; }
  renderHeader();
  // the first page, or the one after signing in: nothing of it can show before these answers
  if (!main.childElementCount || main.querySelector('#sign-in')) main.replaceChildren(loading());
  try {
    if (vocabularyLang !== lang()) {
      setVocabulary((await gql('query V($l: String) { vocabulary(locale: $l) { name values { value labelEn labelZh } } }', { l: lang() })).vocabulary);
      vocabularyLang = lang();
    }
    await me();
    if (!current()) return; // a later navigation draws its own page
    // who signed in is known now: their name, and the links their role has
    if (isAdmin() !== Boolean(header.querySelector('#nav-people')) || header.querySelector('#signed-in-as')?.textContent !== signedInAs()) renderHeader();
    const match = location.pathname.match(/^\/app\/opportunities\/([^/]+)$/);
    if (match) await showOpportunity(main, decodeURIComponent(match[1]));
    else if (location.pathname === '/app/work') { leaveMap(); await showWork(main); }
    else if (location.pathname === '/app/activity') { leaveMap(); await showActivity(main); }
    else if (location.pathname === '/app/people') { leaveMap(); await showPeople(main); }
    else { leaveMap(); await showPipeline(); }
    if (current()) noticeLeft();
  } catch (error) { fail(error); }
}

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-link]');
  if (!link || event.ctrlKey || event.metaKey || event.button !== 0) return;
  event.preventDefault();
  history.pushState(null, '', link.getAttribute('href'));
  route();
});
window.addEventListener('popstate', route);
// The browser words its own refusal of a field ("Please fill out this field.") in its language,
// not the page's: a Chinese page says it in Chinese, and an edit clears it.
document.addEventListener('invalid', (event) => {
  const field = event.target;
  const v = field.validity;
  const dated = field.type === 'date';
  const key = v.valueMissing ? 'fieldRequired' : v.rangeUnderflow ? (dated ? 'fieldTooEarly' : 'fieldTooLow')
    : v.rangeOverflow ? (dated ? 'fieldTooLate' : 'fieldTooHigh') : v.typeMismatch ? 'fieldMistyped' : null;
  if (key) field.setCustomValidity(t(key, { min: field.min, max: field.max }));
}, true);
for (const kind of ['input', 'change']) document.addEventListener(kind, (event) => event.target.setCustomValidity?.(''), true);
// a role changed while signed in: the page drawn again for the role now held, and why
window.addEventListener('dealgraph:roles-changed', async () => { await route(); notice(said('roleChanged'), 'help'); });
// a failure inside an event handler (a click, a form) lands here: 401 → sign-in, else a banner
window.addEventListener('unhandledrejection', (event) => { event.preventDefault(); fail(event.reason); });
route();
