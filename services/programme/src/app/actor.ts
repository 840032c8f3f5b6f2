import type { Actor } from '@lienket/platform';
import type { ProgrammeActor } from '../domain/actor';

/**
 * The platform's actor as the programme sees it: a province officer is its promotion centre, an
 * admin the ministry's department. Sponsors have no role of their own in the platform's actor yet
 * (identity maps them to analysts), so no caller maps to `sponsor` until it does (README, "Not yet").
 */
export function programmeActor(actor: Actor): ProgrammeActor {
  switch (actor.role) {
    case 'enterprise':
      return { kind: 'enterprise', enterpriseId: actor.enterpriseId, subject: actor.subject };
    case 'province':
      return { kind: 'centre', province: actor.provinceCode, subject: actor.subject };
    case 'admin':
      return { kind: 'ministry', subject: actor.subject };
    case 'analyst':
      return { kind: 'analyst', subject: actor.subject };
    case 'service':
      return { kind: 'service', subject: actor.subject };
    default:
      return { kind: 'anonymous', subject: '' };
  }
}
