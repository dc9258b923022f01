// One process per embedded PGlite folder: a second `npm start` or `npm run autocancel` on the folder a
// running gateway holds fails fast, naming the folder and the process; the lock goes with the process.
// PGlite only by nature (a PostgreSQL server is shared by design).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase } from '../src/db/client.js';
import { DataFolderInUseError } from '../src/db/folder-lock.js';

const ROOT = new URL('..', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules/.bin/tsx');

function run(script: string, env: Record<string, string>): ChildProcess {
  return spawn(TSX, [script], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DEMO_SEED: 'false', AUTO_CANCEL_ENABLED: 'false', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs to the end (bounded), with its exit code and output. */
function finish(child: ChildProcess, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('pglite folder lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tramita-lock-'));
  const folder = join(dir, 'pglite');
  let gateway: ChildProcess;
  let gatewayOutput = '';
  /** The process holding the folder, as the lock names it (tsx runs the gateway in a child node process). */
  let holder: number;

  beforeAll(async () => {
    gateway = run('scripts/start.ts', { PGLITE_DATA_DIR: folder });
    gateway.stdout!.on('data', (d) => (gatewayOutput += d));
    gateway.stderr!.on('data', (d) => (gatewayOutput += d));
    const started = Date.now();
    while (!gatewayOutput.includes('gateway listening')) {
      if (gateway.exitCode !== null || Date.now() - started > 60_000) throw new Error(`gateway did not start:\n${gatewayOutput}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    holder = (JSON.parse(readFileSync(`${folder}.lock`, 'utf8')) as { pid: number }).pid;
    expect(() => process.kill(holder, 0)).not.toThrow();
  }, 90_000);

  afterAll(async () => {
    if (gateway && gateway.exitCode === null) {
      const exited = new Promise((resolve) => gateway.once('exit', resolve));
      gateway.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('a second gateway on the folder fails fast, naming the folder and the running process', async () => {
    const second = await finish(run('scripts/start.ts', { PGLITE_DATA_DIR: folder }));
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`The embedded database folder ${folder} is in use by process ${holder} `);
    expect(second.stdout).not.toContain('gateway listening');
  }, 90_000);

  test('`npm run autocancel` on the folder refuses, saying the running gateway cancels on its own', async () => {
    const autocancel = await finish(run('scripts/autocancel.ts', { PGLITE_DATA_DIR: folder }));
    expect(autocancel.code).toBe(1);
    expect(autocancel.stderr).toContain(`in use by process ${holder} `);
    expect(autocancel.stderr).toMatch(/already runs the automatic cancellation/);
    expect(autocancel.stdout).not.toContain('auto-cancel run');
  }, 90_000);

  test('in process too: createDatabase on a held folder throws DataFolderInUseError', async () => {
    await expect(createDatabase({ kind: 'pglite', dataDir: folder })).rejects.toBeInstanceOf(DataFolderInUseError);
  });

  test('after the gateway stops, the folder opens again; a lock left by a dead process is taken over', async () => {
    const exited = new Promise((resolve) => gateway.once('exit', resolve));
    gateway.kill('SIGTERM');
    await exited;
    expect(existsSync(`${folder}.lock`)).toBe(false);
    // A crash (kill -9) leaves the file behind: a pid that no longer runs does not hold the folder.
    writeFileSync(
      `${folder}.lock`,
      JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), command: 'crashed', since: 'earlier' }),
    );
    const handle = await createDatabase({ kind: 'pglite', dataDir: folder });
    expect(existsSync(`${folder}.lock`)).toBe(true);
    await handle.close();
    expect(existsSync(`${folder}.lock`)).toBe(false);
  }, 90_000);
});
