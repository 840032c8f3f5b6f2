import { randomBytes } from 'node:crypto';
import {
  identityServiceV1 as api,
  Events,
  identityEventsV1,
  identityV1,
  registryServiceV1,
  Topics,
} from '@lienket/contracts';
import { headerText } from '@lienket/eventbus';
import { type Actor, AppError, actorMetadata, createGrpcClient, type PromiseClient } from '@lienket/platform';
import { openTestInfra, type TestInfra } from '@lienket/testkit';
import mongoose from 'mongoose';
import { createVerifier } from '../../gateway/src/auth';
import { validTaxCode } from '../../registry/test/fixtures';
import { createScryptHasher } from '../src/adapters/crypto/scrypt-hasher';
import { createMongoIdentityStore } from '../src/adapters/mongo/store';
import { makeIdentity } from '../src/app/identity';
import type { PasswordHasher } from '../src/app/ports';
import { Browser } from './browser';
import { authorize, PORTAL, pkce, REDIRECT, signIn, startPlatform, tokenRequest } from './platform';

const DAY = 86_400_000;
let infra: TestInfra;
let platform: Awaited<ReturnType<typeof startPlatform>>;
let client: PromiseClient<typeof api.IdentityServiceService>;
let clockOffset = 0;
const clock = () => new Date(Date.now() + clockOffset);
const password = 'mật khẩu đủ dài 2026';

beforeAll(async () => {
  infra = await openTestInfra('identity');
  platform = await startPlatform(
    infra,
    { SIGN_IN_MAX_FAILURES_PER_LOGIN: '3', SIGN_IN_MAX_FAILURES_PER_ADDRESS: '5' },
    { clock },
  );
  client = createGrpcClient(api.IdentityServiceService, `127.0.0.1:${platform.identity.grpcPort}`);
});

afterAll(async () => {
  client?.close();
  await platform?.stop();
  await infra?.close();
});

afterEach(() => {
  clockOffset = 0;
});

const identity = () => platform.identity.identity;
const store = () => identity().context.store;
const as = (
  accountId: string,
  role: Actor['role'] = 'enterprise',
): { metadata: ReturnType<typeof actorMetadata> } => ({
  metadata: actorMetadata({ role, enterpriseId: '', provinceCode: '', subject: accountId }),
});
const trusted = { accountId: '', trusted: true };
let serial = 500_000_000 + Math.floor(Math.random() * 90_000_000);
const unique = () => randomBytes(4).toString('hex');

async function establishment(login: string, address = '10.0.0.1') {
  serial += 13;
  const result = await identity().signUpEstablishment(
    {
      login,
      displayName: 'Nguyễn Văn An',
      password,
      taxCode: validTaxCode(serial),
      kind: 'household_business',
      primaryVsic: '1629',
      enterpriseName: `Hộ mây tre ${serial}`,
      provinceCode: '19',
      contactPhone: '0912345678',
      contactEmail: '',
    },
    address,
  );
  if (result.outcome !== 'created') throw new Error('not created');
  return result;
}

