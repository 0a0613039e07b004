/**
 * The bytes of memograd's TensorBoard files: CRC32C against the standard vectors, the masked CRC and
 * the protobuf encodings against independent implementations (tb-read's CRC module, and Python
 * protobuf serializing the same messages with TensorBoard's generated classes), the TFRecord framing,
 * and tb-read rejecting corrupted copies of a valid file (so the conformance tests can fail).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SummaryWriter } from '@memograd/optim/node';
import { crc32c, frameRecord, maskedCrc32c } from '../src/node/tensorboard/crc32c.ts';
import { encodeEvent, encodeSummary } from '../src/node/tensorboard/messages.ts';
import { experimentContent, sessionEndContent, sessionStartContent } from '../src/node/tensorboard/hparams.ts';
import { countBins, equalBins, makeHistogram, TENSORFLOW_BINS } from '../src/node/tensorboard/histogram.ts';
import { ensureTbReadDeps, tbRead, tbToolsDir, tempDir } from './tensorboard-helpers.ts';

const ascii = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Runs Python (Debian's, with tb-read's folder and its vendored TensorBoard on the path) on `code`; returns stdout. */
function python(code: string): string {
  ensureTbReadDeps();
  const tools = tbToolsDir();
  const r = spawnSync('/usr/bin/python3', ['-s', '-c', code], {
    encoding: 'utf8', timeout: 120_000, env: { ...process.env, PYTHONPATH: `${tools}:${join(tools, 'vendor')}`, PYTHONNOUSERSITE: '1' },
  });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout;
}

describe('CRC32C and TFRecord framing', () => {
  it('crc32c gives the standard check value and the RFC 3720 vectors', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('the masked CRC agrees with tb-read\'s (the C crc32c module) on many payloads', () => {
    const payloads = [new Uint8Array(0), ascii('123456789'), new Uint8Array(8), Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919) & 0xff)];
    for (let n = 1; n < 40; n += 3) payloads.push(Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff));
    const code = `import sys, json, tb_read\nprint(json.dumps([tb_read.masked_crc32c(bytes.fromhex(h)) for h in ${JSON.stringify(payloads.map(hex))}]))`;
    expect(payloads.map(maskedCrc32c)).toEqual(JSON.parse(python(code)));
  });

  it('frames a record as u64le length, masked CRC of the length, payload, masked CRC of the payload', () => {
    const payload = ascii('abc');
    const rec = frameRecord(payload);
    const v = new DataView(rec.buffer);
    expect(rec.length).toBe(3 + 16);
    expect(v.getBigUint64(0, true)).toBe(3n);
    expect(v.getUint32(8, true)).toBe(maskedCrc32c(rec.subarray(0, 8)));
    expect(hex(rec.subarray(12, 15))).toBe(hex(payload));
    expect(v.getUint32(15, true)).toBe(maskedCrc32c(payload));
  });
});

describe('protobuf encodings equal Python protobuf\'s serialization of the same messages', () => {
  it('events, summaries, histograms, images, text and hparams plugin data', () => {
    const histo = makeHistogram([-1, 0.5, 0.5, 2], equalBins(-1, 2, 3));
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const ours = [
      encodeEvent({ wallTime: 1700000000.25, fileVersion: 'brain.Event:2' }),
      encodeEvent({ wallTime: 1.5, step: 2 ** 40 + 3, summary: encodeSummary('loss', { kind: 'simple', value: 0.1 }) }),
      encodeEvent({ wallTime: 2, step: 0, summary: encodeSummary('zero', { kind: 'simple', value: 0 }) }),
      encodeSummary('h', { kind: 'histo', histo }),
      encodeSummary('im', { kind: 'image', image: { height: 3, width: 5, colorspace: 4, png } }),
      encodeSummary('t/text_summary', { kind: 'text', text: 'héllo' }, { pluginName: 'text' }),
      experimentContent({ lr: 0.1, opt: 'adam', bn: false }, ['hparam/acc']),
      sessionStartContent({ lr: 0.1, opt: 'adam', bn: false, zero: 0, empty: '' }, 1700000000.5),
      sessionEndContent(1700000001.5),
    ].map(hex);
    const code = `
from tensorboard.compat.proto import event_pb2, summary_pb2, histogram_pb2, tensor_pb2, tensor_shape_pb2
from tensorboard.plugins.hparams import plugin_data_pb2, api_pb2
import json
E = event_pb2.Event; S = summary_pb2.Summary
h = histogram_pb2.HistogramProto(min=-1, max=2, num=4, sum=2.0, sum_squares=5.5, bucket_limit=[-1, 0, 1, 2], bucket=[0, 1, 2, 1])
txt = tensor_pb2.TensorProto(dtype=7, string_val=['héllo'.encode()], tensor_shape=tensor_shape_pb2.TensorShapeProto(dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=1)]))
md = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name='text'))
ssi = plugin_data_pb2.SessionStartInfo(start_time_secs=1700000000.5)
ssi.hparams['lr'].number_value = 0.1; ssi.hparams['opt'].string_value = 'adam'; ssi.hparams['bn'].bool_value = False
ssi.hparams['zero'].number_value = 0; ssi.hparams['empty'].string_value = ''
exp = api_pb2.Experiment(hparam_infos=[api_pb2.HParamInfo(name='lr', type=3), api_pb2.HParamInfo(name='opt', type=1), api_pb2.HParamInfo(name='bn', type=2)],
                         metric_infos=[api_pb2.MetricInfo(name=api_pb2.MetricName(tag='hparam/acc'))])
msgs = [
  E(wall_time=1700000000.25, file_version='brain.Event:2'),
  E(wall_time=1.5, step=2**40 + 3, summary=S(value=[S.Value(tag='loss', simple_value=0.1)])),
  E(wall_time=2, summary=S(value=[S.Value(tag='zero', simple_value=0)])),
  S(value=[S.Value(tag='h', histo=h)]),
  S(value=[S.Value(tag='im', image=S.Image(height=3, width=5, colorspace=4, encoded_image_string=bytes([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])))]),
  S(value=[S.Value(tag='t/text_summary', metadata=md, tensor=txt)]),
  plugin_data_pb2.HParamsPluginData(experiment=exp),
  plugin_data_pb2.HParamsPluginData(session_start_info=ssi),
  plugin_data_pb2.HParamsPluginData(session_end_info=plugin_data_pb2.SessionEndInfo(status=1, end_time_secs=1700000001.5)),
]
print(json.dumps([m.SerializeToString(deterministic=True).hex() for m in msgs]))
`;
    const theirs = JSON.parse(python(code)) as string[];
    // a map's entries may be serialized in any order (Python sorts them with deterministic=True):
    // the session start info is compared as parsed messages
    expect(ours.slice(0, 7)).toEqual(theirs.slice(0, 7));
    expect(ours[8]).toBe(theirs[8]);
    const reparse = `
from tensorboard.plugins.hparams import plugin_data_pb2
a = plugin_data_pb2.HParamsPluginData.FromString(bytes.fromhex('${ours[7]}'))
b = plugin_data_pb2.HParamsPluginData.FromString(bytes.fromhex('${theirs[7]}'))
print(a == b, sorted(a.session_start_info.hparams.keys()), a.session_start_info.hparams['zero'].WhichOneof('kind'), a.session_start_info.hparams['bn'].WhichOneof('kind'))
`;
    expect(python(reparse).trim()).toBe("True ['bn', 'empty', 'lr', 'opt', 'zero'] number_value bool_value");
  });
});

