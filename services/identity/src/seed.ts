/**
 * `node dist/seed.js [--if-empty]`: demo accounts, one per role, through identity's own use cases, for
 * `npm start` to print as sign-in details. A ministry department and its administrator (the one account
 * no one can invite: written as the platform would seed it in production), who invites the Thái Nguyên
 * province centre's administrator, who invites an officer; the ministry's analyst by invitation; a
 * cooperative of Thái Nguyên from the registry (the demo data's, else one signed up here) with its
 * owner. Every account has the same demo password (DEMO_PASSWORD, else the default below).
 * With --if-empty nothing is done when the ministry administrator's login exists already.
 */
import { registryServiceV1 as api, identityV1, registryV1 } from '@lienket/contracts';
import { actorMetadata, createGrpcClient, createLogger, uuidv7 } from '@lienket/platform';
import { checkTaxCode, taxCodeCheckDigit } from '@lienket/reference';
import mongoose from 'mongoose';
import { createScryptHasher } from './adapters/crypto/scrypt-hasher';
import { createRegistryClient } from './adapters/grpc/registry-client';
import { createMongoIdentityStore, ensureIdentityIndexes } from './adapters/mongo/store';
import { Events, event } from './app/context';
import { makeIdentity } from './app/identity';
import { kindToProto, membershipToProto } from './app/to-proto';
import { type IdentityConfig, loadIdentityConfig } from './config';
import { loginKey, parseLogin } from './domain/login';
import type { MembershipRole, Organisation } from './domain/model';

export const DEFAULT_DEMO_PASSWORD = 'LienKet-demo-2025';
export const THAI_NGUYEN = '19';

export const demoLogins = {
  ministryAdmin: 'bo.quantri@lienket.example',
  provinceAdmin: 'thainguyen.quantri@lienket.example',
  provinceOfficer: 'thainguyen.canbo@lienket.example',
  analyst: 'phantich@lienket.example',
  cooperative: 'htx.thainguyen@lienket.example',
} as const;

export interface SeededAccount {
  login: string;
  name: string;
  role: string;
  organisation: string;
}

