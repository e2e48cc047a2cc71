/**
 * Preloaded into a bench's client process (`node --import .../cpu-probe.js ...`): when the process
 * exits it writes, to the file named by BENCH_CPU_FILE, its own CPU time (process.cpuUsage: user
 * and system, this process only) and when it started and ended (ms since the epoch), so the bench
 * counts the client's CPU and never the server's.
 */
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_CPU_FILE;
if (file)
  process.on("exit", () => {
    const cpu = process.cpuUsage();
    writeFileSync(
      file,
      JSON.stringify({
        started: performance.timeOrigin,
        ended: performance.timeOrigin + performance.now(),
        cpuMs: (cpu.user + cpu.system) / 1000,
      }),
    );
  });
