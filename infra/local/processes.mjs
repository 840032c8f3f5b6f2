// Detached processes with pid files, ports, and the tools infra/local needs on PATH.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { say } from './settings.mjs';

// ---------------------------------------------------------------- processes

function pidFile(cfg, name) {
  return join(cfg.runDir, `${name}.pid`);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function runningPid(cfg, name) {
  const file = pidFile(cfg, name);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (pid > 0 && alive(pid)) return pid;
  rmSync(file, { force: true });
  return undefined;
}

export function startDetached(cfg, name, command, args, options = {}) {
  mkdirSync(cfg.runDir, { recursive: true });
  mkdirSync(cfg.logDir, { recursive: true });
  const log = openSync(join(cfg.logDir, `${name}.log`), 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log], ...options });
  closeSync(log);
  child.unref();
  writeFileSync(pidFile(cfg, name), String(child.pid));
  return child.pid;
}

export async function stopProcess(cfg, name, quiet) {
  const pid = runningPid(cfg, name);
  if (!pid) {
    say(quiet, `  ${name}: not running`);
    return;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (alive(pid) && Date.now() < deadline) await sleep(200);
  if (alive(pid)) {
    say(quiet, `  ${name}: did not stop in 30 s, killing`);
    process.kill(pid, 'SIGKILL');
    while (alive(pid)) await sleep(100);
  }
  rmSync(pidFile(cfg, name), { force: true });
  say(quiet, `  ${name}: stopped (pid ${pid})`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function portOpen(port, host = '127.0.0.1') {
  return new Promise((resolvePort) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolvePort(true);
    });
    socket.once('error', () => resolvePort(false));
  });
}

export function requireTool(command, args, hint) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(`${command} is required but was not found or failed to run.\n  ${hint}`);
  }
  return `${result.stdout}${result.stderr}`;
}