/** A ministry administrator (seeded in production), a province admin and a commune officer of province 19, through invitations. */
async function officials() {
  const ministry = await identity().memberships.createOrganisation(trusted, {
    kind: 'ministry_department',
    name: `Cục Công Thương địa phương ${unique()}`,
  });
  const centre = await identity().memberships.createOrganisation(trusted, {
    kind: 'province_centre',
    name: 'Trung tâm Khuyến công Thái Nguyên',
    provinceCode: '19',
  });
  const commune = await identity().memberships.createOrganisation(trusted, {
    kind: 'commune',
    name: 'UBND xã Tân Cương',
    provinceCode: '19',
  });
  const ministryAdmin = identity().context.newId();
  await store().insertAccount(
    {
      id: ministryAdmin,
      login: { kind: 'email', value: `bo.${unique()}@example.vn` },
      displayName: 'Lê Văn Bộ',
      passwordHash: await identity().context.hasher.hash(password),
      createdAt: new Date(),
      disabled: false,
    },
    [],
  );
  await store().insertMembership(
    {
      id: `${ministryAdmin}:${ministry.id}`,
      accountId: ministryAdmin,
      organisationId: ministry.id,
      role: 'ministry_admin',
      createdAt: new Date(),
      grantedBy: '',
    },
    [],
  );
  const adminInvite = await client.issueInvitation(
    {
      organisationId: centre.id,
      role: identityV1.MembershipRole.MEMBERSHIP_ROLE_PROVINCE_ADMIN,
      invitedLogin: `tinh.${unique()}@example.vn`,
      validDays: 0,
    },
    as(ministryAdmin, 'admin'),
  );
  const provinceAdmin = await client.acceptInvitation({
    linkToken: adminInvite.linkToken,
    login: `tinh.${unique()}@example.vn`,
    displayName: 'Phạm Thị Tỉnh',
    password,
  });
  const officerLogin = `xa.${unique()}@example.vn`;
  const officerInvite = await client.issueInvitation(
    {
      organisationId: commune.id,
      role: identityV1.MembershipRole.MEMBERSHIP_ROLE_COMMUNE_OFFICER,
      invitedLogin: officerLogin,
      validDays: 3,
    },
    as(provinceAdmin.membership?.accountId ?? '', 'province'),
  );
  const officer = await client.acceptInvitation({
    linkToken: officerInvite.linkToken,
    login: officerLogin,
    displayName: 'Hoàng Văn Xã',
    password,
  });
  return {
    ministry,
    centre,
    commune,
    ministryAdmin,
    provinceAdmin: provinceAdmin.membership as identityV1.Membership,
    officer: officer.membership as identityV1.Membership,
    officerLogin,
    officerInvite,
  };
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString());

describe('invitations', () => {
  it('the ministry invites province admins, a province admin invites its officers; a link opens once and not after it expires', async () => {
    const { officerInvite, provinceAdmin, commune, centre } = await officials();
    const again = await client
      .acceptInvitation({
        linkToken: officerInvite.linkToken,
        login: `x.${unique()}@example.vn`,
        displayName: 'Ai Đó',
        password,
      })
      .catch((e) => e);
    expect(again).toMatchObject({ code: 'INVITATION_NOT_USABLE' });

    const late = await client.issueInvitation(
      {
        organisationId: commune.id,
        role: identityV1.MembershipRole.MEMBERSHIP_ROLE_COMMUNE_OFFICER,
        invitedLogin: `muon.${unique()}@example.vn`,
        validDays: 2,
      },
      as(provinceAdmin.accountId, 'province'),
    );
    clockOffset = 2 * DAY;
    const expired = await client
      .acceptInvitation({
        linkToken: late.linkToken,
        login: `muon.${unique()}@example.vn`,
        displayName: 'Muộn',
        password,
      })
      .catch((e) => e);
    expect(expired).toMatchObject({ code: 'INVITATION_NOT_USABLE' });

    // An officer invites nobody; a province admin does not invite admins.
    const refused = await client
      .issueInvitation(
        {
          organisationId: commune.id,
          role: identityV1.MembershipRole.MEMBERSHIP_ROLE_COMMUNE_OFFICER,
          invitedLogin: `khac.${unique()}@example.vn`,
          validDays: 1,
        },
        as('someone-without-memberships', 'province'),
      )
      .catch((e) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused.kind).toBe('PERMISSION_DENIED');
    const adminByAdmin = await client
      .issueInvitation(
        {
          organisationId: centre.id,
          role: identityV1.MembershipRole.MEMBERSHIP_ROLE_PROVINCE_ADMIN,
          invitedLogin: `admin2.${unique()}@example.vn`,
          validDays: 1,
        },
        as(provinceAdmin.accountId, 'province'),
      )
      .catch((e) => e);
    expect(adminByAdmin).toMatchObject({ kind: 'PERMISSION_DENIED' });
  });
});

