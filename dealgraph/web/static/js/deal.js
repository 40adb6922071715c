// The deal's own facts (amount, budget, quote, close date, compelling event, …), read and
// changed on the deal page: the stage gates ask for them, and a quote reworked to fit the
// budget is changed here before the delivery manager reviews it again.
import { canWrite, gql, isAdmin, mutate } from './api.js';
import { day, enumOptions, field, h, select, showUserErrors, submitting } from './dom.js';
import { label, lang, money, t } from './i18n.js';
import { CLOSED } from './pipeline.js';

const DEAL = `query Deal($id: ID!) { node(id: $id) { ... on Opportunity {
  id version name stage amount currency budget quoteAmount expectedCloseDate compellingEvent decisionProcessKnown description
  presalesCost deliveryCost deliveryRisk } } }`;
const UPDATE = `mutation($id: ID!, $input: OpportunityUpdateInput!) { opportunityUpdate(id: $id, input: $input) {
  opportunity { id version } userErrors { field message code messageEn messageZh } } }`;

/** Money is kept in minor units (fen, cents); people type it in whole units. */
const MONEY = ['amount', 'budget', 'quoteAmount', 'presalesCost', 'deliveryCost'];
const TEXT = ['compellingEvent', 'description'];

/** The unit amounts are typed in: the currency's whole units (元 for the renminbi in Chinese,
 * other currencies by their Chinese names, 美元; English says the code); a blank currency is the
 * renminbi, as the API takes it; a code the API would refuse, none. */
export const unitOf = (currency) => {
  const code = currency.trim() || 'CNY';
  // a code the API refuses (rmb, RMB, cny) names no unit: the refusal says what to type
  // (the browser's list of currencies, where it has one: close to ISO 4217's, as the API's is)
  if (!/^[A-Z]{3}$/.test(code) || !(Intl.supportedValuesOf?.('currency') ?? [code]).includes(code)) return null;
  if (code === 'CNY') return t('unitYuan');
  if (lang() !== 'zh-CN') return code;
  try {
    return new Intl.DisplayNames(['zh-CN'], { type: 'currency' }).of(code) ?? code;
  } catch {
    return code; // a browser without the names: the code is the unit
  }
};
/** A money input's field, its label saying the unit to type it in, kept to the currency as
 * typed in ``currency`` (an input): 商机金额（元）, Deal amount (USD). */
export function moneyField(name, text, input, currency) {
  const made = field(name, text, input);
  const said = made.querySelector('label');
  const say = () => { const unit = unitOf(currency.value); said.textContent = unit ? t('amountIn', { label: text, unit }) : text; };
  say();
  currency.addEventListener('input', say);
  return made;
}

const whole = (minor) => (minor == null ? '' : String(minor / 100));
export const minor = (text) => (text.trim() === '' ? null : Math.round(Number(text) * 100));
/** The largest amount the store takes (the model's 10^15 minor units), in whole units. */
const MONEY_MAX = 1e13;
/** Each typed amount over the largest the store takes, refused on its field before the API is
 * asked: such a figure is a slip of the keyboard, and one past 2^53 minor units would not even
 * reach the API as the number typed. ``typed``: input field name → the text typed. */
export const tooLarge = (typed, currency) => Object.entries(typed).filter(([, text]) => Number(text) > MONEY_MAX)
  .map(([name]) => ({ field: ['input', name], code: 'BAD_USER_INPUT',
    message: t('amountTooLarge', { most: money(MONEY_MAX * 100, /^[A-Z]{3}$/.test(currency ?? '') ? currency : null) }) }));

