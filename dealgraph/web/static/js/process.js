// The TAS+ process of one deal as its people work it: the delivery manager's review of the
// quote (from My work and from the deal's page), and the deal page's Process card.
import { canWrite, gql, me, mutate } from './api.js';
import { field, h, select, showUserErrors, submitting } from './dom.js';
import { label, lang, money, t } from './i18n.js';

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
export function whoReviews(deal, key = 'whoReviews') {
  const names = deliveryManagers(deal).map((m) => m.name);
  const role = label('TeamRole', 'DELIVERY_MANAGER');
  return names.length ? t(key, { names: names.join(t('nameList')), role }) : t('noDeliveryManager', { role });
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

// ---------------------------------------------------------------- the deal page's Process card

const PROCESS = `query Process($id: ID!) {
  node(id: $id) { ... on Opportunity { id version name stage nextStage stageEnteredAt currency quoteAmount quoteStatus
    team { member { id name } role phase }
    triangle(phase: DEAL) { phase required missing }
    deliveryReview { feasible workloadPersonDays reviewedQuoteAmount comment reviewedAt reviewer { name } }
    approvals { id version processName state createdAt requestedBy { name } approverRoles mayDecide } } }
  violations(filter: { opportunityId: $id, acknowledged: false }, first: 50) { nodes { id message detectedAt responsible { name } } } }`;
const P = {
  advance: `mutation($id: ID!, $input: OpportunityAdvanceInput!) { opportunityAdvance(id: $id, input: $input) {
    opportunity { id stage } problems { message } ${ERR} } }`,
  submit: `mutation($id: ID!, $version: Int) { opportunityQuoteSubmit(id: $id, version: $version) {
    opportunity { id quoteStatus } problems { message } ${ERR} } }`,
  decide: `mutation($id: ID!, $input: ApprovalDecideInput!) { approvalDecide(id: $id, input: $input) {
    approval { id state } problems { message } ${ERR} } }`,
  acknowledge: `mutation($id: ID!, $note: String!) { violationAcknowledge(id: $id, note: $note) { violation { id } ${ERR} } }`,
};

const day = (iso) => (iso ? new Date(iso).toLocaleDateString(lang()) : '–');

/** Every problem of a refusal, in the API's words: the process's own list when it gave one
 * (a gate names each missing field, action and approval), else the userErrors at their fields. */
function refused(form, payload, lead) {
  const problems = payload.problems ?? [];
  if (!problems.length) { showUserErrors(form, payload.userErrors); return; }
  showUserErrors(form, []);
  form.querySelector('.refusal')?.remove();
  form.append(h('div', { class: 'refusal field-error', role: 'alert' }, h('p', {}, lead), h('ul', {}, problems.map((p) => h('li', {}, p.message)))));
}

/** A one-button form whose refusal shows inside it. */
function actionForm(id, text, inputs, run) {
  const form = h('form', { class: 'process-action', id, onsubmit: (event) => { event.preventDefault(); submitting(form, () => run(form)); } },
    inputs, h('button', { type: 'submit' }, text));
  return form;
}

function stagePart(opp, done) {
  const next = opp.nextStage;
  const advance = canWrite() && next ? actionForm('advance', t('advanceTo', { stage: label('Stage', next) }), null, async (form) => {
    const payload = await mutate(P.advance, { id: opp.id, input: { toStage: next, version: opp.version } });
    if (payload.userErrors.length) { refused(form, payload, t('advanceRefused', { stage: label('Stage', next) })); return; }
    await done(t('advanced', { stage: label('Stage', next) }));
  }) : null;
  return [h('p', { id: 'process-stage' }, t('stageSince', { stage: label('Stage', opp.stage), date: day(opp.stageEnteredAt) })), advance];
}

function trianglePart(opp) {
  const phase = opp.triangle.phase;
  const names = (role) => [...new Set(opp.team.filter((a) => a.role === role && a.phase === phase).map((a) => a.member.name))];
  return [h('h3', {}, t('triangleTitle', { phase: label('LifecyclePhase', phase) })),
    h('ul', { id: 'triangle', class: 'triangle' }, opp.triangle.required.map((role) => {
      const who = names(role);
      return h('li', { class: who.length ? 'present' : 'missing', dataset: { role } }, `${label('TeamRole', role)}${t('colon')}`,
        who.length ? who.join(t('nameList')) : h('strong', {}, t('roleMissing')));
    }))];
}

async function reviewPart(opp, done) {
  const r = opp.deliveryReview;
  const said = r ? [t(r.feasible ? 'reviewFeasible' : 'reviewNotFeasible'),
    r.workloadPersonDays != null ? t('reviewDays', { n: r.workloadPersonDays }) : null,
    r.reviewedQuoteAmount != null ? t('reviewQuote', { amount: money(r.reviewedQuoteAmount, opp.currency) }) : null,
    t('reviewBy', { name: r.reviewer?.name ?? '–', date: day(r.reviewedAt) })].filter(Boolean).join(t('partList')) : t('reviewNone');
  const mine = await reviewsIt(opp);
  const form = mine ? reviewForm(opp, t(r ? 'reviewAgain' : 'recordReview'), () => done(t('reviewRecorded'))) : null;
  return [h('h3', {}, t('reviewTitle')), h('p', { id: 'review-state' }, said), r?.comment ? h('p', { class: 'help' }, r.comment) : null,
    mine ? (r ? h('details', {}, h('summary', {}, t('reviewAgain')), form) : form) : h('p', { class: 'help' }, whoReviews(opp, 'whoReviewsDeal'))];
}

async function quotePart(opp, done) {
  const who = await me();
  const manages = Boolean(who.teamMember) && opp.team.some((a) => a.role === 'ACCOUNT_MANAGER' && a.member.id === who.teamMember.id);
  const submit = canWrite() && manages && opp.quoteStatus === 'DRAFT' ? actionForm('submit-quote', t('markSubmitted'), null, async (form) => {
    const payload = await mutate(P.submit, { id: opp.id, version: opp.version });
    if (payload.userErrors.length) { refused(form, payload, t('quoteRefused')); return; }
    await done(t('quoteSubmitted'));
  }) : null;
  return [h('h3', {}, t('quoteTitle')), h('p', { id: 'quote-state' }, `${money(opp.quoteAmount, opp.currency)}${t('partList')}${label('QuoteStatus', opp.quoteStatus)}`), submit];
}

function approvalItem(a, done) {
  const roles = a.approverRoles.map((r) => label('TeamRole', r)).join(t('rolesOr'));
  const comment = h('textarea', { rows: 1 });
  const decide = (decision) => async (form) => {
    const payload = await mutate(P.decide, { id: a.id, input: { decision, comment: comment.value || null, version: a.version } });
    if (payload.userErrors.length) { refused(form, payload, a.processName); return; }
    await done(t(decision === 'APPROVE' ? 'approvedNote' : 'rejectedNote', { process: a.processName }));
  };
  let chosen = 'APPROVE';
  const form = a.mayDecide ? actionForm(null, t('approve'), field('input.comment', t('decisionComment'), comment), (f) => decide(chosen)(f)) : null;
  if (form) {
    const approve = form.querySelector('button[type=submit]');
    approve.addEventListener('click', () => { chosen = 'APPROVE'; });
    approve.after(' ', h('button', { type: 'submit', class: 'reject', onclick: () => { chosen = 'REJECT'; } }, t('reject')));
  }
  return h('li', { class: 'approval', dataset: { id: a.id } }, h('strong', {}, a.processName),
    h('p', { class: 'help' }, `${t('requestedBy', { name: a.requestedBy?.name ?? '–', date: day(a.createdAt) })}${t('partList')}${t('decidedBy', { roles })}`), form);
}

function violationItem(v, done) {
  const note = h('input', { type: 'text', required: true });
  const form = canWrite() ? actionForm(null, t('acknowledge'), field('note', t('ackNote'), note), async (f) => {
    const payload = await mutate(P.acknowledge, { id: v.id, note: note.value });
    if (payload.userErrors.length) { showUserErrors(f, payload.userErrors); return; }
    await done(t('acknowledgedNote'));
  }) : null;
  return h('li', { class: 'violation', dataset: { id: v.id } }, h('span', {}, v.message),
    h('p', { class: 'help' }, t('violationLine', { name: v.responsible?.name ?? '–', date: day(v.detectedAt) })), form);
}

/** The deal's Process card: stage and the move forward, the iron triangle, the delivery review,
 * the quote, pending approvals and open violations; each action for whoever may take it, the
 * rest read-only. ``done(text)`` reloads the deal and says what was done. */
export function processCard(id, done) {
  const card = h('section', { id: 'process', class: 'card process', 'aria-labelledby': 'process-title' }, h('h2', { id: 'process-title' }, t('processTitle')), h('p', { class: 'loading' }, t('loading')));
  fill(card, id, done);
  return card;
}

async function fill(card, id, done) {
  const data = await gql(PROCESS, { id });
  const opp = data.node;
  if (!opp) { card.remove(); return; }
  const pending = opp.approvals.filter((a) => a.state === 'PENDING');
  const violations = data.violations?.nodes ?? [];
  const parts = [h('h2', { id: 'process-title' }, t('processTitle')),
    stagePart(opp, done), trianglePart(opp), await reviewPart(opp, done), await quotePart(opp, done),
    h('h3', {}, t('approvalsTitle')), pending.length ? h('ul', { id: 'approvals', class: 'plain' }, pending.map((a) => approvalItem(a, done))) : h('p', { class: 'help' }, t('noApprovals')),
    h('h3', {}, t('violationsTitle')), violations.length ? h('ul', { id: 'violations', class: 'plain' }, violations.map((v) => violationItem(v, done))) : h('p', { class: 'help' }, t('noViolations'))];
  card.replaceChildren(...parts.flat().filter(Boolean)); // an action nobody here may take is left out
  card.dataset.ready = String(Date.now());
}
