// The GraphQL client: bearer token from sessionStorage, language from the page, 401 → sign-in.
import { lang, saidBoth } from './i18n.js';

const TOKEN = 'dealgraph.token';

export class SignInNeeded extends Error {}
/** A top-level error; ``said``: its message by its source (both languages when the API gave
 * them), said again in the language a switch chooses. */
export class ApiError extends Error {
  constructor(message, code, said = message) { super(message); this.code = code; this.said = said; }
}

export const token = () => sessionStorage.getItem(TOKEN);
export const setToken = (value) => value ? sessionStorage.setItem(TOKEN, value) : sessionStorage.removeItem(TOKEN);

/** Run one operation; returns data, throws SignInNeeded on 401 and ApiError on top-level errors. */
export async function gql(query, variables = {}) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'accept-language': lang(),
      authorization: `Bearer ${token() ?? ''}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  if (response.status === 401) { setToken(null); throw new SignInNeeded(); }
  let body;
  try { body = await response.json(); } catch { throw new ApiError(`HTTP ${response.status}`, 'INTERNAL_SERVER_ERROR'); }
  if (body.errors?.length) {
    const [first] = body.errors;
    if (first.extensions?.code === 'FORBIDDEN') await recheckRoles();
    const { messageEn: en, messageZh: zh } = first.extensions ?? {};
    throw new ApiError(first.message, first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', en || zh ? saidBoth(en, zh) : first.message);
  }
  return body.data;
}

/** Every node of a list the query reads a page at a time (its ``$after``), in the API's order. */
export async function everyPage(query, variables = {}) {
  const nodes = [];
  let after = null;
  do {
    const [list] = Object.values(await gql(query, { ...variables, after }));
    nodes.push(...list.nodes);
    after = list.pageInfo.hasNextPage ? list.pageInfo.endCursor : null;
  } while (after);
  return nodes;
}

let session = null;
/** Who is signed in (roles, team member), asked once per token. */
export async function me() {
  if (session?.token !== token()) {
    const data = await gql('{ me { userId roles seesEverything teamMember { id name } } }');
    session = { token: token(), ...data.me };
  }
  return session;
}
/** The user of the last session read (kept after it ends, to tell whether the same one
 * signs in again). */
export const lastUser = () => session?.userId ?? null;
/** Whether the signed-in user may change data (a viewer may only read). */
export const canWrite = () => Boolean(session && session.roles.some((r) => r !== 'viewer'));

/** Run one mutation; returns its payload (with userErrors) — the caller shows them by field. */
export async function mutate(query, variables) {
  const data = await gql(query, variables);
  const payload = Object.values(data)[0];
  if (payload?.userErrors?.some((e) => e.code === 'FORBIDDEN')) await recheckRoles();
  return payload;
}

/** After a refusal, ask again who is signed in: a role changed meanwhile (an administrator
 * lowered it) draws the page again (``dealgraph:roles-changed``, heard by main.js), so it stops
 * offering what the role may no longer do. */
async function recheckRoles() {
  const before = session;
  session = null;
  if (!before || before.token !== token()) return;
  try {
    if ((await me()).roles.join() !== before.roles.join()) window.dispatchEvent(new CustomEvent('dealgraph:roles-changed'));
  } catch { /* signed out or offline: the refusal is said where it happened */ }
}

const PEOPLE = `query People($after: String) { teamMembers(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id name role title email leftAt } } }`;
let people = null;
/** Our people by name, with their own role and title (for the owner and member filters and the team
 * card), read once per token: pages asking while it is read share the one reading, a failed one
 * is read again next time. */
export function teamMembers() {
  if (people?.token !== token()) {
    const list = everyPage(PEOPLE);
    people = { token: token(), list };
    list.catch(() => { if (people?.list === list) people = null; });
  }
  return people.list;
}
/** All of ours, among whom a page tells two with one name apart (one 王伟 alone on a deal is
 * still told from the other, whom a reader may know); ``known``, the people the page read with
 * its data, stand in for whoever the list lacks (our people could not be read). */
export async function allOurs(known = []) {
  const all = await teamMembers().catch(() => []);
  const listed = new Set(all.map((p) => p.id));
  return [...all, ...new Map(known.filter((p) => p?.id && !listed.has(p.id)).map((p) => [p.id, p])).values()];
}
/** Read our people afresh next time (someone left or joined). */
export const forgetTeamMembers = () => { people = null; };
/** Whether the signed-in user is an administrator (who manages our people). */
export const isAdmin = () => Boolean(session?.roles.includes('admin'));
/** Who is signed in, as the header names them: their name as one of ours, else their login;
 * null until the session is read. */
export const signedInAs = () => (session && session.token === token() ? session.teamMember?.name ?? session.userId : null);
/** Whether the signed-in login acts as one of our team members (who join what they create). */
export const actsAsMember = () => Boolean(session?.teamMember);
