import type { ComponentType } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorNotice, Loading, PageTitle } from './components/ui';
import { setApiToken } from './lib/api';
import {
  type Auth,
  AuthContext,
  loadSession,
  type Role,
  type Session,
  saveSession,
  sessionOf,
} from './lib/auth';
import { useEnterpriseNames } from './lib/enterprises';
import {
  I18nContext,
  initialLang,
  type Lang,
  type MessageKey,
  makeI18n,
  rememberLang,
  useI18n,
} from './lib/i18n';
import { endSession, refresh, signInConfig } from './lib/oidc';
import { provinceName } from './lib/reference';
import { href, type Route, useRoute } from './lib/router';
import { EnterprisePage } from './pages/enterprise';
import { ProposalsPage } from './pages/proposals';
import { RegisterPage } from './pages/register';
import { SearchPage } from './pages/search';
import { SignInPage } from './pages/sign-in';

type PageComponent = ComponentType<{ route: Route }>;

/** A page loaded on first use, so the first view stays small. */
function lazyPage(load: () => Promise<PageComponent>): PageComponent {
  let loaded: PageComponent | undefined;
  return function LazyPage(props: { route: Route }) {
    const [Page, setPage] = useState<PageComponent | undefined>(() => loaded);
    const [error, setError] = useState<unknown>();
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (loaded) return;
      load().then(
        (component) => {
          loaded = component;
          setPage(() => component);
        },
        (e: unknown) => setError(e),
      );
    }, [attempt]);
    if (error) return <ErrorNotice error={error} retry={() => setAttempt((a) => a + 1)} />;
    return Page ? <Page {...props} /> : <Loading />;
  };
}

const ProvincePage = lazyPage(() => import('./pages/province').then((m) => m.ProvincePage));
const MyPostingsPage = lazyPage(() => import('./pages/my-postings').then((m) => m.MyPostingsPage));
const TechPage = lazyPage(() => import('./pages/tech').then((m) => m.TechPage));
const EventsPage = lazyPage(() => import('./pages/events').then((m) => m.EventsPage));
const FirmsPage = lazyPage(() => import('./pages/firms').then((m) => m.FirmsPage));
const AccessPage = lazyPage(() => import('./pages/access').then((m) => m.AccessPage));
const WebhooksPage = lazyPage(() => import('./pages/webhooks').then((m) => m.WebhooksPage));
const ProgrammeSchemesPage = lazyPage(() =>
  import('./pages/programme-schemes').then((m) => m.ProgrammeSchemesPage),
);
const ProgrammeProposePage = lazyPage(() =>
  import('./pages/programme-propose').then((m) => m.ProgrammeProposePage),
);
const ProgrammeSchemePage = lazyPage(() =>
  import('./pages/programme-scheme').then((m) => m.ProgrammeSchemePage),
);
const ProgrammeSitesPage = lazyPage(() =>
  import('./pages/programme-sites').then((m) => m.ProgrammeSitesPage),
);

interface NavItem {
  path: string;
  label: MessageKey;
  roles?: readonly Role[];
}

const NAV: readonly NavItem[] = [
  { path: '/search', label: 'nav.search' },
  { path: '/province', label: 'nav.province' },
  { path: '/firms', label: 'nav.firms', roles: ['province', 'admin'] },
  { path: '/my/postings', label: 'nav.myPostings', roles: ['enterprise'] },
  { path: '/my/proposals', label: 'nav.proposals', roles: ['enterprise', 'province', 'admin'] },
  { path: '/tech', label: 'nav.tech' },
  { path: '/programme', label: 'nav.programme', roles: ['enterprise', 'province', 'admin'] },
  { path: '/events', label: 'nav.events', roles: ['enterprise', 'province', 'analyst', 'admin'] },
  { path: '/webhooks', label: 'nav.webhooks', roles: ['province', 'analyst', 'admin'] },
  { path: '/access', label: 'nav.access', roles: ['enterprise', 'province', 'admin'] },
];

