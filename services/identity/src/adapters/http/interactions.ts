import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError, type Logger } from '@lienket/platform';
import express, { type NextFunction, type Request, type Response } from 'express';
import type mongoose from 'mongoose';
import type { Identity } from '../../app/identity';
import { grantContexts } from '../oidc/mongo-adapter';
import type { Provider } from '../oidc/provider';
import { bilingual, escapeHtml, field, hidden, message, page } from './pages';

export interface InteractionOptions {
  provider: Provider;
  identity: Identity;
  connection: mongoose.Connection;
  /** Clients whose consent is implied (LienKet's own portal). */
  firstPartyClients: ReadonlySet<string>;
  /** Secret for the forms' anti-forgery tokens. */
  csrfSecret: string;
  issuerOrigin: string;
  log: Logger;
}

const noStore = (_req: Request, res: Response, next: NextFunction) => {
  res.set('cache-control', 'no-store');
  next();
};

/**
 * The sign-in, sign-up, consent and invitation pages. Forms are protected three ways: the
 * interaction cookie is SameSite=Lax (a cross-site POST arrives without it), a POST whose Origin
 * or Sec-Fetch-Site says another site is refused, and each form carries an HMAC of its
 * interaction (or invitation) that a forged form cannot know.
 */
export function interactionRoutes(options: InteractionOptions): express.Router {
  const { provider, identity, log } = options;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const contexts = grantContexts(options.connection);
  const csrf = (purpose: string) =>
    createHmac('sha256', options.csrfSecret).update(purpose).digest('base64url');
  const csrfMatches = (purpose: string, given: unknown) => {
    const expected = Buffer.from(csrf(purpose));
    const actual = Buffer.from(String(given ?? ''));
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  };

  const sameSiteOnly = (req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    const site = req.get('sec-fetch-site');
    if ((origin && origin !== options.issuerOrigin) || (site && site !== 'same-origin' && site !== 'none')) {
      res
        .status(403)
        .type('html')
        .send(
          page(
            { vi: 'Bị từ chối', en: 'Refused' },
            message('error', 'Yêu cầu từ trang khác bị từ chối.', 'A request from another site was refused.'),
          ),
        );
      return;
    }
    next();
  };

  const address = (req: Request) => req.ip ?? req.socket.remoteAddress ?? '';

  function signInPage(uid: string, notice = '', error = '', login = '') {
    return page(
      { vi: 'Đăng nhập LienKet', en: 'Sign in to LienKet' },
      `${notice}${error}<form method="post" action="/interaction/${escapeHtml(uid)}/login">
${hidden('csrf', csrf(`interaction:${uid}`))}
${field('login', { vi: 'Email hoặc số điện thoại', en: 'Email or mobile number' }, { value: login, autocomplete: 'username' })}
${field('password', { vi: 'Mật khẩu', en: 'Password' }, { type: 'password', autocomplete: 'current-password' })}
<button type="submit">${bilingual('Đăng nhập', 'Sign in')}</button></form>
<p><a href="/interaction/${escapeHtml(uid)}/sign-up">${bilingual('Cơ sở chưa có tài khoản? Đăng ký', 'New establishment? Sign up')}</a></p>
<p><a href="/interaction/${escapeHtml(uid)}/abort">${bilingual('Hủy', 'Cancel')}</a></p>`,
    );
  }

  function signUpPage(uid: string, values: Record<string, string> = {}, error = '') {
    return page(
      { vi: 'Đăng ký cơ sở', en: 'Sign up an establishment' },
      `${error}<form method="post" action="/interaction/${escapeHtml(uid)}/sign-up">
${hidden('csrf', csrf(`interaction:${uid}`))}
${field('tax_code', { vi: 'Mã số thuế', en: 'Tax code' }, { value: values.tax_code ?? '', inputmode: 'numeric' })}
${field('enterprise_name', { vi: 'Tên cơ sở', en: 'Establishment name' }, { value: values.enterprise_name ?? '', autocomplete: 'organization' })}
<label for="kind">${bilingual('Loại hình', 'Kind')}</label>
<select id="kind" name="kind" required>${[
        ['cooperative', 'Hợp tác xã', 'Cooperative'],
        ['household_business', 'Hộ kinh doanh', 'Household business'],
        ['rural_industrial_establishment', 'Cơ sở công nghiệp nông thôn', 'Rural industrial establishment'],
        ['enterprise', 'Doanh nghiệp', 'Enterprise'],
      ]
        .map(
          ([v, vi, en]) =>
            `<option value="${v}"${values.kind === v ? ' selected' : ''}>${vi} (${en})</option>`,
        )
        .join('')}</select>
${field('primary_vsic', { vi: 'Mã ngành chính (VSIC)', en: 'Main activity (VSIC code)' }, { value: values.primary_vsic ?? '', inputmode: 'numeric' })}
${field('province_code', { vi: 'Mã tỉnh, thành phố', en: 'Province code' }, { value: values.province_code ?? '', inputmode: 'numeric' })}
${field('display_name', { vi: 'Họ tên người liên hệ', en: 'Contact person' }, { value: values.display_name ?? '', autocomplete: 'name' })}
${field('contact_phone', { vi: 'Điện thoại liên hệ', en: 'Contact phone' }, { type: 'tel', value: values.contact_phone ?? '', autocomplete: 'tel', required: false })}
${field('login', { vi: 'Email hoặc số điện thoại để đăng nhập', en: 'Email or mobile number to sign in' }, { value: values.login ?? '', autocomplete: 'username' })}
${field('password', { vi: 'Mật khẩu (ít nhất 10 ký tự)', en: 'Password (at least 10 characters)' }, { type: 'password', autocomplete: 'new-password' })}
<button type="submit">${bilingual('Đăng ký', 'Sign up')}</button></form>
<p><a href="/interaction/${escapeHtml(uid)}">${bilingual('Đã có tài khoản? Đăng nhập', 'Have an account? Sign in')}</a></p>`,
    );
  }

  const violationsOf = (error: unknown) =>
    error instanceof AppError
      ? error.violations.length > 0
        ? error.violations.map((v) => message('error', v.descriptionVi, v.description)).join('')
        : message('error', error.messageVi, error.message)
      : message('error', 'Có lỗi, vui lòng thử lại.', 'Something went wrong, please try again.');

  router.get('/interaction/:uid', noStore, async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        const notice =
          req.query.notice === 'signed_up'
            ? message(
                'notice',
                'Nếu thông tin là mới, tài khoản đã sẵn sàng: hãy đăng nhập.',
                'If these details are new, your account is ready: sign in.',
              )
            : '';
        res.type('html').send(signInPage(details.uid, notice));
        return;
      }
      const clientId = String(details.params.client_id);
      if (details.prompt.name === 'consent' && options.firstPartyClients.has(clientId)) {
        await finishConsent(req, res);
        return;
      }
      res.type('html').send(
        page(
          { vi: 'Cho phép truy cập', en: 'Allow access' },
          `<p>${bilingual(`Ứng dụng ${clientId} muốn truy cập LienKet thay bạn.`, `The application ${clientId} asks to use LienKet for you.`)}</p>
<form method="post" action="/interaction/${escapeHtml(details.uid)}/confirm">${hidden('csrf', csrf(`interaction:${details.uid}`))}
<button type="submit">${bilingual('Cho phép', 'Allow')}</button></form>
<p><a href="/interaction/${escapeHtml(details.uid)}/abort">${bilingual('Từ chối', 'Deny')}</a></p>`,
        ),
      );
    } catch (error) {
      next(error);
    }
  });

  router.post('/interaction/:uid/login', noStore, sameSiteOnly, form, async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name !== 'login' || !csrfMatches(`interaction:${details.uid}`, req.body.csrf)) {
        res
          .status(400)
          .type('html')
          .send(
            signInPage(
              details.uid,
              '',
              message(
                'error',
                'Phiên đăng nhập không hợp lệ, hãy thử lại.',
                'This sign-in form is not valid; try again.',
              ),
            ),
          );
        return;
      }
      const login = String(req.body.login ?? '');
      const result = await identity.signIn(login, String(req.body.password ?? ''), address(req));
      if (!result.ok) {
        const error =
          result.reason === 'throttled'
            ? message(
                'error',
                'Quá nhiều lần thử. Vui lòng đợi 15 phút rồi thử lại.',
                'Too many attempts. Wait 15 minutes and try again.',
              )
            : message('error', 'Email/số điện thoại hoặc mật khẩu không đúng.', 'Wrong login or password.');
        res
          .status(result.reason === 'throttled' ? 429 : 401)
          .type('html')
          .send(signInPage(details.uid, '', error, login));
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: result.account.id, amr: ['pwd'] } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      next(error);
    }
  });

  router.get('/interaction/:uid/sign-up', noStore, async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      res.type('html').send(signUpPage(details.uid));
    } catch (error) {
      next(error);
    }
  });

  router.post('/interaction/:uid/sign-up', noStore, sameSiteOnly, form, async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      const values = Object.fromEntries(
        [
          'tax_code',
          'kind',
          'primary_vsic',
          'enterprise_name',
          'province_code',
          'display_name',
          'contact_phone',
          'login',
        ].map((k) => [k, String(req.body[k] ?? '')]),
      );
      if (!csrfMatches(`interaction:${details.uid}`, req.body.csrf)) {
        res
          .status(400)
          .type('html')
          .send(
            signUpPage(
              details.uid,
              values,
              message('error', 'Biểu mẫu không hợp lệ, hãy thử lại.', 'This form is not valid; try again.'),
            ),
          );
        return;
      }
      try {
        await identity.signUpEstablishment(
          {
            login: values.login ?? '',
            displayName: values.display_name ?? '',
            password: String(req.body.password ?? ''),
            taxCode: values.tax_code ?? '',
            kind: values.kind ?? '',
            primaryVsic: values.primary_vsic ?? '',
            enterpriseName: values.enterprise_name ?? '',
            provinceCode: values.province_code ?? '',
            contactPhone: values.contact_phone ?? '',
            contactEmail: '',
          },
          address(req),
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        res
          .status(422)
          .type('html')
          .send(signUpPage(details.uid, values, violationsOf(error)));
        return;
      }
      // One answer whether the login was new or taken (no account enumeration).
      res.redirect(303, `/interaction/${details.uid}?notice=signed_up`);
    } catch (error) {
      next(error);
    }
  });

  async function finishConsent(req: Request, res: Response) {
    const details = await provider.interactionDetails(req, res);
    const accountId = details.session?.accountId;
    if (details.prompt.name !== 'consent' || !accountId)
      throw new AppError('FAILED_PRECONDITION', 'No consent pending');
    const delegationId = String(details.params.delegation_id ?? '');
    const organisationId = String(details.params.organisation_id ?? '');
    try {
      if (delegationId) await identity.delegations.actAs(accountId, delegationId);
      else if (
        organisationId &&
        !(await identity.standingsOf(accountId)).some((s) => s.organisation.id === organisationId)
      )
        throw new AppError('PERMISSION_DENIED', 'You are not a member of this organisation', {
          messageVi: 'Bạn không thuộc tổ chức này',
        });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: error.message },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ??
        new provider.Grant({ accountId, clientId: String(details.params.client_id) }))
      : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
      grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    await contexts.set(grantId, { organisationId, delegationId }, new Date(Date.now() + 366 * 86_400_000));
    await provider.interactionFinished(
      req,
      res,
      { consent: details.grantId ? {} : { grantId } },
      { mergeWithLastSubmission: true },
    );
  }

  router.post('/interaction/:uid/confirm', noStore, sameSiteOnly, form, async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      if (!csrfMatches(`interaction:${details.uid}`, req.body.csrf)) {
        res
          .status(400)
          .type('html')
          .send(
            page(
              { vi: 'Bị từ chối', en: 'Refused' },
              message('error', 'Biểu mẫu không hợp lệ.', 'This form is not valid.'),
            ),
          );
        return;
      }
      await finishConsent(req, res);
    } catch (error) {
      next(error);
    }
  });

  router.get('/interaction/:uid/abort', noStore, async (req, res, next) => {
    try {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'End-User aborted interaction' },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      next(error);
    }
  });

  function invitationPage(token: string, error = '') {
    return page(
      { vi: 'Nhận lời mời tham gia LienKet', en: 'Accept an invitation to LienKet' },
      `${error}<form method="post" action="/invitations/${escapeHtml(token)}">
${hidden('csrf', csrf(`invitation:${token}`))}
${field('display_name', { vi: 'Họ tên', en: 'Full name' }, { autocomplete: 'name' })}
${field('login', { vi: 'Email hoặc số điện thoại', en: 'Email or mobile number' }, { autocomplete: 'username' })}
${field('password', { vi: 'Mật khẩu (ít nhất 10 ký tự)', en: 'Password (at least 10 characters)' }, { type: 'password', autocomplete: 'new-password' })}
<button type="submit">${bilingual('Tạo tài khoản', 'Create the account')}</button></form>`,
    );
  }

  router.get('/invitations/:token', noStore, (req, res) => {
    res.type('html').send(invitationPage(String(req.params.token)));
  });

  router.post('/invitations/:token', noStore, sameSiteOnly, form, async (req, res, next) => {
    const token = String(req.params.token);
    try {
      if (!csrfMatches(`invitation:${token}`, req.body.csrf)) {
        res
          .status(400)
          .type('html')
          .send(invitationPage(token, message('error', 'Biểu mẫu không hợp lệ.', 'This form is not valid.')));
        return;
      }
      await identity.invitations.accept(token, {
        account: {
          login: String(req.body.login ?? ''),
          displayName: String(req.body.display_name ?? ''),
          password: String(req.body.password ?? ''),
        },
      });
      res
        .type('html')
        .send(
          page(
            { vi: 'Đã nhận lời mời', en: 'Invitation accepted' },
            `<p>${bilingual('Tài khoản đã sẵn sàng. Hãy đăng nhập từ cổng LienKet.', 'Your account is ready. Sign in from the LienKet portal.')}</p>`,
          ),
        );
    } catch (error) {
      if (error instanceof AppError) {
        res
          .status(422)
          .type('html')
          .send(invitationPage(token, violationsOf(error)));
        return;
      }
      next(error);
    }
  });

  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const expired = (error as { name?: string }).name === 'SessionNotFound';
    if (!expired) log.error({ err: error }, 'interaction failed');
    res
      .status(expired ? 400 : 500)
      .type('html')
      .send(
        page(
          { vi: 'Không thể tiếp tục', en: 'Cannot continue' },
          expired
            ? message(
                'error',
                'Phiên đăng nhập đã hết hạn. Hãy mở lại cổng LienKet.',
                'The sign-in session expired. Open the LienKet portal again.',
              )
            : message('error', 'Có lỗi, vui lòng thử lại.', 'Something went wrong, please try again.'),
        ),
      );
  });

  return router;
}
