import type { Actor } from '@lienket/platform';
import { AppError } from '@lienket/platform/errors';
import type { Contact } from '../domain/model';
import { mayReadContact, requireAuthenticated } from '../domain/policy';
import type { RegistryContext } from './context';

/** An enterprise's contact, released to the other party of an established match only. */
export function makeContactUseCases(ctx: RegistryContext) {
  const { store, loadEnterprise } = ctx;

  return {
    async getContact(actor: Actor, enterpriseId: string, matchId: string): Promise<Contact> {
      requireAuthenticated(actor);
      const enterprise = await loadEnterprise(enterpriseId);
      const granted =
        actor.role === 'enterprise' && matchId !== ''
          ? await store.hasContactGrant(enterpriseId, actor.enterpriseId, matchId)
          : false;
      if (!mayReadContact(actor, enterprise, granted)) {
        throw new AppError(
          'PERMISSION_DENIED',
          'Contact details are shared only after both sides accept a match',
          {
            code: 'CONTACT_NOT_RELEASED',
            messageVi: 'Thông tin liên hệ chỉ được chia sẻ khi cả hai bên đã chấp nhận kết nối',
          },
        );
      }
      return enterprise.contact;
    },
  };
}
