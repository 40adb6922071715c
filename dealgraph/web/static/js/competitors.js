// The competitors on one deal and their standing (position, price), and which key person is
// close to which of them: the scores, red flags and plays read both. Writers add a competitor
// (one already known, or a new one by name), change its standing, take it off the deal, and
// mark a person as close to one of the deal's competitors in the person panel.
import { canWrite, everyPage, gql, mutate } from './api.js';
import { enumOptions, field, h, removeButton, select, showUserErrors, submitting } from './dom.js';
import { aside, label, labelled, listOf, t } from './i18n.js';

const ON_DEAL = `query Rivals($id: ID!) {
  node(id: $id) { ... on Opportunity { id name competitors { competitor { id name } position pricePosition } } } }`;
const KNOWN = `query Known($after: String) { competitors(first: 100, after: $after) {
  nodes { id name } pageInfo { hasNextPage endCursor } } }`;
const ERR = 'userErrors { field message code messageEn messageZh }';
const CREATE = `mutation($input: CompetitorCreateInput!) { competitorCreate(input: $input) { competitor { id name } ${ERR} } }`;
const SET = `mutation($input: CompetitorOnOpportunityInput!) { competitorOnOpportunitySet(input: $input) { opportunity { id } ${ERR} } }`;
const REMOVE = `mutation($input: CompetitorOnOpportunityInput!) { competitorOnOpportunityRemove(input: $input) { opportunity { id } ${ERR} } }`;
const TIE = `mutation($input: CompetitorTieInput!) { competitorTieSet(input: $input) { keyPerson { id } ${ERR} } }`;
const UNTIE = `mutation($input: CompetitorTieInput!) { competitorTieRemove(input: $input) { keyPerson { id } ${ERR} } }`;
const NEW = '__new__';

/** A closed card that reads the deal's competitors when opened. */
export function competitorsCard(opportunityId, reloaded) {
  const body = h('div', {});
  const card = h('details', { id: 'deal-competitors', class: 'card', ontoggle: () => { if (card.open) show(); } },
    h('summary', {}, h('strong', {}, t('dealCompetitors'))), body);

  async function show() {
    const deal = (await gql(ON_DEAL, { id: opportunityId })).node;
    const all = canWrite() ? await everyPage(KNOWN) : [];
    body.replaceChildren(list(deal), ...(canWrite() ? [setForm(deal, all)] : []));
    card.dataset.ready = String(Date.now());
  }

  function list(deal) {
    if (!deal.competitors.length) return h('p', { class: 'help', id: 'competitors-empty' }, t('competitorsEmpty'));
    return h('ul', { id: 'competitor-list', class: 'plain' }, deal.competitors.map((c) => h('li', { dataset: { competitor: c.competitor.id } },
      h('strong', {}, c.competitor.name),
      aside(listOf([label('CompetitivePosition', c.position), labelled(t('pricePosition'), label('PricePosition', c.pricePosition))])),
      canWrite() ? removeButton(c.competitor.name, async () => {
        const payload = await mutate(REMOVE, { input: { competitorId: c.competitor.id, opportunityId: deal.id } });
        if (payload.userErrors.length) { showUserErrors(body, payload.userErrors); return; }
        await reloaded(t('competitorRemoved', { name: c.competitor.name, deal: deal.name }));
      }) : null)));
  }

  /** Add a competitor to the deal or change its standing; a name not known yet is created
   * first, and stays known (picked in the form) if the deal then refuses it. */
  function setForm(deal, all) {
    const onDeal = new Map(deal.competitors.map((c) => [c.competitor.id, c]));
    const which = select({ required: true }, [['', t('choose')], ...all.map((c) => [c.id, c.name]), [NEW, t('newCompetitor')]], '');
    const name = h('input', { type: 'text', maxlength: 200 });
    const nameField = field('input.name', t('competitorName'), name);
    nameField.hidden = true;
    const position = select({}, enumOptions('CompetitivePosition'), 'UNKNOWN');
    const price = select({}, enumOptions('PricePosition'), 'UNKNOWN');
    which.addEventListener('change', () => {
      nameField.hidden = which.value !== NEW;
      name.required = which.value === NEW;
      const current = onDeal.get(which.value);
      position.value = current?.position ?? 'UNKNOWN';
      price.value = current?.pricePosition ?? 'UNKNOWN';
    });
    const form = h('form', { id: 'competitor-form', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
      let competitor = all.find((c) => c.id === which.value);
      if (which.value === NEW) {
        const typed = name.value.trim().toLocaleLowerCase();
        const known = all.find((c) => c.name.trim().toLocaleLowerCase() === typed);
        if (known) { // one company, one record: picked, not made twice, with the standing chosen
          const chosen = [position.value, price.value];
          which.value = known.id;
          which.dispatchEvent(new Event('change'));
          [position.value, price.value] = chosen;
          showUserErrors(form, [{ field: ['input', 'competitorId'], code: 'CONFLICT', message: t('competitorKnown', { name: known.name }) }]);
          return;
        }
        const created = await mutate(CREATE, { input: { name: name.value.trim() } });
        if (created.userErrors.length) { showUserErrors(form, created.userErrors); return; }
        competitor = created.competitor;
        all.push(competitor);
        which.insertBefore(h('option', { value: competitor.id }, competitor.name), which.lastElementChild);
        which.value = competitor.id;
        nameField.hidden = true;
        name.required = false;
      }
      const payload = await mutate(SET, { input: { competitorId: competitor.id, opportunityId: deal.id, position: position.value, pricePosition: price.value } });
      if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
      await reloaded(t(onDeal.has(competitor.id) ? 'competitorChanged' : 'competitorAdded', { name: competitor.name, deal: deal.name }));
    }); } }, h('h3', {}, t('competitorSet')),
    field('input.competitorId', t('competitor'), which), nameField,
    field('input.position', t('competitivePosition'), position), field('input.pricePosition', t('pricePosition'), price),
    h('button', { type: 'submit' }, t('save')));
    return form;
  }

  return card;
}

/** The person panel's form: this person is close to one of the deal's competitors (how close),
 * or no longer is. ``competitors`` are the deal's; ``reloaded(text)`` reloads the deal. */
export function competitorTieForm(member, competitors, reloaded) {
  const person = member.person;
  const ties = h('ul', { class: 'plain competitor-ties' }, member.competitorTies.map((x) => h('li', {},
    `${x.competitor.name}${aside(label('TieStrength', x.level))} `,
    removeButton(x.competitor.name, async () => {
      const payload = await mutate(UNTIE, { input: { competitorId: x.competitor.id, personId: person.id } });
      if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
      await reloaded(t('competitorTieRemoved', { person: person.name, competitor: x.competitor.name }));
    }))));
  const which = select({ required: true }, [['', t('choose')], ...competitors.map((c) => [c.competitor.id, c.competitor.name])], '');
  const level = select({}, enumOptions('TieStrength'), 'MODERATE');
  const form = h('form', { id: 'competitor-tie-form', class: 'card', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const payload = await mutate(TIE, { input: { competitorId: which.value, personId: person.id, level: level.value } });
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    const competitor = competitors.find((c) => c.competitor.id === which.value)?.competitor.name ?? '';
    await reloaded(t('competitorTieSaved', { person: person.name, competitor }));
  }); } }, h('h3', {}, t('competitorTie')),
  member.competitorTies.length ? ties : null,
  competitors.length
    ? [field('input.competitorId', t('competitor'), which), field('input.level', t('strength'), level), h('button', { type: 'submit' }, t('save'))]
    : h('p', { class: 'help' }, t('noCompetitorsYet')));
  return form;
}
