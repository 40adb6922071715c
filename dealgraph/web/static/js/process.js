// The TAS+ process of one deal as its people work it: the delivery manager's review of the
// quote (from My work and from the deal's page), and the deal page's Process card.
import { allOurs, canWrite, gql, me, mutate } from './api.js';
import { day, field, h, loading, notice, select, showUserErrors, submitting, withDays } from './dom.js';
import { minor, tooLarge } from './deal.js';
import { CLOSED } from './pipeline.js';
import { aside, dayOf, daysBetween, enumValues, label, labelled, lang, money, nameOf, pieces, said, saidErrors, sentences, t, unended, utcDay } from './i18n.js';

const ERR = 'userErrors { field message code messageEn messageZh }';
const REVIEW = `mutation($id: ID!, $input: DeliveryReviewInput!) { opportunityDeliveryReviewRecord(id: $id, input: $input) {
  opportunity { id deliveryReviewed } ${ERR} } }`;
const REVIEWED_DEAL = `query($id: ID!) { node(id: $id) { ... on Opportunity {
  id version name currency quoteAmount team { member { id name title email } role } } } }`;

/** The plays done by recording the delivery review, not by a contact (the playbook's
 * delivery-review plays): the review completes them, and the API refuses them as a contact.
 * The review itself only the deal's delivery manager does; the rework of a quote the review
 * judged not deliverable is the account manager's, done when it is reviewed again. */
const REVIEWER_PLAYS = new Set(['delivery_quote_review']);
const REVIEW_PLAYS = new Set([...REVIEWER_PLAYS, 'quote_rework']);
export const isReviewStep = (item) => REVIEW_PLAYS.has(item.action);
export const isReviewerStep = (item) => REVIEWER_PLAYS.has(item.action);

/** Those who hold ``role`` on the deal's team, each once. */
function holders(deal, role) {
  const found = new Map();
  for (const a of deal.team) if (a.role === role) found.set(a.member.id, a.member);
  return [...found.values()];
}

/** The deal's delivery managers, each once. */
export const deliveryManagers = (deal) => holders(deal, 'DELIVERY_MANAGER');

/** Whether the signed-in person records the deal's review: one of its delivery managers. */
export async function reviewsIt(deal) {
  const who = await me();
  return Boolean(who.teamMember) && deliveryManagers(deal).some((m) => m.id === who.teamMember.id);
}

/** Who records the review, by name and role, for everyone else. */
export function whoReviews(deal, key = 'whoReviews') {
  const names = deliveryManagers(deal).map((m) => nameOf(m, ours(deal)));
  const role = label('TeamRole', 'DELIVERY_MANAGER');
  return names.length ? t(key, { names: names.join(t('nameList')), role }) : t('noDeliveryManager', { role });
}

/** The deal's account managers by name (the account manager, as a role, when it has none):
 * who reworks a quote and changes its amount. */
function accountManagers(deal) {
  const names = holders(deal, 'ACCOUNT_MANAGER').map((m) => nameOf(m, ours(deal)));
  return names.length ? names.join(t('nameList')) : label('TeamRole', 'ACCOUNT_MANAGER');
}

/** The largest workload a review takes, as the API does (strategy/tas/triangle.py). */
const WORKLOAD_MAX_DAYS = 100_000;

/** The review form: feasible or not, the workload, the quote reviewed (the current quote unless
 * changed, in the deal's currency) and a comment; ``onSaved`` runs once it is recorded. A
 * refusal because the deal changed meanwhile goes to ``onStale`` with what was typed (its
 * ``amountChanged``: whether the amount is the reviewer's own or the quote it started at);
 * ``typed`` puts such values back in a form of the deal as it is now. */
export function reviewForm(deal, heading, onSaved, onStale = null, typed = null) {
  const feasible = select({ required: true }, [['', t('choose')], ['true', t('yes')], ['false', t('no')]], '');
  const workload = h('input', { type: 'number', min: '0.5', step: 'any', inputmode: 'decimal' });
  // a feasible verdict needs the workload it was judged on; a quote cannot go out without it
  const needsWorkload = () => { workload.required = feasible.value === 'true'; };
  feasible.addEventListener('change', needsWorkload);
  const major = deal.quoteAmount == null ? '' : String(deal.quoteAmount / 100);
  const amount = h('input', { type: 'number', min: '0', step: '0.01', inputmode: 'decimal', value: major });
  const comment = h('textarea', { rows: 2 });
  const differs = h('p', { class: 'warn quote-differs', role: 'status', hidden: true });
  const compare = () => {
    const reviewed = minor(amount.value);
    differs.hidden = reviewed == null || deal.quoteAmount == null || reviewed === deal.quoteAmount;
    differs.textContent = differs.hidden ? '' : t('reviewDiffers', { amount: money(reviewed, deal.currency), current: money(deal.quoteAmount, deal.currency) });
  };
  amount.addEventListener('input', compare);
  if (typed) {
    // the verdict, workload and comment still apply; the amount only when it was the reviewer's own
    [feasible.value, workload.value, comment.value] = [typed.feasible, typed.workload, typed.comment];
    if (typed.amountChanged) amount.value = typed.amount;
    needsWorkload();
    compare();
  }
  const values = () => ({ feasible: feasible.value, workload: workload.value, comment: comment.value, amount: amount.value,
    amountChanged: amount.value !== major });
  const form = h('form', { class: 'card review-form', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const over = tooLarge({ reviewedQuoteAmount: amount.value }, deal.currency);
    if (Number(workload.value) > WORKLOAD_MAX_DAYS) {
      over.push({ field: ['input', 'workloadPersonDays'], code: 'BAD_USER_INPUT', message: t('workloadTooLarge', { most: WORKLOAD_MAX_DAYS.toLocaleString(lang()) }) });
    }
    if (over.length) { showUserErrors(form, over); return; }
    const input = { feasible: feasible.value === 'true', workloadPersonDays: workload.value === '' ? null : Number(workload.value),
      reviewedQuoteAmount: minor(amount.value), comment: comment.value || null, version: deal.version };
    const payload = await mutate(REVIEW, { id: deal.id, input });
    if (onStale && isStale(payload)) { await onStale(values()); return; }
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await onSaved(payload.opportunity);
  }); } }, h('h3', {}, heading),
  field('input.feasible', t('feasible'), feasible), field('input.workloadPersonDays', t('workload'), workload),
  field('input.reviewedQuoteAmount', t('reviewedQuote', { currency: deal.currency || 'CNY' }), amount),
  h('p', { class: 'help current-quote' }, t('currentQuote', { amount: money(deal.quoteAmount, deal.currency) })), differs,
  field('input.comment', t('reviewComment'), comment), h('button', { type: 'submit' }, t('recordReview')));
  return form;
}