describe('histogram binning (NumPy semantics)', () => {
  it('counts half-open bins, the last one closed, as np.histogram does', () => {
    expect(countBins([0, 1, 1.5, 2, 3, 3], [0, 1, 2, 3])).toEqual([1, 2, 3]);
    expect(equalBins(5, 5, 2)).toEqual([4.5, 5, 5.5]);
    expect(equalBins(0, 1, 3)).toEqual([0, 1 / 3, 2 / 3, 1]);
  });
  it('the tensorflow bins are symmetric around 0 and span 1e-12 .. 1e20', () => {
    const n = TENSORFLOW_BINS.length;
    expect(n % 2).toBe(1);
    expect(TENSORFLOW_BINS[(n - 1) / 2]).toBe(0);
    expect(TENSORFLOW_BINS[(n + 1) / 2]).toBe(1e-12);
    expect(TENSORFLOW_BINS[n - 1]! < 1e20 && TENSORFLOW_BINS[n - 1]! * 1.1 >= 1e20).toBe(true);
    for (let i = 0; i < n; i++) expect(TENSORFLOW_BINS[i]).toBe(-TENSORFLOW_BINS[n - 1 - i]! + 0);
  });
});

describe('file layout, and tb-read rejects corrupted copies', () => {
  const dir = tempDir();
  const w = new SummaryWriter(join(dir, 'good'));
  for (let i = 0; i < 5; i++) w.addScalar('loss', 1 / (i + 1), i, 1700000000 + i);
  w.close();
  const name = readdirSync(join(dir, 'good'))[0]!;
  const good = readFileSync(join(dir, 'good', name));

  it('names the file events.out.tfevents.<10-digit seconds>.<host>.<pid>.<n>, first record brain.Event:2', () => {
    expect(name).toMatch(new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\..+\\.${process.pid}\\.\\d+$`));
    const len = Number(good.readBigUInt64LE(0));
    const payload = good.subarray(12, 12 + len);
    // Event{wall_time (field 1, double), file_version (field 3) = "brain.Event:2"}
    expect(payload[0]).toBe(0x09);
    expect(payload[9]).toBe(0x1a);
    expect(Buffer.from(payload.subarray(11)).toString()).toBe('brain.Event:2');
    expect(Math.abs(payload.readDoubleLE(1) - Date.now() / 1000)).toBeLessThan(600);
  });

  it.each([
    ['a payload byte flipped', (b: Buffer) => { b[b.length - 6]! ^= 0x40; }],
    ['the length CRC of the second record off by one (a wrong mask)', (b: Buffer) => {
      const first = Number(b.readBigUInt64LE(0)) + 16;
      b.writeUInt32LE((b.readUInt32LE(first + 8) + 1) >>> 0, first + 8);
    }],
    ['the last record truncated', (b: Buffer) => b.subarray(0, b.length - 3)],
  ] as const)('%s', (_what, corrupt) => {
    const d = join(dir, `bad-${Math.random().toString(36).slice(2)}`);
    mkdirSync(d);
    const b = Buffer.from(good);
    const out = (corrupt(b) as Buffer | undefined) ?? b;
    writeFileSync(join(d, name), out);
    const r = tbRead(d);
    expect(r.status).toBe(1);
    expect(r.json!.ok).toBe(false);
    expect(r.json!.errors.length).toBeGreaterThan(0);
  }, 120_000);

  it('the uncorrupted copy passes', () => {
    const d = join(dir, 'copy');
    mkdirSync(d);
    copyFileSync(join(dir, 'good', name), join(d, name));
    const r = tbRead(d);
    expect(r.status).toBe(0);
    expect(r.json!.runs['.']!.scalars.loss!.points.map((p) => p.value)).toEqual([1, 0.5, Math.fround(1 / 3), 0.25, Math.fround(0.2)]);
  }, 120_000);
});
