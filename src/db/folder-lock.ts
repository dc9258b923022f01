import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

/** Another live process holds the embedded database folder. */
export class DataFolderInUseError extends Error {
  constructor(
    readonly folder: string,
    readonly holder: LockHolder,
    readonly lockFile: string,
  ) {
    super(
      `The embedded database folder ${folder} is in use by process ${holder.pid} (${holder.command}, since ${holder.since}). ` +
        'PGlite is single-process: stop that process first, or set DATABASE_URL to share a PostgreSQL server between processes. ' +
        `If no such process is running, delete ${lockFile}.`,
    );
    this.name = 'DataFolderInUseError';
  }
}

interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(lockFile: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(lockFile, 'utf8')) as LockHolder;
    return Number.isInteger(holder.pid) ? holder : null;
  } catch {
    return null;
  }
}

/**
 * Takes `<folder>.lock` for this process (PGlite is single-process: two processes on one folder each
 * see their own copy and corrupt each other's). A lock left by a process that no longer runs on this
 * host is taken over. Returns the release function; the lock also goes when the process exits.
 */
export function lockDataFolder(folder: string): () => void {
  const absolute = resolve(folder);
  const lockFile = `${absolute}.lock`;
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    command: process.argv.slice(1).join(' ') || 'node',
    since: new Date().toISOString(),
  };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(lockFile);
      const stale = holder !== null && holder.host === me.host && !isAlive(holder.pid);
      if (holder && !stale) throw new DataFolderInUseError(absolute, holder, lockFile);
      // A stale lock, or one being written right now: retry a few times, then report it as held.
      if (attempt >= 3) throw new DataFolderInUseError(absolute, holder ?? { ...me, pid: -1, command: 'unknown' }, lockFile);
      if (stale) unlinkSync(lockFile);
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    if (readHolder(lockFile)?.pid === process.pid) unlinkSync(lockFile);
  };
  process.on('exit', release);
  return release;
}