/** My work's "Record result" for a review step: the review form for the deal's delivery
 * manager, who records it for everyone else. The deal changed meanwhile (another quote, say),
 * the form is read again, the current quote in it, what was typed kept, and it says why. */
export async function openReviewStep(row, item, onSaved, typed = null) {
  const deal = (await gql(REVIEWED_DEAL, { id: item.opportunity.id })).node;
  everyone.set(deal, await allOurs(named(deal)));
  const again = (values) => openReviewStep(row, item, onSaved, values);
  const content = (await reviewsIt(deal))
    ? reviewForm(deal, labelled(t('recordResult'), item.title), onSaved, again, typed)
    : h('p', { class: 'help who-reviews' }, whoReviews(deal, isReviewerStep(item) ? 'whoReviews' : 'whoReviewsRework'));
  row.parentElement.querySelectorAll('tr.record-row').forEach((old) => old.remove());
  row.after(h('tr', { class: 'record-row' }, h('td', { colspan: 7 }, content)));
  if (typed && content.tagName === 'FORM') dealChanged(content, deal);
  else content.querySelector('select')?.focus();
}

/** A review form filled again (``typed``) after the deal changed under it: it says so in words,
 * with the quote now on the deal, and puts the person on its button to record it again. */
function dealChanged(form, deal) {
  form.querySelector('h3').after(h('p', { class: 'banner help deal-changed', role: 'alert' },
    t('staleReview', { name: deal.name, amount: money(deal.quoteAmount, deal.currency) })));
  form.querySelector('button[type=submit]').focus();
}

/** Whether a refusal is for a stale version (someone changed the deal since it was read). */
const isStale = (payload) => payload.userErrors.some((e) => e.code === 'CONFLICT');

/** A refusal for a stale version: ``reload`` shows the data as it is now, so a retry sends the
 * new version, and ``text`` says why; true when it was one. */
async function stale(payload, reload, text = said('staleCard')) {
  if (!reload || !isStale(payload)) return false;
  await reload();
  notice(text, 'help');
  return true;
}

/** A refusal's messages as one sentence each (the API writes them as field notes). */
const refusal = (payload) => saidErrors(payload.userErrors, (list) => sentences(list.map((m) => m.charAt(0).toUpperCase() + m.slice(1))));

// ---------------------------------------------------------------- the deal page's Process card

/** What a page needs of an approval one may request: its process, latest outcome and fields. */
const REQUESTABLE = 'process processName state mayRequest requesterRoles approverRoles requestHelp fields { name label type required notBefore }';
/** What a running commitment shows: the violation, who promised which date, who agreed to it. */
export const COMMITMENT = 'id message putRightBy respondedBy { id name title email } acknowledgedAt acknowledgedByMember { id name title email } opportunity { id name }';
/** How many of the deal's latest acknowledged violations the card shows: what was taken up lately
 * (read from the newest raised fifty: the API lists them by when they were raised). */
const ACKNOWLEDGED_SHOWN = 5;
const PROCESS = `query Process($id: ID!) {
  me { roles seesEverything teamMember { id role } }
  node(id: $id) { ... on Opportunity { id version name stage nextStage stageEnteredAt currency quoteAmount quoteStatus quoteSubmittedAt
    team { member { id name title email role directors { id name title email role } } role phase }
    stageHistory { fromStage toStage reason at actorName member { id name title email } lostToCompetitor { name } }
    competitors { competitor { id name } }
    triangle(phase: DEAL) { phase required missing } delivery: triangle(phase: DELIVERY) { phase required missing }
    deliveryInfeasible deliveryReview { feasible workloadPersonDays reviewedQuoteAmount comment reviewedAt reviewer { id name title email } }
    approvals { id version processName state createdAt request requestedBy { id name title email } approverRoles mayDecide
      processFields { name label type } history { fromState toState at comment actor { id name title email } } }
    nextStageProblems { code path message } stageActionsDue { action label dueAt overdue people { person { id name } dueAt } } missingApprovals { ${REQUESTABLE} } optionalApprovals { ${REQUESTABLE} } } }
  violations(filter: { opportunityId: $id, open: true }, first: 50) { nodes { id message detectedAt mayRespond mayAcknowledge maySendBack
    putRightBy recheckDays responseNote respondedAt respondedBy { id name title email } sentBackNote sentBackAt sentBackBy { id name title email } responsible { id name title email } } }
  commitments: violations(filter: { opportunityId: $id, promised: true }, first: 50) { nodes { ${COMMITMENT} } }
  acknowledged: violations(filter: { opportunityId: $id, acknowledged: true, promised: false }, first: 50) {
    nodes { id message acknowledgedAt acknowledgementNote acknowledgedByMember { id name title email } } } }`;
const P = {
  advance: `mutation($id: ID!, $input: OpportunityAdvanceInput!) { opportunityAdvance(id: $id, input: $input) {
    opportunity { id stage } problems { message } ${ERR} } }`,
  submit: `mutation($id: ID!, $version: Int) { opportunityQuoteSubmit(id: $id, version: $version) {
    opportunity { id quoteStatus } problems { message } ${ERR} } }`,
  request: `mutation($input: ApprovalRequestInput!) { approvalRequest(input: $input) {
    approval { id state } problems { message } ${ERR} } }`,
  decide: `mutation($id: ID!, $input: ApprovalDecideInput!) { approvalDecide(id: $id, input: $input) {
    approval { id state } problems { message } ${ERR} } }`,
  respond: `mutation($id: ID!, $note: String!, $putRightBy: String) { violationRespond(id: $id, note: $note, putRightBy: $putRightBy) { violation { id } ${ERR} } }`,
  acknowledge: `mutation($id: ID!, $note: String!, $respondedAt: DateTime) { violationAcknowledge(id: $id, note: $note, respondedAt: $respondedAt) { violation { id } ${ERR} } }`,
  sendBack: `mutation($id: ID!, $note: String!, $respondedAt: DateTime) { violationSendBack(id: $id, note: $note, respondedAt: $respondedAt) { violation { id } ${ERR} } }`,
};

/** Our people the card's data names: the deal's team, and whoever asked for or decided one of
 * its approvals (a director off the team): they stand in for all of ours (``allOurs``) when our
 * people could not be read. */
const named = (opp) => {
  const known = new Map(opp.team.map((a) => [a.member.id, a.member]));
  for (const a of opp.approvals ?? []) {
    for (const p of [a.requestedBy, ...(a.history ?? []).map((e) => e.actor)]) if (p?.id && !known.has(p.id)) known.set(p.id, p);
  }
  return [...known.values()];
};
/** All of ours as the card last read them, per deal read: among them namesakes are told apart,
 * also where only one 王伟 is on the deal. */
