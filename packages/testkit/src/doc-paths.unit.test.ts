import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Every path the Markdown files of the repository name exists: backticked paths (`src/app/x.ts`,
 * `infra/k8s/config.yaml`) and relative links. A path is read from the repository root or from
 * the Markdown file's folder; a bare file name (`read-cache.ts`) must be a file somewhere in the
 * repository. Generated output (dist, gen), placeholders (`<name>`, `*`) and environment variables
 * (`LIENKET_HOME/...`) are left alone, and so is a path whose first folder is neither here nor
 * next to the Markdown file (another project's path, e.g. FerretDB's `internal/handler`).
 */
const root = resolve(__dirname, '../../..');

const repositoryFiles = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter((file) => file && !file.includes('node_modules/') && existsSync(join(root, file)));
const fileNames = new Set(repositoryFiles.map((file) => basename(file)));
const markdownFiles = repositoryFiles.filter((file) => file.endsWith('.md'));

const FILE_EXTENSION = /\.(ts|tsx|mjs|cjs|js|json|md|ya?ml|proto|go|svg|py|txt|xml|sh|html|css|csv)$/;
const SKIPPED_SEGMENT = /^(dist|gen|node_modules|[A-Z][A-Z0-9_]*)$/;

/** `docs/adr/0003` names `docs/adr/0003-….md`: a path without extension may be a file's prefix. */
function existsAsPrefix(path: string): boolean {
  const folder = dirname(path);
  if (!existsSync(folder)) return false;
  return readdirSync(folder).some((entry) => entry.startsWith(`${basename(path)}-`));
}

/** What is wrong with one backticked span of `markdown`, or undefined when it is not a path or exists. */
export function missingPath(span: string, markdown: string): string | undefined {
  const path = span
    .replace(/:\d+(-\d+)?$/, '')
    .replace(/#.*$/, '')
    .replace(/\/$/, '');
  if (!/^[\w.@-]+(\/[\w.@-]+)*$/.test(path) || path.startsWith('.')) return undefined;
  const segments = path.split('/');
  if (segments.some((segment) => SKIPPED_SEGMENT.test(segment))) return undefined;
  const here = dirname(join(root, markdown));
  if (segments.length === 1) {
    if (!FILE_EXTENSION.test(path) || /^\d/.test(path)) return undefined;
    return fileNames.has(path) ? undefined : `\`${path}\` is no file in the repository`;
  }
  const first = segments[0] as string;
  if (!existsSync(join(root, first)) && !existsSync(join(here, first))) return undefined;
  for (const base of [root, here]) {
    const candidate = join(base, path);
    if (existsSync(candidate) || existsAsPrefix(candidate)) return undefined;
  }
  return `\`${path}\` does not exist`;
}

function problemsOf(markdown: string): string[] {
  // Fenced code blocks hold commands and sample output, not references.
  const text = readFileSync(join(root, markdown), 'utf8').replace(/```[\s\S]*?```/g, '');
  const problems: string[] = [];
  for (const [, span] of text.matchAll(/`([^`\n]+)`/g)) {
    const problem = missingPath(span as string, markdown);
    if (problem) problems.push(problem);
  }
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const path = (target as string).split('#')[0] as string;
    if (!path || /^[a-z]+:/i.test(path)) continue;
    if (!existsSync(join(dirname(join(root, markdown)), path))) problems.push(`link ${target} goes nowhere`);
  }
  return problems.map((problem) => `${markdown}: ${problem}`);
}

describe('paths in the Markdown files', () => {
  it('all exist', () => {
    expect(markdownFiles.length).toBeGreaterThan(20);
    expect(markdownFiles.flatMap(problemsOf)).toEqual([]);
  });

  it('include the README naming every folder of the layout', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const named = new Set(
      [...readme.matchAll(/`([^`\n]+)`/g)].map(([, span]) => (span as string).replace(/\/$/, '')),
    );
    const folders = (path: string) =>
      readdirSync(join(root, path), { withFileTypes: true })
        .filter(
          (entry) =>
            entry.isDirectory() && repositoryFiles.some((f) => f.startsWith(`${path}/${entry.name}/`)),
        )
        .map((entry) => `${path}/${entry.name}`);
    const topLevel = [
      ...new Set(repositoryFiles.filter((f) => f.includes('/')).map((f) => f.split('/')[0] as string)),
    ];
    const layout = [...topLevel, ...['packages', 'services', 'apps', 'tools', 'infra'].flatMap(folders)];
    const unnamed = layout.filter(
      (folder) => ![...named].some((span) => span === folder || span.startsWith(`${folder}/`)),
    );
    expect(unnamed).toEqual([]);
  });

  it('are told from other backticked text', () => {
    const readme = 'services/insights/README.md';
    expect(missingPath('src/app/no-such-file.ts', readme)).toMatch(/does not exist/);
    expect(missingPath('services/insights/src/app/no-such-file.ts', readme)).toMatch(/does not exist/);
    expect(missingPath('no-such-file.ts', readme)).toMatch(/no file/);
    expect(missingPath('src/app', readme)).toBeUndefined();
    expect(missingPath('docs/adr/0003', readme)).toBeUndefined();
    expect(missingPath('docs/adr/0003-no-such-decision.md', readme)).toMatch(/does not exist/);
    for (const text of [
      'lienket.registry.need.v1',
      '/v1/needs',
      'application/problem+json',
      'grpc.health.v1.Health/Check',
      'LIENKET_HOME/seed.json',
      'services/<name>/README.md',
      'packages/contracts/gen/lienket',
      'internal/handler/msg_update.go',
      'npm run build',
    ])
      expect([text, missingPath(text, readme)]).toEqual([text, undefined]);
  });
});