/** A closed card that reads the deal's facts when opened; writers get a form, readers a list. */
export function dealCard(opportunityId, reloaded) {
  const body = h('div', {});
  let opening = null; // the read of an opening by showField, which its toggle does not repeat
  const card = h('details', { id: 'deal-details', class: 'card', ontoggle: () => { if (card.open && !opening) show(); } },
    h('summary', {}, h('strong', {}, t('dealDetails'))), body);

  /** Open the card at one field a stage gate asks for (``name`` as the API spells it): the
   * field in view and focused, so that whoever reads "required field … is not filled" fills it
   * there and then. False when the card offers no such field (a decided deal, a reader). */
  card.showField = async (name) => {
    if (!card.open) {
      opening = show();
      card.open = true;
      try { await opening; } finally { setTimeout(() => { opening = null; }); } // after the toggle it set off
    }
    const input = body.querySelector(`[data-field="input.${CSS.escape(name)}"]`);
    card.scrollIntoView({ block: 'nearest' });
    if (!input || input.disabled) return false;
    input.scrollIntoView({ block: 'center' });
    input.focus();
    return true;
  };

  async function show(conflictFrom = null) {
    const deal = (await gql(DEAL, { id: opportunityId })).node;
    // a decided deal keeps its record as it was decided (the API refuses a change): its facts
    // are read, and only its notes are still written; an administrator may still correct it
    const decided = CLOSED.has(deal.stage) && !isAdmin();
    body.replaceChildren(...(!canWrite() ? [facts(deal)] : decided ? [facts(deal), h('p', { class: 'help' }, t('dealDecidedKept')), form(deal, conflictFrom, ['description'])] : [form(deal, conflictFrom)]));
  }

  function facts(deal) {
    const shown = (name) => (MONEY.includes(name) ? money(deal[name], deal.currency)
      : name === 'decisionProcessKnown' ? t(deal[name] == null ? 'unknown' : deal[name] ? 'yes' : 'no')
        : name === 'deliveryRisk' ? (deal[name] ? label('DeliveryRisk', deal[name]) : t('unknown')) : deal[name] ?? '–');
    return h('dl', { class: 'ties' }, ['amount', 'budget', 'quoteAmount', 'expectedCloseDate', 'compellingEvent', 'decisionProcessKnown',
      'presalesCost', 'deliveryCost', 'deliveryRisk', 'description']
      .flatMap((name) => [h('dt', {}, t(`deal_${name}`)), h('dd', {}, name === 'expectedCloseDate' ? day(String(shown(name))) : String(shown(name)))]));
  }

  /** The deal's form; ``only``: the fields it offers (all of them when null). */
  function form(deal, typed, only = null) {
    const money = (name) => h('input', { type: 'number', min: 0, step: '0.01', inputmode: 'decimal', value: whole(deal[name]) });
    const every = {
      amount: money('amount'), currency: h('input', { maxlength: 3, size: 4, value: deal.currency ?? '' }),
      budget: money('budget'), quoteAmount: money('quoteAmount'),
      expectedCloseDate: h('input', { type: 'date', value: deal.expectedCloseDate ?? '' }),
      decisionProcessKnown: select({}, [['', t('unknown')], ['true', t('yes')], ['false', t('no')]],
        deal.decisionProcessKnown == null ? '' : String(deal.decisionProcessKnown)),
      compellingEvent: h('textarea', { rows: 2 }, deal.compellingEvent ?? ''),
      // what "is it worth it?" weighs: the cost to win it and deliver it, and the risk in delivery
      presalesCost: money('presalesCost'), deliveryCost: money('deliveryCost'),
      deliveryRisk: select({}, [['', t('unknown')], ...enumOptions('DeliveryRisk')], deal.deliveryRisk ?? ''),
      description: h('textarea', { rows: 3 }, deal.description ?? ''),
    };
    const inputs = only ? Object.fromEntries(only.map((name) => [name, every[name]])) : every;
    // after a conflict: the latest facts are read, what this person changed is put back (a field
    // they left as it was shows what the other one saved)
    const stored = Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, input.value]));
    if (typed) for (const [name, value] of Object.entries(typed)) inputs[name].value = value;
    const changed = () => Object.fromEntries(Object.entries(inputs).filter(([name, input]) => input.value !== stored[name]).map(([name, input]) => [name, input.value]));
    const el = h('form', { id: 'deal-form', onsubmit: (event) => { event.preventDefault(); submitting(el, async () => {
      if (only) { await save({ version: deal.version, ...Object.fromEntries(only.map((name) => [name, inputs[name].value.trim() || null])) }); return; }
      const input = { version: deal.version, currency: inputs.currency.value.trim().toUpperCase() || null,
        expectedCloseDate: inputs.expectedCloseDate.value || null,
        decisionProcessKnown: inputs.decisionProcessKnown.value === '' ? null : inputs.decisionProcessKnown.value === 'true',
        deliveryRisk: inputs.deliveryRisk.value || null };
      const over = tooLarge(Object.fromEntries(MONEY.map((name) => [name, inputs[name].value])), inputs.currency.value.trim().toUpperCase() || deal.currency);
      if (over.length) { showUserErrors(el, over); return; }
      for (const name of MONEY) input[name] = minor(inputs[name].value);
      for (const name of TEXT) input[name] = inputs[name].value.trim() || null;
      await save(input);
    }); } },
    ...Object.entries(inputs).map(([name, input]) => (MONEY.includes(name) ? moneyField : field)(`input.${name}`, t(`deal_${name}`), input, every.currency)),
    h('button', { type: 'submit' }, t('save')));

    async function save(input) {
      const payload = await mutate(UPDATE, { id: opportunityId, input });
      if (payload.userErrors.some((e) => e.code === 'CONFLICT')) {
        await show(changed());
        showUserErrors(body.querySelector('form'), [{ field: [], code: 'CONFLICT', message: t('conflict', { name: deal.name }) }]);
        body.querySelector('.field-error')?.scrollIntoView({ block: 'nearest' }); // above the button pressed
        return;
      }
      if (payload.userErrors.length) { showUserErrors(el, payload.userErrors); return; }
      await reloaded(t('dealSaved', { name: deal.name }));
    }
    return el;
  }

  return card;
}
