import fs from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

/**
 * Preloaded (`-r`) into a benchmark's service process when BENCH_PROFILE=window: the process's CPU
 * profile of one window only, the load, not its start-up. The first SIGUSR2 starts the profiler
 * (V8's, through the inspector, as `--cpu-prof` does), the second writes
 * `<BENCH_PROFILE_DIR>/<BENCH_PROFILE_NAME>[-<BENCH_PROFILE_RUN>]-<n>.cpuprofile` (the n-th window)
 * and stops it. Benchmark code only: no service loads it otherwise.
 */
const dir = process.env.BENCH_PROFILE_DIR;
const run = process.env.BENCH_PROFILE_RUN;
const name = `${process.env.BENCH_PROFILE_NAME ?? `pid-${process.pid}`}${run ? `-${run}` : ''}`;
if (dir) {
  const session = new Session();
  session.connect();
  let running = false;
  let windows = 0;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) return void console.error(`profile of ${name} not written: ${error.message}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${name}-${++windows}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