const everyone = new WeakMap();
const ours = (opp) => everyone.get(opp) ?? named(opp);

const rolesOr = (roles) => roles.map((r) => label('TeamRole', r)).join(t('rolesOr'));

/** Every problem of a refusal, in the API's words: the process's own list when it gave one
 * (a gate names each missing field, action and approval), else the userErrors at their fields;
 * a stale version reloads the card instead. */
async function refused(form, payload, lead, act) {
  if (await stale(payload, act.reload)) return;
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

/** Whether the signed-in person works the deal: a writer on its team, or whose role sees and
 * moves every deal (a sales director). */
function worksOn(opp, who) {
  if (!canWrite()) return false;
  const onTeam = Boolean(who.teamMember) && opp.team.some((a) => a.member.id === who.teamMember.id);
  return onTeam || who.seesEverything || who.roles.includes('sales_director');
}

/** Whether the signed-in person may close the deal (won, lost, abandoned): its account manager
 * or a lead, as the API allows. */
function closes(opp, who) {
  return who.roles.includes('sales_director') || who.roles.includes('admin')
    || (Boolean(who.teamMember) && opp.team.some((a) => a.member.id === who.teamMember.id && a.role === 'ACCOUNT_MANAGER'));
}

/** Advance asks first, naming the stage it moves to: one click never moves a deal. */
function stagePart(opp, who, act) {
  const next = opp.nextStage;
  const to = next ? label('Stage', next) : '';
  const advance = worksOn(opp, who) && next && (next !== 'WON' || closes(opp, who)) ? actionForm('advance', t('confirmAdvanceYes', { stage: to }), null, async (form) => {
    const payload = await mutate(P.advance, { id: opp.id, input: { toStage: next, version: opp.version } });
    if (payload.userErrors.length) {
      await refused(form, payload, t('advanceRefused', { stage: to }), act);
      form.closeAsk?.(); // the question is answered: the refusal stays, "Yes" goes
      return;
    }
    await act.done(t('advanced', { stage: to }));
  }) : null;
  if (advance) {
    const yes = advance.querySelector('button[type=submit]');
    // a gate that lacks something is said before the move is tried, not only in its refusal
    const lacking = (opp.nextStageProblems ?? []).length > 0;
    if (lacking) yes.textContent = t('confirmAdvanceTry', { stage: to }); // the answer to "Try … anyway?"
    const ask = h('p', { class: 'confirm-advance', hidden: true }, t(lacking ? 'confirmAdvanceLacking' : 'confirmAdvance', { from: label('Stage', opp.stage), to }));
    const cancel = h('button', { type: 'button', class: 'cancel', hidden: true }, t('cancel'));
    const open = h('button', { type: 'button', class: 'advance-open' }, t('advanceTo', { stage: to }));
    const asking = (on) => { ask.hidden = !on; yes.hidden = !on; cancel.hidden = !on; open.hidden = on; if (on) yes.focus(); else open.focus(); };
    advance.closeAsk = () => asking(false);
    open.addEventListener('click', () => asking(true));
    cancel.addEventListener('click', () => asking(false));
    yes.hidden = true;
    yes.before(open, ask);
    yes.after(cancel);
  }
  return [h('p', { id: 'process-stage' }, pieces('stageSince', { stage: label('Stage', opp.stage), date: day(dayOf(opp.stageEnteredAt)) })),
    whyPart(opp), duePart(opp), gatePart(opp), advance, moveForm(opp, who, act)];
}

/** Why the deal stands where it does, when the move there had to say so (closed as lost or
 * abandoned, moved back, reopened): the reason, for a loss to whom, who moved it and when. A
 * sales director reviewing the week's losses reads it here, as the process made it written. */
function whyPart(opp) {
  const last = opp.stageHistory?.at(-1);
  if (!last?.reason || last.toStage !== opp.stage) return null;
  const who = nameOf(last.member, ours(opp)) ?? last.actorName ?? '–';
  const lead = last.lostToCompetitor ? t('lostToWhom', { competitor: last.lostToCompetitor.name })
    : last.toStage === 'LOST' ? t('lostWhy') : last.toStage === 'ABANDONED' ? t('abandonedWhy')
      : t('movedFrom', { stage: label('Stage', last.fromStage) });
  return h('p', { id: 'stage-why', class: 'help' }, `${lead}${t('colon')}${last.reason}`,
    pieces('movedBy', { name: who, date: day(dayOf(last.at)) }));
}

/** What the stage requires and is not done yet, each with the day it becomes a process
 * violation (the API's ``stageActionsDue``): seen coming, not learnt from the violation. The
 * needs name whose are missing, each by their own day (someone found late has days of their
 * own). */
function duePart(opp) {
  const due = opp.stageActionsDue ?? [];
  if (!due.length) return null; // none on a closed deal: its stage requires nothing
  const when = (d) => pieces(d.overdue ? 'dueOverdue' : 'dueBy', { date: day(dayOf(d.dueAt)) });
  return h('div', { id: 'stage-due' }, h('p', {}, t('dueTitle')),
    h('ul', {}, due.map((d) => h('li', { class: d.overdue ? 'late' : '', dataset: { action: d.action } }, d.label, t('colon'),
      ...(d.people.length ? d.people.flatMap((p, i) => [i ? t('nameList') : '', ...pieces('dueWhose', { name: nameOf(p.person, ours(opp)) ?? '–', date: day(dayOf(p.dueAt)) })])
        : when(d))))));
}

/** What the next gate still lacks, before anyone tries the move: its fields and actions in the
 * API's words (the approvals follow, each with its request). */
function gatePart(opp) {
  if (!opp.nextStage) return null;
  const stage = label('Stage', opp.nextStage);
  const left = opp.nextStageProblems;
  const todo = left.filter((p) => p.code !== 'MISSING_APPROVAL');
  const approvals = left.length - todo.length; // counted here too: the list reads as all there is
  const more = approvals ? h('li', { class: 'gate-approvals' }, t(approvals === 1 ? 'gateAndApproval' : 'gateAndApprovals', { n: String(approvals) })) : null;
  return h('div', { id: 'next-gate', class: `gate ${left.length ? 'todo' : 'met'}` },
    h('p', {}, t(todo.length ? 'gateTodo' : left.length ? 'gateApprovalsLeft' : 'gateMet', { stage })),
    todo.length ? h('ul', {}, todo.map((p) => h('li', {}, fieldLink(p) ?? p.message)), more) : null);
}

/** A required field the gate lacks, as a link to it in the deal's facts (the card below the
 * panel, closed until opened): the message says what to fill, the link where. */
function fieldLink(problem) {
  if (problem.code !== 'MISSING_FIELD' || !problem.path.startsWith('fields.')) return null;
  return linkToField(problem.path.slice('fields.'.length).replace(/_([a-z])/g, (_, c) => c.toUpperCase()), problem.message);
}

/** ``text`` as a link to the deal's field ``name`` (as the API spells it) in *Deal details*. */
function linkToField(name, text) {
  return h('a', { href: '#deal-details', class: 'goto-field', dataset: { field: name }, onclick: (event) => {
    const card = document.getElementById('deal-details');
    if (!card?.showField) return; // no facts card on this page: the link still leads to the card
    event.preventDefault();
    card.showField(name);
  } }, text);
}

/** Lose, abandon or move back an open deal, or reopen an abandoned one: each says why, and a
 * deal lost to a competitor names it (the process's rules; the API refuses what they refuse). */
function moveForm(opp, who, act) {
  if (!worksOn(opp, who)) return null;
  const open = enumValues('Stage').filter((s) => !CLOSED.has(s));
  const here = open.indexOf(opp.stage);
  const stage = (s) => label('Stage', s);
  const closing = closes(opp, who) ? [['LOST', t('closeLost')], ['ABANDONED', t('closeAbandoned')]] : [];
  const targets = here >= 0
    ? [...closing, ...open.slice(0, here).reverse().map((s) => [s, t('moveBackTo', { stage: stage(s) })])]
    : opp.stage === 'ABANDONED' ? open.map((s) => [s, t('reopenAt', { stage: stage(s) })]) : [];
  if (!targets.length) return null;
  const to = select({}, targets, targets[0][0]);
  const rival = select({}, [['', t('notToCompetitor')], ...opp.competitors.map((c) => [c.competitor.id, c.competitor.name])], '');
  const reason = h('textarea', { rows: 2 });
  const lostTo = field('input.lostToCompetitorId', t('lostTo'), rival);
  const shown = () => { lostTo.hidden = to.value !== 'LOST'; };
  to.addEventListener('change', shown);
  shown();
  const form = h('form', { id: 'move-deal', class: 'process-action', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const lost = to.value === 'LOST' && rival.value !== '';
    const input = { toStage: to.value, reason: reason.value.trim() || null, lostToCompetitor: lost, lostToCompetitorId: lost ? rival.value : null, version: opp.version };
    const payload = await mutate(P.advance, { id: opp.id, input });
    if (payload.userErrors.length) { await refused(form, payload, t('moveRefused', { stage: stage(to.value) }), act); return; }
    await act.done(t('moved', { stage: stage(to.value) }));
  }); } },
  field('input.toStage', t('moveTo'), to), lostTo, field('input.reason', t('moveReason'), reason), h('button', { type: 'submit' }, t('moveDeal')));
  return h('details', { id: 'move-deal-card', class: 'move-deal' }, h('summary', {}, t(here < 0 ? 'reopenDeal' : closing.length ? 'moveDealOpen' : 'moveDealBack')), form);
}

