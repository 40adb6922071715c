// The red / amber / green status of a deal: one rule for the map's pill and the pipeline's.
import { percent, t } from './i18n.js';

/** A deal's status from its red flags and win likelihood (``analysis { redFlags { severity } }``
 * and ``assessment { winLikelihood { value } }``): red with two or more serious flags or a
 * likelihood under 30 %, amber with any serious flag, more than two flags or under 60 %. */
export function dealStatus(opp) {
  const flags = opp.analysis?.redFlags ?? [];
  const high = flags.filter((f) => f.severity === 'HIGH').length;
  const p = opp.assessment?.winLikelihood.value ?? 0;
  const colour = high >= 2 || p < 0.3 ? 'red' : high || flags.length > 2 || p < 0.6 ? 'amber' : 'green';
  return { colour, text: t('statusWhy', { high, flags: flags.length, p: percent(p) }) };
}

/** The i18n key of a status colour's name. */
export const statusKey = (colour) => ({ red: 'statusRed', amber: 'statusAmber', green: 'statusGreen' }[colour]);