function pageFor(route: Route): { Page: PageComponent; roles?: readonly Role[] } | undefined {
  const [first = 'search', second] = route.segments;
  switch (first) {
    case 'search':
      return { Page: SearchPage };
    case 'province':
      return { Page: ProvincePage };
    case 'enterprise':
      return { Page: EnterprisePage };
    case 'my':
      if (second === 'postings') return { Page: MyPostingsPage, roles: ['enterprise'] };
      if (second === 'proposals') return { Page: ProposalsPage, roles: ['enterprise', 'province', 'admin'] };
      return undefined;
    case 'tech':
      return { Page: TechPage };
    case 'programme':
      if (second === 'propose') return { Page: ProgrammeProposePage, roles: ['enterprise'] };
      if (second === 'scheme')
        return { Page: ProgrammeSchemePage, roles: ['enterprise', 'province', 'admin'] };
      if (second === 'sites')
        return { Page: ProgrammeSitesPage, roles: ['enterprise', 'province', 'analyst', 'admin'] };
      return { Page: ProgrammeSchemesPage, roles: ['enterprise', 'province', 'admin'] };
    case 'events':
      return { Page: EventsPage, roles: ['enterprise', 'province', 'analyst', 'admin'] };
    case 'firms':
      return { Page: FirmsPage, roles: ['province', 'admin'] };
    case 'webhooks':
      return { Page: WebhooksPage, roles: ['province', 'analyst', 'admin'] };
    case 'access':
      return { Page: AccessPage, roles: ['enterprise', 'province', 'admin'] };
    case 'signin':
      return { Page: SignInPage };
    case 'register':
      return { Page: RegisterPage };
    default:
      return undefined;
  }
}

/**
 * The signed-in person and the organisation the token speaks for: names, never raw ids. The role shows as a
 * badge only where no organisation names it (an analyst, an administrator); otherwise it is the title.
 */