/** Lost or abandoned: nothing more is done on the deal (a won one goes on to delivery). */
const ended = (opp) => opp.stage === 'LOST' || opp.stage === 'ABANDONED';
/** Winning it is over (won, lost or abandoned): the deal-winning triangle owes nobody, and nobody
 * is asked to review a quote the deal no longer turns on. */
const settled = (opp) => CLOSED.has(opp.stage);

/** The iron triangle the deal needs now: the deal-winning one, and once it is won the delivery
 * one (service, delivery and account manager), whose missing roles are owed again. */
function trianglePart(opp) {
  const triangle = opp.stage === 'WON' ? opp.delivery : opp.triangle;
  const owed = !ended(opp);
  const phase = triangle.phase;
  const names = (assignments) => [...new Set(assignments.map((a) => nameOf(a.member, ours(opp))))];
  const holding = (role) => opp.team.filter((a) => a.role === role);
  /** Who holds a role the triangle lacks in another phase (the deal's account manager, after the
   * win): the one to put on this phase's team, named rather than left to be guessed. */
  const elsewhere = (role) => {
    const others = holding(role).filter((a) => a.phase !== phase);
    return others.length ? t('roleElsewhere', { names: names(others).join(t('nameList')), phase: label('LifecyclePhase', others[0].phase) }) : '';
  };
  return [h('h3', {}, t('triangleTitle', { phase: label('LifecyclePhase', phase) })),
    h('ul', { id: 'triangle', class: 'triangle', dataset: { phase } }, triangle.required.map((role) => {
      const who = names(holding(role).filter((a) => a.phase === phase));
      const absent = owed ? [h('strong', {}, t('roleMissing')), elsewhere(role)] : [t('none')]; // nobody is owed once the deal is lost or given up
      return h('li', { class: who.length ? 'present' : owed ? 'missing' : 'absent', dataset: { role } }, `${label('TeamRole', role)}${t('colon')}`,
        ...(who.length ? [who.join(t('nameList'))] : absent));
    }))];
}

/** The review part; ``typed``: what the reviewer had typed when the deal changed under the
 * form, put back in the form of the deal as it is now (opened). */
async function reviewPart(opp, act, typed = null) {
  const r = opp.deliveryReview;
  const said = r ? [t(r.feasible ? 'reviewFeasible' : 'reviewNotFeasible'),
    r.workloadPersonDays != null ? t('reviewDays', { n: r.workloadPersonDays.toLocaleString(lang()) }) : null,
    r.reviewedQuoteAmount != null ? t('reviewQuote', { amount: money(r.reviewedQuoteAmount, opp.currency) }) : null,
    pieces('reviewBy', { name: nameOf(r.reviewer, ours(opp)) ?? '–', date: day(dayOf(r.reviewedAt)) })].filter(Boolean)
    .flatMap((part, i) => (i ? [t('partList'), part] : [part])) : t('reviewNone');
  // a review of another amount than the quote now on the deal does not cover it
  const uncovered = r && r.reviewedQuoteAmount != null && opp.quoteAmount != null && r.reviewedQuoteAmount !== opp.quoteAmount
    ? h('p', { id: 'review-uncovered', class: 'warn' }, t(r.feasible ? 'reviewUncovered' : 'reviewUncoveredRefused', { amount: money(r.reviewedQuoteAmount, opp.currency), current: money(opp.quoteAmount, opp.currency), names: accountManagers(opp) })) : null;
  // a verdict of not deliverable on the quote as it stands: reworked, not reviewed again as is
  const refused = r && opp.deliveryInfeasible && !settled(opp)
    ? h('p', { id: 'review-refused', class: 'warn' }, t('reviewRefused', { names: accountManagers(opp) })) : null;
  const mine = !settled(opp) && await reviewsIt(opp); // no review is recorded on a decided deal (the API refuses it)
  const form = mine ? reviewForm(opp, t(r ? 'reviewAgain' : 'recordReview'), () => act.done(t('reviewRecorded')), (values) => act.reload({ review: values }), typed) : null;
  return [h('h3', {}, t('reviewTitle')), h('p', { id: 'review-state' }, said), uncovered, refused, r?.comment ? h('p', { class: 'help' }, r.comment) : null,
    mine ? (r ? h('details', { open: Boolean(typed) }, h('summary', {}, t('reviewAgain')), form) : form)
      : settled(opp) ? null : h('p', { class: 'help' }, whoReviews(opp, 'whoReviewsDeal'))]; // who reviews: nobody, once winning it is over
}

