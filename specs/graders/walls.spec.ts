/**
 * The walls of the operating system, proved on their own: a plain Node script (no permission
 * model, no runtime, free to import anything) is started by the same command line as a student
 * process (walls.ts `launch`) and tries what the review found possible — reach a listener of the
 * grader's on 127.0.0.1 over TCP and UDP, resolve a name, bind a unix socket where the grader
 * writes its results, write a trace log, renice the grader, write a file. Where a wall is not
 * available here, the spec proves instead that every report says so and why; CI installs
 * bubblewrap and runs as root, and DLGRADE_EXPECT_WALLS makes the first spec fail if it did not.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { chmodSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectTools, isolation, launch, SANDBOX_UID } from '../../graders/sandbox/walls.ts';

const tools = detectTools();
const namespaces = Boolean(tools.bwrap && !tools.bwrapProblem);
const dropped = tools.root && !tools.dropProblem && Boolean(tools.setpriv);

const ATTEMPTS = `
const out = {};
const settle = (p, ms = 3000) => Promise.race([p, new Promise((r) => setTimeout(() => r('no answer'), ms))]);
const code = (e) => e?.info?.code ?? e?.code ?? e?.name ?? String(e);
const [port, udpPort, outDir, graderPid] = process.argv.slice(-4);
const net = await import('node:net'), dgram = await import('node:dgram'), dns = await import('node:dns'), fs = await import('node:fs'), os = await import('node:os');
out.uid = process.getuid();
out.tcp = await settle(new Promise((r) => { const s = net.connect(Number(port), '127.0.0.1', () => { s.write('leak'); r('connected'); }); s.on('error', (e) => r(code(e))); }));
out.udp = await settle(new Promise((r) => { const s = dgram.createSocket('udp4'); s.send('leak', Number(udpPort), '127.0.0.1', (e) => { s.close(); r(e ? code(e) : 'sent'); }); }));
out.dns = await settle(dns.promises.lookup('registry.npmjs.org').then(() => 'resolved', code));
out.unix = await settle(new Promise((r) => { const srv = net.createServer(); srv.on('error', (e) => r(code(e))); srv.listen(outDir + '/results.json', () => r('bound')); }));
try { fs.writeFileSync(outDir + '/planted.txt', 'x'); out.write = 'written'; } catch (e) { out.write = code(e); }
try { fs.writeFileSync('/tmp/x', 'x'); out.tmp = 'written'; } catch (e) { out.tmp = code(e); }
try { os.setPriority(Number(graderPid), 19); out.renice = 'reniced'; } catch (e) { out.renice = code(e); }
out.pids = fs.readdirSync('/proc').filter((n) => /^\\d+$/.test(n)).length;
process.stdout.write(JSON.stringify(out), () => process.exit(0)); // a bound socket would keep it alive
`;

let outDir: string;
let tcp: net.Server;
let udp: dgram.Socket;
const received: string[] = [];
const ports = { tcp: 0, udp: 0 };

beforeAll(async () => {
  outDir = realpathSync(mkdtempSync(path.join(tmpdir(), 'dlgrade-walls-out-')));
  chmodSync(outDir, 0o777); // even a folder anyone may write to stays out of reach
  tcp = net.createServer((s) => {
    received.push('tcp');
    s.destroy();
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  ports.tcp = (tcp.address() as net.AddressInfo).port;
  udp = dgram.createSocket('udp4');
  udp.on('message', () => received.push('udp'));
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
  ports.udp = udp.address().port;
});

afterAll(() => {
  tcp.close();
  udp.close();
  rmSync(outDir, { recursive: true, force: true });
});

/** Runs the attempts behind the walls, as a student process would be run. */
async function attempts(): Promise<Record<string, unknown>> {
  const how = launch(['--input-type=module', '-e', ATTEMPTS, '--', String(ports.tcp), String(ports.udp), outDir, String(process.pid)], { readOnly: [], chdir: '/' });
  const child = spawn(how.command, how.args, { cwd: how.cwd, env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  await new Promise((r) => child.on('exit', r));
  expect(out, err).not.toBe('');
  return JSON.parse(out) as Record<string, unknown>;
}

describe('walls of the operating system', () => {
  it('every report names the walls; those CI requires stand', () => {
    const walls = isolation(tools, { heapMb: 256, rssMb: 768, cpuMs: 2000, cpuMeasured: true }).walls;
    for (const w of walls) expect(w.detail.length, w.name).toBeGreaterThan(10);
    const required = (process.env.DLGRADE_EXPECT_WALLS ?? '').split(',').filter(Boolean);
    for (const name of required) expect(walls.find((w) => w.name === name), name).toMatchObject({ active: true });
    expect(walls.find((w) => w.name === 'namespaces')?.active).toBe(namespaces);
  });

  it('a student process reaches no listener of the grader, resolves no name, and can write no file anywhere', async () => {
    const r = await attempts();
    if (namespaces) {
      expect(r.tcp).toBe('ECONNREFUSED'); // its own loopback, where nothing listens
      expect(r.dns).not.toBe('resolved');
      expect(r.unix).toMatch(/ENOENT|EACCES|EROFS/); // the results folder does not exist in its view
      expect(r.write).toMatch(/ENOENT|EACCES|EROFS/);
      expect(r.renice).toMatch(/ESRCH|EACCES|EPERM/); // the grader is not even visible
      expect(r.pids).toBeLessThanOrEqual(3); // bubblewrap's init, Node, and nothing else
    } else {
      expect(isolation(tools, { heapMb: 256, rssMb: 768, cpuMs: 2000, cpuMeasured: true }).walls.find((w) => w.name === 'namespaces')).toMatchObject({
        active: false,
        detail: expect.stringMatching(/bubblewrap|Linux|DLGRADE_OS_WALLS/),
      });
    }
    await new Promise((r) => setTimeout(r, 200)); // a datagram in flight would have arrived
    if (namespaces) expect(received).toEqual([]);
    if (tools.prlimit) expect(r.tmp).toBe('EFBIG'); // file size limit 0, even in its private /tmp
    if (dropped) expect(r.uid).toBe(SANDBOX_UID);
    expect(readdirSync(outDir)).toEqual(namespaces || tools.prlimit || dropped ? [] : expect.anything());
  });

  it('a trace log (node --trace-events) cannot be written, in the grader folder or elsewhere', async () => {
    const before = readdirSync(process.cwd());
    const how = launch(['--trace-event-categories', 'v8', '-e', '1'], { readOnly: [], chdir: outDir });
    const child = spawn(how.command, how.args, { cwd: how.cwd, env: {}, stdio: 'ignore' });
    await new Promise((r) => child.on('exit', r));
    expect(readdirSync(process.cwd())).toEqual(before);
    if (tools.prlimit || namespaces) expect(readdirSync(outDir).filter((f) => f.startsWith('node_trace'))).toEqual([]);
  });
});
