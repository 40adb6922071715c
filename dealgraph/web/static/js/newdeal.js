// Starting a deal from the pipeline: the customer (one the user may see, or a new one), the
// deal's name, amount, currency, expected close and grade. A new customer is made with the deal
// in one write (``opportunityCreate``'s ``customer``): a deal the API refuses leaves no customer
// behind, and the form is sent again as it stands.
import { actsAsMember, everyPage, mutate } from './api.js';
import { enumOptions, field, h, searchKey, select, showUserErrors, submitting } from './dom.js';
import { minor, moneyField, tooLarge } from './deal.js';
import { aside, isoDay, t } from './i18n.js';

const CUSTOMERS = `query Customers($after: String) { customers(first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { id name industry region } } }`;
const ERR = 'userErrors { field message code messageEn messageZh }';
const CREATE_DEAL = `mutation($input: OpportunityCreateInput!) { opportunityCreate(input: $input) { opportunity { id name } ${ERR} } }`;

/** The customer choice's value for "a new customer". */
const NEW = '';
/** From this many customers on, the choice comes with a search by name. */
const SEARCH_FROM = 8;

/** The *New deal* button and its form (closed until asked for); ``opened(deal)`` goes to the
 * new deal's map. */
export function newDeal(opened) {
  const slot = h('div', { id: 'new-deal-slot' });
  const button = h('button', { type: 'button', id: 'new-deal', 'aria-expanded': 'false', 'aria-controls': 'new-deal-slot', onclick: async () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    if (!open) { slot.replaceChildren(); return; }
    const customers = await everyPage(CUSTOMERS);
    slot.replaceChildren(dealForm(customers, opened, () => { button.setAttribute('aria-expanded', 'false'); slot.replaceChildren(); }));
    slot.querySelector('select, input')?.focus();
  } }, t('newDeal'));
  return [button, slot];
}

const customerText = (c) => `${c.name}${[c.industry, c.region].some(Boolean) ? aside([c.industry, c.region].filter(Boolean).join(' · ')) : ''}`;

const CLOSE = 'input.expectedCloseDate';

/** The last expected close date the API takes: five years from today (a later one is a year
 * mistyped, refused in the API's words). */
function closeHorizon() {
  const last = new Date();
  last.setFullYear(last.getFullYear() + 5);
  return isoDay(last);
}

/** An expected close date already past by the user's own calendar (the API refuses one past
 * everywhere, in its words), or years out: the problem with it, or none. */
function closePassed(close) {
  const problem = !close ? null : close < isoDay(new Date()) ? 'closeDatePast' : close > closeHorizon() ? 'closeDateFar' : null;
  return problem ? [{ field: CLOSE.split('.'), message: t(problem, { last: closeHorizon() }), code: 'BAD_USER_INPUT' }] : [];
}

/** What is refused before the form is sent (the API refuses the same, in one answer): a blank
 * required name, a close date already past. */
function refusals(needsCustomer, customerName, dealName, close) {
  const refused = [];
  if (needsCustomer && !customerName.trim()) refused.push({ field: ['input', 'customer', 'name'], message: t('customerNameNeeded'), code: 'BAD_USER_INPUT' });
  if (!dealName.trim()) refused.push({ field: ['input', 'name'], message: t('dealNameNeeded'), code: 'BAD_USER_INPUT' });
  return [...refused, ...closePassed(close)];
}

function dealForm(customers, opened, closed) {
  const known = [...customers].sort((x, y) => x.name.localeCompare(y.name));
  const choice = select({ id: 'new-deal-customer', onchange: () => { fresh.hidden = choice.value !== NEW; } }, [], NEW);
  /** The customers whose name holds the search text (all when none is typed), keeping the pick. */
  const offer = (text = '', prefer = choice.value) => {
    const needle = searchKey(text);
    const shown = known.filter((c) => !needle || searchKey(c.name).includes(needle));
    const picked = shown.some((c) => c.id === prefer) ? prefer : needle && shown.length ? shown[0].id : NEW;
    choice.replaceChildren(...[[NEW, t('newCustomerOption')], ...shown.map((c) => [c.id, customerText(c)])]
      .map(([value, text]) => h('option', { value, selected: value === picked }, text)));
    choice.value = picked;
    fresh.hidden = picked !== NEW;
  };
  const search = known.length >= SEARCH_FROM ? h('input', { type: 'search', id: 'new-deal-customer-search', placeholder: t('customerSearch'), 'aria-label': t('customerSearch'), 'aria-controls': 'new-deal-customer', oninput: (e) => offer(e.target.value) }) : null;
  const customer = { name: h('input', { autocomplete: 'organization' }), industry: h('input', {}), region: h('input', {}) };
  const fresh = h('fieldset', { id: 'new-customer', class: 'new-customer' }, h('legend', {}, t('newCustomer')),
    field('input.customer.name', t('customerName'), customer.name), h('div', { class: 'pair' },
      field('input.customer.industry', t('industry'), customer.industry), field('input.customer.region', t('region'), customer.region)));
  const deal = {
    name: h('input', {}),
    amount: h('input', { type: 'number', min: 0, step: '0.01', inputmode: 'decimal' }),
    currency: h('input', { maxlength: 3, size: 4, value: 'CNY', autocapitalize: 'characters' }),
    // a day already past is greyed out in the picker, and said at once when typed
    expectedCloseDate: h('input', { type: 'date', min: isoDay(new Date()), max: closeHorizon(), oninput: (e) => showUserErrors(form, closePassed(e.target.value), CLOSE) }),
    grade: select({}, enumOptions('Grade'), 'C'),
  };
  offer();
  const form = h('form', { id: 'new-deal-form', class: 'card new-deal', novalidate: true, onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const refused = [...refusals(choice.value === NEW, customer.name.value, deal.name.value, deal.expectedCloseDate.value),
      ...tooLarge({ amount: deal.amount.value }, deal.currency.value.trim().toUpperCase() || null)];
    if (refused.length) { showUserErrors(form, refused); return; }
    const whose = choice.value === NEW
      ? { customer: { name: customer.name.value.trim(), industry: customer.industry.value.trim() || null, region: customer.region.value.trim() || null } }
      : { customerId: choice.value };
    const payload = await mutate(CREATE_DEAL, { input: {
      ...whose, name: deal.name.value.trim(), amount: minor(deal.amount.value),
      currency: deal.currency.value.trim().toUpperCase() || null, expectedCloseDate: deal.expectedCloseDate.value || null, grade: deal.grade.value } });
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await opened(payload.opportunity);
  }); } },
  h('h2', {}, t('newDealTitle')), h('p', { class: 'help' }, t(actsAsMember() ? 'newDealHelp' : 'newDealHelpUnlinked')),
  h('div', { class: 'field' }, h('label', { for: 'new-deal-customer' }, t('customer')), search, choice), fresh,
  field('input.name', t('dealName'), deal.name),
  h('div', { class: 'pair' }, moneyField('input.amount', t('deal_amount'), deal.amount, deal.currency), field('input.currency', t('deal_currency'), deal.currency)),
  h('div', { class: 'pair' }, field('input.expectedCloseDate', t('deal_expectedCloseDate'), deal.expectedCloseDate), field('input.grade', t('grade'), deal.grade)),
  h('div', { class: 'row' }, h('button', { type: 'submit' }, t('createDeal')), h('button', { type: 'button', onclick: closed }, t('cancel'))));
  choice.dataset.field = 'input.customerId';

  return form;
}
