import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * What a module loads when it is imported, read from the sources: the import and export-from
 * statements that stay in the compiled JavaScript (not `import type`, nor imports whose every name
 * is a type), followed through relative paths and the workspace packages (`@lienket/*`, resolved
 * as jest resolves them), stopping at third-party packages. A `require` inside a function loads
 * nothing on import and is not followed.
 */

const root = resolve(__dirname, '../../..');

/** The workspace's module name mapping, the one jest uses (jest.config.js). */
const workspaceMapper = (): [RegExp, string][] => (mapperOnce ??= readMapper());
let mapperOnce: [RegExp, string][] | undefined;
function readMapper(): [RegExp, string][] {
  const config = require(join(root, 'jest.config.js')) as {
    projects: { moduleNameMapper?: Record<string, string> }[];
  };
  const mapper = config.projects[0]?.moduleNameMapper ?? {};
  return Object.entries(mapper).map(([pattern, target]) => [new RegExp(pattern), target]);
}

function asSourceFile(path: string): string | undefined {
  for (const candidate of [path, `${path}.ts`, join(path, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

const parsed = new Map<string, string[]>();

/** Specifiers a module loads when it is imported, in source order. */
export function runtimeImports(file: string): string[] {
  let specifiers = parsed.get(file);
  if (!specifiers) {
    specifiers = readRuntimeImports(file);
    parsed.set(file, specifiers);
  }
  return specifiers;
}

function readRuntimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause;
      if (clause?.isTypeOnly) continue;
      const bindings = clause?.namedBindings;
      const onlyTypes =
        clause !== undefined &&
        clause.name === undefined &&
        bindings !== undefined &&
        ts.isNamedImports(bindings) &&
        bindings.elements.length > 0 &&
        bindings.elements.every((element) => element.isTypeOnly);
      if (!onlyTypes) specifiers.push(statement.moduleSpecifier.text);
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      !statement.isTypeOnly
    ) {
      const clause = statement.exportClause;
      const onlyTypes =
        clause !== undefined &&
        ts.isNamedExports(clause) &&
        clause.elements.length > 0 &&
        clause.elements.every((element) => element.isTypeOnly);
      if (!onlyTypes) specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers;
}

/** The third-party package a bare specifier names (`@grpc/grpc-js/build/x` → `@grpc/grpc-js`). */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

export interface ForbiddenLoad {
  /** The module that was scanned, relative to the repository. */
  file: string;
  /** The forbidden package it ends up loading. */
  loads: string;
  /** The import chain from the file to the package, relative paths then the package. */
  chain: string[];
}

/**
 * Every forbidden package that importing `file` loads, with one chain of imports that leads to
 * it. Follows relative imports and `@lienket/*` workspace packages; stops at other packages.
 */
export function forbiddenLoads(file: string, forbidden: ReadonlySet<string>): ForbiddenLoad[] {
  const mapper = workspaceMapper();
  const resolveFrom = (from: string, specifier: string): string | undefined => {
    if (specifier.startsWith('.')) return asSourceFile(resolve(dirname(from), specifier));
    for (const [pattern, target] of mapper) {
      if (pattern.test(specifier)) {
        return asSourceFile(specifier.replace(pattern, target).replace('<rootDir>', root));
      }
    }
    return undefined;
  };

  const found = new Map<string, ForbiddenLoad>();
  const seen = new Set<string>();
  const walk = (current: string, chain: string[]) => {
    if (seen.has(current)) return;
    seen.add(current);
    for (const specifier of runtimeImports(current)) {
      const next = resolveFrom(current, specifier);
      if (next) {
        walk(next, [...chain, relative(root, next)]);
        continue;
      }
      const name = packageOf(specifier);
      if (forbidden.has(name) && !found.has(name)) {
        found.set(name, { file: relative(root, file), loads: name, chain: [...chain, specifier] });
      }
    }
  };
  walk(file, [relative(root, file)]);
  return [...found.values()];
}

/** Production TypeScript files under a folder (tests left out). */
export function sourceFilesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return sourceFilesUnder(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
    })
    .sort();
}

export const repositoryRoot = root;