async function quotePart(opp, who, act) {
  const manages = Boolean(who.teamMember) && opp.team.some((a) => a.role === 'ACCOUNT_MANAGER' && a.member.id === who.teamMember.id);
  // no quote goes out on a deal won, lost or abandoned (the API refuses it too)
  const submit = canWrite() && manages && !settled(opp) && opp.quoteStatus === 'DRAFT' ? actionForm('submit-quote', t('markSubmitted'), null, async (form) => {
    const payload = await mutate(P.submit, { id: opp.id, version: opp.version });
    // submitted, or changed, by someone else meanwhile: nothing to try again, the card shows it as it is
    if (payload.userErrors.some((e) => e.code === 'CONFLICT')) { await act.done(t('quoteMeanwhile')); return; }
    if (payload.userErrors.length) { await refused(form, payload, t('quoteRefused'), act); return; }
    await act.done(t('quoteSubmitted'));
  }) : null;
  // when it went in: how long the budget holders have had our price before them
  const status = opp.quoteStatus === 'SUBMITTED' && opp.quoteSubmittedAt
    ? pieces('quoteSubmittedOn', { date: day(dayOf(opp.quoteSubmittedAt)) }) : label('QuoteStatus', opp.quoteStatus);
  // no amount yet: the status alone ("no quote"), and where the amount is entered
  const state = opp.quoteAmount != null ? [money(opp.quoteAmount, opp.currency), t('partList'), status] : [status];
  const enter = opp.quoteAmount == null && canWrite() && !settled(opp) ? h('p', { class: 'help' }, linkToField('quoteAmount', t('quoteEnter'))) : null;
  return [h('h3', {}, t('quoteTitle')), h('p', { id: 'quote-state' }, ...state), enter, submit];
}

/** A value a request gave, as people read it: a timesheet's entries one after another. */
function shown(value) {
  if (Array.isArray(value)) return value.map((v) => (v && typeof v === 'object' ? Object.values(v).join(' ') : String(v))).join(t('nameList'));
  return value == null || value === '' ? '–' : String(value);
}

/** What the requester asked: the process's fields by their labels, and their comment in a
 * line of its own below them (its long label beside it would squeeze it into a column). */
function asked(a) {
  let values = {};
  try { values = JSON.parse(a.request || '{}') ?? {}; } catch { values = {}; }
  const requested = a.history.find((x) => x.fromState == null);
  const rows = a.processFields.filter((f) => f.name in values)
    .map((f) => [f.label, f.type === 'date' ? day(shown(values[f.name])) : shown(values[f.name])]);
  const fields = rows.length ? h('dl', { class: 'asked' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])) : null;
  const comment = requested?.comment
    ? h('p', { class: 'asked-comment' }, h('span', { class: 'label' }, `${t('requestComment')}${t('colon')}`), requested.comment)
    // nothing to judge: whoever decides is told, not left to approve a blank
    : a.state === 'PENDING' && !rows.length ? h('p', { class: 'asked-comment empty' }, t('requestedEmpty')) : null;
  return fields || comment ? h('div', { class: 'asked' }, fields, comment) : null;
}

/** The roles that decide ``a`` on the deal's team and that nobody on it holds (a director decides
 * by his own role): whoever would decide as one is not on the team, so cannot see the request. */
const unstaffed = (a, team) => a.approverRoles.filter((role) => role !== 'SALES_DIRECTOR' && !team.some((m) => m.role === role));

/** The roles the signed-in person decides in on the deal, as the API counts them: their places
 * on its team, and a sales director's own role (he need not be on it). */
function myRoles(opp, who) {
  const mine = who.teamMember;
  if (!mine || !canWrite()) return new Set();
  const roles = new Set(opp.team.filter((a) => a.member.id === mine.id).map((a) => a.role));
  if (mine.role === 'SALES_DIRECTOR') roles.add('SALES_DIRECTOR');
  return roles;
}

/** Whoever but ``meId`` may decide a process that ``roles`` decide on the deal: those on its team
 * in one of them, and (a director deciding by his own role) the sales directors who see the deal
 * (on its team, or directing someone on it). */
function othersDeciding(opp, roles, meId) {
  const found = new Map();
  for (const a of opp.team) if (roles.includes(a.role)) found.set(a.member.id, a.member);
  if (roles.includes('SALES_DIRECTOR')) {
    for (const a of opp.team) {
      if (a.member.role === 'SALES_DIRECTOR') found.set(a.member.id, a.member);
      for (const d of a.member.directors ?? []) if (d.role === 'SALES_DIRECTOR') found.set(d.id, d);
    }
  }
  found.delete(meId);
  return [...found.values()];
}

/** A request the signed-in person would decide himself (a director asking for a director's
 * approval): the API never lets anyone decide his own request, so it says so and names who
 * decides it instead, or that nobody else on the deal may yet; null for anyone else. */
function ownDecision(opp, who, roles, asked = false) {
  const mine = myRoles(opp, who);
  const as = roles.filter((r) => mine.has(r));
  if (!as.length) return null;
  const others = othersDeciding(opp, roles, who.teamMember.id);
  const known = [...ours(opp), ...others];
  const names = others.map((p) => nameOf(p, known)).join(t('nameList'));
  const key = asked ? (names ? 'ownPendingDecidedBy' : 'ownPendingNobody') : names ? 'ownRequestDecidedBy' : 'ownRequestNobody';
  return h('p', { class: 'help own-request' }, t(key, { role: rolesOr(as), roles: rolesOr(roles), names }));
}

/** Who decides ``a``: its roles and, by name, whoever holds one and sees the deal (never its
 * requester; namesakes told apart), and which of those roles the deal's team lacks. */