function Who({ session }: { session: Session }) {
  const { t } = useI18n();
  const names = useEnterpriseNames(session.enterpriseId ? [session.enterpriseId] : []);
  const organisation =
    session.role === 'enterprise'
      ? (names[session.enterpriseId] ?? '…')
      : session.role === 'province' && session.provinceCode
        ? t('who.province', { name: provinceName(session.provinceCode) })
        : '';
  const role = t(`role.${session.role}`);
  return (
    <span class="who" data-role={session.role} title={organisation ? role : undefined}>
      {organisation ? <span class="sr-only">{role}: </span> : <span class="badge">{role}</span>}
      {organisation && (
        <span class="who-name">
          {session.role === 'province' ? (
            <>
              <span class="who-long">{organisation}</span>
              <span class="who-short">{provinceName(session.provinceCode)}</span>
            </>
          ) : (
            organisation
          )}
        </span>
      )}
      {session.name && <span class="who-person">{session.name}</span>}
    </span>
  );
}

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [sessionEnded, setSessionEnded] = useState(false);
  const [provider, setProvider] = useState(false);
  const route = useRoute();
  const mainRef = useRef<HTMLElement>(null);
  const i18n = useMemo(() => makeI18n(lang, setLang), [lang]);
  const { t } = i18n;

  const auth = useMemo<Auth>(
    () => ({
      session,
      provider,
      signIn(next) {
        saveSession(next);
        setSession(next);
        setSessionEnded(false);
      },
      signOut() {
        saveSession(undefined);
        setSession(undefined);
        // Signed in at the provider: its end-session page signs out every device, then comes back.
        if (session?.via === 'provider') void endSession(session.idToken);
      },
    }),
    [session, provider],
  );
  const ended = () => {
    saveSession(undefined);
    setSession(undefined);
    setSessionEnded(true);
  };
  setApiToken(session?.token, ended);

  useEffect(() => {
    void signInConfig().then((config) => setProvider(Boolean(config)));
  }, []);

  // Silent refresh: a minute before the access token expires (at once if it has), the refresh token
  // (rotated by the provider) buys a new one; a refused refresh ends the session.
  useEffect(() => {
    if (!session?.refreshToken) return;
    const due = (session.expiresAt ?? 0) * 1000 - 60_000 - Date.now();
    const timer = setTimeout(
      () => {
        refresh(session).then((tokens) => {
          const next = sessionOf({ token: tokens.accessToken, via: 'provider', ...tokens });
          if (typeof next === 'string') ended();
          else {
            saveSession(next);
            setSession(next);
          }
        }, ended);
      },
      Math.max(0, due),
    );
    return () => clearTimeout(timer);
  }, [session]);

  useEffect(() => rememberLang(lang), [lang]);

  // A new page (not a new filter on the same page) moves focus to its heading, for screen readers and keyboards.
  const pageKey = route.segments.slice(0, 2).join('/');
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const focusHeading = () => {
      const heading = document.getElementById('page-title');
      if (heading) heading.focus();
      else mainRef.current?.focus();
    };
    requestAnimationFrame(focusHeading);
  }, [pageKey]);

  const found = pageFor(route);
  const allowed = !found?.roles || (session && found.roles.includes(session.role));
  useEffect(() => {
    document.title = `${t('app.name')} · ${t('app.tagline')}`;
  }, [t]);

  const current = `/${route.segments[0] ?? 'search'}${route.segments[0] === 'my' ? `/${route.segments[1] ?? ''}` : ''}`;
  // On a phone the navigation is one scrolling row: keep the current page's link in view.
  useEffect(() => {
    document
      .querySelector('.nav-list a[aria-current="page"]')
      ?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [current]);

  return (
    <I18nContext.Provider value={i18n}>
      <AuthContext.Provider value={auth}>
        {/* biome-ignore lint/a11y/useValidAnchor: the address holds the route, so the link moves focus instead */}
        <a
          class="skip-link"
          href="#main"
          onClick={(e) => {
            e.preventDefault();
            mainRef.current?.focus();
          }}
        >
          {t('app.skip')}
        </a>
        <header class="site-header">
          <div class="header-row">
            <a class="brand" href={href('/search')}>
              <span class="brand-mark" aria-hidden="true">
                LK
              </span>
              <span>
                <span class="brand-name">{t('app.name')}</span>
                <span class="brand-tagline">{t('app.tagline')}</span>
              </span>
            </a>
            <div class="header-tools">
              <button
                type="button"
                class="button button-ghost"
                lang={lang === 'vi' ? 'en' : 'vi'}
                title={t('lang.switchLabel')}
                data-testid="lang-switch"
                onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}
              >
                {/* The visible word is the name (WCAG 2.5.3); the hidden one is display:none, so not read. */}
                <span class="lang-long">{t('lang.switch')}</span>
                <span class="lang-short">{lang === 'vi' ? 'EN' : 'VI'}</span>
              </button>
              {session ? (
                <div class="account">
                  <Who session={session} />
                  <button type="button" class="button button-ghost" onClick={auth.signOut}>
                    {t('auth.signOut')}
                  </button>
                </div>
              ) : (
                <a class="button button-primary" href={href('/signin')}>
                  {t('nav.signIn')}
                </a>
              )}
            </div>
          </div>
          <nav aria-label={t('nav.label')}>
            <ul class="nav-list">
              {NAV.filter((item) => !item.roles || (session && item.roles.includes(session.role))).map(
                (item) => (
                  <li key={item.path}>
                    <a href={href(item.path)} aria-current={current === item.path ? 'page' : undefined}>
                      {t(item.label)}
                    </a>
                  </li>
                ),
              )}
            </ul>
          </nav>
        </header>
        <main id="main" ref={mainRef} tabIndex={-1}>
          {sessionEnded && !session && (
            <p class="notice notice-error" role="alert">
              {t('auth.sessionEnded')}
            </p>
          )}
          {!found ? (
            <>
              <PageTitle>{t('app.notFound')}</PageTitle>
              <p>
                <a href={href('/search')}>{t('nav.search')}</a>
              </p>
            </>
          ) : allowed ? (
            <found.Page route={route} />
          ) : (
            <>
              <PageTitle>{t(NAV.find((n) => n.path === current)?.label ?? 'auth.title')}</PageTitle>
              <p>
                {session
                  ? t('auth.needRole', { roles: (found.roles ?? []).map((r) => t(`role.${r}`)).join(', ') })
                  : t('auth.needed')}
              </p>
              {!session && (
                <p>
                  <a class="button button-primary" href={href('/signin', { next: location.hash.slice(1) })}>
                    {t('nav.signIn')}
                  </a>
                </p>
              )}
            </>
          )}
        </main>
        <footer class="site-footer">
          <p>
            {t('app.footer')} <a href="/docs">/docs</a>
          </p>
        </footer>
      </AuthContext.Provider>
    </I18nContext.Provider>
  );
}
