// A deal's status as the API judges it (``health``): one reading for the map's pill and the
// pipeline's, so the browser never works out a rule of its own.
import { label } from './i18n.js';

/** The colour each status is drawn in. */
const COLOUR = { NOT_ASSESSED: 'grey', ON_TRACK: 'green', NEEDS_ATTENTION: 'amber', AT_RISK: 'red' };

/** An open deal's status from ``health { status reasons { text status } }``: its colour, its
 * name, its reasons in one line (a tooltip) and one by one, each in the colour it alone gives
 * (the API words them in the request's language); null for a closed deal, which has none. */
export function dealStatus(opp) {
  const health = opp.health;
  if (!health) return null;
  return { status: health.status, colour: COLOUR[health.status], name: label('DealHealthStatus', health.status), text: health.reasons.map((r) => r.text).join('; '),
    reasons: health.reasons.map((r) => ({ text: r.text, colour: COLOUR[r.status] ?? COLOUR[health.status] })) };
}

/** What the pipeline's filter and count call at risk: the API's own verdict. */
export const isAtRisk = (opp) => opp.health?.status === 'AT_RISK';