describe('delegations', () => {
  it('an owner lets a commune officer act for the establishment: the token carries its enterprise_id and act.sub; events carry no contact', async () => {
    const { officer, officerLogin } = await officials();
    const owner = await establishment(`chu.${unique()}@example.vn`);
    const organisationId = `enterprise:${owner.enterpriseId}`;
    const { delegation } = await client.grantDelegation(
      { organisationId, delegateMembershipId: officer.membershipId, endsAt: new Date(Date.now() + 30 * DAY) },
      as(owner.accountId),
    );
    expect(delegation).toMatchObject({
      enterpriseId: owner.enterpriseId,
      delegateAccountId: officer.accountId,
      active: true,
    });

    const [granted] = await infra.collect(Topics.identityDelegation, 1, {
      filter: (m) => m.key?.toString() === owner.enterpriseId,
    });
    expect(headerText(granted?.headers, 'ce_type')).toBe(Events.delegationGranted.type);
    expect(identityEventsV1.DelegationGranted.decode(granted?.value as Buffer).delegation?.delegationId).toBe(
      delegation?.delegationId,
    );
    const [registered] = await infra.collect(Topics.identityAccount, 1, {
      filter: (m) => m.key?.toString() === owner.accountId,
    });
    const raw = Buffer.from(registered?.value ?? '').toString('latin1');
    expect(raw).not.toContain('0912345678');
    expect(raw).not.toContain('chu.');

    // The officer signs in asking to act for the establishment.
    const browser = new Browser(platform.issuer);
    const { verifier, challenge } = pkce();
    const start = await authorize(browser, challenge, { delegation_id: delegation?.delegationId ?? '' });
    const done = await signIn(browser, start.body, officerLogin, password);
    const code = new URL(done.url).searchParams.get('code') ?? '';
    const tokens = await tokenRequest(platform.issuer, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: PORTAL,
      code_verifier: verifier,
    });
    expect(tokens.status).toBe(200);
    const claims = claimsOf(tokens.body.access_token as string);
    expect(claims).toMatchObject({
      role: 'enterprise',
      enterprise_id: owner.enterpriseId,
      act: { sub: officer.accountId },
      sub: officer.accountId,
    });
    const verify = createVerifier({
      jwksUrl: `${platform.issuer}/jwks`,
      issuer: platform.issuer,
      audience: 'lienket-api',
      cacheMs: 0,
    });
    const actor = await verify(`Bearer ${tokens.body.access_token}`);
    expect(actor).toMatchObject({ role: 'enterprise', enterpriseId: owner.enterpriseId });

    // "On behalf of" is in the establishment's audit log.
    const audit = await client.listAuditEntries({ organisationId, page: undefined }, as(owner.accountId));
    expect(audit.entries.map((e) => [e.kind, e.onBehalfOf])).toEqual(
      expect.arrayContaining([
        ['delegation.granted', owner.enterpriseId],
        ['delegation.used', owner.enterpriseId],
      ]),
    );

    // A token of this establishment acting on another is refused by the registry, and registers nothing.
    const other = await establishment(`khac.${unique()}@example.vn`);
    const registry = createGrpcClient(
      registryServiceV1.RegistryServiceService,
      `127.0.0.1:${platform.registry.grpcPort}`,
    );
    const asToken = { metadata: actorMetadata(actor) };
    const update = await registry
      .updateEnterprise(
        registryServiceV1.UpdateEnterpriseRequest.fromPartial({
          enterpriseId: other.enterpriseId,
          enterprise: { name: 'Đổi tên trái phép' },
          updateMask: ['name'],
        }),
        asToken,
      )
      .catch((e) => e);
    expect(update).toMatchObject({ kind: 'PERMISSION_DENIED' });
    const register = await registry
      .registerEnterprise(
        registryServiceV1.RegisterEnterpriseRequest.fromPartial({
          enterprise: {
            taxCode: validTaxCode(serial + 7),
            name: 'Giả mạo',
            kind: 1,
            provinceCode: '01',
            primaryVsic: '1629',
          },
        }),
        asToken,
      )
      .catch((e) => e);
    registry.close();
    expect(register).toMatchObject({ kind: 'PERMISSION_DENIED', code: 'ENTERPRISE_REGISTERS_OTHERS' });

    // After its end date the delegation is refused: at sign-in, and for any token.
    clockOffset = 31 * DAY;
    const lateBrowser = new Browser(platform.issuer);
    const lateStart = await authorize(lateBrowser, pkce().challenge, {
      delegation_id: delegation?.delegationId ?? '',
    });
    const refused = await signIn(lateBrowser, lateStart.body, officerLogin, password);
    expect(new URL(refused.url).searchParams.get('error')).toBe('access_denied');
    await expect(
      identity().claimsFor(officer.accountId, {
        organisationId: '',
        delegationId: delegation?.delegationId ?? '',
      }),
    ).rejects.toMatchObject({ code: 'DELEGATION_EXPIRED' });
  });

  it('a revoked delegation is refused; only owners or the delegate revoke', async () => {
    const { officer } = await officials();
    const owner = await establishment(`thu.${unique()}@example.vn`);
    const { delegation } = await client.grantDelegation(
      {
        organisationId: `enterprise:${owner.enterpriseId}`,
        delegateMembershipId: officer.membershipId,
        endsAt: new Date(Date.now() + 10 * DAY),
      },
      as(owner.accountId),
    );
    const stranger = await client
      .revokeDelegation({ delegationId: delegation?.delegationId ?? '' }, as('stranger'))
      .catch((e) => e);
    expect(stranger).toMatchObject({ kind: 'PERMISSION_DENIED' });
    const revoked = await client.revokeDelegation(
      { delegationId: delegation?.delegationId ?? '' },
      as(owner.accountId),
    );
    expect(revoked.delegation?.active).toBe(false);
    await expect(
      identity().claimsFor(officer.accountId, {
        organisationId: '',
        delegationId: delegation?.delegationId ?? '',
      }),
    ).rejects.toMatchObject({ code: 'DELEGATION_REVOKED' });
    const [event] = await infra.collect(Topics.identityDelegation, 1, {
      filter: (m) =>
        m.key?.toString() === owner.enterpriseId &&
        headerText(m.headers, 'ce_type') === Events.delegationRevoked.type,
    });
    expect(identityEventsV1.DelegationRevoked.decode(event?.value as Buffer).revokedBy).toBe(owner.accountId);
  });
});

