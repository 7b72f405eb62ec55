import { Sandbox } from './graders/sandbox/host.ts';
import { readFileSync } from 'node:fs';
const sb = new Sandbox({ readPaths: ['/tmp/sbx/'], callTimeoutMs: 3000, loadTimeoutMs: 2000 });
await sb.load('g', '/tmp/sbx/good.mjs');
const pid = (sb as any).child.pid;
const iv = setInterval(() => { try { console.log('rss', /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]); } catch (e) { console.log('gone'); clearInterval(iv); } }, 100);
const t0 = Date.now(); console.log(await sb.call('g', 'buf', []), Date.now() - t0);
clearInterval(iv); await sb.close();
