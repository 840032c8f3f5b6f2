import type { Actor } from '@lienket/platform';
import { AppError } from '@lienket/platform/errors';
import type { Interest, Offer, Party } from './model';

export const deny = (message: string, messageVi: string, code = 'NOT_ALLOWED') =>
  new AppError('PERMISSION_DENIED', message, { code, messageVi });

export function requireAuthenticated(actor: Actor): void {
  if (actor.role === 'anonymous') {
    throw new AppError('UNAUTHENTICATED', 'Sign in to do this', {
      messageVi: 'Vui lòng đăng nhập để thực hiện',
    });
  }
}

/** The enterprise itself, an admin, or a LienKet service. */
export function requireActsFor(actor: Actor, enterpriseId: string): void {
  requireAuthenticated(actor);
  if (actor.role === 'admin' || actor.role === 'service') return;
  if (actor.role === 'enterprise' && actor.enterpriseId === enterpriseId) return;
  throw deny(
    'Only the enterprise itself may do this',
    'Chỉ chính doanh nghiệp mới được thực hiện thao tác này',
  );
}

/** Whether the actor may see a published offer: its visibility, and the owner always. */
export function maySeeOffer(actor: Actor, offer: Offer, viewer: Party | undefined): boolean {
  if (actor.role === 'admin' || actor.role === 'service') return true;
  if (actor.role === 'enterprise' && actor.enterpriseId === offer.ownerId) return true;
  if (offer.status !== 'published') return false;
  switch (offer.visibility) {
    case 'public':
      return true;
    case 'verified_enterprises':
      return actor.role === 'province' || (actor.role === 'enterprise' && viewer?.verified === true);
    case 'named_provinces':
      if (actor.role === 'province') return offer.visibleProvinces.includes(actor.provinceCode);
      return (
        actor.role === 'enterprise' &&
        viewer !== undefined &&
        offer.visibleProvinces.includes(viewer.province)
      );
  }
}

/** Whether the actor may know who owns an offer: always for a named one; for an anonymous one the owner and admins. */
export function mayKnowOwner(actor: Actor, offer: Pick<Offer, 'anonymous' | 'ownerId'>): boolean {
  if (!offer.anonymous) return true;
  if (actor.role === 'admin' || actor.role === 'service') return true;
  return actor.role === 'enterprise' && actor.enterpriseId === offer.ownerId;
}

export type InterestSide = 'owner' | 'interested';

/** The side of the interest the actor acts for; nobody acts for someone else. */
export function sideOf(actor: Actor, interest: Interest): InterestSide {
  requireAuthenticated(actor);
  if (actor.role === 'enterprise' && actor.enterpriseId === interest.ownerId) return 'owner';
  if (actor.role === 'enterprise' && actor.enterpriseId === interest.interestedId) return 'interested';
  throw deny(
    'Only the offer owner and the interested enterprise take part in this negotiation',
    'Chỉ chủ công nghệ và doanh nghiệp quan tâm mới tham gia cuộc đàm phán này',
    'NOT_A_PARTY',
  );
}

/** The parties, admins and officers of either party's province may read an interest. */
export function mayReadInterest(actor: Actor, interest: Interest): boolean {
  if (actor.role === 'admin' || actor.role === 'service') return true;
  if (actor.role === 'enterprise')
    return actor.enterpriseId === interest.ownerId || actor.enterpriseId === interest.interestedId;
  if (actor.role === 'province')
    return (
      actor.provinceCode === interest.ownerProvince || actor.provinceCode === interest.interestedProvince
    );
  return false;
}

/** The owner's identity is shown to the owner, admins, and (once accepted) the interested enterprise. */
export function mayKnowInterestOwner(actor: Actor, interest: Interest): boolean {
  if (!interest.anonymousOwner) return true;
  if (actor.role === 'admin' || actor.role === 'service') return true;
  if (actor.role !== 'enterprise') return false;
  if (actor.enterpriseId === interest.ownerId) return true;
  return (
    actor.enterpriseId === interest.interestedId && interest.status !== 'pending' && wasAccepted(interest)
  );
}

/** Accepted at some point: negotiating, agreed, or abandoned after negotiating. */
export const wasAccepted = (interest: Pick<Interest, 'status' | 'abandonedBy' | 'messages'>) =>
  interest.status === 'negotiating' || interest.status === 'agreed' || interest.status === 'abandoned';