describe('sign-in limits and enumeration, on the store', () => {
  it('locks an address after its limit of failures across logins, for every instance (the counters are stored)', async () => {
    const victim = `nannhan.${unique()}@example.vn`;
    await establishment(victim);
    for (let i = 0; i < 5; i++) {
      const result = await identity().signIn(
        `thu${i}.${unique()}@example.vn`,
        'sai mật khẩu rồi',
        '10.9.9.9',
      );
      expect(result).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(await identity().signIn(victim, password, '10.9.9.9')).toEqual({ ok: false, reason: 'throttled' });
    expect((await identity().signIn(victim, password, '10.9.9.8')).ok).toBe(true);

    // Another instance on the same database sees the same lock.
    const connection = await mongoose.createConnection(infra.mongoUrl, { dbName: infra.dbName }).asPromise();
    try {
      const other = makeIdentity(
        { ...identity().context, store: createMongoIdentityStore(connection) },
        { registry: { registerEnterprise: async () => Promise.reject(new Error('unused')) } },
      );
      expect(await other.signIn(victim, password, '10.9.9.9')).toEqual({ ok: false, reason: 'throttled' });
    } finally {
      await connection.close();
    }
  });

  it('does one full hash for an unknown login as for a wrong password, and answers alike', async () => {
    const known = `biet.${unique()}@example.vn`;
    await establishment(known);
    const real = createScryptHasher({ logN: 12, r: 8, p: 1 });
    const calls: (string | undefined)[] = [];
    const counting: PasswordHasher = {
      ...real,
      verify: (pw, hash) => {
        calls.push(hash === undefined ? 'decoy' : 'stored');
        return real.verify(pw, hash);
      },
    };
    const probe = makeIdentity(
      { ...identity().context, hasher: counting },
      { registry: { registerEnterprise: async () => Promise.reject(new Error('unused')) } },
    );
    const unknown = await probe.signIn(`chuaco.${unique()}@example.vn`, 'một mật khẩu sai', '10.7.7.1');
    const wrong = await probe.signIn(known, 'một mật khẩu sai', '10.7.7.2');
    expect(unknown).toEqual(wrong);
    expect(calls).toEqual(['decoy', 'stored']);
    const entries = await store().listAudit({}, '', 50);
    expect(
      entries
        .filter((e) => e.kind === 'sign_in.failed' && ['10.7.7.1', '10.7.7.2'].includes(e.address))
        .map((e) => e.detail)
        .sort(),
    ).toEqual(['unknown_login', 'wrong_password']);
  });
});