function deciders(a, opp) {
  const missing = unstaffed(a, opp.team);
  const roles = rolesOr(a.approverRoles);
  if (missing.length) return t('decidedByUnstaffed', { roles, missing: rolesOr(missing) });
  const others = othersDeciding(opp, a.approverRoles, a.requestedBy?.id);
  const known = [...ours(opp), ...others, ...(a.requestedBy ? [a.requestedBy] : [])];
  const names = others.map((p) => nameOf(p, known)).join(t('nameList'));
  if (names) return t('decidedByNamed', { roles, names });
  // nobody can decide it yet: said, or "decided by a Sales director" reads as if one would
  const requesterOnly = a.requestedBy && othersDeciding(opp, a.approverRoles, null).some((p) => p.id === a.requestedBy.id);
  return requesterOnly ? t('decidedByRequesterOnly', { roles, name: nameOf(a.requestedBy, known) }) : t('decidedByNoneSees', { roles });
}

/** One approval: what was asked and by whom; pending, the decision for whoever may make it and
 * the withdrawal for its requester; decided, who decided when and why (a rejection stands out). */
function approvalItem(a, who, act, opp) {
  const [over, people] = [ended(opp), ours(opp)];
  const decide = (decision, comment) => async (form) => {
    const payload = await mutate(P.decide, { id: a.id, input: { decision, comment: comment?.value || null, version: a.version } });
    if (payload.userErrors.length) { await refused(form, payload, a.processName, act); return; }
    const key = { APPROVE: 'approvedNote', REJECT: 'rejectedNote', WITHDRAW: 'withdrawnNote' }[decision];
    await act.done(t(key, { process: a.processName }));
  };
  const pending = a.state === 'PENDING';
  let form = null;
  if (pending && a.mayDecide) {
    const comment = h('textarea', { rows: 1 });
    let chosen = 'APPROVE';
    form = actionForm(null, t('approve'), field('input.comment', t('decisionComment'), comment), (f) => decide(chosen, comment)(f));
    const approve = form.querySelector('button[type=submit]');
    approve.addEventListener('click', () => { chosen = 'APPROVE'; });
    approve.after(' ', h('button', { type: 'submit', class: 'reject', onclick: () => { chosen = 'REJECT'; } }, t('reject')));
  } else if (pending && canWrite() && who.teamMember && a.requestedBy?.id === who.teamMember.id) {
    // one he would decide were it another's: who decides it instead
    form = [over ? null : ownDecision(opp, who, a.approverRoles, true), actionForm(null, t('withdraw'), null, decide('WITHDRAW'))];
    form[1].classList.add('withdraw');
  }
  const decided = pending ? null : [...a.history].reverse().find((x) => x.toState === a.state);
  const outcome = decided ? h('p', { class: 'decision' }, pieces('decisionLine', { state: label('ApprovalState', a.state), name: nameOf(decided.actor, people) ?? '–', date: day(dayOf(decided.at)) }),
    decided.comment ? `${t('colon')}${decided.comment}` : null) : null;
  return h('li', { class: `approval ${a.state.toLowerCase()}`, dataset: { id: a.id, state: a.state } },
    h('strong', {}, a.processName), h('span', { class: 'state' }, aside(label('ApprovalState', a.state))),
    h('p', { class: 'help' }, pieces('requestedBy', { name: nameOf(a.requestedBy, people) ?? '–', date: day(dayOf(a.createdAt)) }),
      pending ? `${t('partList')}${over ? t('decidedByNobody') : deciders(a, opp)}` : null),
    asked(a), outcome, form);
}

/** An input for one of a process's request fields, by its type. */
function requestInput(f) {
  if (f.type === 'date') return h('input', { type: 'date', required: f.required });
  if (f.type === 'hours') return h('input', { type: 'number', min: '0', step: '0.5', inputmode: 'decimal', required: f.required });
  if (f.type === 'int') return h('input', { type: 'number', step: '1', inputmode: 'numeric', required: f.required });
  if (f.type === 'timesheet') return h('textarea', { rows: 2, required: f.required, placeholder: t('timesheetHelp') });
  return h('input', { type: 'text', required: f.required });
}

/** A field's value as the API takes it: numbers as numbers, a timesheet's lines as entries. */
function requestValue(f, input) {
  const raw = input.value.trim();
  if (raw === '') return null;
  if (f.type === 'hours' || f.type === 'int') return Number(raw);
  if (f.type === 'timesheet') {
    return raw.split('\n').filter((l) => l.trim()).map((line) => {
      const [member, week, hours] = line.split(/[,，]/).map((x) => x.trim());
      return { member, week, hours: Number(hours) };
    });
  }
  return raw;
}

/** The request of one approval the next stage lacks: its process's fields and a comment. */
function requestForm(m, opp, act, who) {
  const inputs = Object.fromEntries(m.fields.map((f) => [f.name, requestInput(f)]));
  for (const f of m.fields) {
    const before = f.notBefore && inputs[f.notBefore];
    if (before) before.addEventListener('change', () => { inputs[f.name].min = before.value; });
  }
  // what whoever decides it needs to read, said where the request is written
  const helpId = `request-help-${m.process}-${Math.random().toString(36).slice(2, 7)}`;
  const comment = h('textarea', { rows: 3, 'aria-describedby': m.requestHelp ? helpId : null });
  const form = h('form', { class: 'request-form', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    // asked once: whoever decides reads only what is written here, where the process has no
    // fields of its own to fill (sent again, it goes without)
    if (m.requestHelp && !m.fields.length && !comment.value.trim() && form.dataset.emptyAsked !== 'true') {
      form.dataset.emptyAsked = 'true';
      showUserErrors(form, [{ field: ['input', 'comment'], code: 'CONFIRM', message: t('requestEmpty') }]);
      return;
    }
    const fields = {};
    for (const f of m.fields) { const v = requestValue(f, inputs[f.name]); if (v != null) fields[f.name] = v; }
    const payload = await mutate(P.request, { input: { opportunityId: opp.id, process: m.process, fields, comment: comment.value || null } });
    if (payload.userErrors.length) {
      const atFields = payload.userErrors.filter((e) => e.field.length > 1);
      if (atFields.length) showUserErrors(form, payload.userErrors); else await refused(form, payload, m.processName, act);
      return;
    }
    await act.done(t('requestedNote', { process: m.processName }));
  }); } },
  m.fields.map((f) => field(`input.fields.${f.name}`, f.label, inputs[f.name])),
  field('input.comment', t('requestComment'), comment),
  m.requestHelp ? h('p', { id: helpId, class: 'help request-help' }, m.requestHelp) : null, h('button', { type: 'submit' }, t(ownDecision(opp, who, m.approverRoles) ? 'requestOthersDecide' : 'requestApproval')));
  return form;
}

