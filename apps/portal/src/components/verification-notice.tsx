import { useEffect, useState } from 'preact/hooks';
import { useAuth } from '../lib/auth';
import { fetchEnterprise } from '../lib/enterprises';
import { useI18n } from '../lib/i18n';
import { provinceName } from '../lib/reference';
import type { Enterprise } from '../lib/types';

/**
 * For an establishment its province has not verified yet: what that means, who verifies, and what it can
 * already do; for one the province rejected, the reason. Nothing for a verified one or any other role.
 */
export function VerificationNotice() {
  const { t } = useI18n();
  const { session } = useAuth();
  const id = session?.role === 'enterprise' ? session.enterpriseId : '';
  const [enterprise, setEnterprise] = useState<Enterprise>();
  useEffect(() => {
    let live = true;
    if (id) void fetchEnterprise(id).then((e) => live && setEnterprise(e));
    return () => {
      live = false;
    };
  }, [id]);
  if (!id || !enterprise) return null;
  const status = enterprise.verification?.status ?? 'VERIFICATION_STATUS_UNVERIFIED';
  const province = provinceName(enterprise.province?.code) || t('common.unknown');
  if (status === 'VERIFICATION_STATUS_VERIFIED') return null;
  if (status === 'VERIFICATION_STATUS_REJECTED') {
    return (
      <section class="notice notice-error" aria-labelledby="verification-title" data-testid="verification">
        <h2 id="verification-title">{t('verify.rejectedTitle')}</h2>
        {enterprise.verification?.reason && (
          <p>{t('verify.rejectedWhy', { reason: enterprise.verification.reason })}</p>
        )}
        <p>{t('verify.rejectedNext', { province })}</p>
      </section>
    );
  }
  return (
    <section class="notice notice-pending" aria-labelledby="verification-title" data-testid="verification">
      <h2 id="verification-title">{t('verify.pendingTitle')}</h2>
      <p>{t('verify.pendingWhat', { name: enterprise.name, province })}</p>
      <p>{t('verify.pendingCan')}</p>
    </section>
  );
}
