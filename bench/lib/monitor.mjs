/**
 * Who used the CPUs during a measurement window: this process (fake + load generator, via
 * process.cpuUsage), the gateway (from /proc/<pid>/stat), and the machine's busy time in
 * processes (user + nice + system, plus steal, from /proc/stat; interrupt and softirq time, where
 * the kernel does loopback networking for both arms, is left out). Busy time that is neither this
 * process nor the gateway is other work on the machine: reported so a noisy window is visible.
 */
import { readFileSync } from 'node:fs';

/** Busy and total jiffies per cpu from /proc/stat. */
function coreTimes() {
  const lines = readFileSync('/proc/stat', 'utf8').split('\n');
  const cores = [];
  for (const line of lines) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const f = m[2].trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal
    const idle = f[3] + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    const processes = f[0] + f[1] + f[2] + (f[7] ?? 0);
    cores[Number(m[1])] = { busy: total - idle, total, processes };
  }
  return cores;
}

/** Above this share of its core, the load side (fake + generator) is saturated: the run is invalid. */
export const LOAD_SATURATION = 0.9;
/** Above this much of a core used by other processes (on average, both cores together), the window is noisy. */
export const FOREIGN_NOISE = 0.15;
const CLK_TCK_US = 1e6 / 100;

/**
 * Starts a window. `end()` returns shares of one core: load (this process), gateway, the busy
 * share of core 0 and core 1, and an estimate of other processes' use of the two pinned cores.
 */
export function startWindow(gateway, { loadCpu = 1, gatewayCpu = 0 } = {}) {
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const gw0 = gateway ? gateway.cpuMicros() : 0;
  const cores0 = coreTimes();
  return {
    end() {
      const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const loadUs = cpu.user + cpu.system;
      const gwUs = gateway ? gateway.cpuMicros() - gw0 : 0;
      const cores1 = coreTimes();
      const share = (i) => {
        const a = cores0[i];
        const b = cores1[i];
        if (!a || !b || b.total === a.total) return NaN;
        return (b.busy - a.busy) / (b.total - a.total);
      };
      const load = loadUs / wallUs;
      const gw = gatewayCpu === null ? NaN : gwUs / wallUs;
      const loadCoreBusy = share(loadCpu);
      const gatewayCoreBusy = gatewayCpu === null ? NaN : share(gatewayCpu);
      // Other processes, in cores: all process time on the machine minus ours and the gateway's.
      let processJiffies = 0;
      for (let i = 0; i < cores1.length; i++) if (cores0[i] && cores1[i]) processJiffies += cores1[i].processes - cores0[i].processes;
      const others = Math.max(0, (processJiffies * CLK_TCK_US - loadUs - gwUs) / wallUs);
      return {
        wallMs: wallUs / 1000,
        loadShare: load,
        gatewayShare: gateway ? gw : NaN,
        gatewayCpuUs: gwUs,
        loadCoreBusy,
        gatewayCoreBusy,
        others,
        loadSaturated: load > LOAD_SATURATION,
        noisy: others > FOREIGN_NOISE,
      };
    },
  };
}

/** Combines windows: the worst load share and the most other work seen. */
export function combineWindows(windows) {
  const max = (key) => Math.max(...windows.map((w) => (Number.isFinite(w[key]) ? w[key] : 0)));
  return {
    windows: windows.length,
    maxLoadShare: max('loadShare'),
    maxOthers: max('others'),
    loadSaturated: windows.some((w) => w.loadSaturated),
    noisyWindows: windows.filter((w) => w.noisy).length,
  };
}