/** Each approval the next stage needs and lacks: its request for whoever may make it, for
 * everyone else who makes it. One of a stage the deal has passed says so: the deal went on
 * without it, which reads otherwise as if it had skipped the gate unnoticed. */
function neededPart(opp, who, act) {
  const missing = opp.missingApprovals;
  if (!missing.length || !opp.nextStage) return null;
  const stages = enumValues('Stage');
  const passed = (m) => Number.parseInt(m.process, 10) < stages.indexOf(opp.stage) + 1;
  return [h('h3', {}, t('neededTitle', { stage: label('Stage', opp.nextStage) })),
    h('ul', { id: 'needed-approvals', class: 'plain' }, missing.map((m) => {
      const stage = stages[Number.parseInt(m.process, 10) - 1];
      const state = m.state ? t('requestAgain', { state: label('ApprovalState', m.state) })
        : passed(m) ? t('notRequestedPassed', { stage: label('Stage', stage) }) : t('notRequested');
      const asks = m.requesterRoles.length ? t('whoRequests', { roles: rolesOr(m.requesterRoles) }) : t('anyoneRequests');
      return h('li', { class: `needed${m.state === 'REJECTED' ? ' rejected' : ''}`, dataset: { process: m.process } },
        h('strong', {}, m.processName), h('span', { class: 'state' }, aside(state)),
        m.mayRequest ? [ownDecision(opp, who, m.approverRoles), h('details', { class: 'request' }, h('summary', {}, t('requestApproval')), requestForm(m, opp, act, who))]
          : h('p', { class: 'help' }, asks));
    }))];
}

/** The processes one may also request on the deal (a POC, presales resources, bid documents),
 * each with its latest outcome: the one picked opens its request form. */
function otherPart(opp, who, act) {
  const offered = (opp.optionalApprovals ?? []).filter((m) => m.mayRequest);
  if (!offered.length) return null;
  const slot = h('div', { class: 'other-request' });
  const named = (m) => (m.state ? `${m.processName}${aside(label('ApprovalState', m.state))}` : m.processName);
  const pick = select({ id: 'other-process' }, [['', t('choose')], ...offered.map((m) => [m.process, named(m)])], '');
  pick.addEventListener('change', () => {
    const m = offered.find((x) => x.process === pick.value);
    slot.replaceChildren(...(m ? [ownDecision(opp, who, m.approverRoles), requestForm(m, opp, act, who)].filter(Boolean) : []));
  });
  return h('details', { id: 'other-requests', class: 'request' }, h('summary', {}, t('otherRequest')),
    field('process', t('otherProcess'), pick), slot);
}

/** One open violation: who answers for it and since when, their response and a director's
 * send-back if there were any; the response form for whoever answers for it, the send-back
 * (while a response waits) and the acknowledgement for a sales director who does not
 * (``mayRespond``, ``maySendBack``, ``mayAcknowledge``), and to anyone else who does which. */
function violationItem(v, act, people = []) {
  const form = (cls, mutation, label, noteLabel, doneText, more = null) => {
    const note = h('input', { type: 'text', required: true });
    const f = actionForm(null, label, [field('note', noteLabel, note), more?.field], async () => {
      const payload = await mutate(mutation, { id: v.id, note: note.value, ...more?.values() });
      // a newer response, or a step someone took meanwhile: shown as it is, in the API's words
      if (await stale(payload, act.reload, refusal(payload))) return;
      if (payload.userErrors.length) { showUserErrors(f, payload.userErrors); return; }
      await act.done(doneText);
    });
    f.classList.add(cls);
    return f;
  };
  const responsible = nameOf(v.responsible, people) ?? '–';
  const said = (key, name, at, note) => pieces(key, { name: name ?? '–', date: day(dayOf(at)), note: unended(note) });
  // sent back and not answered since: the director's note, then what it answered
  const sentBack = v.sentBackNote ? h('p', { class: 'sent-back' }, said('sentBackLine', nameOf(v.sentBackBy, people), v.sentBackAt, v.sentBackNote),
    v.respondedAt || !v.responseNote ? null : [' ', pieces('responseWas', { note: unended(v.responseNote) })]) : null;
  const response = v.respondedAt ? h('p', { class: 'response' }, said('responseLine', nameOf(v.respondedBy, people), v.respondedAt, v.responseNote),
    promised(v)) : null;
  // a director judges the response they read: a newer one comes back as a conflict to read
  const read = { field: null, values: () => ({ respondedAt: v.respondedAt ?? null }) };
  const forms = [
    v.mayRespond ? form('respond-form', P.respond, t(v.responseNote ? 'respondAgain' : 'respond'), t('respondNote'), t('respondedNote'), promiseInput(v)) : null,
    v.maySendBack ? form('send-back-form', P.sendBack, t('sendBack'), t('sendBackNote'), v.responsible ? t('sentBackDone', { name: responsible }) : t('sentBackDoneTeam'), read) : null,
    v.mayAcknowledge ? form('ack-form', P.acknowledge, t('acknowledge'), t('ackNote'), t('acknowledgedNote'), read) : null,
  ].filter(Boolean);
  const who = forms.length || !canWrite() ? null
    : h('p', { class: 'help ack-who' }, v.respondedAt ? t('ackWaiting') : t('respondWho', { name: responsible }));
  return h('li', { class: 'violation', dataset: { id: v.id } }, h('span', {}, withDays(v.message)),
    h('p', { class: 'help' }, pieces('violationLine', { name: responsible, date: day(dayOf(v.detectedAt)) })), sentBack, response, ...forms, who);
}

/** The date a response to a violation that goes on promises to put it right by (the API
 * refuses a date it cannot take, and its lack); none for a past event, judged once. */
function promiseInput(v) {
  if (v.recheckDays == null) return null;
  const by = h('input', { type: 'date', required: true, min: utcDay(Date.now() + 86_400_000) });
  return { field: field('putRightBy', t('putRightBy'), by), values: () => ({ putRightBy: by.value || null }) };
}

/** A response's promise, beside it: by when, how many days that gave, and the usual recheck
 * it goes beyond (marked, for the director who acknowledges it agrees to that date). */
export function promised(v) {
  if (!v.putRightBy) return null;
  const days = daysBetween(utcDay(v.respondedAt), v.putRightBy);
  const beyond = v.recheckDays != null && days > v.recheckDays;
  return [' ', h('span', { class: `promise${beyond ? ' beyond' : ''}` },
    pieces(days === 1 ? 'promisedLineOne' : 'promisedLine', { date: day(v.putRightBy), days: String(days), recheck: String(v.recheckDays ?? '–') }))];
}

/** Days from today (UTC, as the API counts) to a running commitment's date. */
export const daysLeft = (v) => daysBetween(utcDay(Date.now()), v.putRightBy);