/** Seeds the demo accounts; undefined when `ifEmpty` and they exist already. */
export async function seedDemoAccounts(
  config: IdentityConfig,
  options: { password: string; ifEmpty: boolean },
): Promise<SeededAccount[] | undefined> {
  const { password } = options;
  const connection = await mongoose
    .createConnection(config.MONGO_URL, { dbName: config.MONGO_DB })
    .asPromise();
  const registry = createRegistryClient(config.REGISTRY_ADDR, config.GRPC_DEADLINE_MS);
  const search = createGrpcClient(api.RegistryServiceService, config.REGISTRY_ADDR, {
    deadlineMs: config.GRPC_DEADLINE_MS,
  });
  try {
    const store = createMongoIdentityStore(connection);
    await ensureIdentityIndexes(store.models);
    const first = parseLogin(demoLogins.ministryAdmin);
    if (options.ifEmpty && first && (await store.findAccountByLogin(loginKey(first)))) return undefined;
    const clock = () => new Date();
    const identity = makeIdentity(
      {
        store,
        hasher: createScryptHasher({ logN: config.PASSWORD_SCRYPT_LOG_N, r: 8, p: 1 }),
        clock,
        newId: () => uuidv7(clock().getTime()),
        source: '/lienket/identity',
      },
      { registry },
    );
    const ctx = identity.context;
    const trusted = { accountId: '', trusted: true };
    const seeded: SeededAccount[] = [];

    /** The first member of an organisation nobody can invite into (as sign-up writes an owner). */
    async function firstMember(
      organisation: Organisation,
      role: MembershipRole,
      login: string,
      name: string,
    ) {
      const parsed = parseLogin(login);
      if (!parsed) throw new Error(`not a login: ${login}`);
      const now = clock();
      const account = {
        id: ctx.newId(),
        login: parsed,
        displayName: name,
        passwordHash: await ctx.hasher.hash(password),
        createdAt: now,
        disabled: false,
      };
      await store.insertAccount(account, []);
      const membership = {
        id: `${account.id}:${organisation.id}`,
        accountId: account.id,
        organisationId: organisation.id,
        role,
        createdAt: now,
        grantedBy: '',
      };
      await store.insertMembership(membership, [
        event(
          ctx,
          Events.accountRegistered,
          {
            accountId: account.id,
            registeredAt: now,
            organisationId: organisation.id,
            enterpriseId: organisation.enterpriseId,
          },
          account.id,
        ),
        event(
          ctx,
          Events.membershipChanged,
          {
            membership: membershipToProto(membership),
            organisationKind: kindToProto(organisation.kind),
            provinceCode: organisation.provinceCode,
            enterpriseId: organisation.enterpriseId,
            previousRole: identityV1.MembershipRole.MEMBERSHIP_ROLE_UNSPECIFIED,
            changedBy: '',
          },
          organisation.id,
        ),
      ]);
      return account.id;
    }

    /** An invitation from `by`, accepted at once with a new account. */
    async function invited(
      by: string,
      organisation: Organisation,
      role: MembershipRole,
      login: string,
      name: string,
    ) {
      const { token } = await identity.invitations.issue(by, {
        organisationId: organisation.id,
        role,
        invitedLogin: login,
      });
      const { account } = await identity.invitations.accept(token, {
        account: { login, displayName: name, password },
      });
      return account.id;
    }

    const ministry = await identity.memberships.createOrganisation(trusted, {
      kind: 'ministry_department',
      name: 'Cục Công Thương địa phương',
    });
    const centre = await identity.memberships.createOrganisation(trusted, {
      kind: 'province_centre',
      name: 'Trung tâm Khuyến công Thái Nguyên',
      provinceCode: THAI_NGUYEN,
    });
    const ministryAdmin = await firstMember(
      ministry,
      'ministry_admin',
      demoLogins.ministryAdmin,
      'Lê Văn Bộ',
    );
    seeded.push({
      login: demoLogins.ministryAdmin,
      name: 'Lê Văn Bộ',
      role: 'ministry_admin',
      organisation: ministry.name,
    });
    const provinceAdmin = await invited(
      ministryAdmin,
      centre,
      'province_admin',
      demoLogins.provinceAdmin,
      'Phạm Thị Hạnh',
    );
    seeded.push({
      login: demoLogins.provinceAdmin,
      name: 'Phạm Thị Hạnh',
      role: 'province_admin',
      organisation: centre.name,
    });
    await invited(provinceAdmin, centre, 'province_officer', demoLogins.provinceOfficer, 'Hoàng Văn Minh');
    seeded.push({
      login: demoLogins.provinceOfficer,
      name: 'Hoàng Văn Minh',
      role: 'province_officer',
      organisation: centre.name,
    });
    await invited(ministryAdmin, ministry, 'analyst', demoLogins.analyst, 'Trần Thu Phương');
    seeded.push({
      login: demoLogins.analyst,
      name: 'Trần Thu Phương',
      role: 'analyst',
      organisation: ministry.name,
    });

    // The cooperative: one of the demo data's in Thái Nguyên (the first by name), else signed up here.
    const found = await search.searchEnterprises(
      api.SearchEnterprisesRequest.fromPartial({
        filter: {
          provinceCodes: [THAI_NGUYEN],
          kinds: [registryV1.EnterpriseKind.ENTERPRISE_KIND_COOPERATIVE],
        },
        page: { pageSize: 50 },
      }),
      {
        metadata: actorMetadata({
          role: 'service',
          enterpriseId: '',
          provinceCode: '',
          subject: 'identity/seed',
        }),
      },
    );
    const cooperative = [...found.enterprises].sort((a, b) => a.name.localeCompare(b.name, 'vi'))[0];
    if (cooperative) {
      const organisation = await identity.memberships.createOrganisation(trusted, {
        kind: 'enterprise',
        name: cooperative.name,
        provinceCode: cooperative.province?.code ?? THAI_NGUYEN,
        enterpriseId: cooperative.id,
      });
      await firstMember(organisation, 'enterprise_owner', demoLogins.cooperative, 'Nông Thị Lan');
      seeded.push({
        login: demoLogins.cooperative,
        name: 'Nông Thị Lan',
        role: 'enterprise_owner',
        organisation: cooperative.name,
      });
    } else {
      const name = 'Hợp tác xã Chè Tân Cương';
      const result = await identity.signUpEstablishment(
        {
          login: demoLogins.cooperative,
          displayName: 'Nông Thị Lan',
          password,
          taxCode: freeTaxCode(),
          kind: 'cooperative',
          primaryVsic: '0127',
          enterpriseName: name,
          provinceCode: THAI_NGUYEN,
          contactPhone: '0912345678',
          contactEmail: demoLogins.cooperative,
        },
        'seed',
      );
      if (result.outcome !== 'created') throw new Error('the cooperative could not be signed up');
      seeded.push({
        login: demoLogins.cooperative,
        name: 'Nông Thị Lan',
        role: 'enterprise_owner',
        organisation: name,
      });
    }
    return seeded;
  } finally {
    registry.close();
    search.close();
    await connection.close();
  }
}

/** A valid tax code unlikely to be taken (the demo data draws its own from a seeded generator). */
function freeTaxCode(): string {
  for (;;) {
    const nine = `8${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const digit = taxCodeCheckDigit(nine);
    if (digit !== undefined && checkTaxCode(`${nine}${digit}`).ok) return `${nine}${digit}`;
  }
}

async function main() {
  const config = loadIdentityConfig();
  const log = createLogger({ service: 'identity-seed', level: config.LOG_LEVEL });
  const seeded = await seedDemoAccounts(config, {
    password: process.env.DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD,
    ifEmpty: process.argv.includes('--if-empty'),
  });
  if (!seeded) process.stdout.write('identity seed: the demo accounts exist already\n');
  for (const account of seeded ?? [])
    process.stdout.write(`identity seed: ${account.role} ${account.login} (${account.organisation})\n`);
  log.info({ accounts: seeded?.length ?? 0 }, 'demo accounts seeded');
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `identity seed failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
