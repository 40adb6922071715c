// The TAS+ process of one deal as its people work it: the delivery manager's review of the
// quote (from My work and from the deal's page), and the deal page's Process card.
import { gql, me, mutate } from './api.js';
import { field, h, select, showUserErrors, submitting } from './dom.js';
import { label, money, t } from './i18n.js';

const ERR = 'userErrors { field message code }';
const REVIEW = `mutation($id: ID!, $input: DeliveryReviewInput!) { opportunityDeliveryReviewRecord(id: $id, input: $input) {
  opportunity { id deliveryReviewed } ${ERR} } }`;
const REVIEWED_DEAL = `query($id: ID!) { node(id: $id) { ... on Opportunity {
  id version name currency quoteAmount team { member { id name } role } } } }`;

/** The plays done by recording the delivery review, not by a contact (the playbook's
 * delivery-review plays): the review completes them, and the API refuses them as a contact. */
const REVIEW_PLAYS = new Set(['delivery_quote_review']);
export const isReviewStep = (item) => REVIEW_PLAYS.has(item.action);

/** The deal's delivery managers, each once. */
export function deliveryManagers(deal) {
  const found = new Map();
  for (const a of deal.team) if (a.role === 'DELIVERY_MANAGER') found.set(a.member.id, a.member);
  return [...found.values()];
}

/** Whether the signed-in person records the deal's review: one of its delivery managers. */
export async function reviewsIt(deal) {
  const who = await me();
  return Boolean(who.teamMember) && deliveryManagers(deal).some((m) => m.id === who.teamMember.id);
}

/** Who records the review, by name and role, for everyone else. */
export function whoReviews(deal) {
  const names = deliveryManagers(deal).map((m) => m.name);
  const role = label('TeamRole', 'DELIVERY_MANAGER');
  return names.length ? t('whoReviews', { names: names.join(t('nameList')), role }) : t('noDeliveryManager', { role });
}

/** The review form: feasible or not, the workload, the quote reviewed (the current quote unless
 * changed, in the deal's currency) and a comment; ``onSaved`` runs once it is recorded. */
export function reviewForm(deal, heading, onSaved) {
  const feasible = select({ required: true }, [['', t('choose')], ['true', t('yes')], ['false', t('no')]], '');
  const workload = h('input', { type: 'number', min: '0.5', step: 'any', inputmode: 'decimal' });
  // a feasible verdict needs the workload it was judged on; a quote cannot go out without it
  feasible.addEventListener('change', () => { workload.required = feasible.value === 'true'; });
  const major = deal.quoteAmount == null ? '' : String(deal.quoteAmount / 100);
  const amount = h('input', { type: 'number', min: '0', step: '0.01', inputmode: 'decimal', value: major });
  const comment = h('textarea', { rows: 2 });
  const form = h('form', { class: 'card review-form', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const input = { feasible: feasible.value === 'true', workloadPersonDays: workload.value === '' ? null : Number(workload.value),
      reviewedQuoteAmount: amount.value === '' ? null : Math.round(Number(amount.value) * 100), comment: comment.value || null, version: deal.version };
    const payload = await mutate(REVIEW, { id: deal.id, input });
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await onSaved(payload.opportunity);
  }); } }, h('h3', {}, heading),
  field('input.feasible', t('feasible'), feasible), field('input.workloadPersonDays', t('workload'), workload),
  field('input.reviewedQuoteAmount', t('reviewedQuote', { currency: deal.currency || 'CNY' }), amount),
  h('p', { class: 'help current-quote' }, t('currentQuote', { amount: money(deal.quoteAmount, deal.currency) })),
  field('input.comment', t('reviewComment'), comment), h('button', { type: 'submit' }, t('recordReview')));
  return form;
}

/** My work's "Record result" for a review step: the review form for the deal's delivery
 * manager, who records it for everyone else. */
export async function openReviewStep(row, item, onSaved) {
  const deal = (await gql(REVIEWED_DEAL, { id: item.opportunity.id })).node;
  const content = (await reviewsIt(deal))
    ? reviewForm(deal, `${t('recordResult')}: ${item.title}`, onSaved)
    : h('p', { class: 'help who-reviews' }, whoReviews(deal));
  row.after(h('tr', { class: 'record-row' }, h('td', { colspan: 6 }, content)));
  content.querySelector('select')?.focus();
}