/** A running commitment: the violation a director acknowledged on a promised date, kept in
 * sight until its cause is put right or, the date passed, it comes back as a commitment missed;
 * said to whoever made the promise (``meId``) as theirs. Days are UTC days, as the API's. */
export function commitment(v, meId = null, people = []) {
  const left = daysLeft(v);
  const when = left < 0 ? t('promisePassed') : left === 0 ? t('promiseToday') : left === 1 ? t('promiseTomorrow') : t('promiseInDays', { days: String(left) });
  const on = day(utcDay(v.acknowledgedAt));
  const agreed = v.acknowledgedByMember ? pieces('agreedBy', { director: nameOf(v.acknowledgedByMember, people), day: on }) : pieces('agreedOn', { day: on });
  const mine = meId !== null && v.respondedBy?.id === meId;
  return [h('span', { class: `promise-due${left <= 0 ? ' late' : ''}` }, when), ' · ',
    pieces(mine ? 'commitmentMine' : 'commitmentLine', { name: nameOf(v.respondedBy, people) ?? '–', date: day(v.putRightBy), agreed })];
}

/** The deal's running commitments: each violation's message, then who promised which date. */
function commitmentsPart(commitments, meId, people) {
  if (!commitments.length) return null;
  return [h('h3', {}, t('commitmentsTitle')), h('p', { class: 'help' }, t('commitmentsHelp')),
    h('ul', { id: 'commitments', class: 'plain' }, commitments.map((v) => h('li', { class: 'commitment', dataset: { id: v.id } },
      h('span', {}, withDays(v.message)), h('p', { class: 'help' }, commitment(v, meId, people)))))];
}

/** The deal's latest violations a director acknowledged without a date (none promised, or
 * none answered at all): who took note, when and why, so the team sees it was taken up. */
function acknowledgedPart(all, people) {
  if (!all.length) return null;
  const acknowledged = [...all].sort((a, b) => b.acknowledgedAt.localeCompare(a.acknowledgedAt)).slice(0, ACKNOWLEDGED_SHOWN);
  const line = (v) => {
    const vars = { director: nameOf(v.acknowledgedByMember, people) ?? '', day: day(utcDay(v.acknowledgedAt)), note: v.acknowledgementNote ?? '' };
    return pieces(v.acknowledgedByMember ? 'acknowledgedLine' : 'acknowledgedLineNoOne', vars);
  };
  return [h('h3', {}, t('acknowledgedTitle')), h('p', { class: 'help' }, t('acknowledgedHelp')),
    h('ul', { id: 'acknowledged', class: 'plain' }, acknowledged.map((v) => h('li', { class: 'acknowledged', dataset: { id: v.id } },
      h('span', {}, withDays(v.message)), h('p', { class: 'help' }, line(v)))))];
}

/** The deal's Process card: stage and the move forward, the iron triangle, the delivery review,
 * the quote, the approvals (pending, decided and those the next stage lacks) and open
 * violations; each action for whoever may take it, the rest read-only. ``done(text)`` reloads
 * the deal and says what was done; a stale version reloads the card. */
export function processCard(id, done) {
  const card = h('section', { id: 'process', class: 'card process', 'aria-labelledby': 'process-title' }, h('h2', { id: 'process-title' }, t('processTitle')), loading());
  fill(card, id, done);
  return card;
}

/** Pending first, then the decided ones, newest first. */
const inOrder = (approvals) => [...approvals].sort((a, b) => (a.state === 'PENDING') === (b.state === 'PENDING')
  ? b.createdAt.localeCompare(a.createdAt) : a.state === 'PENDING' ? -1 : 1);

/** Draw the card from the deal as it is now; ``kept.review``: the review typed when the deal
 * changed under it, kept in its form. */
async function fill(card, id, done, kept = null) {
  const data = await gql(PROCESS, { id });
  const opp = data.node;
  if (!opp) { card.remove(); return; }
  everyone.set(opp, await allOurs(named(opp)));
  const who = data.me ?? { roles: [], seesEverything: false, teamMember: null };
  const act = { done, reload: (again = null) => fill(card, id, done, again) };
  const approvals = inOrder(opp.approvals);
  const violations = data.violations?.nodes ?? [];
  const parts = [h('h2', { id: 'process-title' }, t('processTitle')),
    stagePart(opp, who, act), trianglePart(opp), await reviewPart(opp, act, kept?.review), await quotePart(opp, who, act),
    h('h3', {}, t('approvalsTitle')), approvals.length ? h('ul', { id: 'approvals', class: 'plain' }, approvals.map((a) => approvalItem(a, who, act, opp))) : h('p', { class: 'help' }, t('noApprovals')),
    neededPart(opp, who, act), otherPart(opp, who, act),
    h('h3', {}, t('violationsTitle')), violations.length ? h('ul', { id: 'violations', class: 'plain' }, violations.map((v) => violationItem(v, act, ours(opp)))) : h('p', { class: 'help' }, t('noViolations')),
    commitmentsPart(data.commitments?.nodes ?? [], who.teamMember?.id ?? null, ours(opp)),
    acknowledgedPart(data.acknowledged?.nodes ?? [], ours(opp))];
  card.replaceChildren(...parts.flat().filter(Boolean)); // an action nobody here may take is left out
  if (kept?.review) {
    const form = card.querySelector('.review-form');
    if (form) dealChanged(form, opp); else notice(said('staleCard'), 'help'); // no longer theirs to review
  }
  const first = !card.dataset.ready;
  card.dataset.ready = String(Date.now());
  if (first) showTarget(card);
}

/** The item a link from My work points at (``#approval-<id>``, ``#violation-<id>``,
 * ``#commitment-<id>``, ``#review``), scrolled to and marked once the card is drawn the first time: the approver finds
 * the request without hunting down the panel. */
function showTarget(card) {
  const wanted = decodeURIComponent(location.hash.slice(1));
  const target = wanted.startsWith('approval-')
    ? card.querySelector(`li.approval[data-id="${CSS.escape(wanted.slice('approval-'.length))}"]`)
    : wanted.startsWith('violation-') ? card.querySelector(`li.violation[data-id="${CSS.escape(wanted.slice('violation-'.length))}"]`)
    : wanted.startsWith('commitment-') ? card.querySelector(`li.commitment[data-id="${CSS.escape(wanted.slice('commitment-'.length))}"]`)
    : wanted === 'review' ? card.querySelector('.review-form') ?? card.querySelector('#review-state') : null;
  if (!target) return;
  target.classList.add('target');
  target.scrollIntoView({ block: 'center' });
  target.querySelector('textarea, input, select, button')?.focus({ preventScroll: true });
}
