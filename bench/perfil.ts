/**
 * A CPU profile of one measured stretch of a bench's process (a burst), not of its start-up, through the
 * inspector: `perfilar(null)` starts it, `perfilar(arquivo)` stops it and writes it there (a .cpuprofile
 * that Chrome's DevTools or speedscope open). Kept apart from support.ts so a light child process does not
 * load the gateway to use it.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

export function perfilador(): (arquivo: string | null) => Promise<void> {
  let sessao: Session | null = null;
  return async (arquivo) => {
    if (arquivo === null) {
      sessao = new Session();
      sessao.connect();
      await sessao.post('Profiler.enable');
      await sessao.post('Profiler.start');
    } else if (sessao) {
      const { profile } = await sessao.post('Profiler.stop');
      sessao.disconnect();
      sessao = null;
      await writeFile(arquivo, JSON.stringify(profile));
    }
  };
}
